"""The only door to the database. Each answer is one committed transaction.

SQLite runs in WAL mode with `synchronous=FULL`: a kill, crash or power cut after an answer was
acknowledged cannot lose it. Writes take the lock up front (`BEGIN IMMEDIATE`) so two quizapp
processes on one file queue up behind the busy timeout instead of failing mid-transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Integer, create_engine, event, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from quizapp.deck.model import Card, CardKind, Deck
from quizapp.srs.queue import DueCard, NewCard, is_leech
from quizapp.srs.sm2 import SM2State, review
from quizapp.store.errors import StoreError, describe_db_error
from quizapp.store.schema import QUIZAPP_TABLES, SCHEMA_VERSION, cards, metadata, reviews, settings

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class CardRecord:
    id: str
    kind: CardKind
    category: str
    item_id: str
    position: int
    state: SM2State
    due: date | None
    lapses: int
    reviews: int
    suspended: bool
    retired: bool
    last_review_day: date | None
    content_changed_at: str

    @property
    def is_new(self) -> bool:
        return self.reviews == 0

    @property
    def leech(self) -> bool:
        return is_leech(self.lapses)


@dataclass(frozen=True)
class ReviewRecord:
    """One logged answer with the card's state before and after it."""

    id: int
    card_id: str
    answered_at: str
    study_day: date
    grade: int
    answer: str
    correct: bool
    response_ms: int
    kind: str  # review | redrill | practice
    before: SM2State
    after: SM2State
    due_after: date | None


