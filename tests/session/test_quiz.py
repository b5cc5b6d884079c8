"""Drive whole sessions without any UI, over a real SQLite file and a movable clock."""

from __future__ import annotations

import random

import pytest

from quizapp.quiz.questions import Mode, Outcome
from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from tests.conftest import Clock


def right_response(session: QuizSession) -> str | int:
    question = session.question
    assert question is not None
    if question.mode is Mode.CHOICE:
        return question.answer_index + 1
    return question.accepted[0]


def wrong_response(session: QuizSession) -> int | str:
    question = session.question
    assert question is not None
    if question.mode is Mode.CHOICE:
        return (question.answer_index + 1) % len(question.options) + 1
    return "definitely not it"


def play(session: QuizSession, grade: int | None = None) -> None:
    while not session.finished:
        session.submit(right_response(session))
        session.grade(grade)


def test_first_session_introduces_new_cards_up_to_the_daily_limit(ctx: AppContext,
                                                                   rng: random.Random) -> None:
    ctx.update_settings(new_per_day=5)
    session = QuizSession.today(ctx, rng=rng)
    assert session.progress == (0, 5)
    play(session, 5)
    assert session.progress == (5, 5)
    assert ctx.store.done_today(ctx.today()) == (5, 0)
    assert QuizSession.today(ctx).finished  # the limit counts over the whole day


def test_failed_card_comes_back_until_graded_4_or_5(ctx: AppContext, rng: random.Random) -> None:
    ctx.update_settings(new_per_day=3)
    session = QuizSession.today(ctx, rng=rng)
    first = session.question
    assert first is not None
    session.submit(wrong_response(session))
    assert session.verdict is not None and session.verdict.outcome is Outcome.WRONG
    session.grade(1)
    seen = []
    while not session.finished:
        question = session.question
        assert question is not None
        seen.append((question.card_id, session.is_redrill))
        session.submit(right_response(session))
        session.grade(3 if question.card_id == first.card_id and len(seen) < 4 else 5)
    redrills = [cid for cid, again in seen if again]
    assert redrills == [first.card_id, first.card_id]
    log = ctx.store.review_log(first.card_id)
    assert [r.kind for r in log] == ["review", "redrill", "redrill"]
    card = ctx.store.card(first.card_id)
    assert card.state.repetitions == 0 and card.state.interval == 1 and card.lapses == 1


def test_show_me_counts_as_not_known(ctx: AppContext, rng: random.Random) -> None:
    session = QuizSession.today(ctx, rng=rng)
    verdict = session.submit("")
    assert verdict.outcome is Outcome.SHOWN
    assert session.suggested_grade == 0
    record = session.grade()
    assert record.grade == 0 and not record.correct


def test_undo_restores_card_log_and_queue(ctx: AppContext, rng: random.Random) -> None:
    ctx.update_settings(new_per_day=3)
    session = QuizSession.today(ctx, rng=rng)
    question = session.question
    assert question is not None
    before = ctx.store.card(question.card_id)
    session.submit(wrong_response(session))
    session.grade(1)
    assert session.progress == (1, 4)
    undone = session.undo()
    assert undone is not None and undone.card_id == question.card_id
    assert ctx.store.card(question.card_id) == before
    assert ctx.store.review_log() == []
    assert session.progress == (0, 3)
    assert session.question is not None and session.question.card_id == question.card_id
    assert session.undo() is None


def test_leaving_mid_session_keeps_what_was_graded(ctx: AppContext, rng: random.Random) -> None:
    session = QuizSession.today(ctx, rng=rng)
    session.submit(right_response(session))
    session.grade(5)
    session.submit(right_response(session))  # answered but never graded: not saved
    assert len(ctx.store.review_log()) == 1
    again = QuizSession.today(ctx)
    assert again.progress[1] == session.progress[1] - 1


def test_cards_come_back_when_due(ctx: AppContext, clock: Clock, rng: random.Random) -> None:
    ctx.update_settings(new_per_day=2)
    play(QuizSession.today(ctx, rng=rng), 5)
    clock.advance(days=1)
    tomorrow = QuizSession.today(ctx, rng=rng)
    assert tomorrow.progress == (0, 4)  # the 2 reviews plus 2 new
    ids = list(tomorrow.queue.pending())
    assert ctx.store.card(ids[0]).reviews == 1  # a review opens the session


def test_practice_by_card_id_does_not_move_the_schedule(ctx: AppContext, rng: random.Random
                                                        ) -> None:
    session = QuizSession.for_cards(ctx, ["rate-or-count:trap"], rng=rng)
    session.submit("FLOPs")
    assert session.verdict is not None and session.verdict.correct
    session.grade(5)
    assert ctx.store.card("rate-or-count:trap").is_new
    assert [r.kind for r in ctx.store.review_log()] == ["practice"]


def test_unknown_card_id_is_a_clear_error(ctx: AppContext) -> None:
    from quizapp.errors import QuizappError

    with pytest.raises(QuizappError, match="no such card: nope"):
        QuizSession.for_cards(ctx, ["nope"])


def test_trap_twin_is_wrong_and_case_matters(ctx: AppContext, rng: random.Random) -> None:
    session = QuizSession.for_cards(ctx, ["rate-or-count:trap"], rng=rng)
    assert session.submit("FLOPS").outcome is Outcome.WRONG
    assert session.verdict is not None and session.verdict.twin


def test_summary_reports_accuracy_and_weakest(ctx: AppContext, rng: random.Random) -> None:
    ctx.update_settings(new_per_day=4)
    session = QuizSession.today(ctx, rng=rng)
    wrong_category = session.question.category if session.question else ""
    session.submit(wrong_response(session))
    session.grade(4)
    play(session, 5)
    summary = session.summary()
    assert summary.answered == 4 and summary.correct == 3
    assert summary.weakest == wrong_category
    assert summary.due_tomorrow == 4
