"""The one interface a scheduling algorithm implements.

SM-2 (``quizapp.srs.sm2.SM2``) is the only one today. A second algorithm (FSRS, with its own
per-card state such as stability and difficulty) is one more module with a class like this, not
an ``if`` in the store: the store hands the card's state, the grade and the time to
``review`` and persists what comes back. Which answers reach ``review`` at all (a review, not a
re-drill or practice) is decided before, by ``quizapp.srs.answer``, the same for every algorithm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Protocol, TypeVar

__all__ = ["Scheduled", "Scheduler"]

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class Scheduled(Generic[S]):
    """What one review does to a card: its new algorithm state and the study day it is next due."""

    state: S
    due: date


class Scheduler(Protocol[S]):
    """A scheduling algorithm: pure, no clock reads, no I/O (time is passed in)."""

    name: str

    def new_state(self) -> S:
        """The state of a card that has never been reviewed."""
        ...

    def review(self, state: S, grade: int, day: date, now: datetime) -> Scheduled[S]:
        """Apply one graded review given on study day ``day`` at the aware instant ``now``.

        Raises ValueError/TypeError for a grade outside 0–5.
        """
        ...
