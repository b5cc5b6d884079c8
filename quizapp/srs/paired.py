"""Both algorithms learn from every review; the chosen one decides when a card is due.

A card's schedule is a ``PairedState``: its SM-2 state and its FSRS state, each what that
algorithm makes of the card's reviews. ``Paired`` is the ``Scheduler`` the store uses: every
review updates both, and ``active`` (the ``scheduler`` setting, ``sm2`` or ``fsrs``) picks whose
due day the card gets. So the SM-2 columns always hold exactly the SM-2 state the review log
implies — switching to FSRS and back cannot change them — FSRS's probability of recall is known
for every card whichever algorithm schedules, and comparing the two on the learner's own history
needs no second pass. Switching itself replays the log (``quizapp.srs.replay``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from quizapp.srs.fsrs import FSRS, FSRSState
from quizapp.srs.scheduler import Scheduled
from quizapp.srs.sm2 import SM2, SM2State

__all__ = ["DEFAULT_SCHEDULER", "SCHEDULERS", "Paired", "PairedState"]

SCHEDULERS = ("sm2", "fsrs")
DEFAULT_SCHEDULER = "sm2"


@dataclass(frozen=True, slots=True)
class PairedState:
    """One card's SM-2 and FSRS memory."""

    sm2: SM2State = field(default_factory=SM2State)
    fsrs: FSRSState = field(default_factory=FSRSState)


class Paired:
    """SM-2 and FSRS side by side, as one ``Scheduler`` whose due day is the ``active`` one's."""

    def __init__(self, active: str = DEFAULT_SCHEDULER, fsrs: FSRS | None = None):
        if active not in SCHEDULERS:
            raise ValueError(f"scheduler must be one of {', '.join(SCHEDULERS)}, got {active!r}")
        self.active = active
        self.sm2 = SM2()
        self.fsrs = fsrs or FSRS()

    @property
    def name(self) -> str:
        return self.active

    def new_state(self) -> PairedState:
        return PairedState()

    def review(self, state: PairedState, grade: int, day: date, now: datetime
               ) -> Scheduled[PairedState]:
        sm2 = self.sm2.review(state.sm2, grade, day, now)
        fsrs = self.fsrs.review(state.fsrs, grade, day, now)
        return Scheduled(PairedState(sm2.state, fsrs.state),
                         sm2.due if self.active == "sm2" else fsrs.due)

    def due(self, state: PairedState, last_review_day: date | None) -> date | None:
        """The active algorithm's due day for ``state``; None for a card never reviewed. SM-2's is
        the day of the last review plus the interval (its spec's step 4)."""
        if last_review_day is None:
            return None
        if self.active == "sm2":
            return last_review_day + timedelta(days=state.sm2.interval)
        return state.fsrs.due

    def recall(self, state: PairedState, day: date) -> float | None:
        """FSRS's probability that the card is recalled on study day ``day`` (None if new)."""
        return self.fsrs.recall(state.fsrs, day)
