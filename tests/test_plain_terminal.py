"""Plain mode on a terminal: lines wrapped to its width by the line-breaking rules, Ctrl-C leaves
a newline after the prompt."""

from __future__ import annotations

import io
import random

import pytest

from quizapp.plain import run_plain
from quizapp.quiz.linebreak import cells
from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession


class Interrupted(io.StringIO):
    def readline(self, *args: object) -> str:
        raise KeyboardInterrupt


def test_ctrl_c_at_the_prompt_ends_the_line(ctx: AppContext) -> None:
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        run_plain(QuizSession.today(ctx, rng=random.Random(0)), Interrupted(), out)
    assert out.getvalue().endswith("> \n")


def test_wraps_to_the_width_with_chinese(ctx: AppContext) -> None:
    ctx.update_settings(language="zh")
    out = io.StringIO()
    run_plain(QuizSession.today(ctx, rng=random.Random(0)), io.StringIO("\n\n" * 3), out, width=30)
    lines = out.getvalue().splitlines()
    assert max(cells(line) for line in lines if not line.startswith("grade")) <= 30
    assert any("全忘" in line for line in lines)  # grade labels in the interface language


def test_a_pipe_is_not_wrapped(ctx: AppContext) -> None:
    session = QuizSession.today(ctx, rng=random.Random(0))
    prompt = session.question.prompt.render("en")  # type: ignore[union-attr]
    out = io.StringIO()  # not a terminal: scripts get whole lines
    run_plain(session, io.StringIO("\n\n"), out)
    assert prompt in out.getvalue().splitlines() and cells(prompt) > 20
    wrapped = io.StringIO()
    run_plain(QuizSession.today(ctx, rng=random.Random(0)), io.StringIO("\n\n"), wrapped, width=20)
    assert all(cells(line) <= 20 for line in wrapped.getvalue().splitlines()
               if not line.startswith(("grade", ">")))
