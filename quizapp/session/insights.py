"""What the statistics show beyond the weak-category table, for `quizapp stats` and the
statistics screen alike: which algorithm predicts the learner better, each card's probability of
recall under FSRS, the 30-day forecast, weak categories week by week and the study calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp.calibration import CardRecall, Comparison, card_recalls, compare_models
from quizapp.session.context import AppContext
from quizapp.session.overview import card_title
from quizapp.session.workload import forecast
from quizapp.trends import Trends, calendar, weekly_trends

__all__ = ["Insights", "insights"]


@dataclass(frozen=True)
class Insights:
    study_day: date
    scheduler: str
    comparison: Comparison
    recalls: tuple[CardRecall, ...]  # every studied active card, lowest recall first
    titles: dict[str, str]  # card id -> one-line title, for the lowest ones shown
    forecast: tuple[int, ...]  # reviews due today (what is left), tomorrow, … (30 days)
    trends: Trends
    calendar_start: date  # a Monday
    calendar: tuple[tuple[int | None, ...], ...]  # answers per day, a week per row

    @property
    def mean_recall(self) -> float | None:
        return sum(c.recall for c in self.recalls) / len(self.recalls) if self.recalls else None

    def as_json(self, listed: int | None = None) -> dict[str, Any]:
        cards = self.recalls if listed is None else self.recalls[:listed]
        return {
            "scheduler": self.scheduler,
            "models": self.comparison.as_json(),
            "recall": {"mean": None if self.mean_recall is None else round(self.mean_recall, 4),
                       "cards": [{"card_id": c.card_id, "category": c.category,
                                  "recall": round(c.recall, 4)} for c in cards]},
            "forecast": list(self.forecast),
            "trends": self.trends.as_json(),
        }


def insights(ctx: AppContext, listed: int = 10) -> Insights:
    today = ctx.today()
    fsrs = ctx.settings.fsrs()
    recalls = tuple(card_recalls(ctx.store, fsrs, today))
    titles = {}
    for recall in recalls[:listed]:
        try:
            titles[recall.card_id] = card_title(ctx.deck, ctx.deck.card(recall.card_id),
                                                ctx.settings.language)
        except KeyError:
            titles[recall.card_id] = recall.card_id
    start, weeks = calendar(ctx.store, today)
    return Insights(today, ctx.settings.scheduler,
                    compare_models(ctx.store, personal=bool(ctx.settings.fsrs_parameters)),
                    recalls, titles, tuple(forecast(ctx, today)),
                    weekly_trends(ctx.store, ctx.deck, today), start, weeks)
