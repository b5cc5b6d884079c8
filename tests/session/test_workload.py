"""Backlog spreading on a real database: a learner away for two weeks comes back to a share of
the backlog, most at risk first, and works through all of it within `backlog_days` days; the
forecast and `quizapp due` agree with the queue."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest

from quizapp.cli import main
from quizapp.session.context import AppContext
from quizapp.session.plan import today_plan
from quizapp.session.quiz import QuizSession
from quizapp.session.workload import backlog_plan, forecast
from quizapp.srs.backlog import return_day
from tests.conftest import Clock
from tests.session.test_quiz import right_response
from tests.stats.conftest import write_deck


def finish(session: QuizSession, rng: random.Random) -> list[str]:
    seen = []
    while not session.finished:
        seen.append(session.question.card_id)
        session.submit(right_response(session))
        session.grade(rng.choice([4, 5]))
    return seen


@pytest.fixture
def big(tmp_path, clock: Clock):
    deck = write_deck(tmp_path / "deck")  # three categories, 18 cards
    ctx = AppContext.open(tmp_path / "w.db", [deck], clock=clock)
    ctx.update_settings(timezone="UTC", new_per_day=18)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_a_backlog_after_days_away_is_spread_and_cleared_in_time(big: AppContext, clock: Clock,
                                                                 scheduler: str) -> None:
    rng = random.Random(4)
    big.update_settings(scheduler=scheduler)
    for _ in range(3):
        finish(QuizSession.today(big, rng=rng), rng)
        clock.advance(days=1)
    clock.advance(days=40)  # away: everything falls due
    big.update_settings(backlog_days=4)
    day = big.today()
    backlog = {c.card_id for c in big.store.due_cards(day)}
    assert len(backlog) == 18
    plan = backlog_plan(big, day)
    assert plan is not None and plan.counts() == [5, 5, 4, 4]
    session = QuizSession.today(big, rng=rng)
    assert set(session.queue.pending()) == set(plan.shown_today)  # the share, nothing deferred
    assert today_plan(big).plan.reviews == 5 and today_plan(big).plan.deferred == 13
    assert forecast(big, day)[:4] == [5, 5, 4, 4]
    shown = {card: day for card in finish(session, rng)}
    assert QuizSession.today(big, rng=rng).finished  # the share does not refill once done
    for k in range(1, 4):
        clock.advance(days=1)
        for card in finish(QuizSession.today(big, rng=rng), rng):
            shown.setdefault(card, day + timedelta(days=k))
    assert set(shown) == backlog  # every backlog card within four days, none dropped
    assert all(big.store.card(c).due > day for c in backlog)


def test_the_share_takes_the_most_at_risk_first(big: AppContext, clock: Clock) -> None:
    rng = random.Random(5)
    finish(QuizSession.today(big, rng=rng), rng)  # 18 cards, interval 1
    clock.advance(days=1)
    session, early = QuizSession.today(big, rng=rng), []
    while len(early) < 9:  # half of them again: interval 6
        early.append(session.question.card_id)
        session.submit(right_response(session))
        session.grade(5)
    clock.advance(days=30)
    big.update_settings(backlog_days=2)
    plan = backlog_plan(big)
    assert plan is not None
    # 1-day cards are 30 days late on a 1-day interval, 6-day ones 24 late on 6: the former first
    assert not set(plan.shown_today) & set(early)


def test_one_backlog_day_keeps_the_plain_daily_queue(big: AppContext, clock: Clock) -> None:
    rng = random.Random(6)
    finish(QuizSession.today(big, rng=rng), rng)
    clock.advance(days=10)
    assert backlog_plan(big) is None and today_plan(big).plan.reviews == 18
    assert return_day(big.today(), big.store.streak(big.today()), False) == big.today()


def test_due_json_has_the_forecast(big: AppContext, clock: Clock, capsys: pytest.CaptureFixture[str]
                                   ) -> None:
    """The command runs on the real clock, long after these fake days: everything is backlog."""
    rng = random.Random(7)
    finish(QuizSession.today(big, rng=rng), rng)
    big.update_settings(backlog_days=3)
    path = big.store.path
    big.close()
    assert main(["--db", str(path), "--deck", str(path.parent / "deck"), "due", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scheduler"] == "sm2" and len(out["forecast"]) == 30
    assert (out["due"], out["reviews_today"], out["deferred"]) == (18, 6, 12)
    assert out["forecast"][:3] == [6, 6, 6] and sum(out["forecast"]) == 18
