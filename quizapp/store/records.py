"""What the store hands out: frozen records and raw bulk rows, and the conversions from table rows.

Study days are stored as proleptic ordinals and EF as int hundredths (see `quizapp.store.schema`);
records carry `date`s, `SM2State`s and `FSRSState`s, bulk rows keep the raw numbers (export and history read
them by the hundred thousand).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from quizapp.deck.model import CardKind
from quizapp.srs.answer import CardMemory, ReviewKind
from quizapp.srs.fsrs import FSRSState
from quizapp.srs.paired import PairedState
from quizapp.srs.queue import is_leech
from quizapp.srs.sm2 import SM2State
from quizapp.store.schema import cards

__all__ = ["SELECT_CARD", "BacklogRow", "CardCounts", "CardRecord", "CardRow", "CardSchedule", "ReviewCounts",
           "ReviewRecord", "ReviewRow", "SyncReport", "as_day", "as_ordinal", "card_memory",
           "card_record", "fsrs_state", "quoted", "review_record", "sm2_state"]


@dataclass(frozen=True)
class CardRecord:
    id: str
    kind: CardKind  # the card kind (def-term, trap, …); a logged answer's kind is `review_kind`
    category: str
    item_id: str
    position: int
    state: SM2State
    due: date | None
    lapses: int
    reviews: int
    suspended: bool
    retired: bool
    last_review_day: date | None
    content_changed_at: str
    fsrs: FSRSState = field(default_factory=FSRSState)  # the card's FSRS memory (kept whichever algorithm schedules)

    @property
    def is_new(self) -> bool:
        return self.reviews == 0

    @property
    def leech(self) -> bool:
        return is_leech(self.lapses)


@dataclass(frozen=True)
class ReviewRecord:
    """One logged answer with the card's state before and after it."""

    id: int
    card_id: str
    answered_at: str
    study_day: date
    grade: int
    answer: str
    correct: bool
    response_ms: int
    review_kind: ReviewKind
    before: SM2State
    after: SM2State
    due_after: date | None

    @property
    def kind(self) -> ReviewKind:
        """The same as `review_kind` (the name before review and card kinds were told apart)."""
        return self.review_kind


class CardSchedule(NamedTuple):
    """The schedule columns of one card, raw (EF in hundredths, days as ordinals); for bulk reads."""

    id: str
    content_changed_at: str
    suspended: bool
    reviews: int
    lapses: int
    repetitions: int
    ef: int  # hundredths
    interval: int
    due: int | None  # study-day ordinal


class BacklogRow(NamedTuple):
    """An active card due before some day, with what its risk is computed from."""

    id: str
    due: int  # study-day ordinal
    interval: int  # SM-2's
    fsrs_stability: float | None
    last_review_day: int | None


class ReviewRow(NamedTuple):
    """The columns of one logged answer that a bulk reader needs (EF in hundredths)."""

    id: int
    card_id: str
    answered_at: str
    grade: int
    response_ms: int
    reps_before: int
    interval_before: int
    ef_after: int
    interval_after: int


@dataclass(frozen=True)
class CardCounts:
    """Card states of one (category, card kind): active cards only (not retired, not suspended)."""

    category: str
    card_kind: str  # def-term | term-def | trap | scenario | drill
    cards: int
    new: int  # never reviewed
    learning: int  # reviewed, interval below the mature threshold
    mature: int  # interval at or above the mature threshold
    due: int  # due on or before the day asked for
    leeches: int  # lapses >= LEECH_LAPSES
    studied: int  # = learning + mature: the cards the EF sum is over
    ef_sum: int  # hundredths, over studied cards
    suspended: int  # not in the counts above

    @property
    def kind(self) -> str:
        """The same as `card_kind`."""
        return self.card_kind


@dataclass(frozen=True)
class ReviewCounts:
    """Reviews (kind 'review' only: a card's first grade of a study day) of one (category, kind)."""

    category: str
    card_kind: str
    reviews: int  # in the window asked for
    correct: int
    lapses: int  # graded below PASS_GRADE
    recall_reviews: int  # reviews of cards already passed before (repetitions >= 1)
    recalled: int  # ... of which graded PASS_GRADE or more
    weighted_reviews: float  # each review weighted 0.5 ** (age in days / half-life)
    weighted_correct: float
    reviews_7: int  # last 7 study days, including today, whatever the window
    correct_7: int
    reviews_30: int
    correct_30: int
    reviews_all: int
    correct_all: int

    @property
    def kind(self) -> str:
        """The same as `card_kind`."""
        return self.card_kind


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    retired: int = 0
    revived: int = 0


def as_day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def as_ordinal(value: date | None) -> int | None:
    return None if value is None else value.toordinal()


def sm2_state(reps: int, ef: int, interval: int) -> SM2State:
    return SM2State.from_hundredths(reps, ef, interval)


def fsrs_state(row: Any) -> FSRSState:
    """The FSRS columns of a `cards` row (the last review day is the one every algorithm shares)."""
    return FSRSState(row.fsrs_stability, row.fsrs_difficulty, as_day(row.fsrs_due),
                     as_day(row.last_review_day))


def card_memory(row: Any) -> CardMemory[PairedState]:
    """The schedule part of a `cards` row, as `quizapp.srs.answer` reads it."""
    return CardMemory(PairedState(sm2_state(row.repetitions, row.ef, row.interval), fsrs_state(row)),
                      as_day(row.due), row.lapses, row.reviews, as_day(row.last_review_day))


def card_record(row: Any) -> CardRecord:
    return CardRecord(
        id=row.id, kind=CardKind(row.kind), category=row.category, item_id=row.item_id,
        position=row.position, state=sm2_state(row.repetitions, row.ef, row.interval),
        due=as_day(row.due), lapses=row.lapses, reviews=row.reviews, suspended=bool(row.suspended),
        retired=bool(row.retired), last_review_day=as_day(row.last_review_day),
        content_changed_at=row.content_changed_at, fsrs=fsrs_state(row),
    )


def review_record(row: Any) -> ReviewRecord:
    return ReviewRecord(
        id=row.id, card_id=row.card_id, answered_at=row.answered_at,
        study_day=date.fromordinal(row.study_day), grade=row.grade, answer=row.answer,
        correct=bool(row.correct), response_ms=row.response_ms, review_kind=ReviewKind(row.kind),
        before=sm2_state(row.reps_before, row.ef_before, row.interval_before),
        after=sm2_state(row.reps_after, row.ef_after, row.interval_after), due_after=as_day(row.due_after),
    )


def quoted(names: Any) -> str:
    return ", ".join(f'"{name}"' for name in names)


CARD_COLUMNS = tuple(c.name for c in cards.columns if c.name != "learner")
SELECT_CARD = f"SELECT {quoted(CARD_COLUMNS)} FROM cards WHERE learner = ? AND id = ?"
# A `cards` row read through the raw driver (the answer path): the columns by name, as SQLAlchemy's
# rows give them, without its result machinery.
CardRow = namedtuple("CardRow", CARD_COLUMNS)  # type: ignore[misc]
