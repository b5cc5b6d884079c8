"""Errors a learner can cause by editing a deck: reported as `file:line: message`, never a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
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


class ProblemLog:
    """The problems found so far. Every check adds to it and loading goes on, so that one pass
    reports everything; `load_deck` raises `DeckError` with all of them at the end."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: tuple[str, int], message: str) -> None:
        self.problems.append(Problem(where[0], where[1], message))


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "", *, n: int = 1,
                 cutoff: float = 0.6) -> str:
    """" (did you mean 'x'?)" — or 'x', 'y' with `n` > 1 — for the closest of `choices` to a
    misspelt `word` (difflib's ratio at least `cutoff`); `otherwise` when none is close. The one
    way every deck problem suggests a spelling."""
    hints = difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
    if not hints:
        return otherwise
    quoted = ", ".join(f"'{hint}'" for hint in hints)
    return f" (did you mean {quoted}?)"
