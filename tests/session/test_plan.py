"""One plan for the day: the home screen, `quizapp due` and today's session agree on it."""

from __future__ import annotations

import random

from quizapp.session.context import AppContext
from quizapp.session.overview import home_overview
from quizapp.session.plan import today_plan
from quizapp.session.quiz import QuizSession
from tests.conftest import Clock


def answer(session: QuizSession, grades: list[int]) -> None:
    for grade in grades:
        session.submit("")  # shown: the grade decides, not the answer
        session.grade(grade)


def test_home_and_session_follow_the_plan(ctx: AppContext, clock: Clock,
                                          rng: random.Random) -> None:
    ctx.update_settings(new_per_day=4, reviews_per_day=3)
    first = QuizSession.today(ctx, rng=rng)
    assert first.progress == (0, 4)  # a fresh deck: four new cards, nothing due
    answer(first, [5, 5, 1])  # the third card is now owed a re-drill today; one card left
    plan = today_plan(ctx).plan
    assert (plan.new_room, plan.new, plan.redrills) == (1, 1, 1)
    assert (plan.due, plan.reviews) == (0, 0)
    home = home_overview(ctx)
    assert (home.due, home.new, home.redrills, home.total) == (0, 1, 1, plan.left)
    assert QuizSession.today(ctx, rng=rng).queue.remaining() == plan.left == 2

    clock.advance(days=1)  # the three reviewed cards are due; the review limit allows all three
    plan = today_plan(ctx).plan
    assert (plan.due, plan.reviews, plan.new, plan.redrills) == (3, 3, 4, 0)
    assert home_overview(ctx).total == plan.left == 7
    second = QuizSession.today(ctx, rng=rng)
    assert second.queue.remaining() == plan.left
    answer(second, [5, 5])  # new cards are spread among the reviews: some of each were used
    plan = today_plan(ctx).plan
    assert plan.review_room + plan.new_room == 3 + 4 - 2 and plan.left == 5
    assert QuizSession.today(ctx, rng=rng).queue.remaining() == plan.left == home_overview(ctx).total


def test_a_plan_scoped_to_categories(ctx: AppContext, rng: random.Random) -> None:
    category = ctx.deck.categories[0].id
    plan = today_plan(ctx, categories=[category]).plan
    session = QuizSession.today(ctx, [category], rng=rng)
    assert session.queue.remaining() == plan.left
    assert set(today_plan(ctx, categories=[category]).per_category) == {category}
