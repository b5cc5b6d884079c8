"""Study days: the unit SM-2 intervals count in.

A study day runs from the rollover hour (local wall time) to the next one, so a late-night session
at 01:30 still belongs to the evening before. The day is read off the local wall clock, never
computed by adding 24-hour spans, so daylight-saving changes can neither skip nor repeat a day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

__all__ = ["DEFAULT_ROLLOVER_HOUR", "days_between", "rollover_moment", "study_day"]

DEFAULT_ROLLOVER_HOUR = 4


def _check_rollover(rollover_hour: int) -> int:
    if isinstance(rollover_hour, bool) or not isinstance(rollover_hour, int):
        raise TypeError(f"rollover_hour must be an int, got {type(rollover_hour).__name__}")
    if not 0 <= rollover_hour <= 23:
        raise ValueError(f"rollover_hour must be 0-23, got {rollover_hour}")
    return rollover_hour


def study_day(moment: datetime, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> date:
    """The study day containing the aware instant ``moment`` in time zone ``tz``.

    It is the local calendar date of (local wall time − ``rollover_hour`` hours). Naive datetimes
    are refused: guessing their zone is how a review lands on the wrong day.
    """
    _check_rollover(rollover_hour)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be timezone-aware")
    wall = moment.astimezone(tz).replace(tzinfo=None)
    return (wall - timedelta(hours=rollover_hour)).date()


def rollover_moment(day: date, tz: tzinfo, rollover_hour: int = DEFAULT_ROLLOVER_HOUR) -> datetime:
    """The aware instant (in ``tz``) at which study day ``day`` starts.

    Built with fold=0 and normalised through UTC: a wall time that occurs twice (fall back) means
    its first occurrence; one that does not exist (spring forward) is pushed past the gap by the
    old offset, which is the first instant after the gap when the gap starts at the rollover hour.
    Adding a timedelta to the result is wall-clock arithmetic (Python's rule for a shared tzinfo);
    convert to UTC first when you need elapsed time.
    """
    _check_rollover(rollover_hour)
    local = datetime.combine(day, time(rollover_hour), tzinfo=tz)  # fold=0
    return local.astimezone(UTC).astimezone(tz)


def days_between(a: date, b: date) -> int:
    """Whole days from ``a`` to ``b``: negative if ``b`` is earlier, 0 for the same day."""
    return (b - a).days