@dataclass(frozen=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    retired: int = 0
    revived: int = 0


def _day(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def _ord(day: date | None) -> int | None:
    return None if day is None else day.toordinal()


def _state(reps: int, ef: int, interval: int) -> SM2State:
    return SM2State.from_hundredths(reps, ef, interval)


class Store:
    """A quizapp database file. Open with `Store.open(path)`; close when done."""

    def __init__(self, path: Path, engine: Any):
        self.path = path
        self._engine = engine

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> Store:
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path}: is a folder; --db needs a file path")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the data folder ({exc.strerror})") from None
        existed = path.exists() and path.stat().st_size > 0
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        store = cls(path, engine)
        try:
            store._prepare(existed)
        except DBAPIError as exc:
            engine.dispose()
            raise StoreError(describe_db_error(path, exc)) from None
        except StoreError:
            engine.dispose()
            raise
        return store

    def _prepare(self, existed: bool) -> None:
        with self._engine.connect() as conn:
            version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'")}
        if existed and names and not names >= QUIZAPP_TABLES:
            raise StoreError(f"{self.path}: is an SQLite database, but not quizapp's; "
                             "use --db to choose another file")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: was written by a newer quizapp (schema {version}, "
                             f"this one knows {SCHEMA_VERSION}); upgrade quizapp")
        if not names >= QUIZAPP_TABLES:
            with self._write() as conn:
                metadata.create_all(conn)
                conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                conn.info["immediate"] = False
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise StoreError(describe_db_error(self.path, exc)) from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                conn.info["immediate"] = True
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise StoreError(describe_db_error(self.path, exc)) from None

    # -- deck sync -----------------------------------------------------------------------------
    def sync(self, deck: Deck, now: datetime) -> SyncReport:
        """Add new cards, refresh changed ones, retire vanished ones; history is never deleted."""
        stamp = now.isoformat()
        wanted = {c.id: c for c in deck.cards()}
        added = updated = retired = revived = 0
        with self._write() as conn:
            rows = conn.execute(select(cards.c.id, cards.c.content_hash, cards.c.retired,
                                       cards.c.position, cards.c.category)).all()
            have = {r.id: r for r in rows}
            new_rows = []
            for card in wanted.values():
                row = have.get(card.id)
                if row is None:
                    new_rows.append(_card_row(card, stamp))
                    added += 1
                    continue
                changes: dict[str, Any] = {}
                if row.content_hash != card.content_hash:
                    changes |= {"content_hash": card.content_hash, "content_changed_at": stamp}
                if row.position != card.position or row.category != card.category:
                    changes |= {"position": card.position, "category": card.category}
                if row.retired:
                    changes["retired"] = False
                    revived += 1
                if changes:
                    updated += "content_hash" in changes
                    conn.execute(update(cards).where(cards.c.id == card.id).values(**changes))
            if new_rows:
                conn.execute(insert(cards), new_rows)
            gone = [cid for cid, row in have.items() if cid not in wanted and not row.retired]
            if gone:
                conn.execute(update(cards).where(cards.c.id.in_(gone)).values(retired=True))
                retired = len(gone)
        return SyncReport(added, updated, retired, revived)

    # -- reading -------------------------------------------------------------------------------
    def card(self, card_id: str) -> CardRecord:
        with self._read() as conn:
            row = conn.execute(select(cards).where(cards.c.id == card_id)).first()
        if row is None:
            raise StoreError(f"no card with id '{card_id}'")
        return _record(row)

    def all_cards(self, include_retired: bool = False) -> list[CardRecord]:
        query = select(cards).order_by(cards.c.position)
        if not include_retired:
            query = query.where(cards.c.retired.is_(False))
        with self._read() as conn:
            return [_record(r) for r in conn.execute(query)]

    def cards_by_id(self, ids: Sequence[str]) -> dict[str, CardRecord]:
        with self._read() as conn:
            rows = conn.execute(select(cards).where(cards.c.id.in_(list(ids)))).all()
        return {r.id: _record(r) for r in rows}

    def due_cards(self, today: date, categories: Sequence[str] | None = None) -> list[DueCard]:
        query = select(cards.c.id, cards.c.due, cards.c.ef).where(
            cards.c.retired.is_(False), cards.c.suspended.is_(False),
            cards.c.due.is_not(None), cards.c.due <= today.toordinal())
        if categories:
            query = query.where(cards.c.category.in_(list(categories)))
        with self._read() as conn:
            return [DueCard(r.id, date.fromordinal(r.due), r.ef) for r in conn.execute(query)]

    def new_cards(self, limit: int, categories: Sequence[str] | None = None) -> list[NewCard]:
        query = (select(cards.c.id, cards.c.position)
                 .where(cards.c.retired.is_(False), cards.c.suspended.is_(False),
                        cards.c.reviews == 0)
                 .order_by(cards.c.position).limit(max(limit, 0)))
        if categories:
            query = query.where(cards.c.category.in_(list(categories)))
        with self._read() as conn:
            return [NewCard(r.id, r.position) for r in conn.execute(query)]

    def done_today(self, today: date) -> tuple[int, int]:
        """(new cards introduced, reviews done) on this study day: what the daily limits count."""
        query = select(func.count().filter(reviews.c.was_new.is_(True)),
                       func.count()).where(reviews.c.study_day == today.toordinal(),
                                           reviews.c.kind == "review")
        with self._read() as conn:
            new, total = conn.execute(query).one()
        return new, total - new

    def due_counts(self, today: date) -> dict[str, tuple[int, int]]:
        """category -> (due reviews, unseen new cards)."""
        due = func.sum(((cards.c.due.is_not(None)) & (cards.c.due <= today.toordinal())).cast(Integer))
        new = func.sum((cards.c.reviews == 0).cast(Integer))
        query = (select(cards.c.category, due, new)
                 .where(cards.c.retired.is_(False), cards.c.suspended.is_(False))
                 .group_by(cards.c.category))
        with self._read() as conn:
            return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in conn.execute(query)}

    def review_log(self, card_id: str | None = None) -> list[ReviewRecord]:
        query = select(reviews).order_by(reviews.c.id)
        if card_id is not None:
            query = query.where(reviews.c.card_id == card_id)
        with self._read() as conn:
            return [_review(r) for r in conn.execute(query)]

    def study_days(self) -> list[date]:
        """Distinct study days with at least one answer, oldest first (for streaks)."""
        query = select(reviews.c.study_day).distinct().order_by(reviews.c.study_day)
        with self._read() as conn:
            return [date.fromordinal(r[0]) for r in conn.execute(query)]

    # -- writing -------------------------------------------------------------------------------
    def record(self, card_id: str, grade: int, *, now: datetime, today: date, answer: str = "",
               correct: bool = False, response_ms: int = 0, practice: bool = False) -> ReviewRecord:
        """Log one answer and, if it is the day's first grade of a due card, reschedule it.

        State and log row commit together or not at all.
        """
        with self._write() as conn:
            row = conn.execute(select(cards).where(cards.c.id == card_id)).first()
            if row is None:
                raise StoreError(f"no card with id '{card_id}'")
            before = _state(row.repetitions, row.ef, row.interval)
            kind = _answer_kind(row, today, practice)
            after, due_after, card_changes = before, row.due, {}
            if kind == "review":
                after = review(before, grade)
                due_after = today.toordinal() + after.interval
                card_changes = {
                    "repetitions": after.repetitions, "ef": after.ef_hundredths,
                    "interval": after.interval, "due": due_after,
                    "lapses": row.lapses + (grade < 3), "reviews": row.reviews + 1,
                    "last_review_day": today.toordinal(),
                }
            values = {
                "card_id": card_id, "answered_at": now.isoformat(), "study_day": today.toordinal(),
                "grade": grade, "answer": answer, "correct": correct, "response_ms": response_ms,
                "kind": kind, "was_new": kind == "review" and row.reviews == 0,
                "reps_before": before.repetitions, "ef_before": before.ef_hundredths,
                "interval_before": before.interval, "due_before": row.due,
                "last_day_before": row.last_review_day,
                "reps_after": after.repetitions, "ef_after": after.ef_hundredths,
                "interval_after": after.interval, "due_after": due_after,
            }
            log_id = conn.execute(insert(reviews).values(**values)).inserted_primary_key[0]
            if card_changes:
                conn.execute(update(cards).where(cards.c.id == card_id).values(**card_changes))
        return ReviewRecord(log_id, card_id, values["answered_at"], today, grade, answer, correct,
                            response_ms, kind, before, after, _day(due_after))

    def undo(self, log_id: int) -> ReviewRecord:
        """Take back one logged answer: the card gets its earlier state, the log row goes."""
        with self._write() as conn:
            row = conn.execute(select(reviews).where(reviews.c.id == log_id)).first()
            if row is None:
                raise StoreError(f"nothing to undo: answer {log_id} is not in the log")
            later = conn.execute(select(func.count()).where(
                reviews.c.card_id == row.card_id, reviews.c.id > log_id)).scalar_one()
            if later:
                raise StoreError("only the latest answer of a card can be undone")
            if row.kind == "review":
                card = conn.execute(select(cards.c.lapses, cards.c.reviews)
                                    .where(cards.c.id == row.card_id)).one()
                conn.execute(update(cards).where(cards.c.id == row.card_id).values(
                    repetitions=row.reps_before, ef=row.ef_before, interval=row.interval_before,
                    due=row.due_before, last_review_day=row.last_day_before,
                    lapses=card.lapses - (row.grade < 3), reviews=card.reviews - 1))
            conn.execute(reviews.delete().where(reviews.c.id == log_id))
        return _review(row)

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        with self._write() as conn:
            conn.execute(update(cards).where(cards.c.id == card_id).values(suspended=suspended))

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        with self._read() as conn:
            return {r.key: json.loads(r.value) for r in conn.execute(select(settings))}

    def set_setting(self, key: str, value: Any) -> None:
        blob = json.dumps(value)
        with self._write() as conn:
            conn.exec_driver_sql(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, blob))


