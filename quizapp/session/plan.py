"""Today's plan as `quizapp due` and the home screen show it: `quizapp.srs.plan` over the store's
counts. `QuizSession.today` builds the session this plan describes (same limits, same scope)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from quizapp.session.context import AppContext
from quizapp.srs.plan import DailyPlan, daily_plan
from quizapp.srs.queue import redrills_left

__all__ = ["DailyPlan", "TodayPlan", "today_plan"]


@dataclass(frozen=True)
class TodayPlan:
    """The day's plan, and per category the counts it was made from."""

    plan: DailyPlan
    per_category: dict[str, tuple[int, int]]  # category -> (due, unseen), ignoring the limits

    def category(self, category_id: str) -> tuple[int, int]:
        """(due, unseen) of one category; (0, 0) for a category without active cards."""
        return self.per_category.get(category_id, (0, 0))


def today_plan(ctx: AppContext, day: date | None = None, categories: Sequence[str] | None = None,
               *, redrills: bool = True) -> TodayPlan:
    """The plan of study day `day` (default: today) over `categories` (default: all).

    `redrills=False` skips reading today's log for the re-drills still owed (`quizapp due` does
    not show them), leaving `plan.redrills` at 0.
    """
    day = day or ctx.today()
    counts = ctx.store.due_counts(day)
    if categories:
        counts = {c: n for c, n in counts.items() if c in categories}
    new_done, reviews_done = ctx.store.done_today(day)
    owed = 0
    if redrills:
        owed = sum(1 for card_id in redrills_left(ctx.store.review_log(day=day), day)
                   if not categories or _category(ctx, card_id) in categories)
    plan = daily_plan(day, ctx.settings.limits, due=sum(d for d, _ in counts.values()),
                      unseen=sum(n for _, n in counts.values()), new_done=new_done,
                      reviews_done=reviews_done, redrills=owed)
    return TodayPlan(plan, counts)


def _category(ctx: AppContext, card_id: str) -> str | None:
    try:
        return ctx.deck.card(card_id).category
    except KeyError:  # retired from the deck since
        return None
