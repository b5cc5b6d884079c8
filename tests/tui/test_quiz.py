"""Full sessions through the real app: what the learner presses, and what the store then holds."""

from __future__ import annotations

import random

from textual.pilot import Pilot

from quizapp.quiz.questions import Mode, Outcome
from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.summary import SummaryScreen
from tests.conftest import Clock

from .conftest import answer_right, answer_wrong, make_app, play, text_of, type_answer


def test_home_shows_todays_numbers(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        assert isinstance(app.screen, HomeScreen)
        today = text_of(app, "#today")
        assert "0 due reviews" in today.replace("   ", " ").replace("  ", " ")
        assert "12 new cards" in today
        assert "0 re-drills left" in today
        assert "streak 0 days" in today
        mastery = text_of(app, "#mastery")
        assert "Metrics" in mastery and "Hardware" in mastery and "0/9" in mastery
        assert "today's session: 12 cards" in text_of(app, "#next")
        assert app.title == "quizapp"

    play(app, script)


def test_choice_by_number_key_and_enter_accepts_suggestion(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        question = screen.session.question
        assert question.mode is Mode.CHOICE
        assert "1/12" in text_of(app, "#count")
        await answer_right(pilot)
        assert screen.session.verdict.correct
        assert "Correct" in text_of(app, "#verdict")
        assert "4 hesitant" in text_of(app, "#grades")  # the suggestion for a quick choice
        await pilot.press("enter")
        assert screen.session.progress == (1, 12)
        assert "2/12" in text_of(app, "#count")

    play(app, script)
    [row] = ctx.store.review_log()
    assert (row.grade, row.correct, row.kind) == (4, True, "review")
    card = ctx.store.card(row.card_id)
    assert card.state.repetitions == 1 and card.due is not None and card.reviews == 1


def test_wrong_answer_graded_by_key_comes_back_as_redrill(ctx: AppContext) -> None:
    app = make_app(ctx)
    failed: list[str] = []

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        failed.append(session.question.card_id)
        await answer_wrong(pilot)
        assert session.verdict.outcome is Outcome.WRONG
        assert "Wrong" in text_of(app, "#verdict")
        await pilot.press("1")  # grade 1: below 4, so it is re-drilled
        assert session.progress == (1, 13)
        seen_again = False
        while not session.finished:
            if session.question.card_id == failed[0]:
                assert session.is_redrill
                assert "again" in text_of(app, "#badges")
                seen_again = True
            await answer_right(pilot)
            await pilot.press("5")
        assert seen_again
        assert isinstance(app.screen, SummaryScreen)

    play(app, script)
    rows = ctx.store.review_log(failed[0])
    assert [(r.grade, r.correct, r.kind) for r in rows] == [(1, False, "review"), (5, True, "redrill")]
    card = ctx.store.card(failed[0])
    assert card.lapses == 1 and card.state.interval == 1  # the re-drill did not move it
    assert len(ctx.store.review_log()) == 13


def test_enter_on_empty_choice_is_show_me(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")  # home: start
        session = app.screen.session
        await pilot.press("enter")  # nothing picked: show me
        assert session.verdict.outcome is Outcome.SHOWN
        assert session.suggested_grade == 0
        assert "Shown" in text_of(app, "#verdict")
        await pilot.press("enter")  # accept the suggested 0

    play(app, script)
    [row] = ctx.store.review_log()
    assert (row.grade, row.correct, row.answer) == (0, False, "")


def _learn_everything(ctx: AppContext, clock: Clock) -> None:
    """Two perfect days, so definition→term cards are typed on the third review (day 8)."""
    for _ in range(2):
        session = QuizSession.today(ctx, rng=random.Random(1))
        while not session.finished:
            question = session.question
            session.submit(question.answer_index + 1 if question.mode is Mode.CHOICE
                           else question.accepted[0])
            session.grade(5)
        clock.advance(days=1)
    clock.advance(days=5)


def test_typed_answers_right_and_wrong_with_diff(ctx: AppContext, clock: Clock
                                                 ) -> None:
    _learn_everything(ctx, clock)
    app = make_app(ctx)
    typed: dict[str, tuple[str, bool]] = {}

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        while not session.finished and len(typed) < 2:
            question = session.question
            if question.mode is not Mode.TYPED:
                await answer_right(pilot)
                await pilot.press("enter")
                continue
            if not typed:
                await answer_right(pilot)
                assert session.verdict.correct
                assert session.suggested_grade == 5
                typed[question.card_id] = (question.accepted[0], True)
                await pilot.press("enter")
            else:
                wrong = question.twins[0] if question.twins else "nonsense"
                await type_answer(pilot, wrong)
                await pilot.pause()
                assert not session.verdict.correct
                verdict = text_of(app, "#verdict")
                assert "Wrong" in verdict and f"You     {wrong}" in verdict
                assert "Wanted" in verdict
                typed[question.card_id] = (wrong, False)
                await pilot.press("2")
        assert len(typed) == 2

    play(app, script)
    for card_id, (given, correct) in typed.items():
        last = ctx.store.review_log(card_id)[-1]
        assert (last.answer, last.correct) == (given, correct)


def test_flops_twin_is_highlighted(ctx: AppContext, clock: Clock) -> None:
    _learn_everything(ctx, clock)
    app = make_app(ctx, cards=["flops-rate:def-term"])

    async def script(pilot: Pilot) -> None:
        session = app.screen.session
        assert session.practice and session.question.mode is Mode.TYPED
        await type_answer(pilot, "FLOPs")
        await pilot.pause()
        verdict = app.screen.query_one("#verdict").visual
        assert "You     FLOPs" in verdict.plain and "Wanted  FLOPS" in verdict.plain
        highlighted = {verdict.plain[s.start:s.end] for s in verdict.spans
                       if "underline" in str(s.style)}
        assert highlighted == {"s", "S"}  # only the differing letter, in both lines
        await pilot.press("1")

    play(app, script)
    [row] = [r for r in ctx.store.review_log() if r.kind == "practice"]
    assert row.answer == "FLOPs" and not row.correct


def test_undo_restores_state_and_asks_again(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        first = session.question.card_id
        await answer_right(pilot)
        await pilot.press("5")
        assert len(ctx.store.review_log()) == 1
        await pilot.press("u")
        assert ctx.store.review_log() == []
        assert session.question.card_id == first and session.verdict is None
        assert session.progress == (0, 12)
        card = ctx.store.card(first)
        assert (card.reviews, card.state.repetitions, card.due) == (0, 0, None)
        await answer_right(pilot)
        await pilot.press("3")

    play(app, script)
    [row] = ctx.store.review_log()
    assert row.grade == 3


def test_leaving_mid_session_keeps_what_was_graded(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_right(pilot)
        await pilot.press("5")
        await answer_wrong(pilot)
        await pilot.press("enter")
        await answer_right(pilot)  # answered but not graded: not saved
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        assert "Session paused" in text_of(app, "#summary-numbers")
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        today = text_of(app, "#today")
        assert "10 new cards" in today and "1 re-drill left" in today

    play(app, script)
    assert [(r.grade, r.correct) for r in ctx.store.review_log()] == [(5, True), (1, False)]


def test_redrill_left_over_is_offered_in_the_next_session(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        failed = session.question.card_id
        await answer_wrong(pilot)
        await pilot.press("0")
        await pilot.press("escape", "enter")
        await pilot.press("enter")  # a new session today
        again = app.screen.session
        assert failed in again.queue.pending()
        assert again.queue.pending()[-1] == failed

    play(app, script)


def test_full_session_summary(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        while not session.finished:
            await answer_right(pilot)
            await pilot.press("enter")
        assert isinstance(app.screen, SummaryScreen)
        numbers = text_of(app, "#summary-numbers")
        assert "12 cards done" in numbers and "100% right first time" in numbers
        assert "No mistakes" in text_of(app, "#summary-next")
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        assert "0 new cards" in text_of(app, "#today")
        assert "streak 1 day" in text_of(app, "#today")

    play(app, script)
    assert len(ctx.store.review_log()) == 12
    assert all(r.correct and r.kind == "review" for r in ctx.store.review_log())


def test_summary_weakest_key_starts_a_drill(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        wrong_category = session.question.category
        await answer_wrong(pilot)
        await pilot.press("4")  # graded 4 despite wrong: no re-drill, session goes on
        while not session.finished:
            await answer_right(pilot)
            await pilot.press("5")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.summary.weakest == wrong_category
        await pilot.press("w")
        assert isinstance(app.screen, QuizScreen)
        drill = app.screen.session
        assert drill.title.startswith("Drill")
        assert {ctx.deck.card(c).category for c in drill.card_ids} == {wrong_category}

    play(app, script)


def test_escape_before_answering_returns_home(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter", "escape")
        assert isinstance(app.screen, HomeScreen)

    play(app, script)
    assert ctx.store.review_log() == []


def test_a_grade_that_cannot_be_saved_leaves_the_app_with_that_line(ctx: AppContext) -> None:
    """The database file is moved away mid-session: the grade is not saved, the session does
    not go on as if it were, and the app ends with the store's one line (no traceback)."""
    import os

    app = make_app(ctx)
    moved = ctx.store.path.with_name("moved.db")

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_right(pilot)
        await pilot.press("enter")  # saved
        os.replace(ctx.store.path, moved)
        await answer_right(pilot)
        await pilot.press("enter")  # cannot be saved: the app stops
        await pilot.pause()

    play(app, script)
    assert app.failure is not None and app.return_code == 1
    assert "not saved: the answer to card" in str(app.failure)
    assert "this session's answers are saved in" in str(app.failure)
