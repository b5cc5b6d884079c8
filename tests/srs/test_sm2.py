"""SM-2 as the spec fixes it, checked exactly and against an independent integer reference."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.srs.sm2 import (
    GRADE_LABELS,
    GRADE_LABELS_ZH,
    MAX_INTERVAL,
    MIN_EF,
    PASS_GRADE,
    SM2,
    SM2State,
    ef_delta_hundredths,
    review,
    validate_grade,
)

grades = st.integers(min_value=0, max_value=5)
grade_seqs = st.lists(grades, max_size=60)


def run(qs: list[int], state: SM2State | None = None) -> list[SM2State]:
    state = state or SM2State()
    out = []
    for q in qs:
        state = review(state, q)
        out.append(state)
    return out


def reference(qs: list[int]) -> list[tuple[int, int, int]]:
    """Independent SM-2: EF as a Fraction straight from the spec's formula, then as integers."""
    n, ef, interval = 0, Fraction(5, 2), 0
    out = []
    for q in qs:
        if q < 3:
            n, interval = 0, 1
        else:
            interval = 1 if n == 0 else 6 if n == 1 else math.ceil(interval * ef)
            interval = min(interval, 36_500)
            n += 1
        d = 5 - q
        ef += Fraction(1, 10) - d * (Fraction(8, 100) + d * Fraction(2, 100))
        ef = max(ef, Fraction(13, 10))
        hundredths = ef * 100
        assert hundredths.denominator == 1
        out.append((n, int(hundredths), interval))
    return out


def naive_float(qs: list[int]) -> list[int]:
    """The popular float implementation the spec warns about; returns the intervals."""
    n, ef, interval = 0, 2.5, 0
    out = []
    for q in qs:
        if q < 3:
            n, interval = 0, 1
        else:
            interval = 1 if n == 0 else 6 if n == 1 else math.ceil(interval * ef)
            n += 1
        ef = max(ef + (0.1 - (5 - q) * (0.08 + (5 - q) * 0.02)), 1.3)
        out.append(interval)
    return out


def triple(s: SM2State) -> tuple[int, Decimal, int]:
    return (s.repetitions, s.easiness, s.interval)


# --- exact examples -------------------------------------------------------------------------------


def test_new_card() -> None:
    s = SM2State()
    assert triple(s) == (0, Decimal("2.50"), 0)
    assert s.ef_hundredths == 250
    assert s.is_new


def test_spec_worked_example() -> None:
    assert [triple(s) for s in run([5, 4, 3, 5])] == [
        (1, Decimal("2.60"), 1),
        (2, Decimal("2.60"), 6),
        (3, Decimal("2.46"), 16),
        (4, Decimal("2.56"), 40),
    ]


@pytest.mark.parametrize(("q", "delta"), [(5, 10), (4, 0), (3, -14), (2, -32), (1, -54), (0, -80)])
def test_ef_delta_per_grade(q: int, delta: int) -> None:
    assert ef_delta_hundredths(q) == delta
    start = SM2State(3, Decimal("2.50"), 10)
    assert review(start, q).ef_hundredths == 250 + delta


def test_easiness_is_exact_decimal_with_two_places() -> None:
    s = review(SM2State(), 3)
    assert isinstance(s.easiness, Decimal)
    assert s.easiness == Decimal("2.36")
    assert str(s.easiness) == "2.36"


def test_ef_floor() -> None:
    s = run([0] * 5)[-1]
    assert s.easiness == MIN_EF == Decimal("1.30")
    assert review(SM2State(0, Decimal("1.35"), 1), 3).easiness == MIN_EF
    assert review(SM2State(0, MIN_EF, 1), 0).easiness == MIN_EF


def test_failure_resets_but_keeps_lowered_ef() -> None:
    s = review(SM2State(5, Decimal("2.50"), 100), 2)
    assert triple(s) == (0, Decimal("2.18"), 1)
    # After a lapse the ladder restarts at 1, 6.
    assert [x.interval for x in run([5, 5, 5], s)] == [1, 6, 15]  # ceil(6 × 2.38)


def test_interval_cap() -> None:
    s = review(SM2State(10, Decimal("2.50"), 20_000), 5)
    assert s.interval == MAX_INTERVAL == 36_500
    assert review(s, 5).interval == MAX_INTERVAL
    # Just below the cap the exact product is kept.
    assert review(SM2State(10, Decimal("2.00"), 18_250), 4).interval == 36_500
    assert review(SM2State(10, Decimal("2.00"), 18_249), 4).interval == 36_498


def test_ceil_uses_ef_before_update() -> None:
    s = review(SM2State(2, Decimal("2.50"), 10), 5)
    assert s.interval == 25  # with the updated EF 2.60 it would be 26
    s = review(SM2State(2, Decimal("2.50"), 10), 3)
    assert s.interval == 25  # with the updated EF 2.36 it would be 24


def test_float_noise_case_is_exact() -> None:
    # EF goes 2.50 → 1.70 → 1.80 → 1.90 → 2.00; as floats the last is 2.0000000000000004 and
    # ceil(12 × EF) becomes 25 instead of 24.
    qs = [0, 5, 5, 5, 5]
    assert naive_float(qs) == [1, 1, 6, 12, 25]
    states = run(qs)
    assert [s.interval for s in states] == [1, 1, 6, 12, 24]
    assert triple(states[-1]) == (4, Decimal("2.10"), 24)


