"""What one answer does to a card: its kind, the transition, undo — pure, time passed in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.srs.answer import CardMemory, ReviewKind, Transition, answer, classify, revert
from quizapp.srs.days import study_day
from quizapp.srs.grades import PASS_GRADE, REDRILL_BELOW, is_lapse, needs_redrill
from quizapp.srs.scheduler import Scheduled
from quizapp.srs.sm2 import SM2, SM2State, review

TODAY = date(2026, 3, 2)
NOON = datetime(2026, 3, 2, 12, tzinfo=UTC)
SM = SM2()

NEW = CardMemory(SM2State())
LEARNT = CardMemory(SM2State.from_hundredths(2, 250, 6), due=TODAY, lapses=1, reviews=3,
                    last_review_day=TODAY - timedelta(days=6))


def apply(memory: CardMemory[SM2State], grade: int, day: date = TODAY, *,
          practice: bool = False) -> Transition[SM2State]:
    return answer(SM, memory, grade, today=day, now=NOON, practice=practice)


# -- review kinds ---------------------------------------------------------------------------------
def test_review_kind_values_are_what_the_log_stores() -> None:
    assert [k.value for k in ReviewKind] == ["review", "redrill", "practice"]
    assert ReviewKind.REVIEW == "review" and f"{ReviewKind.PRACTICE}" == "practice"


@pytest.mark.parametrize(("memory", "practice", "kind"), [
    (NEW, False, ReviewKind.REVIEW),  # a new card's first answer is its review
    (LEARNT, False, ReviewKind.REVIEW),  # due today
    (CardMemory(SM2State(), due=TODAY - timedelta(days=30), reviews=1,
                last_review_day=TODAY - timedelta(days=31)), False, ReviewKind.REVIEW),  # overdue
    (CardMemory(SM2State(), due=TODAY + timedelta(days=1), reviews=1,
                last_review_day=TODAY - timedelta(days=1)), False, ReviewKind.PRACTICE),  # not due
    (CardMemory(SM2State(), due=TODAY + timedelta(days=1), reviews=1, last_review_day=TODAY),
     False, ReviewKind.REDRILL),  # already reviewed today
    (LEARNT, True, ReviewKind.PRACTICE),  # a practice-only session never reviews …
    (CardMemory(SM2State(), due=TODAY + timedelta(days=1), reviews=1, last_review_day=TODAY),
     True, ReviewKind.PRACTICE),  # … nor re-drills
], ids=["new", "due", "overdue", "not-due", "redrill", "practice-due", "practice-redrill"])
def test_classify_every_kind(memory: CardMemory[SM2State], practice: bool, kind: ReviewKind) -> None:
    assert classify(memory, TODAY, practice) is kind
    assert apply(memory, 4, practice=practice).kind is kind


def test_the_study_day_decides_at_the_rollover_hour() -> None:
    """A card reviewed at 01:30 (the evening before, as study days go) and due the day after."""
    zone = ZoneInfo("Asia/Shanghai")
    at = lambda h, m=0, d=3: datetime(2026, 3, d, h, m, tzinfo=zone)  # noqa: E731
    first = study_day(at(1, 30), zone)
    assert first == date(2026, 3, 2)
    reviewed = apply(NEW, 5, first).after  # interval 1: due on study day 3 March
    assert reviewed.due == date(2026, 3, 3)
    assert classify(reviewed, study_day(at(3, 59), zone)) is ReviewKind.REDRILL  # still 2 March
    assert classify(reviewed, study_day(at(4, 0), zone)) is ReviewKind.REVIEW  # 3 March: due
    early = apply(reviewed, 5, date(2026, 3, 3)).after  # interval 6: due 9 March
    assert classify(early, study_day(at(3, 59, d=9), zone)) is ReviewKind.PRACTICE  # 8 March
    assert classify(early, study_day(at(4, 0, d=9), zone)) is ReviewKind.REVIEW


# -- the transition -------------------------------------------------------------------------------
def test_only_a_review_moves_the_card() -> None:
    for memory, practice in ((LEARNT, True),
                             (CardMemory(SM2State(), due=TODAY, reviews=1, last_review_day=TODAY),
                              False)):
        change = apply(memory, 0, practice=practice)
        assert change.after == change.before == memory
        assert not change.moves_schedule and not change.was_new


def test_a_review_asks_the_scheduler_and_counts() -> None:
    change = apply(LEARNT, 4)
    assert change.moves_schedule and not change.was_new
    assert change.after == CardMemory(review(LEARNT.state, 4), TODAY + timedelta(days=15),
                                      lapses=1, reviews=4, last_review_day=TODAY)


def test_a_new_cards_first_review_is_new() -> None:
    change = apply(NEW, 3)
    assert change.was_new
    assert change.after == CardMemory(SM2State(1, "2.36", 1), TODAY + timedelta(days=1),
                                      lapses=0, reviews=1, last_review_day=TODAY)


@pytest.mark.parametrize(("grade", "lapse", "redrill"), [(0, True, True), (2, True, True),
                                                         (3, False, True), (4, False, False),
                                                         (5, False, False)])
def test_boundary_grades(grade: int, lapse: bool, redrill: bool) -> None:
    """2 | 3 is the pass line (lapse, streak reset); 3 | 4 the re-drill line."""
    assert (PASS_GRADE, REDRILL_BELOW) == (3, 4)
    assert is_lapse(grade) is lapse and needs_redrill(grade) is redrill
    after = apply(LEARNT, grade).after
    assert after.lapses == LEARNT.lapses + lapse
    assert after.reviews == LEARNT.reviews + 1
    if lapse:
        assert (after.state.repetitions, after.state.interval, after.due) == (0, 1, TODAY + timedelta(days=1))
    else:
        assert after.state.repetitions == LEARNT.state.repetitions + 1


def test_a_bad_grade_is_refused_only_where_the_scheduler_runs() -> None:
    with pytest.raises(ValueError):
        apply(LEARNT, 6)
    with pytest.raises(TypeError):
        apply(LEARNT, True)  # type: ignore[arg-type]
    # logged as they are (the store's CHECK constraint refuses 6 on any row): no scheduler call
    assert apply(LEARNT, 6, practice=True).after == LEARNT


def test_the_scheduler_is_what_the_transition_calls() -> None:
    """Another algorithm is one more class with `review`: the shared rules stay the same."""

    class Fixed:
        name = "fixed"

        def new_state(self) -> str:
            return "new"

        def review(self, state: str, grade: int, day: date, now: datetime) -> Scheduled[str]:
            return Scheduled(f"{state}+{grade}@{now:%H}", day + timedelta(days=2))

    change = answer(Fixed(), CardMemory("new"), 1, today=TODAY, now=NOON)
    assert change.after == CardMemory("new+1@12", TODAY + timedelta(days=2), lapses=1, reviews=1,
                                      last_review_day=TODAY)


def test_revert_is_the_inverse_of_a_review() -> None:
    for memory in (NEW, LEARNT):
        for grade in range(6):
            change = apply(memory, grade)
            logged = CardMemory(memory.state, memory.due, last_review_day=memory.last_review_day)
            assert revert(change.after, logged, grade) == memory
