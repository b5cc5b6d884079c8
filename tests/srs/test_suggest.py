"""The suggested grade follows the evidence: correctness, speed against the card kind's par time,
and typed recall against a pick. One rule, the README's table."""

from __future__ import annotations

import pytest

from quizapp.srs.suggest import PAR_SECONDS, SLOW_FACTOR, suggest_grade


def grade(seconds: float, *, kind: str = "def-term", typed: bool = True, correct: bool = True,
          **kw: bool) -> int:
    return suggest_grade(answered=True, correct=correct, typed=typed, seconds=seconds, kind=kind,
                         **kw)


@pytest.mark.parametrize("kind", sorted(PAR_SECONDS))
def test_the_table_for_every_kind(kind: str) -> None:
    par = PAR_SECONDS[kind]
    fast, medium, slow = par * 0.5, par * 2, par * (SLOW_FACTOR + 1)
    assert [grade(t, kind=kind) for t in (fast, medium, slow)] == [5, 4, 3]
    assert [grade(t, kind=kind, slip=True) for t in (fast, medium, slow)] == [4, 4, 3]
    assert [grade(t, kind=kind, typed=False) for t in (fast, medium, slow)] == [4, 3, 3]


def test_a_fast_pick_is_not_a_slow_pick() -> None:
    assert grade(3, typed=False) == 4 and grade(25, typed=False) == 3


def test_speed_is_relative_to_the_kind() -> None:
    assert grade(25, kind="scenario", typed=False) == 4  # 25 s is quick for a scenario
    assert grade(25, kind="def-term", typed=False) == 3  # and slow for a term
    assert grade(80, kind="drill") == 5


def test_wrong_is_1_a_near_miss_2_and_not_answered_0() -> None:
    assert grade(2, correct=False) == 1 and grade(2, correct=False, typed=False) == 1
    assert grade(2, correct=False, near_miss=True) == 2
    assert grade(200, correct=False) == 1
    assert suggest_grade(answered=False, correct=False, typed=False, seconds=1, kind="trap") == 0


def test_a_right_answer_always_passes_and_a_wrong_one_never_does() -> None:
    for kind in PAR_SECONDS:
        for seconds in (0, 1, 10, 100, 10_000):
            for typed in (True, False):
                assert grade(seconds, kind=kind, typed=typed) >= 3
                assert grade(seconds, kind=kind, typed=typed, correct=False, near_miss=True) < 3
