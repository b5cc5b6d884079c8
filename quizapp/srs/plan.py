"""The day's plan: what "due today", "new today" and "left today" mean (docs/scheduling.md).

One definition for every place that shows or builds a day: `quizapp due`, the home screen and the
session that `QuizSession.today` starts. The caller counts cards and the day's reviews (the store
does that); these rules turn the counts into the numbers shown and the room left for the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quizapp.srs.queue import Limits

__all__ = ["DailyPlan", "daily_plan"]


@dataclass(frozen=True, slots=True)
class DailyPlan:
    """The numbers of one study day.

    ``due`` counts every active card due on or before the day (overdue included), whatever the
    limit; ``reviews`` is how many of them today's session shows. ``unseen`` counts every active
    card never reviewed; ``new`` is how many of them today brings. ``left`` is what today's
    session still holds: those plus the re-drills still owed from earlier today.
    """

    day: date
    due: int
    unseen: int
    new_room: int  # new cards the daily limit still allows
    review_room: int  # reviews the daily limit still allows
    redrills: int = 0

    @property
    def reviews(self) -> int:
        """Due reviews today, within what is left of the daily review limit."""
        return min(self.due, self.review_room)

    @property
    def new(self) -> int:
        """New cards today, within what is left of the daily new-card limit."""
        return min(self.unseen, self.new_room)

    @property
    def left(self) -> int:
        """Cards today's session still holds."""
        return self.reviews + self.new + self.redrills


def daily_plan(day: date, limits: Limits, *, due: int, unseen: int, new_done: int,
               reviews_done: int, redrills: int = 0) -> DailyPlan:
    """The plan for study day ``day``: ``due``/``unseen`` active cards, ``new_done`` new cards and
    ``reviews_done`` reviews already counted today, ``redrills`` cards still owed a re-drill."""
    new_room, review_room = limits.room(new_done, reviews_done)
    return DailyPlan(day, due, unseen, new_room, review_room, redrills)
