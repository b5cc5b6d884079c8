"""Every write: deck sync, one answer (log row + new schedule), undo, suspend, settings.

The store decides nothing here: `quizapp.srs.answer` says what an answer does to a card (its kind,
the new state from the scheduler, the counts), and this module persists exactly that, log row and
card together in one transaction. The answer path runs prebuilt SQL: compiling Core statements
cost more than the commit.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from quizapp.deck.model import Card, Deck
from quizapp.srs.answer import CardMemory, ReviewKind, answer, revert
from quizapp.srs.grades import is_lapse
from quizapp.srs.paired import Paired, PairedState
from quizapp.srs.replay import LoggedReview, replay
from quizapp.store.dialect import RawDB, upsert
from quizapp.store.engine import Database
from quizapp.store.errors import StoreError
from quizapp.store.records import (
    SELECT_CARD,
    CardRow,
    ReviewRecord,
    SyncReport,
    as_day,
    as_ordinal,
    card_memory,
    quoted,
    review_record,
    sm2_state,
)
from quizapp.store.schema import cards, reviews, settings
from quizapp.store.summary import add_prediction, prediction_term

DECK_FINGERPRINT = "deck_fingerprint"  # internal setting: the deck last synced into this file


class Writes(Database):
    """The writing half of the store. `scheduler` is what reviews are scheduled with: SM-2 and
    FSRS side by side, the `scheduler` setting's one deciding the due day (the session sets it)."""

    scheduler: Paired = Paired()

    # -- deck sync -----------------------------------------------------------------------------
    def sync(self, deck: Deck, now: datetime) -> SyncReport:
        """Add new cards, refresh changed ones, retire vanished ones; history is never deleted.

        A deck identical to the one last synced into this file (same fingerprint) costs one read.
        """
        if self.settings().get(DECK_FINGERPRINT) == deck.fingerprint:
            return SyncReport()
        synced_at = now.isoformat()
        wanted = {c.id: c for c in deck.cards()}
        added = updated = retired = revived = 0
        mine = cards.c.learner == self.learner
        with self._write() as conn:
            upsert_setting(conn, self.learner, DECK_FINGERPRINT, deck.fingerprint)
            rows = conn.execute(select(cards.c.id, cards.c.content_hash, cards.c.retired,
                                       cards.c.position, cards.c.category).where(mine)).all()
            have = {r.id: r for r in rows}
            new_rows = []
            for card in wanted.values():
                row = have.get(card.id)
                if row is None:
                    new_rows.append(_card_row(self.learner, card, synced_at))
                    added += 1
                    continue
                changes: dict[str, Any] = {}
                if row.content_hash != card.content_hash:
                    changes |= {"content_hash": card.content_hash, "content_changed_at": synced_at}
                if row.position != card.position or row.category != card.category:
                    changes |= {"position": card.position, "category": card.category}
                if row.retired:
                    changes["retired"] = False
                    revived += 1
                if changes:
                    updated += "content_hash" in changes
                    conn.execute(update(cards).where(mine, cards.c.id == card.id).values(**changes))
            if new_rows:
                conn.execute(insert(cards), new_rows)
            gone = [cid for cid, row in have.items() if cid not in wanted and not row.retired]
            if gone:
                conn.execute(update(cards).where(mine, cards.c.id.in_(gone)).values(retired=True))
                retired = len(gone)
        return SyncReport(added, updated, retired, revived)

    # -- answers -------------------------------------------------------------------------------
    def record(self, card_id: str, grade: int, *, now: datetime, today: date, answer: str = "",
               correct: bool = False, response_ms: int = 0, practice: bool = False,
               overridden: bool = False) -> ReviewRecord:
        """Log one answer and, if srs says it is the day's review of the card, reschedule it.

        State and log row commit together or not at all.
        """
        with self._raw(write=True, unsaved=f"the answer to card {card_id}") as db:
            found = db.execute(_LOCK_CARD if self.server else SELECT_CARD,
                               (self.learner, card_id)).fetchone()
            if found is None:
                raise StoreError(f"no card with id '{card_id}'")
            row = CardRow._make(found)
            change = _answer(self.scheduler, card_memory(row), grade, today=today, now=now,
                             practice=practice)
            before, after = change.before, change.after
            recall = self.scheduler.recall(before.state, today) if change.moves_schedule else None
            values = {
                "learner": self.learner, "card_id": card_id, "answered_at": now.isoformat(),
                "study_day": today.toordinal(),
                "grade": grade, "answer": answer, "correct": correct, "response_ms": response_ms,
                "kind": change.kind.value, "was_new": change.was_new,
                **_state_columns("before", before), "due_before": as_ordinal(before.due),
                "last_day_before": as_ordinal(before.last_review_day),
                **_state_columns("after", after), "due_after": as_ordinal(after.due),
                "fsrs_recall": recall, "overridden": overridden,
            }
            (log_id,) = db.execute(_INSERT_REVIEW, tuple(values[c] for c in _REVIEW_COLUMNS)).fetchone()
            if change.moves_schedule:
                db.execute(_UPDATE_SCHEDULE, (*schedule_values(after), self.learner, card_id))
                add_prediction(db, self.learner, prediction_term(
                    db, self.learner, card_id, before.reviews + 1, before.lapses, values["study_day"],
                    values["last_day_before"], values["interval_before"], grade, recall))
        self.answers_saved += 1
        return ReviewRecord(log_id, card_id, values["answered_at"], today, grade, answer, correct,
                            response_ms, change.kind, before.state.sm2, after.state.sm2, after.due)

    def undo(self, log_id: int) -> ReviewRecord:
        """Take back one logged answer: the card gets its earlier state, the log row goes."""
        mine = reviews.c.learner == self.learner
        with self._write() as conn:
            row = conn.execute(select(reviews).where(mine, reviews.c.id == log_id)).first()
            if row is None:
                raise StoreError(f"nothing to undo: answer {log_id} is not in the log")
            card = conn.execute(select(cards).where(cards.c.learner == self.learner,
                                                    cards.c.id == row.card_id).with_for_update()).one()
            later = conn.execute(select(func.count()).where(
                mine, reviews.c.card_id == row.card_id, reviews.c.id > log_id)).scalar_one()
            if later:
                raise StoreError("only the latest answer of a card can be undone")
            if row.kind == ReviewKind.REVIEW:
                db = RawDB(conn.connection.driver_connection, self.server)
                add_prediction(db, self.learner, prediction_term(
                    db, self.learner, row.card_id, card.reviews, card.lapses - is_lapse(row.grade), row.study_day,
                    row.last_day_before, row.interval_before, row.grade, row.fsrs_recall), sign=-1)
                state = PairedState(sm2_state(row.reps_before, row.ef_before, row.interval_before),
                                    self._fsrs_before(conn, row.card_id, log_id))
                last = as_day(row.last_day_before)
                logged = CardMemory(state, self.scheduler.due(state, last), last_review_day=last)
                restored = revert(card_memory(card), logged, row.grade)
                conn.execute(update(cards).where(cards.c.learner == self.learner,
                                                 cards.c.id == row.card_id).values(
                    dict(zip(SCHEDULE_COLUMNS, schedule_values(restored), strict=True))))
            conn.execute(reviews.delete().where(mine, reviews.c.id == log_id))
        return review_record(row)

    def _fsrs_before(self, conn: Connection, card_id: str, log_id: int):
        """The card's FSRS state before answer `log_id`: its earlier reviews replayed (the log
        keeps SM-2's state before each answer, FSRS's follows from the reviews themselves)."""
        query = (select(reviews.c.grade, reviews.c.study_day, reviews.c.answered_at)
                 .where(reviews.c.learner == self.learner, reviews.c.card_id == card_id,
                        reviews.c.kind == ReviewKind.REVIEW.value,
                        reviews.c.id < log_id).order_by(reviews.c.id))
        earlier = [LoggedReview(r.grade, date.fromordinal(r.study_day),
                                datetime.fromisoformat(r.answered_at)) for r in conn.execute(query)]
        return replay(self.scheduler.fsrs, earlier).state

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        with self._write() as conn:
            conn.execute(update(cards).where(cards.c.learner == self.learner, cards.c.id == card_id)
                         .values(suspended=suspended))

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        with self._read() as conn:
            rows = conn.execute(select(settings).where(settings.c.learner == self.learner)).all()
        values = {}
        for row in rows:
            try:
                values[row.key] = json.loads(row.value)
            except (TypeError, ValueError):
                raise StoreError(f"{self.path}: the setting '{row.key}' is not valid JSON "
                                 f"({str(row.value)[:40]!r}); it was left untouched — restore a "
                                 "backup (quizapp restore) or fix that row") from None
        return values

    def set_setting(self, key: str, value: Any) -> None:
        with self._write() as conn:
            upsert_setting(conn, self.learner, key, value)


