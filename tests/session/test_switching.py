"""Switching algorithms on a real database: the review log is the source of truth.

A learner studies for weeks (mixed grades, re-drills, a practice session, an undo, days away);
then the tests check that FSRS's state after every review is what py-fsrs itself computes from
the same ratings and study days, that SM-2 → FSRS → SM-2 gives back SM-2's state exactly, and that
a database from before FSRS gets its FSRS state from a replay on the first start.
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import fsrs as pyfsrs
import pytest

from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from quizapp.srs.fsrs import RATINGS, day_instant, fuzz_unit, fuzzed
from quizapp.srs.sm2 import SM2State, review
from quizapp.store.records import CardRecord
from tests.conftest import MINI_DECK, Clock
from tests.session.test_quiz import right_response, wrong_response


def study(ctx: AppContext, clock: Clock, days: int, seed: int = 0) -> None:
    """`days` study days of full sessions (some skipped), with an undo now and then."""
    rng = random.Random(seed)
    for _ in range(days):
        if rng.random() < 0.2:
            clock.advance(days=1)  # a day away
            continue
        session = QuizSession.today(ctx, rng=rng)
        while not session.finished:
            grade = rng.choice([0, 1, 2, 3, 4, 4, 5, 5])
            session.submit(right_response(session) if grade >= 3 else wrong_response(session))
            session.grade(grade)
            if rng.random() < 0.05:
                session.undo()
            clock.advance(minutes=rng.randint(0, 30))
        clock.advance(days=1, hours=rng.randint(-5, 5))


def cards(ctx: AppContext) -> dict[str, CardRecord]:
    return {c.id: c for c in ctx.store.all_cards()}


def reviews_by_card(ctx: AppContext) -> dict[str, list]:
    out: dict[str, list] = {}
    for record in ctx.store.review_log():
        if record.review_kind == "review":
            out.setdefault(record.card_id, []).append(record)
    return out


def py_fsrs_replay(ctx: AppContext, card_id: str, log: list) -> pyfsrs.Card:
    """py-fsrs itself, given the same ratings at the same study days (and no learning steps)."""
    scheduler = pyfsrs.Scheduler(desired_retention=ctx.settings.desired_retention,
                                 learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = pyfsrs.Card(card_id=1, due=day_instant(log[0].study_day))
    for record in log:
        card, _ = scheduler.review_card(card, RATINGS[record.grade], day_instant(record.study_day))
    return card


@pytest.mark.parametrize("scheduler", ["sm2", "fsrs"])
def test_fsrs_state_after_every_review_is_py_fsrs_s(ctx: AppContext, clock: Clock,
                                                    scheduler: str) -> None:
    ctx.update_settings(new_per_day=5, scheduler=scheduler)
    study(ctx, clock, 40)
    logs = reviews_by_card(ctx)
    assert sum(map(len, logs.values())) > 40
    for card_id, card in cards(ctx).items():
        log = logs.get(card_id)
        if not log:
            assert card.fsrs.stability is None and card.due is None
            continue
        theirs = py_fsrs_replay(ctx, card_id, log)
        assert (card.fsrs.stability, card.fsrs.difficulty) == (theirs.stability, theirs.difficulty)
        assert card.fsrs.last_review == log[-1].study_day == card.last_review_day
        interval = (theirs.due.date() - log[-1].study_day).days
        unit = fuzz_unit(datetime.fromisoformat(log[-1].answered_at))  # fixed by the answer's instant
        assert card.fsrs.due == log[-1].study_day + timedelta(days=fuzzed(interval, unit))
        sm2 = SM2State()
        for record in log:
            sm2 = review(sm2, record.grade)
        assert card.state == sm2  # SM-2 learnt from the same reviews, whichever schedules
        assert card.due == (card.fsrs.due if scheduler == "fsrs"
                            else log[-1].study_day + timedelta(days=sm2.interval))


def test_sm2_to_fsrs_and_back_leaves_sm2_exactly_as_it_was(ctx: AppContext, clock: Clock) -> None:
    ctx.update_settings(new_per_day=5)
    study(ctx, clock, 30)
    before = cards(ctx)
    ctx.update_settings(scheduler="fsrs")
    assert ctx.rescheduled is not None and ctx.rescheduled.cards == len(before)
    during = cards(ctx)
    assert {c: r.state for c, r in during.items()} == {c: r.state for c, r in before.items()}
    assert any(during[c].due != before[c].due for c in before)  # FSRS's due days now
    ctx.update_settings(scheduler="sm2")
    assert cards(ctx) == before  # every column: SM-2 state, due days, counts, FSRS state


def test_reviews_under_fsrs_move_sm2_as_the_log_implies(ctx: AppContext, clock: Clock) -> None:
    ctx.update_settings(new_per_day=5)
    study(ctx, clock, 15, seed=1)
    ctx.update_settings(scheduler="fsrs")
    study(ctx, clock, 15, seed=2)
    ctx.update_settings(scheduler="sm2")
    live = cards(ctx)
    report = ctx.store.reschedule(ctx.store.scheduler, ctx.settings.schedule_basis)
    assert report.changed == 0 and report.recalls == 0  # the replay agrees with what was written
    logs = reviews_by_card(ctx)
    for card_id, card in live.items():
        sm2 = SM2State()
        for record in logs.get(card_id, []):
            sm2 = review(sm2, record.grade)
        assert card.state == sm2


@pytest.mark.sqlite_only  # builds a file of schema 2 by hand
def test_a_database_from_before_fsrs_is_replayed_on_the_first_start(tmp_path: Path, ctx: AppContext,
                                                                    clock: Clock) -> None:
    ctx.update_settings(new_per_day=5)
    study(ctx, clock, 20)
    expected = cards(ctx)
    recalls = [r[0] for r in _recalls(ctx.store.path)]
    assert sum(p is not None for p in recalls) > 10
    ctx.close()
    with closing(sqlite3.connect(ctx.store.path)) as raw:  # as revision 0003 leaves a file
        raw.execute("UPDATE cards SET fsrs_stability = NULL, fsrs_difficulty = NULL, fsrs_due = NULL")
        raw.execute("UPDATE reviews SET fsrs_recall = NULL")
        raw.execute("DELETE FROM settings WHERE key = 'schedule_basis'")
        raw.commit()
    again = AppContext.open(ctx.store.path, [MINI_DECK], clock=clock)
    try:
        assert again.rescheduled is not None and again.rescheduled.changed > 0
        assert cards(again) == expected
        assert [r[0] for r in _recalls(again.store.path)] == recalls
    finally:
        again.close()


def _recalls(path: Path) -> list[tuple]:
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute("SELECT fsrs_recall FROM reviews ORDER BY id").fetchall()


def test_undo_under_fsrs_restores_the_fsrs_state(ctx: AppContext, clock: Clock) -> None:
    ctx.update_settings(new_per_day=5, scheduler="fsrs")
    study(ctx, clock, 10)
    before = cards(ctx)
    session = QuizSession.today(ctx, rng=random.Random(3))
    assert not session.finished
    card_id = session.question.card_id
    session.submit(right_response(session))
    session.grade(5)
    assert cards(ctx)[card_id] != before[card_id]
    session.undo()
    assert cards(ctx) == before


def test_desired_retention_changes_fsrs_due_days_only(ctx: AppContext, clock: Clock) -> None:
    ctx.update_settings(new_per_day=5, scheduler="fsrs")
    study(ctx, clock, 20)
    before = cards(ctx)
    ctx.update_settings(desired_retention=0.8)
    after = cards(ctx)
    assert {c: (r.state, r.fsrs.stability, r.fsrs.difficulty) for c, r in after.items()} == {
        c: (r.state, r.fsrs.stability, r.fsrs.difficulty) for c, r in before.items()}
    studied = [c for c in before if before[c].reviews]
    assert all(after[c].due >= before[c].due for c in studied)  # lower retention: longer intervals
    assert any(after[c].due > before[c].due for c in studied)
    with pytest.raises(ValueError, match="retention"):
        ctx.update_settings(desired_retention=0.99)