def _answer_kind(row: Any, today: date, practice: bool) -> str:
    if practice:
        return "practice"
    if row.last_review_day == today.toordinal():
        return "redrill"
    if row.due is not None and row.due > today.toordinal():
        return "practice"  # not due: answering early must not move the schedule
    return "review"


def _card_row(card: Card, stamp: str) -> dict[str, Any]:
    return {
        "id": card.id, "kind": card.kind.value, "category": card.category, "item_id": card.item_id,
        "position": card.position, "content_hash": card.content_hash,
        "content_changed_at": stamp, "added_at": stamp, "retired": False, "suspended": False,
        "repetitions": 0, "ef": 250, "interval": 0, "due": None, "lapses": 0, "reviews": 0,
        "last_review_day": None,
    }


def _record(row: Any) -> CardRecord:
    return CardRecord(
        id=row.id, kind=CardKind(row.kind), category=row.category, item_id=row.item_id,
        position=row.position, state=_state(row.repetitions, row.ef, row.interval),
        due=_day(row.due), lapses=row.lapses, reviews=row.reviews, suspended=bool(row.suspended),
        retired=bool(row.retired), last_review_day=_day(row.last_review_day),
        content_changed_at=row.content_changed_at,
    )


def _review(row: Any) -> ReviewRecord:
    return ReviewRecord(
        id=row.id, card_id=row.card_id, answered_at=row.answered_at,
        study_day=date.fromordinal(row.study_day), grade=row.grade, answer=row.answer,
        correct=bool(row.correct), response_ms=row.response_ms, kind=row.kind,
        before=_state(row.reps_before, row.ef_before, row.interval_before),
        after=_state(row.reps_after, row.ef_after, row.interval_after), due_after=_day(row.due_after),
    )


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")
