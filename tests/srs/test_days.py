"""Study days: rollover hour, time zones, and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.srs.days import days_between, rollover_moment, study_day

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # DST shifts by 30 minutes
ZONES = [BERLIN, NEW_YORK, LORD_HOWE, ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")]

# Days around which each zone changes its clocks (2024).
TRANSITIONS = [
    (BERLIN, date(2024, 3, 31)),
    (BERLIN, date(2024, 10, 27)),
    (NEW_YORK, date(2024, 3, 10)),
    (NEW_YORK, date(2024, 11, 3)),
    (LORD_HOWE, date(2024, 4, 7)),
    (LORD_HOWE, date(2024, 10, 6)),
]


def local(tz: ZoneInfo, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=tz, fold=fold)  # type: ignore[misc]


def test_rollover_default_four() -> None:
    assert study_day(local(BERLIN, 2024, 5, 2, 1, 30), BERLIN) == date(2024, 5, 1)
    assert study_day(local(BERLIN, 2024, 5, 2, 3, 59, 59), BERLIN) == date(2024, 5, 1)
    assert study_day(local(BERLIN, 2024, 5, 2, 4, 0), BERLIN) == date(2024, 5, 2)
    assert study_day(local(BERLIN, 2024, 5, 2, 23, 59), BERLIN) == date(2024, 5, 2)


def test_rollover_hour_setting() -> None:
    moment = local(BERLIN, 2024, 5, 2, 1, 30)
    assert study_day(moment, BERLIN, 0) == date(2024, 5, 2)
    assert study_day(moment, BERLIN, 1) == date(2024, 5, 2)
    assert study_day(moment, BERLIN, 2) == date(2024, 5, 1)
    assert study_day(local(BERLIN, 2024, 5, 2, 22, 0), BERLIN, 23) == date(2024, 5, 1)


def test_converts_to_the_study_time_zone() -> None:
    moment = datetime(2024, 5, 2, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai, 20:30 the day before in NY
    assert study_day(moment, ZoneInfo("Asia/Shanghai")) == date(2024, 5, 2)
    assert study_day(moment, NEW_YORK) == date(2024, 5, 1)
    assert study_day(moment, UTC) == date(2024, 5, 1)  # 00:30 < 04:00
    assert study_day(moment, timezone(timedelta(hours=5))) == date(2024, 5, 2)


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        study_day(datetime(2024, 5, 2, 12, 0), BERLIN)


@pytest.mark.parametrize("hour", [-1, 24, 100])
def test_rollover_hour_out_of_range(hour: int) -> None:
    moment = local(BERLIN, 2024, 5, 2, 12)
    with pytest.raises(ValueError):
        study_day(moment, BERLIN, hour)
    with pytest.raises(ValueError):
        rollover_moment(date(2024, 5, 2), BERLIN, hour)


@pytest.mark.parametrize("hour", [4.0, True, "4"])
def test_rollover_hour_wrong_type(hour: object) -> None:
    with pytest.raises(TypeError):
        study_day(local(BERLIN, 2024, 5, 2, 12), BERLIN, hour)  # type: ignore[arg-type]


def test_berlin_fall_back_repeated_hour() -> None:
    # 02:00–03:00 happens twice on 2024-10-27; both belong to the 26th with rollover 4.
    first = local(BERLIN, 2024, 10, 27, 2, 30, fold=0)
    second = local(BERLIN, 2024, 10, 27, 2, 30, fold=1)
    assert first.utcoffset() != second.utcoffset()
    assert study_day(first, BERLIN) == study_day(second, BERLIN) == date(2024, 10, 26)
    # With rollover 2 both occurrences are already the 27th: no day is repeated.
    assert study_day(first, BERLIN, 2) == study_day(second, BERLIN, 2) == date(2024, 10, 27)


def test_rollover_moment_basic() -> None:
    start = rollover_moment(date(2024, 5, 2), BERLIN)
    assert start == local(BERLIN, 2024, 5, 2, 4)
    assert start.tzinfo is BERLIN


def test_rollover_moment_in_spring_gap() -> None:
    # 02:00 does not exist in Berlin on 2024-03-31: the day starts at 03:00 CEST (01:00 UTC).
    start = rollover_moment(date(2024, 3, 31), BERLIN, 2)
    assert start.astimezone(UTC) == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert (start.hour, start.minute) == (3, 0)
    # Lord Howe jumps 02:00 → 02:30.
    start = rollover_moment(date(2024, 10, 6), LORD_HOWE, 2)
    assert (start.hour, start.minute) == (2, 30)
    assert start.astimezone(UTC) == datetime(2024, 10, 5, 15, 30, tzinfo=UTC)


def test_rollover_moment_ambiguous_is_first_occurrence() -> None:
    start = rollover_moment(date(2024, 10, 27), BERLIN, 2)
    assert start.astimezone(UTC) == datetime(2024, 10, 27, 0, 0, tzinfo=UTC)  # 02:00 CEST
    start = rollover_moment(date(2024, 11, 3), NEW_YORK, 1)
    assert start.astimezone(UTC) == datetime(2024, 11, 3, 5, 0, tzinfo=UTC)  # 01:00 EDT


@pytest.mark.parametrize(("tz", "day"), TRANSITIONS)
@pytest.mark.parametrize("hour", [0, 1, 2, 3, 4, 23])
def test_rollover_moment_agrees_with_study_day(tz: ZoneInfo, day: date, hour: int) -> None:
    for offset in range(-2, 3):
        d = day + timedelta(days=offset)
        start = rollover_moment(d, tz, hour)
        assert study_day(start, tz, hour) == d
        # Subtract in UTC: arithmetic on a datetime in a ZoneInfo is wall-clock arithmetic.
        just_before = start.astimezone(UTC) - timedelta(microseconds=1)
        assert study_day(just_before, tz, hour) == d - timedelta(days=1)
        assert rollover_moment(d + timedelta(days=1), tz, hour).astimezone(UTC) > start


@pytest.mark.parametrize(("tz", "day"), TRANSITIONS)
@pytest.mark.parametrize("hour", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("step_minutes", [60, 15])
def test_dst_neither_skips_nor_repeats_a_day(tz: ZoneInfo, day: date, hour: int, step_minutes: int) -> None:
    # Walk real (UTC) time across the transition; study days must step by at most one, never back.
    start = datetime.combine(day - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    steps = 5 * 24 * 60 // step_minutes
    days = [study_day(start + timedelta(minutes=step_minutes * i), tz, hour) for i in range(steps)]
    for prev, nxt in pairwise(days):
        assert days_between(prev, nxt) in (0, 1)
    seen = sorted(set(days))
    assert seen == [seen[0] + timedelta(days=i) for i in range(len(seen))]
    assert day in seen


@given(
    st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2060, 1, 1),
        timezones=st.just(UTC),
    ),
    st.sampled_from(ZONES),
    st.integers(0, 23),
)
def test_consecutive_hours_property(moment: datetime, tz: ZoneInfo, hour: int) -> None:
    a = study_day(moment, tz, hour)
    b = study_day(moment + timedelta(hours=1), tz, hour)
    assert days_between(a, b) in (0, 1)
    assert rollover_moment(a, tz, hour) <= moment < rollover_moment(a + timedelta(days=1), tz, hour)


def test_days_between() -> None:
    assert days_between(date(2024, 2, 28), date(2024, 3, 1)) == 2
    assert days_between(date(2024, 3, 1), date(2024, 2, 28)) == -2
    assert days_between(date(2024, 3, 1), date(2024, 3, 1)) == 0
    assert days_between(date(2024, 12, 31), date(2025, 1, 1)) == 1
