"""Time: sessions across the rollover hour, clocks jumping backwards, daylight-saving nights and
time-zone changes. Whatever the clock does: no lost day, no double-counted review, no negative
interval, and every card's state is what its log says.

The choice tested here: an answer counts for the study day on which it is given (read from the
clock when it is graded), not the day the session started. A session that runs past the rollover
hour puts its later answers on the new day, scheduled from it and counted in its daily limits.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from tests.conftest import Clock
from tests.reliability.harness import check_database
from tests.session.test_quiz import right_response, wrong_response

D = date(2026, 3, 2)


def answer(session: QuizSession, grade: int, right: bool = True) -> str:
    question = session.question
    assert question is not None
    session.submit(right_response(session) if right else wrong_response(session))
    session.grade(grade)
    return question.card_id


def play(session: QuizSession, rng: random.Random, clock: Clock | None = None) -> int:
    answered = 0
    while not session.finished and answered < 500:
        grade = rng.choice([1, 3, 4, 5, 5])
        answer(session, grade, right=grade >= 3)
        answered += 1
        if clock is not None:
            clock.advance(minutes=rng.randint(0, 3))
    return answered


def consistent(ctx: AppContext) -> None:
    assert check_database(ctx.store.path) == []


def test_answers_after_the_rollover_count_for_the_new_day(ctx: AppContext, clock: Clock,
                                                          rng: random.Random) -> None:
    ctx.update_settings(new_per_day=4)  # UTC, rollover 04:00
    clock.now = datetime(2026, 3, 3, 3, 50, tzinfo=UTC)  # study day D = Mar 2, ten minutes left
    session = QuizSession.today(ctx, rng=rng)
    assert session.day == D and session.progress == (0, 4)
    early = [answer(session, 5), answer(session, 5)]
    clock.now = datetime(2026, 3, 3, 4, 5, tzinfo=UTC)  # study day Mar 3
    late = [answer(session, 5), answer(session, 5)]
    assert session.finished and session.day == D + timedelta(days=1)
    log = ctx.store.review_log()
    assert [r.study_day for r in log] == [D, D, D + timedelta(days=1), D + timedelta(days=1)]
    assert all(r.kind == "review" for r in log)
    assert [ctx.store.card(c).due for c in early] == [D + timedelta(days=1)] * 2
    assert [ctx.store.card(c).due for c in late] == [D + timedelta(days=2)] * 2  # not a day early
    assert ctx.store.done_today(D) == (2, 0)
    assert ctx.store.done_today(D + timedelta(days=1)) == (2, 0)  # in the new day's limits
    assert session.summary().due_tomorrow == 4  # by Mar 4, tomorrow of the day it now is (not 2)
    clock.now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    later = QuizSession.today(ctx, rng=rng)
    pending = list(later.queue.pending())
    assert set(early) <= set(pending) and not set(late) & set(pending)
    assert later.progress[1] == 2 + 2  # the two due reviews, and 4 - 2 new
    consistent(ctx)


def test_a_card_failed_before_the_rollover_and_redrilled_after(ctx: AppContext, clock: Clock,
                                                               rng: random.Random) -> None:
    ctx.update_settings(new_per_day=1)
    clock.now = datetime(2026, 3, 3, 3, 58, tzinfo=UTC)
    session = QuizSession.today(ctx, rng=rng)
    card = answer(session, 1, right=False)  # a lapse on D: due D+1, comes back as a re-drill
    assert ctx.store.card(card).due == D + timedelta(days=1)
    clock.now = datetime(2026, 3, 3, 4, 2, tzinfo=UTC)
    assert session.is_redrill
    assert answer(session, 5) == card
    first, second = ctx.store.review_log(card)
    # D+1 has begun: the re-drill is the card's first grade of D+1, which is when it was due
    assert (first.study_day, first.kind, second.study_day, second.kind) == (
        D, "review", D + timedelta(days=1), "review")
    assert second.before == first.after and ctx.store.card(card).due == D + timedelta(days=2)
    clock.now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert card not in QuizSession.today(ctx, rng=rng).queue.pending()  # nothing left to re-drill
    consistent(ctx)


def test_the_clock_jumping_backwards(ctx: AppContext, clock: Clock, rng: random.Random) -> None:
    ctx.update_settings(new_per_day=6)
    play(QuizSession.today(ctx, rng=rng), rng, clock)
    clock.advance(days=3)
    play(QuizSession.today(ctx, rng=rng), rng, clock)
    reviewed = {c.id: c for c in ctx.store.all_cards() if c.reviews}
    clock.advance(days=-5)  # the clock is set back (a dead CMOS battery, a wrong NTP answer)
    session = QuizSession.today(ctx, rng=rng)
    assert session.day == D - timedelta(days=2)
    assert not set(session.queue.pending()) & set(reviewed)  # nothing scheduled in "the future" is due
    play(session, rng, clock)
    for card_id, before in reviewed.items():  # answered again only as practice: schedule untouched
        assert ctx.store.card(card_id).due == before.due
    mid = QuizSession.today(ctx, rng=rng)  # mid-session jump back: the session keeps working
    clock.advance(days=6)
    play(QuizSession.today(ctx, rng=rng), rng, clock)
    clock.advance(hours=-30)
    play(mid, rng, clock)
    assert all(c.state.interval >= 0 for c in ctx.store.all_cards())
    consistent(ctx)


DST_CHANGES = [  # (zone, a local date on which the clocks change in 2026)
    ("Europe/Berlin", date(2026, 3, 29)), ("Europe/Berlin", date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8)), ("America/New_York", date(2026, 11, 1)),
    ("Australia/Lord_Howe", date(2026, 4, 5)), ("Australia/Lord_Howe", date(2026, 10, 4)),  # 30 min
]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=[f"{z}-{d}" for z, d in DST_CHANGES])
@pytest.mark.parametrize("rollover", [2, 4])  # 2: the very hour that is skipped or repeated
def test_daylight_saving_nights_neither_lose_nor_repeat_a_day(
        ctx: AppContext, clock: Clock, zone: str, change: date, rollover: int) -> None:
    """A learner who opens the app every 50 minutes for five days around a DST change."""
    start = datetime.combine(change - timedelta(days=2), datetime.min.time(), tzinfo=UTC)
    ctx.update_settings(timezone=zone, rollover_hour=rollover, new_per_day=3)
    rng = random.Random(f"{zone}{rollover}{change}")
    clock.now = start
    days = []
    while clock.now < start + timedelta(days=5):
        session = QuizSession.today(ctx, rng=rng)
        days.append(session.day)
        play(session, rng)
        clock.advance(minutes=50)
    assert days == sorted(days)
    seen = sorted(set(days))
    assert seen == [seen[0] + timedelta(days=n) for n in range(len(seen))]  # no day skipped
    assert len(seen) in (5, 6) and change in seen
    per_day = {}
    for record in ctx.store.review_log():
        if record.kind == "review" and record.before.repetitions == 0 and record.before.interval == 0:
            per_day[record.study_day] = per_day.get(record.study_day, 0) + 1
    assert all(n <= 3 for n in per_day.values())  # the daily new-card limit held on every day
    consistent(ctx)


def test_time_zone_changes_between_sessions(ctx: AppContext, clock: Clock, rng: random.Random
                                            ) -> None:
    ctx.update_settings(timezone="Asia/Shanghai", new_per_day=4)
    clock.now = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai: study day Mar 2
    play(QuizSession.today(ctx, rng=rng), rng)
    studied = [c.id for c in ctx.store.all_cards() if c.reviews]
    # Fly east to west: an hour later it is 08:30 in Los Angeles, still Mar 2 there
    clock.advance(hours=1)
    ctx.update_settings(timezone="America/Los_Angeles")
    again = QuizSession.today(ctx, rng=rng)
    assert again.day == D
    assert ctx.store.done_today(D)[0] == 4
    assert set(again.queue.pending()) <= set(studied)  # no more new cards: only today's re-drills
    play(again, rng)
    # Next morning in Shanghai it is already Mar 3; back in LA it is still Mar 2: the day goes back
    ctx.update_settings(timezone="Asia/Shanghai")
    clock.now = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 Shanghai, Mar 3
    play(QuizSession.today(ctx, rng=rng), rng)
    ctx.update_settings(timezone="America/Los_Angeles")  # 18:00 Mar 2 in LA
    back = QuizSession.today(ctx, rng=rng)
    assert back.day == D
    play(back, rng)
    # A jump forward past a whole study day: cards due on the skipped day are still due
    ctx.update_settings(timezone="Pacific/Kiritimati")  # UTC+14: Mar 3, 16:00
    clock.advance(hours=24)  # Mar 4 16:00 there
    due_before = {c.id for c in ctx.store.all_cards() if c.due and c.due <= date(2026, 3, 4)}
    ahead = QuizSession.today(ctx, rng=rng)
    assert ahead.day == date(2026, 3, 4)
    assert due_before <= set(ahead.queue.pending())  # nothing due on Mar 3 was lost
    play(ahead, rng)
    consistent(ctx)