_answer = answer  # `record` has a parameter named `answer` (the learner's text)


def upsert_setting(conn: Connection, learner: str, key: str, value: Any) -> None:
    upsert(conn, settings, {"learner": learner, "key": key, "value": json.dumps(value)},
           ("learner", "key"))


def _state_columns(side: str, memory: CardMemory[PairedState]) -> dict[str, int]:
    state = memory.state.sm2
    return {f"reps_{side}": state.repetitions, f"ef_{side}": state.ef_hundredths,
            f"interval_{side}": state.interval}


def schedule_values(memory: CardMemory[PairedState]) -> tuple[Any, ...]:
    """The card's schedule columns, in `SCHEDULE_COLUMNS` order."""
    sm2, fsrs = memory.state.sm2, memory.state.fsrs
    return (sm2.repetitions, sm2.ef_hundredths, sm2.interval, as_ordinal(memory.due),
            memory.lapses, memory.reviews, as_ordinal(memory.last_review_day),
            fsrs.stability, fsrs.difficulty, as_ordinal(fsrs.due))


def _card_row(learner: str, card: Card, added_at: str) -> dict[str, Any]:
    return {
        "learner": learner, "id": card.id, "kind": card.kind.value, "category": card.category, "item_id": card.item_id,
        "position": card.position, "content_hash": card.content_hash,
        "content_changed_at": added_at, "added_at": added_at, "retired": False, "suspended": False,
        "repetitions": 0, "ef": 250, "interval": 0, "due": None, "lapses": 0, "reviews": 0,
        "last_review_day": None, "fsrs_stability": None, "fsrs_difficulty": None, "fsrs_due": None,
    }


_REVIEW_COLUMNS = (
    "learner", "card_id", "answered_at", "study_day", "grade", "answer", "correct", "response_ms", "kind", "was_new",
    "reps_before", "ef_before", "interval_before", "due_before", "last_day_before",
    "reps_after", "ef_after", "interval_after", "due_after", "fsrs_recall", "overridden",
)
_INSERT_REVIEW = (f"INSERT INTO reviews ({quoted(_REVIEW_COLUMNS)}) "
                  f"VALUES ({', '.join('?' for _ in _REVIEW_COLUMNS)}) RETURNING id")
SCHEDULE_COLUMNS = ("repetitions", "ef", "interval", "due", "lapses", "reviews", "last_review_day",
                    "fsrs_stability", "fsrs_difficulty", "fsrs_due")
_UPDATE_SCHEDULE = (f"UPDATE cards SET {' = ?, '.join(quoted([c]) for c in SCHEDULE_COLUMNS)} = ? "
                    "WHERE learner = ? AND id = ?")
_LOCK_CARD = SELECT_CARD + " FOR UPDATE"  # PostgreSQL: answers to one card queue up (store.server)
