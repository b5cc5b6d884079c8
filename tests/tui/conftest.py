"""TUI test helpers: seeded options, no cursor blink, and `play()` to drive the app with
`App.run_test()`. The clock (`clock`) and the context on a real SQLite file with the mini deck
(`ctx`) are the shared fixtures of tests/conftest.py."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

from textual.pilot import Pilot
from textual.widgets import Input, Static

from quizapp.quiz.questions import Mode, option_key
from quizapp.session.context import AppContext
from quizapp.tui.app import QuizApp


def make_app(ctx: AppContext, **kw: object) -> QuizApp:
    return QuizApp(ctx, rng=random.Random(0), cursor_blink=False, **kw)  # type: ignore[arg-type]


def play(app: QuizApp, script: Callable[[Pilot], Awaitable[None]],
         size: tuple[int, int] = (80, 24)) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await script(pilot)

    asyncio.run(run())


def text_of(app: QuizApp, selector: str) -> str:
    widget = app.screen.query_one(selector, Static)
    return str(widget.visual.plain if hasattr(widget.visual, "plain") else widget.content)


async def answer_right(pilot: Pilot) -> None:
    """Answer the current question correctly, by letter key or by typing."""
    session = pilot.app.screen.session  # type: ignore[attr-defined]
    question = session.question
    if question.mode is Mode.CHOICE:
        await pilot.press(option_key(question.answer_index))
    else:
        await type_answer(pilot, question.accepted[0])
    await pilot.pause()


async def answer_wrong(pilot: Pilot) -> None:
    session = pilot.app.screen.session  # type: ignore[attr-defined]
    question = session.question
    if question.mode is Mode.CHOICE:
        wrong = next(i for i in range(len(question.options)) if i != question.answer_index)
        await pilot.press(option_key(wrong))
    else:
        await type_answer(pilot, "xyz")
    await pilot.pause()


async def type_answer(pilot: Pilot, text: str) -> None:
    field = pilot.app.screen.query_one("#answer", Input)
    assert field.has_focus
    field.value = text
    await pilot.press("enter")
