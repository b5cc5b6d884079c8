"""The only door to the database. Each answer is one committed transaction.

SQLite runs in WAL mode with `synchronous=FULL`: a kill, crash or power cut after an answer was
acknowledged cannot lose it. Writes take the lock up front (`BEGIN IMMEDIATE`) so two quizapp
processes on one file queue up behind the busy timeout instead of failing mid-transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    case,
    create_engine,
    event,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from quizapp.deck.model import Card, CardKind, Deck
from quizapp.srs.queue import LEECH_LAPSES, DueCard, NewCard, is_leech
from quizapp.srs.sm2 import SM2State, review
from quizapp.store.errors import StoreError, describe_db_error
from quizapp.store.migrate import backup_database, stamp, upgrade
from quizapp.store.schema import (
    QUIZAPP_TABLES,
    SCHEMA_VERSION,
    cards,
    ix_reviews_stats,
    metadata,
    reviews,
    settings,
)

BUSY_TIMEOUT_MS = 5000
ID_CHUNK = 500  # ids per `IN (…)` query: far below SQLite's bound-parameter limit (999 before 3.32)


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


class CardSchedule(NamedTuple):
    """The schedule columns of one card, raw (EF in hundredths, days as ordinals); for bulk reads."""

    id: str
    content_changed_at: str
    suspended: bool
    reviews: int
    lapses: int
    repetitions: int
    ef: int  # hundredths
    interval: int
    due: int | None  # study-day ordinal


class ReviewRow(NamedTuple):
    """The columns of one logged answer that a bulk reader needs (EF in hundredths)."""

    id: int
    card_id: str
    answered_at: str
    grade: int
    response_ms: int
    reps_before: int
    interval_before: int
    ef_after: int
    interval_after: int


@dataclass(frozen=True)
class CardCounts:
    """Card states of one (category, card kind): active cards only (not retired, not suspended)."""

    category: str
    kind: str  # card kind: def-term | term-def | trap | scenario | drill
    cards: int
    new: int  # never reviewed
    learning: int  # reviewed, interval below the mature threshold
    mature: int  # interval at or above the mature threshold
    due: int  # due on or before the day asked for
    leeches: int  # lapses >= LEECH_LAPSES
    studied: int  # = learning + mature: the cards the EF sum is over
    ef_sum: int  # hundredths, over studied cards
    suspended: int  # not in the counts above


@dataclass(frozen=True)
class ReviewCounts:
    """Reviews (kind 'review' only: a card's first grade of a study day) of one (category, kind)."""

    category: str
    kind: str  # card kind
    reviews: int  # in the window asked for
    correct: int
    lapses: int  # graded below 3
    recall_reviews: int  # reviews of cards already passed before (repetitions >= 1)
    recalled: int  # ... of which graded 3 or more
    weighted_reviews: float  # each review weighted 0.5 ** (age in days / half-life)
    weighted_correct: float
    reviews_7: int  # last 7 study days, including today, whatever the window
    correct_7: int
    reviews_30: int
    correct_30: int
    reviews_all: int
    correct_all: int


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
        self.upgraded: tuple[int, Path] | None = None  # (old schema, backup copy) if migrated now

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
        _check_writable(path)
        existed = path.exists() and path.stat().st_size > 0  # an empty file is a new database
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
            indexes = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='index'")}
        if existed and names and not names >= QUIZAPP_TABLES:
            raise StoreError(f"{self.path}: is an SQLite database, but not quizapp's; "
                             "use --db to choose another file")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: was written by a newer quizapp (schema {version}, "
                             f"this one knows {SCHEMA_VERSION}); it was left untouched — "
                             "upgrade quizapp to use it")
        with self._engine.connect() as conn:  # only now that the file is known to be ours
            conn.connection.driver_connection.execute("PRAGMA journal_mode = WAL")  # persistent
        if not names >= QUIZAPP_TABLES:
            with self._write() as conn:
                metadata.create_all(conn)
                stamp(conn, SCHEMA_VERSION)
        elif version < SCHEMA_VERSION:  # imports Alembic: only when a migration is pending
            self.upgraded = (version, upgrade(self._engine, self.path, version))
        elif ix_reviews_stats.name not in indexes:  # files made before the statistics index
            with self._write() as conn:
                ix_reviews_stats.create(conn, checkfirst=True)

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy (SQLite online backup); default: next to the database, timestamped."""
        return backup_database(self.path, dest)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------
    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        """One transaction; a write takes the lock up front (BEGIN IMMEDIATE, see `_on_begin`)."""
        try:
            with self._engine.connect() as conn:
                conn.info["immediate"] = write
                with conn.begin():
                    yield conn
        except DBAPIError as exc:
            raise StoreError(describe_db_error(self.path, exc)) from None

    def _read(self) -> AbstractContextManager[Connection]:
        return self._transaction(write=False)

    def _write(self) -> AbstractContextManager[Connection]:
        return self._transaction(write=True)

    # -- deck sync -----------------------------------------------------------------------------
    def sync(self, deck: Deck, now: datetime) -> SyncReport:
        """Add new cards, refresh changed ones, retire vanished ones; history is never deleted.

        A deck identical to the one last synced into this file (same fingerprint) costs one read.
        """
        if self.settings().get(DECK_FINGERPRINT) == deck.fingerprint:
            return SyncReport()
        stamp = now.isoformat()
        wanted = {c.id: c for c in deck.cards()}
        added = updated = retired = revived = 0
        with self._write() as conn:
            _upsert_setting(conn, DECK_FINGERPRINT, deck.fingerprint)
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
            row = conn.exec_driver_sql(_SELECT_CARD, (card_id,)).first()
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

    def mastery_counts(self, mature_days: int = 21) -> dict[str, tuple[int, int, int]]:
        """category -> (active cards, known: repetitions >= 1, mature: interval >= mature_days);
        active = not retired, not suspended. One GROUP BY over the cards table."""
        known = func.sum(case((cards.c.repetitions >= 1, 1), else_=0))
        mature = func.sum(case((cards.c.interval >= mature_days, 1), else_=0))
        query = (select(cards.c.category, func.count(), known, mature)
                 .where(cards.c.retired.is_(False), cards.c.suspended.is_(False))
                 .group_by(cards.c.category))
        with self._read() as conn:
            return {r[0]: (int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in conn.execute(query)}

    def review_log(self, card_id: str | None = None, day: date | None = None) -> list[ReviewRecord]:
        """Logged answers in order, for one card and/or one study day (both indexed)."""
        query = select(reviews).order_by(reviews.c.id)
        if card_id is not None:
            query = query.where(reviews.c.card_id == card_id)
        if day is not None:
            query = query.where(reviews.c.study_day == day.toordinal())
        with self._read() as conn:
            return [_review(r) for r in conn.execute(query)]

    def study_days(self) -> list[date]:
        """Distinct study days with at least one answer, oldest first (for streaks)."""
        query = select(reviews.c.study_day).distinct().order_by(reviews.c.study_day)
        with self._read() as conn:
            return [date.fromordinal(r[0]) for r in conn.execute(query)]

    # -- statistics (aggregates in SQL; see quizapp.stats) --------------------------------------
    def card_counts(self, today: date, mature_days: int = 21) -> list[CardCounts]:
        """Card states per (category, card kind), one GROUP BY over the cards table."""
        active = (cards.c.retired.is_(False)) & (cards.c.suspended.is_(False))
        studied = active & (cards.c.reviews > 0)

        def count(cond: Any) -> Any:
            return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

        query = (select(
            cards.c.category, cards.c.kind,
            count(active),
            count(active & (cards.c.reviews == 0)),
            count(studied & (cards.c.interval < mature_days)),
            count(studied & (cards.c.interval >= mature_days)),
            count(active & cards.c.due.is_not(None) & (cards.c.due <= today.toordinal())),
            count(active & (cards.c.lapses >= LEECH_LAPSES)),
            count(studied),
            func.coalesce(func.sum(case((studied, cards.c.ef), else_=0)), 0),
            count(cards.c.suspended.is_(True)),
        ).where(cards.c.retired.is_(False)).group_by(cards.c.category, cards.c.kind)
            .order_by(cards.c.category, cards.c.kind))
        with self._read() as conn:
            return [CardCounts(*(r[:2]), *(int(v) for v in r[2:])) for r in conn.execute(query)]

    def review_counts(self, today: date, since: date | None = None,
                      half_life: float = 14.0) -> list[ReviewCounts]:
        """Review results per (category, card kind): GROUP BY card over the covering index
        `ix_reviews_stats`, then GROUP BY (category, kind) over those per-card totals.

        Only kind 'review' rows count (a card's first grade of a study day): re-drills repeat a
        failure the same day and practice answers do not touch the schedule. `since` is the first
        study day of the window (None = all time); the 7/30-day and all-time columns ignore it.
        Reviews of retired cards are left out (they belong to no card of the deck).
        """
        day = reviews.c.study_day
        t = today.toordinal()
        ok = reviews.c.correct.is_(True)
        inside = literal(True) if since is None else day >= since.toordinal()
        weight = func.power(0.5, func.max(t - day, 0).cast(Float) / float(half_life))
        recall = reviews.c.reps_before >= 1

        def count(cond: Any) -> Any:
            return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

        def total(cond: Any, value: Any) -> Any:
            return func.coalesce(func.sum(case((cond, value), else_=0.0)), 0.0)

        columns = {
            "reviews": count(inside), "correct": count(inside & ok),
            "lapses": count(inside & (reviews.c.grade < 3)),
            "recall_reviews": count(inside & recall),
            "recalled": count(inside & recall & (reviews.c.grade >= 3)),
            "weighted_reviews": total(inside, weight), "weighted_correct": total(inside & ok, weight),
            "reviews_7": count(day > t - 7), "correct_7": count((day > t - 7) & ok),
            "reviews_30": count(day > t - 30), "correct_30": count((day > t - 30) & ok),
            "reviews_all": func.count(), "correct_all": count(ok),
        }
        per_card = (select(reviews.c.card_id, *(c.label(k) for k, c in columns.items()))
                    .where(reviews.c.kind == "review").group_by(reviews.c.card_id).subquery())
        query = (select(cards.c.category, cards.c.kind,
                        *(func.sum(per_card.c[k]) for k in columns))
                 .select_from(per_card.join(cards, cards.c.id == per_card.c.card_id))
                 .where(cards.c.retired.is_(False))
                 .group_by(cards.c.category, cards.c.kind).order_by(cards.c.category, cards.c.kind))
        with self._read() as conn:
            return [ReviewCounts(r[0], r[1], *(int(v) for v in r[2:7]), float(r[7]), float(r[8]),
                                 *(int(v) for v in r[9:])) for r in conn.execute(query)]

    def answers_per_day(self, first: date, last: date) -> dict[date, int]:
        """Answers of any kind per study day in [first, last]; days without answers are absent."""
        day = reviews.c.study_day
        query = (select(day, func.count()).where(day >= first.toordinal(), day <= last.toordinal())
                 .group_by(day))
        with self._read() as conn:
            return {date.fromordinal(d): n for d, n in conn.execute(query)}

    def answer_count(self, since: date | None = None) -> int:
        """Answers of any kind (reviews, re-drills, practice) from `since` on (None = all)."""
        query = select(func.count()).select_from(reviews)
        if since is not None:
            query = query.where(reviews.c.study_day >= since.toordinal())
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def due_forecast(self, today: date, days: int) -> list[int]:
        """Active cards due on today (overdue included), today+1, … for `days` days."""
        t = today.toordinal()
        offset = func.max(cards.c.due - t, 0)
        query = (select(offset, func.count())
                 .where(cards.c.retired.is_(False), cards.c.suspended.is_(False),
                        cards.c.due.is_not(None), cards.c.due < t + days)
                 .group_by(offset))
        out = [0] * max(days, 0)
        with self._read() as conn:
            for off, n in conn.execute(query):
                out[off] = n
        return out

    def streak(self, today: date) -> int:
        """Consecutive study days with an answer, ending today (or yesterday if today has none)."""
        sql = (
            "WITH d AS (SELECT DISTINCT study_day FROM reviews WHERE study_day <= :t), "
            "g AS (SELECT study_day, study_day - ROW_NUMBER() OVER (ORDER BY study_day) AS run "
            "FROM d) "
            "SELECT COUNT(*), MAX(study_day) FROM g "
            "WHERE run = (SELECT run FROM g ORDER BY study_day DESC LIMIT 1)")
        with self._read() as conn:
            count, last = conn.exec_driver_sql(sql.replace(":t", "?"), (today.toordinal(),)).one()
        return int(count) if last is not None and last >= today.toordinal() - 1 else 0

    def leech_cards(self) -> list[CardRecord]:
        """Active cards with lapses >= LEECH_LAPSES, most lapses first."""
        query = (select(cards).where(cards.c.retired.is_(False), cards.c.suspended.is_(False),
                                     cards.c.lapses >= LEECH_LAPSES)
                 .order_by(cards.c.lapses.desc(), cards.c.position))
        with self._read() as conn:
            return [_record(r) for r in conn.execute(query)]

    def drill_cards(self, category: str, today: date, limit: int) -> list[str]:
        """A category's studied active cards for a weak drill: due first, then lowest EF."""
        is_due = case(((cards.c.due.is_not(None)) & (cards.c.due <= today.toordinal()), 0),
                      else_=1)
        query = (select(cards.c.id)
                 .where(cards.c.retired.is_(False), cards.c.suspended.is_(False),
                        cards.c.reviews > 0, cards.c.category == category)
                 .order_by(is_due, cards.c.ef, cards.c.lapses.desc(), cards.c.position)
                 .limit(max(limit, 0)))
        with self._read() as conn:
            return [r[0] for r in conn.execute(query)]

    def iter_review_rows(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """The whole review log, oldest first, with each card's category and kind; streamed."""
        query = (select(
            reviews.c.id, reviews.c.answered_at, reviews.c.study_day, reviews.c.card_id,
            cards.c.category, cards.c.kind.label("card_kind"), reviews.c.kind, reviews.c.grade,
            reviews.c.correct, reviews.c.response_ms, reviews.c.answer, reviews.c.was_new,
            reviews.c.reps_before, reviews.c.ef_before, reviews.c.interval_before,
            reviews.c.due_before, reviews.c.reps_after, reviews.c.ef_after,
            reviews.c.interval_after, reviews.c.due_after,
        ).select_from(reviews.join(cards, cards.c.id == reviews.c.card_id)).order_by(reviews.c.id))
        with self._read() as conn:
            for row in conn.execution_options(yield_per=batch).execute(query):
                yield dict(row._mapping)

    def card_schedules(self, ids: Iterable[str], chunk: int = ID_CHUNK) -> dict[str, CardSchedule]:
        """The active (not retired) cards among `ids`, as raw rows; read `chunk` ids per query."""
        unique = list(dict.fromkeys(ids))
        out: dict[str, CardSchedule] = {}
        with self._read() as conn:
            for start in range(0, len(unique), chunk):
                part = unique[start:start + chunk]
                # Retired cards are skipped in Python: `retired = 0` in the WHERE clause lets SQLite
                # pick a (retired, …) index and scan every active card once per chunk.
                sql = (f"SELECT retired, {', '.join(CardSchedule._fields)} FROM cards "
                       f"WHERE id IN ({', '.join('?' * len(part))})")
                for row in conn.exec_driver_sql(sql, tuple(part)):
                    if not row[0]:
                        out[row[1]] = CardSchedule(row[1], row[2], bool(row[3]), *row[4:])
        return out

    def iter_card_reviews(self, ids: Iterable[str], kind: str = "review",
                          chunk: int = ID_CHUNK) -> Iterator[ReviewRow]:
        """Logged answers of one kind for the cards among `ids`, streamed `chunk` cards at a time.

        In no particular order (sort by `id` for log order); found through the (kind, card_id, …)
        index, so the cost follows the answers asked for, not the size of the log.
        """
        unique = list(dict.fromkeys(ids))
        with self._read() as conn:
            for start in range(0, len(unique), chunk):
                part = unique[start:start + chunk]
                sql = (f"SELECT {', '.join(ReviewRow._fields)} FROM reviews "
                       f"WHERE kind = ? AND card_id IN ({', '.join('?' * len(part))})")
                for row in conn.exec_driver_sql(sql, (kind, *part)):
                    yield ReviewRow(*row)

    # -- writing -------------------------------------------------------------------------------
    def record(self, card_id: str, grade: int, *, now: datetime, today: date, answer: str = "",
               correct: bool = False, response_ms: int = 0, practice: bool = False) -> ReviewRecord:
        """Log one answer and, if it is the day's first grade of a due card, reschedule it.

        State and log row commit together or not at all.
        """
        with self._write() as conn:
            row = conn.exec_driver_sql(_SELECT_CARD, (card_id,)).first()
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
            # The answer path runs prebuilt SQL: compiling Core statements cost more than the commit.
            log_id = conn.exec_driver_sql(_INSERT_REVIEW, tuple(values[c] for c in _REVIEW_COLUMNS)).lastrowid
            if card_changes:
                conn.exec_driver_sql(_UPDATE_SCHEDULE, (*(card_changes[c] for c in _SCHEDULE_COLUMNS), card_id))
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
        with self._write() as conn:
            _upsert_setting(conn, key, value)


DECK_FINGERPRINT = "deck_fingerprint"  # internal setting: the deck last synced into this file


def _upsert_setting(conn: Connection, key: str, value: Any) -> None:
    conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, json.dumps(value)))


def _check_writable(path: Path) -> None:
    """Refuse up front, rather than after the first answer: every answer is written at once."""
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"{path}: the database file is read-only; quizapp saves every answer to "
                         "it — make it writable (chmod u+rw) or pass --db with another file")
    sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    if not os.access(path.parent, os.W_OK | os.X_OK) and not (
            path.exists() and all(os.access(f, os.R_OK | os.W_OK) for f in sidecars)):
        raise StoreError(f"{path}: the folder {path.parent} is read-only; quizapp needs to create "
                         f"{path.name}" + ("-wal and -shm" if path.exists() else "")
                         + " there — make the folder writable or pass --db with another path")


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


_SELECT_CARD = f"SELECT {_quoted(c.name for c in cards.columns)} FROM cards WHERE id = ?"
_REVIEW_COLUMNS = (
    "card_id", "answered_at", "study_day", "grade", "answer", "correct", "response_ms", "kind", "was_new",
    "reps_before", "ef_before", "interval_before", "due_before", "last_day_before",
    "reps_after", "ef_after", "interval_after", "due_after",
)
_INSERT_REVIEW = (f"INSERT INTO reviews ({_quoted(_REVIEW_COLUMNS)}) "
                  f"VALUES ({', '.join('?' for _ in _REVIEW_COLUMNS)})")
_SCHEDULE_COLUMNS = ("repetitions", "ef", "interval", "due", "lapses", "reviews", "last_review_day")
_UPDATE_SCHEDULE = f"UPDATE cards SET {' = ?, '.join(_quoted([c]) for c in _SCHEDULE_COLUMNS)} = ? WHERE id = ?"


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
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    try:
        cursor.execute("SELECT power(2, 1)")  # SQLite without the math functions: supply it
    except sqlite3.OperationalError:
        dbapi_conn.create_function("power", 2, _power, deterministic=True)
    cursor.close()


def _power(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else float(x) ** float(y)


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")
