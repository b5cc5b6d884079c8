"""Replaying the review log: every card's schedule, recomputed from its logged reviews.

The review log is the source of truth. A card's memory is what its reviews (log rows of kind
``review``, oldest first) make of it under a scheduler, so switching algorithms, changing the
desired retention or fitting new FSRS parameters recomputes it from the log instead of
converting one algorithm's state into another's — which is what makes switching lossless and
reversible. Practice and re-drill rows are not reviews and are skipped by the caller, exactly as
they never reached a scheduler when they were answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from quizapp.srs.answer import CardMemory, reviewed
from quizapp.srs.paired import Paired, PairedState
from quizapp.srs.scheduler import Scheduler

__all__ = ["LoggedReview", "Replayed", "replay", "replay_paired"]

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """What a replay reads of one logged review."""

    grade: int
    day: date  # the study day it counted for
    answered_at: datetime  # the instant it was given (FSRS's fuzz is fixed by it)


def replay(scheduler: Scheduler[S], reviews: Iterable[LoggedReview]) -> CardMemory[S]:
    """The memory of a card with these reviews (oldest first) under ``scheduler``."""
    memory: CardMemory[S] = CardMemory(scheduler.new_state())
    for review in reviews:
        memory = reviewed(scheduler, memory, review.grade, today=review.day, now=review.answered_at)
    return memory


@dataclass(frozen=True, slots=True)
class Replayed:
    """A card's memory after its reviews, and FSRS's predicted recall before each of them
    (None before the first: a card never reviewed has no memory to predict from)."""

    memory: CardMemory[PairedState]
    recalls: tuple[float | None, ...]


def replay_paired(scheduler: Paired, reviews: Iterable[LoggedReview]) -> Replayed:
    """``replay`` under both algorithms, keeping FSRS's prediction for each review."""
    memory: CardMemory[PairedState] = CardMemory(scheduler.new_state())
    recalls: list[float | None] = []
    for review in reviews:
        recalls.append(scheduler.recall(memory.state, review.day))
        memory = reviewed(scheduler, memory, review.grade, today=review.day, now=review.answered_at)
    return Replayed(memory, tuple(recalls))
