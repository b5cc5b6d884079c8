"""Statistics over the review log: where a learner stands and what to drill next.

Every number is aggregated in SQL by the store (`Store.card_counts`, `Store.review_counts`, …);
this module only combines those per-(category, card kind) totals and scores them. It imports no
SQLAlchemy, Textual or rich, and both `quizapp stats` and the statistics screen call `report()`,
so they show the same numbers.

What counts as a review: only log rows of kind ``review``, i.e. a card's first grade of a study
day (a new card's first answer included). Same-day re-drills are left out (they repeat a failure
just corrected and would count it twice) and so is practice (answers to cards that were not due,
e.g. in a weak drill: counting them would let the drill that picks the weakest cards feed its own
score). "Correct" is the answer check (the `correct` column), not the self-grade.

Weakness (documented in the README, "Weak categories"): for a category (or card kind) c,

    w_i      = 0.5 ** (age_i / HALF_LIFE_DAYS)       age_i = today − study day of review i
    n_c      = Σ w_i over c's reviews in the window   k_c = Σ w_i · correct_i
    p        = Σ k_c / Σ n_c over all categories      (the learner's own recent accuracy)
    acc_c    = (k_c + PRIOR_STRENGTH · p) / (n_c + PRIOR_STRENGTH)
    weakness = 1 − acc_c

i.e. the mean of a Beta prior centred on your overall accuracy worth PRIOR_STRENGTH reviews,
updated with recency-weighted results. Few (or only old) reviews leave a category near your
average; it takes evidence to call it weak. Categories without reviews in the window get no score
and rank last.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TextIO

from quizapp.deck.model import CardKind, Deck
from quizapp.store.store import CardCounts, CardRecord, ReviewCounts, Store

MATURE_DAYS = 21  # a card is mature once its interval reaches this many days
HALF_LIFE_DAYS = 14.0  # a review this old weighs half as much as one from today
PRIOR_STRENGTH = 10.0  # the prior is worth this many (today-weighted) reviews
CHART_DAYS = 30
FORECAST_DAYS = 14
WEAK_MARKED = 2  # how many categories may be flagged "weak" at once
WEAK_DRILL_SIZE = 20

KIND_NAMES = {
    CardKind.DEF_TERM.value: "definition → term",
    CardKind.TERM_DEF.value: "term → definition",
    CardKind.TRAP.value: "look-alike trap",
    CardKind.SCENARIO.value: "scenario",
    CardKind.DRILL.value: "estimation drill",
}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def weakness(weighted_correct: float, weighted_reviews: float, prior_accuracy: float,
             strength: float = PRIOR_STRENGTH) -> float:
    """1 − posterior mean accuracy under a Beta prior centred on `prior_accuracy`."""
    return 1.0 - (weighted_correct + strength * prior_accuracy) / (weighted_reviews + strength)


@dataclass(frozen=True)
class GroupStats:
    """One category or one card kind."""

    key: str  # category id or card kind
    name: str
    cards: int = 0  # active cards (not retired, not suspended)
    new: int = 0
    learning: int = 0
    mature: int = 0
    due: int = 0
    leeches: int = 0
    suspended: int = 0
    studied: int = 0
    ef_sum: int = 0  # hundredths over studied cards
    reviews: int = 0  # in the window
    correct: int = 0
    lapses: int = 0  # reviews graded below PASS_GRADE (3), in the window
    recall_reviews: int = 0
    recalled: int = 0
    weighted_reviews: float = 0.0
    weighted_correct: float = 0.0
    reviews_7: int = 0
    correct_7: int = 0
    reviews_30: int = 0
    correct_30: int = 0
    reviews_all: int = 0
    correct_all: int = 0
    weakness: float | None = None  # None = no reviews in the window, not ranked

    @property
    def accuracy(self) -> float | None:
        return _ratio(self.correct, self.reviews)

    @property
    def accuracy_7(self) -> float | None:
        return _ratio(self.correct_7, self.reviews_7)

    @property
    def accuracy_30(self) -> float | None:
        return _ratio(self.correct_30, self.reviews_30)

    @property
    def accuracy_all(self) -> float | None:
        return _ratio(self.correct_all, self.reviews_all)

    @property
    def retention(self) -> float | None:
        """Share of reviews of already-learned cards graded PASS_GRADE (3) or more."""
        return _ratio(self.recalled, self.recall_reviews)

    @property
    def mean_easiness(self) -> float | None:
        """Mean SM-2 easiness factor of the studied cards (new cards have none yet)."""
        return round(self.ef_sum / self.studied / 100, 2) if self.studied else None

    def as_dict(self, key_name: str) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            key_name: self.key,
            "cards": self.cards, "reviews": self.reviews, "correct": self.correct,
            "accuracy": r(self.accuracy), "lapses": self.lapses,
            "mean_easiness": self.mean_easiness, "weakness": r(self.weakness),
            "name": self.name, "new": self.new, "learning": self.learning, "mature": self.mature, "due": self.due,
            "leeches": self.leeches, "suspended": self.suspended, "retention": r(self.retention),
            "reviews_7": self.reviews_7, "correct_7": self.correct_7, "accuracy_7": r(self.accuracy_7),
            "reviews_30": self.reviews_30, "correct_30": self.correct_30,
            "accuracy_30": r(self.accuracy_30),
            "reviews_all": self.reviews_all, "correct_all": self.correct_all,
            "accuracy_all": r(self.accuracy_all),
        }


@dataclass(frozen=True)
class Report:
    study_day: date
    days: int | None  # review window in days; None = all time
    categories: tuple[GroupStats, ...]  # weakest first; unscored ones last, in deck order
    kinds: tuple[GroupStats, ...]  # the same, per card kind
    prior_accuracy: float | None  # recency-weighted accuracy over every category
    streak_days: int
    total_answers: int  # every logged answer in the window, re-drills and practice included
    answers_per_day: tuple[int, ...] = ()  # oldest first, ending on study_day
    forecast: tuple[int, ...] = ()  # due on study_day (overdue included), +1, …
    leeches: tuple[CardRecord, ...] = field(default=())

    @property
    def total_reviews(self) -> int:
        return sum(c.reviews for c in self.categories)

    @property
    def total_correct(self) -> int:
        return sum(c.correct for c in self.categories)

    @property
    def ranking(self) -> tuple[str, ...]:
        """Scored category ids, weakest first."""
        return tuple(c.key for c in self.categories if c.weakness is not None)

    @property
    def weak(self) -> tuple[str, ...]:
        """Categories to flag: up to WEAK_MARKED of the weakest, and only those doing worse than
        the learner's own average (so a learner who gets everything right is told nothing)."""
        if self.prior_accuracy is None:
            return ()
        average = 1.0 - self.prior_accuracy
        return tuple(c.key for c in self.categories[:WEAK_MARKED]
                     if c.weakness is not None and c.weakness > average + 1e-9)

    def category(self, category_id: str) -> GroupStats:
        return next(c for c in self.categories if c.key == category_id)

    def as_json(self) -> dict[str, Any]:
        return {
            "categories": [c.as_dict("category") for c in self.categories],
            "kinds": [k.as_dict("kind") for k in self.kinds],
            "total_reviews": self.total_reviews,
            "streak_days": self.streak_days,
            "total_correct": self.total_correct,
            "total_answers": self.total_answers,
            "study_day": self.study_day.isoformat(),
            "days": self.days,
            "prior_accuracy": None if self.prior_accuracy is None else round(self.prior_accuracy, 4),
            "half_life_days": HALF_LIFE_DAYS,
            "prior_strength": PRIOR_STRENGTH,
        }


