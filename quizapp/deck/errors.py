"""Errors a learner can cause by editing a deck: reported as `file:line: message`, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.errors import QuizappError


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class DeckError(QuizappError):
    """Raised with every problem found, so a learner can fix them all in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
