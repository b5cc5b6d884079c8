"""What differs between the two engines a store runs on, SQLite (embedded) and PostgreSQL (a server).

Everything else in the store is written once: SQLAlchemy Core renders the statements for either
engine, and the few prebuilt SQL strings of the answer path are written with `?` placeholders and
translated here for psycopg (`%s`). The driver connection is wrapped in `RawDB`, so `Store.record`
and the summary code run the same lines on both.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

SERVER_SCHEMES = ("postgresql", "postgres")


def is_server(target: object) -> bool:
    """A `--db` value naming a PostgreSQL server (`postgresql+psycopg://user@host/db`) rather
    than a file. `postgres://` is accepted too: libpq and many hosting services print it."""
    text = str(target)
    scheme = text.split("://", 1)[0].split("+", 1)[0].lower() if "://" in text else ""
    return scheme in SERVER_SCHEMES


def server_url(target: str) -> str:
    """The SQLAlchemy URL for a server `--db`: psycopg (version 3) unless a driver is named."""
    scheme, rest = target.split("://", 1)
    if "+" not in scheme:
        scheme = "postgresql+psycopg"
    elif scheme.lower().startswith("postgres+"):
        scheme = "postgresql+" + scheme.split("+", 1)[1]
    return f"{scheme}://{rest}"


def redacted(target: str) -> str:
    """The URL as messages show it: a password never appears in a line quizapp prints."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(server_url(target)).render_as_string(hide_password=True)
    except Exception:
        return target.split("://", 1)[0] + "://…"


class greatest(GenericFunction):
    """The larger of its arguments: `greatest` on PostgreSQL, SQLite's two-argument `max`."""

    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: Any, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


@lru_cache(maxsize=256)
def pg_sql(sql: str) -> str:
    """`sql` with SQLite's `?` placeholders as psycopg's `%s` (and a literal % doubled). The
    statements passed here are the store's own constants: no `?` inside a quoted literal."""
    return sql.replace("%", "%%").replace("?", "%s")


class RawDB:
    """The driver's own connection (sqlite3 or psycopg) behind one interface: `execute` with `?`
    placeholders, `executemany`, and one transaction (`transaction`) or one consistent snapshot
    of several reads (`snapshot`). What the answer path and the summaries use."""

    def __init__(self, db: Any, server: bool):
        self.db = db
        self.server = server

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.server:
            return self.db.execute(pg_sql(sql), tuple(params))
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self.server:
            with self.db.cursor() as cursor:
                cursor.executemany(pg_sql(sql), rows)
        else:
            self.db.executemany(sql, rows)

    @property
    def broken(self) -> bool:
        """A server connection left mid-query (a signal interrupted it) or closed: it must not go
        back to the pool."""
        if not self.server:
            return False
        from psycopg.pq import TransactionStatus

        return self.db.closed or self.db.info.transaction_status in (
            TransactionStatus.ACTIVE, TransactionStatus.UNKNOWN)

    @property
    def in_transaction(self) -> bool:
        if self.server:
            from psycopg.pq import TransactionStatus

            return self.db.info.transaction_status != TransactionStatus.IDLE
        return self.db.in_transaction

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE on SQLite (the file's write lock up front); on PostgreSQL the driver's
        implicit transaction, whose row locks (`SELECT … FOR UPDATE`) serialise answers to one
        card. Committed at the end, rolled back on any error (nothing of it stays)."""
        try:
            if not self.server:
                self.db.execute("BEGIN IMMEDIATE")
            yield
            if self.server:
                self.db.commit()
            else:
                self.db.execute("COMMIT")
        except BaseException:
            if not self.server:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            try:
                if self.in_transaction:
                    self.db.rollback()
            except Exception:
                self.db.close()  # connection is unusable; closing it rolls back on the server
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the store (SQLite: one read transaction; psycopg
        reads inside its implicit transaction, ended here)."""
        if not self.server:
            self.db.execute("BEGIN")
        try:
            yield
        finally:
            if self.server:
                self.db.rollback()
            else:
                self.db.execute("COMMIT")


def driver_errors() -> tuple[type[BaseException], ...]:
    """The driver exceptions a raw statement can raise (psycopg only if it is installed)."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


def upsert(conn: Any, table: Any, values: dict[str, Any], key: Sequence[str]) -> None:
    """INSERT `values` into `table`, or update the row with the same `key` columns: the same
    statement on both engines (both have INSERT … ON CONFLICT DO UPDATE)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={c: statement.excluded[c] for c in values if c not in key})
    conn.execute(statement)


_DEFERRED = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


@contextmanager
def signals_deferred(active: bool) -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held back until the block ends (`active`: a server store).

    SQLite finishes a statement before Python sees a signal; psycopg can be interrupted between
    sending a statement and reading its result, which leaves the connection unusable and the
    clean-up failing. Held back, a signal arrives just after the transaction committed or rolled
    back, and quizapp stops as cleanly as on a file. (A server that stops answering is given up
    after the connect timeout; see `quizapp.store.server`.)"""
    if not active or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
