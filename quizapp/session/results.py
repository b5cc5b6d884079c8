"""What a session reports back: one answered card, per-category results, the summary and what a
weak drill changed. Plain frozen values, kept apart from `QuizSession` so the session module holds
only the flow of a session."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.i18n import Translator
from quizapp.quiz.questions import Question
from quizapp.srs.answer import ReviewKind


@dataclass(frozen=True)
class Answered:
    card_id: str
    category: str
    correct: bool
    grade: int
    review_kind: ReviewKind
    log_id: int
    redrill_scheduled: bool
    was_redrill: bool
    question: Question
    seconds: float

    @property
    def kind(self) -> ReviewKind:
        """The same as `review_kind`."""
        return self.review_kind


@dataclass(frozen=True)
class CategoryResult:
    category: str
    answered: int
    correct: int


@dataclass(frozen=True)
class DrillChange:
    """What a weak drill changed: its cards that moved from learning to known (their latest
    review now a pass: SM-2 repetitions >= 1), and the category's place in the weakness ranking
    (1 = weakest) before and after, out of `ranked` scored categories."""

    category: str
    learned: int
    rank_before: int | None
    rank_after: int | None
    ranked: int

    def line(self, name: str, t: Translator | None = None) -> str:
        """The one line the summary shows, e.g. "Parallelism: 3 cards moved from learning to
        known · now 3rd weakest of 8 (was 1st)", in `t`'s language (default English)."""
        t = t or Translator("en")
        cards = t.n("{n} card moved from learning to known", "{n} cards moved from learning to known",
                    self.learned)
        if self.rank_after is None:
            return f"{name}: {cards}"
        was = "" if self.rank_before in (None, self.rank_after) else \
            t(" (was {rank})", rank=_nth(self.rank_before, t))
        now = t("now {rank} weakest of {n}", rank=_nth(self.rank_after, t), n=self.ranked)
        return f"{name}: {cards} · {now}{was}"


def _nth(n: int | None, t: Translator) -> str:
    if n is None:
        return t("unranked")
    if t.language == "zh":
        return f"第 {n}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Summary:
    answered: int
    correct: int
    seconds: float
    categories: tuple[CategoryResult, ...]
    due_tomorrow: int
    weakest: str | None
    change: DrillChange | None = None  # after a weak drill

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0
