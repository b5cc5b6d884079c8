"""Architecture that is proved, not hoped for: headless modules never load Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = ["quizapp.deck.load", "quizapp.srs.sm2", "quizapp.srs.queue", "quizapp.srs.days",
            "quizapp.quiz.questions", "quizapp.quiz.matching", "quizapp.cli",
            "quizapp.session.quiz", "quizapp.plain"]
PURE = ["quizapp.deck.load", "quizapp.srs.sm2", "quizapp.srs.queue", "quizapp.srs.days",
        "quizapp.quiz.questions", "quizapp.quiz.matching"]


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module: str) -> None:
    assert "textual" not in loaded_after_import(module)


@pytest.mark.parametrize("module", PURE)
def test_pure_modules_do_not_import_sqlalchemy(module: str) -> None:
    assert "sqlalchemy" not in loaded_after_import(module)
