"""The day's plan and the re-drills still owed: what "due", "new" and "left today" mean."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from quizapp.srs.answer import ReviewKind
from quizapp.srs.plan import daily_plan
from quizapp.srs.queue import DueCard, Limits, NewCard, build_queue, redrills_left

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(("done", "room"), [((0, 0), (20, 200)), ((15, 190), (5, 10)),
                                            ((20, 200), (0, 0)), ((25, 250), (0, 0))])
def test_room_left_counts_over_the_whole_day(done: tuple[int, int], room: tuple[int, int]) -> None:
    assert Limits().room(*done) == room


def test_limits_partly_used() -> None:
    plan = daily_plan(TODAY, Limits(20, 200), due=30, unseen=50, new_done=15, reviews_done=190,
                      redrills=2)
    assert (plan.due, plan.unseen) == (30, 50)  # what exists, whatever the limits
    assert (plan.reviews, plan.new, plan.redrills) == (10, 5, 2)  # what today still shows
    assert plan.left == 17


def test_fewer_cards_than_room() -> None:
    plan = daily_plan(TODAY, Limits(20, 200), due=3, unseen=4, new_done=5, reviews_done=0)
    assert (plan.reviews, plan.new, plan.left) == (3, 4, 7)


def test_limits_used_up() -> None:
    plan = daily_plan(TODAY, Limits(20, 200), due=30, unseen=50, new_done=20, reviews_done=210,
                      redrills=1)
    assert (plan.reviews, plan.new, plan.left) == (0, 0, 1)  # re-drills are not limited


def test_the_queue_holds_what_the_plan_says() -> None:
    limits, new_done, reviews_done = Limits(4, 6), 1, 2
    due = [DueCard(f"r{i}", TODAY - timedelta(days=i), 250) for i in range(9)]
    new = [NewCard(f"n{i}", i) for i in range(limits.room(new_done, reviews_done)[0])]
    queue = build_queue(TODAY, due, new, limits, new_done, reviews_done)
    plan = daily_plan(TODAY, limits, due=len(due), unseen=10, new_done=new_done,
                      reviews_done=reviews_done)
    assert len(queue) == plan.left == 4 + 3
    assert sum(c.startswith("r") for c in queue) == plan.reviews


@dataclass(frozen=True)
class Logged:
    card_id: str
    study_day: date
    grade: int
    review_kind: str = ReviewKind.REVIEW


def test_redrills_left_follow_the_latest_answer_of_the_day() -> None:
    log = [
        Logged("a", TODAY, 2), Logged("b", TODAY, 3), Logged("c", TODAY, 1),
        Logged("a", TODAY, 4, ReviewKind.REDRILL),  # a is done: graded 4 at last
        Logged("b", TODAY, 3, ReviewKind.REDRILL),  # b still owed, now after c
        Logged("d", TODAY - timedelta(days=1), 0),  # another day
        Logged("e", TODAY, 0, ReviewKind.PRACTICE),  # practice owes nothing
    ]
    assert redrills_left(log, TODAY) == ["c", "b"]
    assert redrills_left(log, TODAY + timedelta(days=1)) == []
