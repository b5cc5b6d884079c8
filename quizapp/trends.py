"""Weak categories over time, and the study calendar.

A learner wants to see a weak spot shrink. For each of the last ``WEEKS`` weeks (each ending on
the same weekday as today) every category gets the accuracy of that week's reviews and the
weakness the statistics would have given it at the end of that week — the same formula as
`quizapp.stats` (README "Weak categories": recency-weighted, pulled towards the learner's own
average as it was then), so the last point is today's weakness and a category's rank in the last
week is its rank in today's table. The calendar counts answers of every kind per study day, for
the heatmap on the statistics screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from quizapp.deck.model import Deck
from quizapp.stats import HALF_LIFE_DAYS, weakness
from quizapp.store.store import Store

__all__ = ["CALENDAR_WEEKS", "SPARKS", "WEEKS", "CategoryTrend", "Trends", "calendar", "sparkline",
           "weekly_trends"]

WEEKS = 12
CALENDAR_WEEKS = 26
SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: tuple[float | None, ...] | list[float | None], low: float = 0.0,
              high: float = 1.0) -> str:
    """One character per value, ▁ (low) to █ (high); a space where there is no value. The
    trend drawing `quizapp stats` prints and the statistics screen shows."""
    span = (high - low) or 1.0
    return "".join(" " if v is None else SPARKS[min(max(int((v - low) / span * len(SPARKS)), 0),
                                                    len(SPARKS) - 1)] for v in values)


@dataclass(frozen=True)
class CategoryTrend:
    category: str
    name: str
    reviews: tuple[int, ...]  # reviews in each week, oldest first
    accuracy: tuple[float | None, ...]  # that week's reviews; None without any
    weakness: tuple[float | None, ...]  # at the end of each week; None before any review
    rank: tuple[int | None, ...]  # 1 = weakest at the end of that week

    def as_json(self) -> dict[str, Any]:
        def r(values: tuple[float | None, ...]) -> list[float | None]:
            return [None if v is None else round(v, 4) for v in values]

        return {"category": self.category, "reviews": list(self.reviews),
                "accuracy": r(self.accuracy), "weakness": r(self.weakness), "rank": list(self.rank)}


@dataclass(frozen=True)
class Trends:
    weeks: tuple[date, ...]  # the last study day of each week, oldest first
    categories: tuple[CategoryTrend, ...]  # deck order

    def category(self, category_id: str) -> CategoryTrend:
        return next(c for c in self.categories if c.category == category_id)

    def as_json(self) -> dict[str, Any]:
        return {"weeks": [w.isoformat() for w in self.weeks],
                "categories": [c.as_json() for c in self.categories]}


def weekly_trends(store: Store, deck: Deck, today: date, weeks: int = WEEKS) -> Trends:
    ends = tuple(today - timedelta(days=7 * (weeks - 1 - k)) for k in range(weeks))
    per_day: dict[str, list[tuple[int, int, int]]] = {}
    for category, day, n, correct in store.daily_category_reviews(today):
        per_day.setdefault(category, []).append((day, n, correct))
    order = [c.id for c in deck.categories]
    columns: dict[str, list[tuple[int, float | None, float | None, tuple[Any, ...]]]] = {
        c: [] for c in order}
    for end in ends:
        e = end.toordinal()
        totals = {}
        for category in order:
            days = per_day.get(category, [])
            wn = sum(n * 0.5 ** ((e - d) / HALF_LIFE_DAYS) for d, n, _ in days if d <= e)
            wk = sum(k * 0.5 ** ((e - d) / HALF_LIFE_DAYS) for d, _, k in days if d <= e)
            n_all = sum(n for d, n, _ in days if d <= e)
            k_all = sum(k for d, _, k in days if d <= e)
            week_n = sum(n for d, n, _ in days if e - 7 < d <= e)
            week_k = sum(k for d, _, k in days if e - 7 < d <= e)
            totals[category] = (wn, wk, n_all, k_all, week_n, week_k)
        wn_sum = sum(t[0] for t in totals.values())
        prior = sum(t[1] for t in totals.values()) / wn_sum if wn_sum > 0 else None
        for category, (wn, wk, n_all, k_all, week_n, week_k) in totals.items():
            weak = None if prior is None or not n_all else weakness(wk, wn, prior)
            # the statistics' order: weakest first, then lower accuracy, more reviews, deck order
            key = (-(weak or 0.0), k_all / n_all if n_all else 0.0, -n_all, order.index(category))
            columns[category].append((week_n, week_k / week_n if week_n else None, weak, key))
    ranks: dict[str, list[int | None]] = {c: [] for c in order}
    for k in range(weeks):
        scored = sorted((c for c in order if columns[c][k][2] is not None), key=lambda c: columns[c][k][3])
        for c in order:
            ranks[c].append(scored.index(c) + 1 if c in scored else None)
    return Trends(ends, tuple(
        CategoryTrend(c.id, c.en, tuple(p[0] for p in columns[c.id]),
                      tuple(p[1] for p in columns[c.id]), tuple(p[2] for p in columns[c.id]),
                      tuple(ranks[c.id]))
        for c in deck.categories))


def calendar(store: Store, today: date, weeks: int = CALENDAR_WEEKS
             ) -> tuple[date, tuple[tuple[int | None, ...], ...]]:
    """Answers per study day for a heatmap: (first Monday, weeks of Monday…Sunday counts), the
    last week ending with today (later days of it are None)."""
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    counts = store.answers_per_day(first, today)
    return first, tuple(
        tuple(None if (day := first + timedelta(days=7 * w + d)) > today else counts.get(day, 0)
              for d in range(7))
        for w in range(weeks))
