"""The day's workload: which backlog cards today shows, and the reviews of the coming days.

`quizapp.srs.backlog` decides; this module gathers what it decides from — the return day (from
the streak), the backlog cards and their risk under the algorithm in use, the backlog cards today
already reviewed — and turns the plan into the forecast `quizapp due --json`, `quizapp stats
--json` and the statistics screen show.
"""

from __future__ import annotations

from datetime import date

from quizapp.session.context import AppContext
from quizapp.srs.backlog import BacklogCard, BacklogPlan, return_day, sm2_risk, spread_backlog
from quizapp.srs.fsrs import recall_probability

__all__ = ["FORECAST_DAYS", "backlog_plan", "forecast"]

FORECAST_DAYS = 30


def backlog_plan(ctx: AppContext, day: date | None = None) -> BacklogPlan | None:
    """Today's backlog plan; None when there is nothing to spread (no backlog, or the
    `backlog_days` setting is 1: the whole backlog today, as the plain daily queue has it)."""
    days = ctx.settings.backlog_days
    if days <= 1:
        return None
    day = day or ctx.today()
    store = ctx.store
    start = return_day(day, store.streak(day), bool(store.answers_per_day(day, day)))
    rows = store.backlog_cards(start)
    if not rows:
        return None
    fsrs = store.scheduler.fsrs if store.scheduler.active == "fsrs" else None
    cards = []
    for row in rows:
        due = date.fromordinal(row.due)
        if fsrs is not None and row.fsrs_stability is not None and row.last_review_day is not None:
            risk = recall_probability(row.fsrs_stability, day.toordinal() - row.last_review_day,
                                      fsrs.decay)
        else:
            risk = sm2_risk(day, due, row.interval)
        cards.append(BacklogCard(row.id, due, risk))
    return spread_backlog(day, cards, start=start, days=days,
                          done_today=store.backlog_done(day, start))


def forecast(ctx: AppContext, day: date | None = None, days: int = FORECAST_DAYS,
             plan: BacklogPlan | None = None) -> list[int]:
    """Reviews due on each of the next `days` study days, today first (today: what is still due,
    overdue included), with the backlog where its plan expects it. Cards reviewed meanwhile come
    back again, which no forecast of due days can know: a lower bound for the days ahead."""
    day = day or ctx.today()
    counts = ctx.store.due_forecast(day, days)
    plan = plan if plan is not None else backlog_plan(ctx, day)
    if plan is not None and counts:
        for card in plan.deferred:
            offset = (plan.day_of(card) - day).days
            if offset < days:
                counts[0] -= 1
                counts[offset] += 1
    return counts
