"""FSRS through py-fsrs: our scheduler is py-fsrs on the study-day clock, checked against py-fsrs
itself (a direct replay of the same ratings and timestamps), plus the grade table and the fuzz."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import fsrs as pyfsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.srs.answer import CardMemory
from quizapp.srs.fsrs import (
    FSRS,
    RATINGS,
    FSRSState,
    day_instant,
    fuzz_unit,
    fuzzed,
    rating,
    recall_probability,
    validate_parameters,
    validate_retention,
)
from quizapp.srs.paired import Paired, PairedState
from quizapp.srs.replay import LoggedReview, replay, replay_paired
from quizapp.srs.sm2 import SM2State, review

START = date(2026, 3, 2)
reviews = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 60), st.integers(0, 86_399)),
                   min_size=1, max_size=25)  # (grade, days after the previous review, second of day)


def py_scheduler(retention: float = 0.9) -> pyfsrs.Scheduler:
    return pyfsrs.Scheduler(desired_retention=retention, learning_steps=(), relearning_steps=(),
                            enable_fuzzing=False)


def logged(history: list[tuple[int, int, int]]) -> list[LoggedReview]:
    day, out = START, []
    for grade, gap, second in history:
        day += timedelta(days=gap)
        out.append(LoggedReview(grade, day, datetime.combine(day, datetime.min.time(), UTC)
                                + timedelta(seconds=second)))
    return out


def test_the_grade_table() -> None:
    assert {g: r.name for g, r in RATINGS.items()} == {
        0: "Again", 1: "Again", 2: "Again", 3: "Hard", 4: "Good", 5: "Easy"}
    for bad in (6, -1, 2.5, True, None, "4"):
        with pytest.raises((TypeError, ValueError)):
            rating(bad)  # type: ignore[arg-type]


@given(reviews, st.sampled_from([0.7, 0.85, 0.9, 0.97]))
def test_every_state_equals_a_direct_py_fsrs_replay(history: list[tuple[int, int, int]],
                                                     retention: float) -> None:
    """Without fuzz, each review's stability, difficulty and due day are exactly py-fsrs's for the
    same ratings at the same instants (the study days on the study-day clock)."""
    ours, theirs = FSRS(desired_retention=retention, fuzz=False), py_scheduler(retention)
    state, card = FSRSState(), pyfsrs.Card(card_id=1, due=day_instant(START))
    for review_ in logged(history):
        step = ours.review(state, review_.grade, review_.day, review_.answered_at)
        card, _ = theirs.review_card(card, pyfsrs.Rating(RATINGS[review_.grade]),
                                     day_instant(review_.day))
        state = step.state
        assert (state.stability, state.difficulty) == (card.stability, card.difficulty)
        assert state.due == step.due == card.due.date()
        assert state.last_review == review_.day == card.last_review.date()
        assert ours.recall(state, review_.day + timedelta(days=3)) == pytest.approx(
            theirs.get_card_retrievability(card, day_instant(review_.day + timedelta(days=3))),
            abs=1e-12)


@given(reviews)
def test_fuzz_moves_only_the_due_day_within_py_fsrs_s_range(history: list[tuple[int, int, int]]
                                                            ) -> None:
    plain, fuzzy = FSRS(fuzz=False), FSRS()
    a = b = FSRSState()
    for review_ in logged(history):
        x = plain.review(a, review_.grade, review_.day, review_.answered_at)
        y = fuzzy.review(b, review_.grade, review_.day, review_.answered_at)
        assert (x.state.stability, x.state.difficulty) == (y.state.stability, y.state.difficulty)
        interval, fuzzed_interval = (x.due - review_.day).days, (y.due - review_.day).days
        if interval < 3:
            assert fuzzed_interval == interval
        else:
            assert max(2, round(interval * 0.85) - 1) <= fuzzed_interval <= round(interval * 1.15) + 1
        a, b = x.state, y.state
        b = FSRSState(a.stability, a.difficulty, y.due, a.last_review)  # same memory, fuzzed due


def test_fuzz_is_fixed_by_the_instant_so_a_replay_reproduces_it() -> None:
    moment = datetime(2026, 3, 2, 8, 30, 12, 345678, tzinfo=UTC)
    assert fuzz_unit(moment) == fuzz_unit(datetime.fromisoformat(moment.isoformat()))
    units = [fuzz_unit(moment + timedelta(microseconds=i)) for i in range(2000)]
    assert all(0 <= u < 1 for u in units)
    assert 0.45 < sum(units) / len(units) < 0.55  # neighbouring instants spread over [0, 1)
    days = {fuzzed(40, u) for u in units}
    assert days == set(range(min(days), max(days) + 1)) and len(days) > 4


def test_recall_probability_is_py_fsrs_s_forgetting_curve() -> None:
    theirs = py_scheduler()
    for stability in (0.3, 2.3065, 17.0, 400.0):
        for elapsed in (0, 1, 5, 30, 365):
            card = pyfsrs.Card(card_id=1, state=pyfsrs.State.Review, stability=stability,
                               difficulty=5.0, due=day_instant(START), last_review=day_instant(START))
            assert recall_probability(stability, elapsed, FSRS().decay) == pytest.approx(
                theirs.get_card_retrievability(card, day_instant(START + timedelta(days=elapsed))),
                abs=1e-12)
    assert recall_probability(12.0, 12, FSRS().decay) == pytest.approx(0.9)  # R = 90 % at t = S


def test_retention_and_parameters_are_checked() -> None:
    assert validate_retention(0.7) == 0.7 and validate_retention(0.97) == 0.97
    for bad in (0.69, 0.98, 1, float("nan"), "0.9", True):
        with pytest.raises(ValueError):
            validate_retention(bad)
    assert validate_parameters(list(pyfsrs.scheduler.DEFAULT_PARAMETERS))
    for bad in ([1.0] * 20, "abc", [*pyfsrs.scheduler.DEFAULT_PARAMETERS[:20], 5.0]):
        with pytest.raises(ValueError):
            validate_parameters(bad)


@given(reviews)
def test_both_algorithms_learn_from_every_review(history: list[tuple[int, int, int]]) -> None:
    """The paired state's SM-2 half is exactly SM-2 and its FSRS half exactly FSRS; the active
    algorithm only decides the due day, and a replay gives what reviewing one by one gave."""
    steps = logged(history)
    for active in ("sm2", "fsrs"):
        paired = Paired(active)
        memory = replay(paired, steps)
        sm2 = SM2State()
        for r in steps:
            sm2 = review(sm2, r.grade)
        assert memory.state.sm2 == sm2
        assert memory.state.fsrs == replay(FSRS(), steps).state
        assert memory.due == paired.due(memory.state, steps[-1].day)
        assert memory.due == (steps[-1].day + timedelta(days=sm2.interval) if active == "sm2"
                              else memory.state.fsrs.due)
        assert (memory.reviews, memory.lapses) == (len(steps), sum(r.grade < 3 for r in steps))
        result = replay_paired(paired, steps)
        assert result.memory == memory
        assert result.recalls[0] is None and all(0 < p <= 1 for p in result.recalls[1:])


def test_a_new_card_has_no_due_day_and_no_recall() -> None:
    paired = Paired("fsrs")
    assert paired.due(PairedState(), None) is None
    assert paired.recall(PairedState(), START) is None
    assert replay(paired, []) == CardMemory(PairedState())
    with pytest.raises(ValueError):
        Paired("anki")
