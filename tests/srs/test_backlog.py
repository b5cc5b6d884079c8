"""Backlog spreading: never drops a card, never shows one before it is due, shows every backlog
card within the chosen number of days, most at risk first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.srs.backlog import BacklogCard, return_day, sm2_risk, spread_backlog

TODAY = date(2026, 3, 20)

backlogs = st.lists(st.tuples(st.integers(1, 120), st.floats(-50, 1, allow_nan=False)),
                    max_size=300).map(lambda cards: [
                        BacklogCard(f"c{i}", TODAY - timedelta(days=late), risk)
                        for i, (late, risk) in enumerate(cards)])


@given(backlogs, st.integers(1, 30), st.integers(0, 40), st.integers(0, 50))
def test_every_card_once_never_early_within_the_window(cards: list[BacklogCard], days: int,
                                                        into: int, done: int) -> None:
    start = TODAY - timedelta(days=into)  # the learner came back `into` days ago
    plan = spread_backlog(TODAY, cards, start=start, days=days, done_today=done)
    shown = [card for share in plan.days for card in share]
    assert sorted(shown) == sorted(c.card_id for c in cards)  # never drops, never doubles
    last = max(start + timedelta(days=days - 1), TODAY)
    for card in cards:
        assert card.due <= TODAY <= plan.day_of(card.card_id) <= last  # never before it is due
    assert plan.deferred == frozenset(shown) - frozenset(plan.shown_today)
    assert sum(plan.counts()) == len(cards)


@given(backlogs, st.integers(1, 30))
def test_shares_are_even_and_the_most_at_risk_come_first(cards: list[BacklogCard], days: int
                                                         ) -> None:
    plan = spread_backlog(TODAY, cards, start=TODAY, days=days)
    counts = plan.counts()
    assert max(counts, default=0) - min(counts, default=0) <= 1
    assert counts == sorted(counts, reverse=True)  # the bigger shares come first
    risk = {c.card_id: (c.risk, c.due, c.card_id) for c in cards}
    order = [risk[card] for share in plan.days for card in share]
    assert order == sorted(order)


@given(backlogs, st.integers(1, 14))
def test_a_learner_who_does_each_day_s_share_clears_the_backlog_in_time(
        cards: list[BacklogCard], days: int) -> None:
    """Day after day, the learner does the share (backlog cards then leave the backlog: their new
    due day is after their review); every card is shown within `days` days of the return."""
    start, day = TODAY, TODAY
    left = list(cards)
    shown_on: dict[str, date] = {}
    while left:
        plan = spread_backlog(day, left, start=start, days=days)
        for card in plan.shown_today:
            shown_on[card] = day
        left = [c for c in left if c.card_id not in shown_on]
        day += timedelta(days=1)
        assert day <= start + timedelta(days=days)
    assert set(shown_on) == {c.card_id for c in cards}
    assert all(d < start + timedelta(days=days) for d in shown_on.values())


def test_a_share_does_not_shrink_while_the_learner_works_through_it() -> None:
    cards = [BacklogCard(f"c{i}", TODAY - timedelta(days=3), float(i)) for i in range(40)]
    first = spread_backlog(TODAY, cards, start=TODAY, days=4)
    assert first.counts() == [10, 10, 10, 10]
    later = spread_backlog(TODAY, cards[6:], start=TODAY, days=4, done_today=6)  # 6 done
    assert later.shown_today == first.shown_today[6:]


def test_one_day_means_the_whole_backlog_today() -> None:
    cards = [BacklogCard(f"c{i}", TODAY - timedelta(days=i + 1), 0.5) for i in range(7)]
    assert spread_backlog(TODAY, cards, start=TODAY, days=1).counts() == [7]
    long_ago = spread_backlog(TODAY, cards, start=TODAY - timedelta(days=40), days=5)
    assert long_ago.counts() == [7]  # the window has passed: whatever is left is today's


def test_risk_and_return_day() -> None:
    assert sm2_risk(TODAY, TODAY - timedelta(days=4), 2) < sm2_risk(TODAY, TODAY - timedelta(days=10), 60)
    assert return_day(TODAY, 0, False) == TODAY  # away yesterday: today is the return day
    assert return_day(TODAY, 5, True) == TODAY - timedelta(days=4)
    assert return_day(TODAY, 5, False) == TODAY - timedelta(days=5)  # studied up to yesterday
    with pytest.raises(ValueError, match="not backlog"):
        spread_backlog(TODAY, [BacklogCard("x", TODAY + timedelta(days=1), 0.0)], start=TODAY, days=3)
    with pytest.raises(ValueError):
        spread_backlog(TODAY, [], start=TODAY, days=0)
