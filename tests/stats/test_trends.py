"""Weak categories over time: a category that improves week by week shows it in its series and
its rank, the last week agrees with today's statistics, and the calendar counts every answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizapp.session.context import AppContext
from quizapp.stats import report
from quizapp.trends import calendar, weekly_trends
from tests.stats.conftest import History, days_ago


def test_an_improving_category_shows_it_week_by_week(sctx: AppContext, history: History) -> None:
    for week in range(8):  # eight weeks ago … this week
        day = days_ago(sctx, 7 * (7 - week) + 2)
        history.spread("alpha", day, right=7, wrong=3)  # steady 70 %
        history.spread("gamma", day, right=6, wrong=4)  # steady 60 %
        history.spread("beta", day, right=2 + week, wrong=8 - week)  # 20 % → 90 %
    trends = weekly_trends(sctx.store, sctx.deck, sctx.today(), weeks=8)
    beta = trends.category("beta")
    assert beta.accuracy == pytest.approx([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert beta.reviews == (10,) * 8
    assert all(a > b for a, b in zip(beta.weakness, beta.weakness[1:], strict=False))  # shrinking
    assert beta.rank[0] == 1 and beta.rank[-1] == 3  # weakest at first, now the strongest
    assert trends.category("alpha").accuracy == pytest.approx([0.7] * 8)
    today = report(sctx.store, sctx.deck, sctx.today(), charts=False)
    assert [c.weakness[-1] for c in trends.categories] == pytest.approx(
        [today.category(c.category).weakness for c in trends.categories])
    assert sorted(trends.categories, key=lambda c: c.rank[-1]) == [
        trends.category(c) for c in today.ranking]
    assert trends.weeks[-1] == sctx.today() and trends.weeks[0] == sctx.today() - timedelta(days=49)
    out = trends.as_json()
    assert out["weeks"][-1] == sctx.today().isoformat()
    assert out["categories"][1]["category"] == "beta" and out["categories"][1]["rank"][-1] == 3


def test_weeks_before_any_review_have_no_score(sctx: AppContext, history: History) -> None:
    history.spread("alpha", days_ago(sctx, 1), right=3, wrong=1)
    trends = weekly_trends(sctx.store, sctx.deck, sctx.today(), weeks=4)
    alpha = trends.category("alpha")
    assert alpha.weakness[:3] == (None, None, None) and alpha.weakness[3] is not None
    assert alpha.accuracy == (None, None, None, 0.75) and alpha.rank == (None, None, None, 1)
    assert trends.category("beta").rank == (None,) * 4


def test_the_calendar_counts_answers_of_every_kind_per_day(sctx: AppContext, history: History) -> None:
    history.spread("alpha", days_ago(sctx, 0), right=2, wrong=1)
    history.spread("beta", days_ago(sctx, 9), right=1, wrong=0, kind="practice")
    first, weeks = calendar(sctx.store, sctx.today(), weeks=3)
    assert first.weekday() == 0 and len(weeks) == 3 and all(len(w) == 7 for w in weeks)
    flat = [n for week in weeks for n in week]
    today_index = (sctx.today() - first).days
    assert flat[today_index] == 3 and flat[today_index - 9] == 1
    assert all(n is None for n in flat[today_index + 1:]) and sum(n or 0 for n in flat) == 4
