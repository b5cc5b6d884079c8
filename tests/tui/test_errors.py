"""The error boundary: a store that fails while grading gives one notice, keeps the verdict on
screen so the grade can be given again, and never a traceback; a failure the app cannot go on
after ends it with a non-zero exit code. Ctrl-C ends the app (answers already saved)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.session.context import AppContext
from quizapp.store import engine
from quizapp.tui.screens.quiz import QuizScreen

from .conftest import answer_wrong, make_app, play


@pytest.fixture
def short_lock_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)  # a held lock fails fast, not in 5 s


def test_a_locked_database_while_grading_is_a_notice_and_the_grade_can_be_retried(
        tmp_path: Path, clock, short_lock_wait) -> None:
    from tests.conftest import MINI_DECK

    db = tmp_path / "quiz.db"
    ctx = AppContext.open(db, [MINI_DECK], clock=clock)
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_wrong(pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen) and screen.session.verdict is not None
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        try:
            await pilot.press("1")
            await pilot.pause()
            assert app.screen is screen and screen.has_class("-answered")  # verdict still there
            assert not screen.session.history  # nothing half-saved
            notices = [n.message for n in app._notifications]
            assert any("locked" in m or "busy" in m for m in notices), notices
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await pilot.press("1")  # the same grade again, now that the file is free
        await pilot.pause()
        assert len(screen.session.history) == 1

    try:
        play(app, script)
    finally:
        ctx.close()
    assert app.return_code in (None, 0) and app.failure is None


def test_a_database_replaced_under_the_app_ends_it_non_zero(tmp_path: Path, clock) -> None:
    from tests.conftest import MINI_DECK

    db = tmp_path / "quiz.db"
    ctx = AppContext.open(db, [MINI_DECK], clock=clock)
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_wrong(pilot)
        other = tmp_path / "other.db"
        sqlite3.connect(other).close()
        os.replace(other, db)  # the file at the name is another one now
        await pilot.press("1")
        await pilot.pause()

    try:
        play(app, script)
    finally:
        with contextlib.suppress(Exception):  # closing a replaced store may report it too
            ctx.close()
    assert app.failure is not None and app.return_code == 1
    assert str(db) in str(app.failure)


def test_ctrl_c_ends_the_app(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_wrong(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()

    play(app, script)
    assert not app.is_running and app.return_code in (None, 0)
    assert len(ctx.store.review_log()) == 1  # the graded answer was saved before