def _group(key: str, name: str, counts: Iterable[CardCounts],
           results: Iterable[ReviewCounts]) -> GroupStats:
    values: dict[str, Any] = {}
    for row in counts:
        for f in ("cards", "new", "learning", "mature", "due", "leeches", "suspended", "studied",
                  "ef_sum"):
            values[f] = values.get(f, 0) + getattr(row, f)
    for row in results:
        for f in ("reviews", "correct", "lapses", "recall_reviews", "recalled", "weighted_reviews",
                  "weighted_correct", "reviews_7", "correct_7", "reviews_30", "correct_30",
                  "reviews_all", "correct_all"):
            values[f] = values.get(f, 0) + getattr(row, f)
    return GroupStats(key, name, **values)


def _scored(groups: Sequence[GroupStats], prior: float | None) -> tuple[GroupStats, ...]:
    order = {g.key: i for i, g in enumerate(groups)}
    scored = [
        g if prior is None or not g.reviews
        else replace(g, weakness=weakness(g.weighted_correct, g.weighted_reviews, prior))
        for g in groups]

    def key(g: GroupStats) -> tuple[Any, ...]:
        if g.weakness is None:
            return (1, 0.0, 0.0, 0, order[g.key])
        return (0, -g.weakness, g.accuracy or 0.0, -g.reviews, order[g.key])

    return tuple(sorted(scored, key=key))


