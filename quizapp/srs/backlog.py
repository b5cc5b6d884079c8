"""Workload after days away: the backlog, most at risk first, spread over a chosen number of days.

A learner who comes back after a break finds every card that fell due meanwhile waiting at once
— the wall of reviews that makes people quit. With ``backlog_days`` = N (a setting; 1 = all of it
today, the plain daily queue), the **backlog** — active cards that were due before the learner's
*return day*, the first day of the current run of study days — is spread over the N days from
the return day on:

* on each day of that window, the day's share is ceil(backlog at the start of the day / days left
  in the window), so the last day takes whatever is left and every backlog card is shown within N
  days (provided the learner studies on them; a new break starts a new window);
* the share takes the cards **most at risk** first: for FSRS the lowest probability of recall
  today, for SM-2 the most overdue relative to the card's interval (overdue days ÷ interval);
* cards that fell due on or after the return day are not backlog and are shown as usual.

Nothing is rescheduled: a deferred card keeps its due day (it stays overdue, so answering it is
still its review) and is only left out of today's queue. Pure functions; the caller loads the
cards and counts what today already did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["BacklogCard", "BacklogPlan", "return_day", "sm2_risk", "spread_backlog"]


@dataclass(frozen=True, slots=True)
class BacklogCard:
    """A card due before the return day, with how much at risk it is (lower = more at risk)."""

    card_id: str
    due: date
    risk: float


def sm2_risk(today: date, due: date, interval: int) -> float:
    """SM-2 has no probability of recall: a card is the more at risk the more overdue it is
    relative to its interval (4 days late on a 2-day interval before 10 days late on 60)."""
    return -(today - due).days / max(interval, 1)


def return_day(today: date, streak: int, studied_today: bool) -> date:
    """The first study day of the current run of days with answers, counting today in it: the
    day the learner came back. ``streak`` is the run's length up to today (or up to yesterday when
    nothing was answered today yet)."""
    return today - timedelta(days=max(streak - studied_today, 0))


@dataclass(frozen=True)
class BacklogPlan:
    """Which backlog cards today shows (most at risk first) and the days the rest are expected on.

    ``days[0]`` is today's share; ``days[k]`` the cards expected k days from now if the learner
    does each day's share (a forecast: tomorrow's share is chosen afresh tomorrow).
    """

    today: date
    days: tuple[tuple[str, ...], ...] = ()
    _day_of: dict[str, date] = field(default_factory=dict, repr=False)

    @property
    def shown_today(self) -> tuple[str, ...]:
        return self.days[0] if self.days else ()

    @property
    def deferred(self) -> frozenset[str]:
        """Backlog cards left out of today's queue."""
        return frozenset(card for share in self.days[1:] for card in share)

    def day_of(self, card_id: str) -> date:
        return self._day_of[card_id]

    def counts(self) -> list[int]:
        """Backlog cards per day, today first."""
        return [len(share) for share in self.days]


def spread_backlog(today: date, backlog: Sequence[BacklogCard], *, start: date, days: int,
                   done_today: int = 0) -> BacklogPlan:
    """Spread ``backlog`` (the cards due before the return day ``start``) over the ``days`` days
    from ``start``; ``done_today`` backlog cards were already reviewed today (they count towards
    today's share, so the share does not shrink as the learner works through it).

    Raises ValueError for a card not due yet (a backlog card is overdue by definition) or fewer
    than one day.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days must be a whole number >= 1, got {days!r}")
    late = [c for c in backlog if c.due > today]
    if late:
        raise ValueError(f"{late[0].card_id} is not due before {today}: not backlog")
    ordered = [c.card_id for c in sorted(backlog, key=lambda c: (c.risk, c.due, c.card_id))]
    left = max((start - today).days + days, 1)  # days of the window from today on, today included
    shares: list[tuple[str, ...]] = []
    remaining, done = ordered, done_today
    for k in range(left):
        size = max(-(-(len(remaining) + done) // (left - k)) - done, 0)  # ceil, minus what is done
        shares.append(tuple(remaining[:size]))
        remaining, done = remaining[size:], 0
    day_of = {card: today + timedelta(days=k) for k, share in enumerate(shares) for card in share}
    return BacklogPlan(today, tuple(shares), day_of)
