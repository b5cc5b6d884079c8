"""Personal FSRS parameters: py-fsrs's Optimizer fitted to the learner's own reviews.

Optional: the Optimizer needs torch, pandas and tqdm (`pip install 'quizapp[optimizer]'`), so
nothing here imports them until a fit is asked for. The reviews go to it exactly as the scheduler
sees them — the grade's rating on the study-day clock — and the fit is judged the way the
statistics judge FSRS: the log loss of its predictions over the same reviews, before and after.
py-fsrs itself returns its default parameters below 512 reviews that have a previous review, so
that is the minimum here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from quizapp.calibration import predictions
from quizapp.errors import QuizappError
from quizapp.srs.fsrs import FSRS, day_instant, rating
from quizapp.srs.metrics import log_loss
from quizapp.store.store import Store

__all__ = ["MIN_REVIEWS", "Fit", "OptimizerMissing", "fit", "log_loss_with", "optimizer_class"]

MIN_REVIEWS = 512  # reviews after a card's first: py-fsrs's own minimum (one mini-batch)
INSTALL_HINT = "pip install 'quizapp[optimizer]'"


class OptimizerMissing(QuizappError):
    """torch (or pandas, tqdm) is not installed."""


@dataclass(frozen=True)
class Fit:
    reviews: int  # reviews scored (after each card's first)
    before: float  # log loss with the parameters in use
    after: float  # log loss with the fitted ones
    parameters: tuple[float, ...]

    @property
    def better(self) -> bool:
        return self.after < self.before


def optimizer_class() -> type:
    """py-fsrs's Optimizer, or OptimizerMissing naming every missing part and the install command.

    All missing modules are named, not just the first, so one install fixes the lot."""
    missing = [name for name in ("torch", "pandas", "tqdm") if not _importable(name)]
    if missing:
        raise OptimizerMissing(f"fitting FSRS parameters needs the optimizer extra "
                               f"({', '.join(missing)} missing): {INSTALL_HINT}")
    from fsrs.optimizer import Optimizer

    return Optimizer


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def _histories(store: Store) -> list[list[tuple[int, date]]]:
    """Each card's reviews as (grade, study day), oldest first."""
    return [[(row[4], date.fromordinal(row[1])) for row in rows]
            for _, rows in groupby(store.iter_prediction_rows(), key=lambda r: r[0])]


def log_loss_with(fsrs: FSRS, histories: Iterable[Sequence[tuple[int, date]]]) -> tuple[int, float]:
    """(reviews scored, log loss) of FSRS with these parameters, replayed over the histories."""
    rows = []
    for number, history in enumerate(histories):
        state = fsrs.new_state()
        last = None
        for grade, day in history:
            recall = fsrs.recall(state, day)
            rows.append((number, day.toordinal(), last, 0, grade, recall))
            state = fsrs.review(state, grade, day, day_instant(day)).state
            last = day.toordinal()
    scored, _ = predictions(rows)
    return len(scored), log_loss(scored) or 0.0


def fit(store: Store, current: FSRS) -> Fit:
    """Fit parameters to every review in the store; raises QuizappError with too few reviews."""
    histories = _histories(store)
    reviews, before = log_loss_with(current, histories)
    if reviews < MIN_REVIEWS:
        raise QuizappError(f"fitting FSRS needs {MIN_REVIEWS} reviews of cards seen before; "
                           f"you have {reviews} so far")
    optimizer = optimizer_class()
    from fsrs import ReviewLog

    logs = [ReviewLog(card_id=number, rating=rating(grade), review_datetime=day_instant(day),
                      review_duration=None)
            for number, history in enumerate(histories) for grade, day in history]
    parameters = tuple(float(p) for p in optimizer(logs).compute_optimal_parameters())
    _, after = log_loss_with(FSRS(parameters, current.desired_retention), histories)
    return Fit(reviews, before, after, parameters)
