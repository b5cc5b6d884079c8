"""Rescheduling: every card's schedule recomputed from the review log, in one transaction.

What the replay computes is `quizapp.srs.replay`'s business; this module reads each card's logged
reviews, hands them over, and writes back only what differs — the card columns, and FSRS's
predicted recall on the log rows (which changes only when the FSRS parameters do). Cards are read
`ID_CHUNK` at a time, so memory stays flat on a log of millions of answers and no read is open
while the same transaction writes. The settings the schedule was computed with (the *basis*: the
algorithm in use, desired retention, FSRS parameters) are saved in the same transaction, so a
schedule and its basis can never disagree, even after a crash half-way.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from quizapp.srs.answer import CardMemory, ReviewKind
from quizapp.srs.fsrs import FSRSState
from quizapp.srs.paired import Paired, PairedState
from quizapp.srs.replay import LoggedReview, replay, replay_paired
from quizapp.store.bulk import ID_CHUNK
from quizapp.store.engine import Database
from quizapp.store.records import as_day
from quizapp.store.schema import cards, reviews, settings
from quizapp.store.summary import rebuild_predictions
from quizapp.store.writes import SCHEDULE_COLUMNS, schedule_values, upsert_setting

SCHEDULE_BASIS = "schedule_basis"  # internal setting: what the stored schedule was computed with


@dataclass(frozen=True)
class RescheduleReport:
    cards: int  # cards whose schedule was recomputed (every card)
    reviews: int  # logged reviews replayed
    changed: int  # cards whose stored schedule differed and was rewritten
    recalls: int  # log rows whose FSRS prediction was rewritten


class Rescheduling(Database):
    def schedule_basis(self) -> Any:
        """The basis saved with the last rescheduling (None: never rescheduled)."""
        with self._read() as conn:
            value = conn.execute(select(settings.c.value).where(
                settings.c.learner == self.learner, settings.c.key == SCHEDULE_BASIS)).scalar_one_or_none()
        return None if value is None else json.loads(value)

    def reschedule(self, scheduler: Paired, basis: Any, *, fsrs: bool = True) -> RescheduleReport:
        """Replay every card's reviews under `scheduler` and save `basis` with the result.

        `fsrs=False` replays SM-2 only and keeps each card's stored FSRS state (what switching
        back to SM-2 needs when the FSRS settings did not change: FSRS learnt from every review
        as it was given); the due day is the active algorithm's either way.
        """
        fresh = schedule_values(CardMemory(scheduler.new_state()))
        with _no_gc(), self._write() as conn:
            stored = {r[0]: tuple(r[1:]) for r in conn.execute(
                select(cards.c.id, *(cards.c[c] for c in SCHEDULE_COLUMNS))
                .where(cards.c.learner == self.learner))}
            ids = list(stored)
            replayed = changed = recalls = 0
            for start in range(0, len(ids), ID_CHUNK):
                part = ids[start:start + ID_CHUNK]
                rows = conn.execute(
                    select(reviews.c.card_id, reviews.c.id, reviews.c.grade, reviews.c.study_day,
                           reviews.c.answered_at, reviews.c.fsrs_recall)
                    .where(reviews.c.learner == self.learner, reviews.c.kind == ReviewKind.REVIEW.value,
                           reviews.c.card_id.in_(part))
                    .order_by(reviews.c.card_id, reviews.c.id)).all()
                replayed += len(rows)
                new_cards: dict[str, tuple[Any, ...]] = dict.fromkeys(part, fresh)
                new_recalls = []
                for card_id, group in groupby(rows, key=lambda r: r.card_id):
                    logged = list(group)
                    reviews_ = [LoggedReview(r.grade, date.fromordinal(r.study_day),
                                             datetime.fromisoformat(r.answered_at)) for r in logged]
                    if not fsrs:
                        new_cards[card_id] = schedule_values(
                            _sm2_only(scheduler, reviews_, stored[card_id]))
                        continue
                    result = replay_paired(scheduler, reviews_)
                    new_cards[card_id] = schedule_values(result.memory)
                    new_recalls += [{"b_id": r.id, "b_recall": p}
                                    for r, p in zip(logged, result.recalls, strict=True)
                                    if r.fsrs_recall != p]
                changes = [dict(zip(("b_" + c for c in SCHEDULE_COLUMNS), values, strict=True),
                                b_id=card_id)
                           for card_id, values in new_cards.items() if stored[card_id] != values]
                _write(conn, changes, new_recalls, self.learner)
                changed += len(changes)
                recalls += len(new_recalls)
            if recalls:  # FSRS's logged predictions changed: so did its scores
                rebuild_predictions(conn, self.learner)
            upsert_setting(conn, self.learner, SCHEDULE_BASIS, basis)
        return RescheduleReport(len(ids), replayed, changed, recalls)


def _sm2_only(scheduler: Paired, logged: list[LoggedReview], stored: tuple[Any, ...]
              ) -> CardMemory[PairedState]:
    """SM-2 replayed, FSRS as stored (the last three of `SCHEDULE_COLUMNS`)."""
    sm2 = replay(scheduler.sm2, logged)
    stability, difficulty, due = stored[-3:]
    state = PairedState(sm2.state, FSRSState(stability, difficulty, as_day(due), sm2.last_review_day))
    return replace(sm2, state=state, due=scheduler.due(state, sm2.last_review_day))


@contextmanager
def _no_gc() -> Iterator[None]:
    """The replay makes millions of short-lived objects and no reference cycles; with the
    cyclic collector on, each of its full passes walks everything the process holds (a loaded
    100 000-card deck), which made a replay several times slower."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_UPDATE_CARD = update(cards).where(cards.c.learner == bindparam("b_learner"),
                                   cards.c.id == bindparam("b_id")).values(
    {c: bindparam("b_" + c) for c in SCHEDULE_COLUMNS})
_UPDATE_RECALL = update(reviews).where(reviews.c.id == bindparam("b_id")).values(
    fsrs_recall=bindparam("b_recall"))


def _write(conn: Connection, changes: list[dict[str, Any]], recalls: list[dict[str, Any]],
           learner: str) -> None:
    if changes:
        conn.execute(_UPDATE_CARD, [dict(c, b_learner=learner) for c in changes])
    if recalls:
        conn.execute(_UPDATE_RECALL, recalls)
