"""How well a model predicted recall, measured the srs-benchmark way.

srs-benchmark (github.com/open-spaced-repetition/srs-benchmark) scores a spaced-repetition model
by the probability of recall it gave each review before the review happened, against what
happened (recalled = 1: any rating but *Again*; for us a grade of ``PASS_GRADE`` or more). Its two
calibration metrics, both lower-is-better:

* **log loss** — the mean of −[y·ln p + (1 − y)·ln(1 − p)];
* **RMSE (bins)** — reviews are grouped into bins by elapsed days, by the review's number in the
  card's history and by the card's lapses so far (each on a logarithmic scale, the constants of
  its ``utils.get_bin``), and the root of the review-weighted mean squared difference between each
  bin's mean prediction and its recall rate is taken.

Only reviews with a previous one count (a card's first review has nothing to predict from, and
the benchmark leaves same-day reviews out — ours never reach a scheduler). **SM-2 has no
probability of recall**; the benchmark's SM-2 baseline (its ``models/sm2.py`` and
``model_processors.process_untrainable``) assumes recall is 90 % when the interval has passed:
p = 0.9 ^ (elapsed days / interval), which is what ``sm2_recall`` computes. **AVG**, the constant
guess of the learner's own recall rate, is the floor a model must beat to be worth anything.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import Any

from quizapp.srs.grades import PASS_GRADE, is_lapse

__all__ = ["MIN_REVIEWS", "BinTotals", "Prediction", "Score", "Scorer", "bin_key", "bin_of", "log_loss",
           "review_loss", "rmse_bins", "score", "scored_review", "scored_reviews", "sm2_recall"]

MIN_REVIEWS = 30  # below this, the scores say little; they are shown with that caveat
_EPS = 1e-6  # predictions are clipped to [ε, 1 − ε]: one confident miss must not be infinite


@dataclass(frozen=True, slots=True)
class Prediction:
    """One review as the metrics see it."""

    recalled: bool
    p: float  # the predicted probability of recall
    elapsed: int  # days since the previous review (>= 1)
    number: int  # the review's position in the card's history (the first is 1)
    lapses: int  # the card's failed reviews before this one, its first review not counted


@dataclass(frozen=True, slots=True)
class Score:
    model: str  # "fsrs", "sm2" or "avg"
    reviews: int
    log_loss: float | None  # None without reviews
    rmse_bins: float | None


def sm2_recall(elapsed: int, interval: int) -> float:
    """srs-benchmark's reading of SM-2: recall is 90 % once the interval has passed."""
    return 0.9 ** (elapsed / max(interval, 1))


def _clip(p: float) -> float:
    return min(max(p, _EPS), 1.0 - _EPS)


def review_loss(recalled: bool, p: float) -> float:
    """One review's log loss, the prediction clipped to [ε, 1 − ε]."""
    q = _clip(p)
    return -math.log(q) if recalled else -math.log(1.0 - q)


Bin = tuple[float, float, float]
ScoredReview = tuple[bool, float, float, Bin]  # (recalled, FSRS's p, SM-2's p, bin)


class Scorer:
    """Log loss and RMSE (bins) accumulated one review at a time: a million reviews are scored
    without keeping a million objects. `add_bin` adds a whole bin's totals at once (the store keeps
    them per bin, so a score costs a few thousand additions instead of a million)."""

    def __init__(self, model: str):
        self.model = model
        self.n = 0
        self.loss = 0.0
        self.bins: dict[Bin, list[float]] = {}  # bin -> [n, Σ y, Σ p]

    def add(self, recalled: bool, p: float, key: Bin) -> None:
        self.add_bin(key, 1, recalled, p, review_loss(recalled, p))

    def add_bin(self, key: Bin, n: int, recalled: float, p_sum: float, loss_sum: float) -> None:
        self.loss += loss_sum
        self.n += n
        acc = self.bins.get(key)
        if acc is None:
            acc = self.bins[key] = [0.0, 0.0, 0.0]
        acc[0] += n
        acc[1] += recalled
        acc[2] += p_sum

    def score(self) -> Score:
        if not self.n:
            return Score(self.model, 0, None, None)
        error = sum(c * (y / c - p / c) ** 2 for c, y, p in self.bins.values()) / self.n
        return Score(self.model, self.n, self.loss / self.n, math.sqrt(error))

    def constant(self, model: str = "avg") -> Score:
        """The score of always predicting this scorer's own recall rate, on the same reviews."""
        if not self.n:
            return Score(model, 0, None, None)
        recalled = sum(acc[1] for acc in self.bins.values())
        rate = _clip(recalled / self.n)
        loss = -(recalled * math.log(rate) + (self.n - recalled) * math.log(1.0 - rate)) / self.n
        error = sum(c * (y / c - rate) ** 2 for c, y, _ in self.bins.values()) / self.n
        return Score(model, self.n, loss, math.sqrt(error))


