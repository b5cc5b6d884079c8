"""The summary covers the whole study day: a session left and a new one started the same day
count together, and a card failed earlier today is not "right first time" later."""

from __future__ import annotations

import random

from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from tests.conftest import Clock
from tests.session.test_quiz import right_response, wrong_response


def test_summary_after_resuming_covers_the_day_and_remembers_the_failure(
        ctx: AppContext, clock: Clock) -> None:
    first = QuizSession.today(ctx, rng=random.Random(1))
    failed = first.question.card_id  # type: ignore[union-attr]
    first.submit(wrong_response(first))
    first.grade(1)
    first.submit(right_response(first))
    first.grade(5)
    clock.advance(minutes=10)  # left, and came back later the same day

    again = QuizSession.today(ctx, rng=random.Random(2))
    seen = []
    while not again.finished:
        seen.append(again.question.card_id)  # type: ignore[union-attr]
        again.submit(right_response(again))
        again.grade(5)
    assert failed in seen  # the re-drill came back and was answered right this time
    summary = again.summary()
    cards_today = {r.card_id for r in ctx.store.review_log(day=ctx.today())}
    assert summary.answered == len(cards_today) > len(set(seen))  # the first session counts too
    assert summary.correct == summary.answered - 1  # the morning's failure still counts
    by_category = {r.category: r for r in summary.categories}
    category = ctx.deck.card(failed).category
    assert by_category[category].correct == by_category[category].answered - 1
