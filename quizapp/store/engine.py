"""Opening a quizapp database file, and the transactions every other store module runs in.

SQLite runs in WAL mode with `synchronous=FULL`: a kill, crash or power cut after an answer was
acknowledged cannot lose it. Writes take the lock up front (`BEGIN IMMEDIATE`) so two quizapp
processes on one file queue up behind the busy timeout instead of failing mid-transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.exc import DBAPIError

from quizapp.store.errors import StoreError, describe_db_error
from quizapp.store.migrate import stamp, upgrade
from quizapp.store.schema import QUIZAPP_TABLES, SCHEMA_VERSION, ix_reviews_stats, metadata
from quizapp.store.summary import create_triggers

BUSY_TIMEOUT_MS = 5000


class Database:
    """An open database file: the engine and the two kinds of transaction. Open with `open(path)`;
    close when done. The store's concerns (writes, queue reads, aggregates, bulk reads) are
    subclasses of this, combined into `quizapp.store.store.Store`."""

    def __init__(self, path: Path, engine: Any):
        self.path = path
        self._engine = engine
        self.upgraded: tuple[int, Path] | None = None  # (old schema, backup copy) if migrated now

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> Self:
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
        """Refuse files that are not ours (or are newer), then create, upgrade or top up the schema."""
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
                create_triggers(conn)
                stamp(conn, SCHEMA_VERSION)
        elif version < SCHEMA_VERSION:  # imports Alembic: only when a migration is pending
            self.upgraded = (version, upgrade(self._engine, self.path, version))
        elif ix_reviews_stats.name not in indexes:  # files made before the statistics index
            with self._write() as conn:
                ix_reviews_stats.create(conn, checkfirst=True)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
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

    @contextmanager
    def _raw(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """The driver's own connection, for the answer path: SQLAlchemy's connection, transaction
        and result objects cost more CPU per answer than SQLite's work (0.25 ms per transaction,
        0.1 ms per statement). `write`: one transaction, BEGIN IMMEDIATE as `_write`; otherwise
        each statement is its own (autocommit) read."""
        try:
            pooled = self._engine.raw_connection()
        except DBAPIError as exc:
            raise StoreError(describe_db_error(self.path, exc)) from None
        try:
            db = pooled.driver_connection
            if not write:
                yield db
                return
            try:
                db.execute("BEGIN IMMEDIATE")
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # an error, or a failed COMMIT: nothing of it stays
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(describe_db_error(self.path, exc)) from None
        finally:
            pooled.close()

    def _read(self) -> AbstractContextManager[Connection]:
        return self._transaction(write=False)

    def _write(self) -> AbstractContextManager[Connection]:
        return self._transaction(write=True)


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


def _on_connect(dbapi_conn: sqlite3.Connection, _connection_record: Any) -> None:
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
