"""Picking and grading never share a key: options are letters, grades digits. A human double tap
on an option (50 ms, then 200 ms apart) or on a digit stores no grade, in the TUI and plain mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.quiz.questions import Mode, Outcome, option_key
from quizapp.session.context import AppContext
from tests.conftest import MINI_DECK, child_env

from .conftest import make_app, play, text_of


@pytest.mark.parametrize("gap", [0.05, 0.2], ids=["50ms", "200ms"])
def test_double_tap_on_a_wrong_option_stores_no_grade(ctx: AppContext, gap: float) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        question = session.question
        assert question.mode is Mode.CHOICE
        wrong = option_key(next(i for i in range(len(question.options))
                                if i != question.answer_index))
        await pilot.press(wrong)
        await pilot.pause(gap)
        await pilot.press(wrong)
        await pilot.pause()
        assert session.verdict is not None and session.verdict.outcome is Outcome.WRONG
        assert session.question is question  # still on the verdict, waiting for a grade
        assert "Wrong" in text_of(app, "#verdict")

    play(app, script)
    assert ctx.store.review_log() == []


@pytest.mark.parametrize("gap", [0.05, 0.2], ids=["50ms", "200ms"])
def test_double_tap_on_a_digit_neither_picks_nor_grades(ctx: AppContext, gap: float) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        session = app.screen.session
        await pilot.press("3")
        await pilot.pause(gap)
        await pilot.press("3")
        await pilot.pause()
        assert session.verdict is None and session.progress == (0, 12)

    play(app, script)
    assert ctx.store.review_log() == []


def _plain(tmp_path: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.db"), "--deck", str(MINI_DECK),
         "--seed", "1", "quiz", "--plain", "--card", "rate-or-count:trap"],
        input=stdin, capture_output=True, text=True, check=False, env=child_env())


def _graded(tmp_path: Path) -> int:
    run = subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.db"), "--deck", str(MINI_DECK),
         "history", "--csv"], capture_output=True, text=True, check=False, env=child_env())
    assert run.returncode == 0, run.stderr
    return len(run.stdout.strip().splitlines()) - 1  # less the header row


@pytest.mark.parametrize("line", ["a", "b", "3"])
def test_plain_mode_the_same_line_twice_stores_no_grade(tmp_path: Path, line: str) -> None:
    run = _plain(tmp_path, f"{line}\n{line}\n")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    if line.isdigit():  # a digit is a grade key, not an option: asked again, twice
        assert run.stdout.count("try again: pick an option with its letter, a to b") == 2
    else:  # a letter picks; the same letter is no grade
        assert run.stdout.count("type a grade from 0 to 5") == 1
    assert _graded(tmp_path) == 0
