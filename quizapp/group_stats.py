"""Statistics of a study group: every learner of a shared store, for a teacher (`stats --group`).

The group's weakness per category is the same formula as one learner's (`quizapp.stats`), over
the answers of all learners together: a category the whole group gets wrong ranks first. Beside
it, each learner's own report, so the teacher also sees who is weakest where.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.deck.model import Deck
from quizapp.stats import Report, report
from quizapp.store.store import Store


@dataclass(frozen=True)
class GroupReport:
    learners: tuple[str, ...]
    pooled: Report  # every learner's answers together, scored with the one weakness formula
    per_learner: dict[str, Report]

    def weakest_learner(self, category: str) -> tuple[str, float] | None:
        """The learner whose weakness in `category` is highest (None: nobody reviewed it)."""
        scored = [(r.category(category).weakness, name) for name, r in self.per_learner.items()
                  if r.category(category).weakness is not None]
        if not scored:
            return None
        weak, name = max(scored, key=lambda s: (s[0], s[1]))
        return name, weak

    def as_json(self) -> dict[str, Any]:
        return {
            "learners": list(self.learners),
            "study_day": self.pooled.study_day.isoformat(),
            "days": self.pooled.days,
            "categories": [
                c.as_dict("category") | {"learners": {
                    name: _rounded(r.category(c.key).weakness) for name, r in self.per_learner.items()}}
                for c in self.pooled.categories],
            "total_reviews": self.pooled.total_reviews,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def group_report(store: Store, deck: Deck, today: date, *, days: int | None = None) -> GroupReport:
    """The group report of every learner who answered in `store` (the teacher asking, who has
    cards from opening the store but no answers, is not one of the group)."""
    learners = tuple(store.learners(answered=True))
    pooled = report(store.as_group(learners), deck, today, days=days, charts=False)
    per_learner = {name: report(store.as_learner(name), deck, today, days=days, charts=False)
                   for name in learners}
    return GroupReport(learners, pooled, per_learner)