def report(store: Store, deck: Deck, today: date, *, days: int | None = None,
           charts: bool = True, chart_days: int = CHART_DAYS,
           forecast_days: int = FORECAST_DAYS) -> Report:
    """All statistics for study day `today`; `days` limits the review window (None = all time)."""
    if days is not None and days < 1:
        raise ValueError("days must be 1 or more")
    since = None if days is None else today - timedelta(days=days - 1)
    counts = store.card_counts(today, MATURE_DAYS)
    results = store.review_counts(today, since, HALF_LIFE_DAYS)
    weighted_n = sum(r.weighted_reviews for r in results)
    prior = sum(r.weighted_correct for r in results) / weighted_n if weighted_n > 0 else None

    categories = [_group(c.id, c.en, [r for r in counts if r.category == c.id],
                         [r for r in results if r.category == c.id]) for c in deck.categories]
    present = {r.card_kind for r in counts} | {r.card_kind for r in results}
    kinds = [_group(k.value, KIND_NAMES[k.value], [r for r in counts if r.card_kind == k.value],
                    [r for r in results if r.card_kind == k.value])
             for k in CardKind if k.value in present]

    per_day: tuple[int, ...] = ()
    forecast: tuple[int, ...] = ()
    leeches: tuple[CardRecord, ...] = ()
    if charts:
        first = today - timedelta(days=chart_days - 1)
        answered = store.answers_per_day(first, today)
        per_day = tuple(answered.get(first + timedelta(days=i), 0) for i in range(chart_days))
        forecast = tuple(store.due_forecast(today, forecast_days))
        leeches = tuple(store.leech_cards())
    return Report(
        study_day=today, days=days, categories=_scored(categories, prior),
        kinds=_scored(kinds, prior), prior_accuracy=prior, streak_days=store.streak(today),
        total_answers=store.answer_count(since), answers_per_day=per_day, forecast=forecast,
        leeches=leeches)


def weakest_category(store: Store, deck: Deck, today: date,
                     categories: Sequence[str] | None = None) -> str | None:
    """The weakest scored category (among `categories`, if given) that has studied cards."""
    view = report(store, deck, today, charts=False)
    for group in view.categories:
        if group.weakness is not None and group.studied and (
                not categories or group.key in categories):
            return group.key
    return None


# -- the review log as CSV ---------------------------------------------------------------------
HISTORY_COLUMNS = (
    "review_id", "answered_at", "study_day", "card_id", "category", "card_kind", "review_kind",
    "grade", "correct", "response_ms", "answer", "was_new",
    "reps_before", "ef_before", "interval_before", "due_before",
    "reps_after", "ef_after", "interval_after", "due_after", "overridden",
)


@lru_cache(maxsize=4096)
def _iso(ordinal: int | None) -> str:
    return "" if ordinal is None else date.fromordinal(ordinal).isoformat()


@lru_cache(maxsize=1024)
def _ef(hundredths: int) -> str:
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def write_history_csv(store: Store, out: TextIO) -> int:
    """Write the whole review log as CSV (header first), one row at a time; returns the row count.

    Dates are ISO (`answered_at` is the UTC instant, `study_day` the study day it counted for),
    EF is a decimal with two places, `correct`, `was_new` and `overridden` (the learner said
    "I was right" to a wrong verdict; `correct` is then 1) are 1/0, `review_kind` is
    review | redrill | practice.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HISTORY_COLUMNS)
    rows = 0
    for r in store.iter_review_rows():
        writer.writerow((
            r["id"], r["answered_at"], _iso(r["study_day"]), r["card_id"], r["category"],
            r["card_kind"], r["review_kind"], r["grade"], int(bool(r["correct"])), r["response_ms"],
            r["answer"], int(bool(r["was_new"])),
            r["reps_before"], _ef(r["ef_before"]), r["interval_before"], _iso(r["due_before"]),
            r["reps_after"], _ef(r["ef_after"]), r["interval_after"], _iso(r["due_after"]),
            int(bool(r["overridden"])),
        ))
        rows += 1
    return rows
