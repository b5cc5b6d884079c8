"""Which model knows you better: SM-2's and FSRS's predictions of your recall, scored on your own
review history the srs-benchmark way (`quizapp.srs.metrics`), and each card's current
probability of recall under FSRS.

FSRS's prediction for a review is the one it made at the time, from the card's state before it
(stored in the review log; recomputed for every review when the FSRS parameters change). SM-2's
is the benchmark's reading of its interval. Both are scored on the same reviews: every review of a
card after its first. With personal parameters fitted on these very reviews (`quizapp fsrs
optimize`) FSRS's score is measured on its training data, which flatters it a little.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from quizapp.srs.fsrs import FSRS, recall_probability
from quizapp.srs.grades import PASS_GRADE, is_lapse
from quizapp.srs.metrics import MIN_REVIEWS, Prediction, Score, Scorer, scored_reviews, sm2_recall
from quizapp.store.store import Store

__all__ = ["CardRecall", "Comparison", "card_recalls", "compare_models", "predictions", "score_log",
           "scored_reviews"]

RECALL_LISTED = 10  # cards shown with the lowest recall


@dataclass(frozen=True)
class Comparison:
    reviews: int  # reviews scored (every review of a card after its first)
    scores: tuple[Score, ...]  # fsrs, sm2, avg
    personal: bool  # FSRS ran with personal parameters

    def score(self, model: str) -> Score:
        return next(s for s in self.scores if s.model == model)

    @property
    def enough(self) -> bool:
        return self.reviews >= MIN_REVIEWS

    @property
    def better(self) -> str | None:
        """"fsrs" or "sm2", whichever predicted with the lower log loss (None: too few reviews)."""
        fsrs, sm2 = self.score("fsrs").log_loss, self.score("sm2").log_loss
        if not self.enough or fsrs is None or sm2 is None:
            return None
        return "fsrs" if fsrs <= sm2 else "sm2"

    def as_json(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {"reviews": self.reviews, "enough": self.enough, "better": self.better,
                "personal_parameters": self.personal,
                "models": {s.model: {"log_loss": r(s.log_loss), "rmse_bins": r(s.rmse_bins)}
                           for s in self.scores}}


def predictions(rows: Iterable[tuple[Any, ...]]) -> tuple[list[Prediction], list[Prediction]]:
    """FSRS's and SM-2's predictions for the same reviews, as lists (for tests and the
    optimizer's before/after; `compare_models` streams)."""
    fsrs: list[Prediction] = []
    sm2: list[Prediction] = []
    for _, reviews in groupby(rows, key=lambda r: r[0]):
        lapses = 0
        for number, (_, day, last, interval, grade, recall) in enumerate(reviews, start=1):
            if number > 1 and last is not None and recall is not None and day > last:
                recalled, elapsed = grade >= PASS_GRADE, day - last
                fsrs.append(Prediction(recalled, recall, elapsed, number, lapses))
                sm2.append(Prediction(recalled, sm2_recall(elapsed, interval), elapsed, number,
                                      lapses))
            if number > 1:
                lapses += is_lapse(grade)
    return fsrs, sm2


def compare_models(store: Store, personal: bool = False) -> Comparison:
    """Both models scored on every review; from the per-bin totals the store keeps with each
    answer (`Store.prediction_bins`), so it costs the same on a million reviews as on a hundred.
    `score_log` computes the same from the raw log."""
    return _comparison(store.prediction_bins(), personal)


def score_log(rows: Iterable[tuple[Any, ...]], personal: bool = False) -> Comparison:
    """`compare_models` computed from the raw log (`Store.iter_prediction_rows`), review by
    review: what the kept totals are checked against."""
    fsrs, sm2 = Scorer("fsrs"), Scorer("sm2")
    for recalled, p_fsrs, p_sm2, key in scored_reviews(rows):
        fsrs.add(recalled, p_fsrs, key)
        sm2.add(recalled, p_sm2, key)
    return Comparison(fsrs.n, (fsrs.score(), sm2.score(), fsrs.constant("avg")), personal)


def _comparison(bins: Iterable[tuple[Any, ...]], personal: bool) -> Comparison:
    fsrs, sm2 = Scorer("fsrs"), Scorer("sm2")
    for lapse_bin, elapsed_bin, number_bin, n, recalled, p_fsrs, loss_fsrs, p_sm2, loss_sm2 in bins:
        key = (lapse_bin, elapsed_bin, number_bin)
        fsrs.add_bin(key, n, recalled, p_fsrs, loss_fsrs)
        sm2.add_bin(key, n, recalled, p_sm2, loss_sm2)
    return Comparison(fsrs.n, (fsrs.score(), sm2.score(), fsrs.constant("avg")), personal)


@dataclass(frozen=True)
class CardRecall:
    card_id: str
    category: str
    recall: float  # FSRS's probability of recalling the card today


def card_recalls(store: Store, fsrs: FSRS, today: date) -> list[CardRecall]:
    """Every active studied card's probability of recall today under FSRS, lowest first."""
    out = [CardRecall(card_id, category,
                      recall_probability(stability, today.toordinal() - last, fsrs.decay))
           for card_id, category, stability, last in store.recall_rows()]
    return sorted(out, key=lambda c: (c.recall, c.card_id))
