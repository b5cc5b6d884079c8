"""'I was right': a wrong verdict on a typed answer can be overruled — counted correct, logged as
overridden, shown in the history CSV — in the session, the TUI (`r`) and plain mode (`right`)."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.quiz.questions import Mode, Outcome
from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from quizapp.stats import write_history_csv
from tests.conftest import MINI_DECK, child_env
from tests.tui.conftest import make_app, play, text_of, type_answer

from .test_quiz import right_response


def learned(ctx: AppContext, card_id: str) -> None:
    """One right answer, so the card is typed from now on."""
    session = QuizSession.for_cards(ctx, [card_id], rng=random.Random(0))
    session.submit(right_response(session))
    session.grade()


def history(ctx: AppContext) -> list[dict[str, str]]:
    out = io.StringIO()
    write_history_csv(ctx.store, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_overruled_answer_is_counted_correct_and_logged(ctx: AppContext) -> None:
    learned(ctx, "hbm:def-term")
    session = QuizSession.for_cards(ctx, ["hbm:def-term"], rng=random.Random(0))
    assert session.question.mode is Mode.TYPED
    verdict = session.submit("high bandwidth mem thing")
    assert verdict.outcome is Outcome.WRONG and session.can_overrule
    assert session.suggested_grade == 1
    overruled = session.overrule()
    assert overruled.correct and overruled.overridden and not session.can_overrule
    assert session.suggested_grade >= 3
    session.grade()
    last = ctx.store.review_log()[-1]
    assert last.correct and last.answer == "high bandwidth mem thing"
    rows = history(ctx)
    assert [r["overridden"] for r in rows] == ["0", "1"] and rows[-1]["correct"] == "1"


def test_a_pick_or_a_right_verdict_cannot_be_overruled(ctx: AppContext) -> None:
    session = QuizSession.for_cards(ctx, ["hbm:def-term"], rng=random.Random(0))
    question = session.question
    assert question.mode is Mode.CHOICE
    session.submit((question.answer_index + 1) % len(question.options) + 1)
    assert not session.can_overrule
    with pytest.raises(RuntimeError):
        session.overrule()
    session.grade()
    typed = QuizSession.for_cards(ctx, ["hbm:def-term"], rng=random.Random(0))
    typed.submit("x")  # a wrong MC showing again after the wrong pick: still a pick
    assert typed.question.mode is Mode.CHOICE and not typed.can_overrule


def test_r_in_the_tui_overrules_a_wrong_typed_answer(ctx: AppContext) -> None:
    learned(ctx, "hbm:def-term")
    app = make_app(ctx, cards=["hbm:def-term"])

    async def script(pilot: Pilot) -> None:
        await pilot.pause()
        session = app.screen.session
        assert session.question.mode is Mode.TYPED
        await type_answer(pilot, "memory on the package")
        await pilot.pause()
        assert "Wrong" in text_of(app, "#verdict")
        await pilot.press("r")
        await pilot.pause()
        assert "Correct" in text_of(app, "#verdict")
        assert "counted correct" in text_of(app, "#verdict")
        await pilot.press("enter")

    play(app, script)
    assert history(ctx)[-1]["overridden"] == "1"


def test_right_in_plain_mode_overrules(tmp_path: Path) -> None:
    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.db"), "--deck",
             str(MINI_DECK), *args], input=stdin, capture_output=True, text=True, check=False,
            env=child_env())

    card = ("quiz", "--plain", "--card", "hbm:def-term")
    first = run(*card, stdin="HBM\n\n")  # a pick by typing the option: right, so typed next
    assert first.returncode == 0 and "correct" in first.stdout, first.stdout
    second = run(*card, stdin="stacked dram\nright\n4\n")
    assert second.returncode == 0, second.stderr
    assert "right = I was right" in second.stdout
    assert "you said you were right: counted correct" in second.stdout
    rows = list(csv.DictReader(io.StringIO(run("history", "--csv").stdout)))
    assert [(r["correct"], r["overridden"], r["grade"]) for r in rows][-1] == ("1", "1", "4")
