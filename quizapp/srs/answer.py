"""What one graded answer means for a card's schedule (docs/scheduling.md, "Review kinds").

Every answer is logged, but only some move the schedule. ``classify`` decides which kind an answer
is; ``answer`` applies it: for a review it asks the scheduler for the new state and counts the
review (and the lapse, if any); for a re-drill or practice the card stays exactly as it was.
``revert`` is the inverse the store applies on undo. All pure: the study day and the instant are
passed in, and the store persists the result inside its one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Generic, TypeVar

from quizapp.srs.grades import is_lapse
from quizapp.srs.scheduler import Scheduler

__all__ = ["CardMemory", "ReviewKind", "Transition", "answer", "classify", "revert"]

S = TypeVar("S")


class ReviewKind(StrEnum):
    """The kind of a logged answer; the values are what the review log stores."""

    REVIEW = "review"  # a card's first grade of a study day, due (or new): moves the schedule
    REDRILL = "redrill"  # another grade of a card already reviewed today (SM-2 step 7)
    PRACTICE = "practice"  # a card that is not due, or a practice-only session: logged only


@dataclass(frozen=True, slots=True)
class CardMemory(Generic[S]):
    """Everything the schedule knows about one card: the algorithm's state plus the counts and
    days every algorithm shares. ``due`` is None for a card never reviewed."""

    state: S
    due: date | None = None
    lapses: int = 0
    reviews: int = 0
    last_review_day: date | None = None


@dataclass(frozen=True, slots=True)
class Transition(Generic[S]):
    """One answer's effect: its kind and the card's memory before and after (equal unless it is a
    review). The review log stores both sides, which is what makes undo exact."""

    kind: ReviewKind
    before: CardMemory[S]
    after: CardMemory[S]

    @property
    def moves_schedule(self) -> bool:
        return self.kind is ReviewKind.REVIEW

    @property
    def was_new(self) -> bool:
        """True for the first review a card ever gets: what the daily new-card limit counts."""
        return self.kind is ReviewKind.REVIEW and self.before.reviews == 0


def classify(memory: CardMemory[object], today: date, practice: bool = False) -> ReviewKind:
    """The kind of an answer given on study day ``today``.

    A practice-only session never moves anything; a card already reviewed today is re-drilled;
    a card not yet due is practice (answering early must not move the schedule); anything else —
    a due or overdue card, or a new one — is the day's review.
    """
    if practice:
        return ReviewKind.PRACTICE
    if memory.last_review_day == today:
        return ReviewKind.REDRILL
    if memory.due is not None and memory.due > today:
        return ReviewKind.PRACTICE
    return ReviewKind.REVIEW


def answer(scheduler: Scheduler[S], memory: CardMemory[S], grade: int, *, today: date,
           now: datetime, practice: bool = False) -> Transition[S]:
    """Apply one graded answer given on study day ``today`` at instant ``now``.

    Only a review reaches the scheduler (and so only a review validates the grade: the store's
    constraints refuse a bad grade on any row).
    """
    kind = classify(memory, today, practice)
    if kind is not ReviewKind.REVIEW:
        return Transition(kind, memory, memory)
    step = scheduler.review(memory.state, grade, today, now)
    after = CardMemory(step.state, step.due, memory.lapses + is_lapse(grade), memory.reviews + 1,
                       today)
    return Transition(kind, memory, after)


def revert(current: CardMemory[S], before: CardMemory[S], grade: int) -> CardMemory[S]:
    """The card's memory once its latest review (graded ``grade``) is taken back.

    ``before`` is what the log kept of the card before that review (state, due, last review day);
    the counts come from ``current`` minus that review's share, since the log does not keep them.
    """
    return replace(before, lapses=current.lapses - is_lapse(grade), reviews=current.reviews - 1)