def log_loss(predictions: Iterable[Prediction]) -> float | None:
    return score("", list(predictions)).log_loss


def rmse_bins(predictions: Iterable[Prediction]) -> float | None:
    return score("", list(predictions)).rmse_bins


def _bin(x: float, base: float, scale: float, digits: int) -> float:
    return round(scale * base ** math.floor(math.log(x) / math.log(base)), digits)


def bin_of(pr: Prediction) -> tuple[float, float, float]:
    """(lapses, elapsed days, review number), each binned as srs-benchmark's ``get_bin``."""
    return bin_key(pr.elapsed, pr.number, pr.lapses)


@lru_cache(maxsize=65_536)  # the same few thousand combinations recur a million times
def bin_key(elapsed: int, number: int, lapses: int) -> tuple[float, float, float]:
    lapse_bin = _bin(lapses, 1.73, 1.65, 0) if lapses else 0.0
    return lapse_bin, _bin(max(elapsed, 1e-6), 3.62, 2.48, 2), _bin(number, 1.89, 1.99, 0)


def score(model: str, predictions: Iterable[Prediction]) -> Score:
    scorer = Scorer(model)
    for pr in predictions:
        scorer.add(pr.recalled, pr.p, bin_of(pr))
    return scorer.score()


def scored_review(number: int, lapses: int, day: int, last: int | None, interval: int, grade: int,
                  recall: float | None) -> ScoredReview | None:
    """A card's review number `number` (its first is 1) as the metrics score it, or None if it is
    not scored (a first review, no FSRS prediction, no day elapsed). `lapses`: the card's failed
    reviews before this one, its first review not counted; days are ordinals."""
    if number > 1 and last is not None and recall is not None and day > last:
        elapsed = day - last
        return grade >= PASS_GRADE, recall, sm2_recall(elapsed, interval), bin_key(elapsed, number, lapses)
    return None


def scored_reviews(rows: Iterable[tuple[Any, ...]]) -> Iterator[ScoredReview]:
    """`scored_review` of every review in `rows`: (card_id, study_day, last_day_before,
    interval_before, grade, fsrs_recall), card by card and oldest first; streamed."""
    for _, reviews in groupby(rows, key=lambda r: r[0]):
        lapses = 0
        for number, (_, day, last, interval, grade, recall) in enumerate(reviews, start=1):
            scored = scored_review(number, lapses, day, last, interval, grade, recall)
            if scored is not None:
                yield scored
            if number > 1:
                lapses += is_lapse(grade)


class BinTotals:
    """Per-bin totals of both models' predictions: (n, recalled, Σ p FSRS, Σ loss FSRS, Σ p SM-2,
    Σ loss SM-2); what the store keeps in `prediction_bins`."""

    def __init__(self) -> None:
        self.bins: dict[Bin, list[float]] = {}

    def add(self, scored: ScoredReview, sign: int = 1) -> None:
        recalled, p_fsrs, p_sm2, key = scored
        acc = self.bins.get(key)
        if acc is None:
            acc = self.bins[key] = [0, 0, 0.0, 0.0, 0.0, 0.0]
        acc[0] += sign
        acc[1] += sign * recalled
        acc[2] += sign * p_fsrs
        acc[3] += sign * review_loss(recalled, p_fsrs)
        acc[4] += sign * p_sm2
        acc[5] += sign * review_loss(recalled, p_sm2)