def test_float_noise_second_case() -> None:
    qs = [0, 0, 5, 5, 5]  # EF 1.50 as float is 1.5000000000000002: ceil(6 × 1.5) = 10, not 9
    assert naive_float(qs)[-1] == 10
    assert run(qs)[-1].interval == 9


def test_next_due() -> None:
    """Spec step 4, through the scheduler the store calls: due = study day of the review + I."""
    noon = datetime(2024, 12, 30, 12, tzinfo=UTC)
    step = SM2().review(SM2State(2, Decimal("2.50"), 6), 4, date(2024, 12, 30), noon)
    assert step.state == review(SM2State(2, Decimal("2.50"), 6), 4)
    assert step.due == date(2025, 1, 14)
    assert SM2().review(SM2State(), 5, date(2024, 2, 28), noon).due == date(2024, 2, 29)


# --- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("q", [6, -1, 100])
def test_grade_out_of_range(q: int) -> None:
    with pytest.raises(ValueError):
        review(SM2State(), q)


@pytest.mark.parametrize("q", [2.5, 4.0, "4", True, False, None, Decimal(4)])
def test_grade_wrong_type(q: object) -> None:
    with pytest.raises(TypeError):
        review(SM2State(), q)  # type: ignore[arg-type]


def test_validate_grade_accepts_ints() -> None:
    assert [validate_grade(q) for q in range(6)] == list(range(6))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"repetitions": -1}, ValueError),
        ({"interval": -1}, ValueError),
        ({"interval": MAX_INTERVAL + 1}, ValueError),
        ({"easiness": Decimal("1.29")}, ValueError),
        ({"easiness": Decimal("2.505")}, ValueError),
        ({"easiness": "nope"}, ValueError),
        ({"easiness": float("nan")}, ValueError),
        ({"easiness": True}, TypeError),
        ({"easiness": None}, TypeError),
        ({"repetitions": 1.0}, TypeError),
        ({"interval": True}, TypeError),
    ],
)
def test_state_validation(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        SM2State(**kwargs)  # type: ignore[arg-type]


def test_state_normalises_easiness() -> None:
    assert SM2State(easiness=Decimal("2.5")) == SM2State()
    assert str(SM2State(easiness=Decimal("2.5")).easiness) == "2.50"
    assert SM2State(easiness="2.46").ef_hundredths == 246
    assert SM2State(easiness=2).ef_hundredths == 200
    assert SM2State(easiness=2.2000000000000006).easiness == Decimal("2.20")  # float rounded
    assert hash(SM2State(easiness=Decimal("2.5"))) == hash(SM2State())
    assert SM2State.from_hundredths(3, 246, 16) == SM2State(3, Decimal("2.46"), 16)
    with pytest.raises(TypeError):
        SM2State.from_hundredths(3, 2.46, 16)  # type: ignore[arg-type]


def test_state_is_frozen() -> None:
    with pytest.raises(AttributeError):
        SM2State().interval = 3  # type: ignore[misc]


def test_labels_and_constants() -> None:
    assert PASS_GRADE == 3
    assert set(GRADE_LABELS) == set(GRADE_LABELS_ZH) == set(range(6))
    assert GRADE_LABELS[5] == "perfect"
    assert GRADE_LABELS[0] == "blackout"
    assert all(GRADE_LABELS_ZH.values())
    assert len(set(GRADE_LABELS.values())) == len(set(GRADE_LABELS_ZH.values())) == 6


# --- properties ----------------------------------------------------------------------------------


@given(grade_seqs)
def test_matches_reference(qs: list[int]) -> None:
    assert [(s.repetitions, s.ef_hundredths, s.interval) for s in run(qs)] == reference(qs)


@given(grade_seqs)
def test_ef_floor_and_hundredths(qs: list[int]) -> None:
    for s in run(qs):
        assert s.easiness >= MIN_EF
        assert s.easiness == s.easiness.quantize(Decimal("0.01"))
        assert s.easiness * 100 == s.ef_hundredths


@given(grade_seqs)
def test_interval_in_range_after_any_review(qs: list[int]) -> None:
    for s in run(qs):
        assert 1 <= s.interval <= MAX_INTERVAL


@given(
    st.integers(0, 50),
    st.integers(130, 400),
    st.integers(0, MAX_INTERVAL),
    grades,
)
def test_single_review_properties(n: int, ef: int, interval: int, q: int) -> None:
    before = SM2State.from_hundredths(n, ef, interval)
    after = review(before, q)
    assert after == review(before, q)  # deterministic
    assert before == SM2State.from_hundredths(n, ef, interval)  # input untouched
    assert 1 <= after.interval <= MAX_INTERVAL
    if q < PASS_GRADE:
        assert (after.repetitions, after.interval) == (0, 1)
    else:
        assert after.repetitions == n + 1
        if n >= 2:
            assert after.interval >= min(interval, MAX_INTERVAL)
            assert after.interval >= 1


@given(grade_seqs, st.lists(st.integers(3, 5), min_size=1, max_size=20))
def test_passing_never_shrinks_interval_once_n_ge_2(prefix: list[int], passes: list[int]) -> None:
    state = (run(prefix) or [SM2State()])[-1]
    for q in passes:
        nxt = review(state, q)
        if state.repetitions >= 2:
            assert nxt.interval >= state.interval
        state = nxt
