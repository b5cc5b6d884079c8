"""A store on a PostgreSQL server: `--db postgresql+psycopg://user@host/db`.

The same tables as a file (`quizapp.store.schema`), created at the head revision and recorded in
Alembic's `alembic_version` (a server has no `PRAGMA user_version`); a later schema is reached with
the same Alembic revisions. What SQLite's file lock did, PostgreSQL does with locks of its own:

- one answer locks its card's row (`SELECT … FOR UPDATE`, `Store.record`), so two sessions of
  one learner answering the same card queue up and each sees the other's result;
- every other write (deck sync, undo, settings, rescheduling) takes a transaction-scoped advisory
  lock named after the learner, so a learner's writes run one at a time, as on one file, while
  different learners never wait for each other;
- the schema is created under an advisory lock of its own, so two first starts cannot both try.
"""

from __future__ import annotations

import zlib
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError

from quizapp.store.dialect import redacted, server_url
from quizapp.store.errors import StoreError
from quizapp.store.learners import login_name
from quizapp.store.migrate import run_alembic, stamp
from quizapp.store.schema import QUIZAPP_TABLES, SCHEMA_VERSION, metadata
from quizapp.store.summary import create_triggers

SCHEMA_LOCK = 0x71756978  # advisory lock key while creating or upgrading the schema ("quix")
POSTGRES_EXTRA = "pip install 'quizapp[postgres]'"
CONNECT_TIMEOUT_S = 10  # a server that does not answer is one line after this, not a hang

StoreT = TypeVar("StoreT")


class ServerName(str):
    """What messages call a server store: its URL without the password."""

    __slots__ = ()


def learner_lock(learner: str) -> int:
    """The advisory lock key of one learner (a signed 64-bit number, stable across processes)."""
    return zlib.crc32(learner.encode()) | (1 << 32)


def lock_learner(conn: Connection, learner: str) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": learner_lock(learner)})


def open_server(cls: type[StoreT], target: str, learner: str | None) -> StoreT:
    """`cls` (a store class) on the server at `target`, its schema created or upgraded."""
    shown = ServerName(redacted(target))
    try:
        url = server_url(target)
        timeout = {} if "connect_timeout" in url else {"connect_timeout": CONNECT_TIMEOUT_S}
        engine = create_engine(url, pool_pre_ping=True, connect_args=timeout)
    except ImportError:
        raise StoreError(f"{shown}: PostgreSQL needs its driver; install it with {POSTGRES_EXTRA}"
                         ) from None
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"{shown}: not a usable database URL ({exc})") from None
    store: Any = cls(shown, engine, learner or login_name())
    store.server = True
    try:
        with engine.connect() as conn, conn.begin():
            store.upgraded = prepare(conn, shown, store.learner)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(describe_server_error(shown, exc)) from None
    except StoreError:
        engine.dispose()
        raise
    return store


def prepare(conn: Connection, shown: str, learner: str) -> tuple[int, Any] | None:
    """Create the schema in an empty database, upgrade an older one, refuse a foreign or newer
    one; returns (old version, None) if it upgraded (a server keeps no copy: back it up with
    pg_dump first, as the README says)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
    tables = set(inspect(conn).get_table_names())
    ours = tables & (QUIZAPP_TABLES | {"alembic_version"})
    if not ours:
        metadata.create_all(conn)
        create_triggers(conn)
        stamp(conn, SCHEMA_VERSION)
        return None
    if not (tables >= QUIZAPP_TABLES and "alembic_version" in tables):
        raise StoreError(f"{shown}: this database has tables named {', '.join(sorted(ours))} that "
                         "are not a quizapp store; it was left untouched — use another database "
                         "(or another schema: ?options=-csearch_path%3Dquizapp)")
    found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()
    version = int(found) if found is not None and str(found).isdigit() else 0
    if version > SCHEMA_VERSION:
        raise StoreError(f"{shown}: made by a newer quizapp (schema {version}, this one knows "
                         f"{SCHEMA_VERSION}); it was left untouched — upgrade quizapp")
    if version < SCHEMA_VERSION:
        run_alembic(conn, version, learner)
        stamp(conn, SCHEMA_VERSION)
        return (version, None)
    return None


def describe_server_error(shown: str, exc: DBAPIError) -> str:
    return describe_server_text(shown, str(exc.orig or exc))


def describe_server_text(shown: str, text: str) -> str:
    """One line for what a server can answer: unreachable, refused login, missing database."""
    detail = " ".join(text.split())
    low = detail.lower()
    if "connection refused" in low or "could not connect" in low or "no such file" in low \
            or "timeout" in low or "could not translate host" in low or "name or service" in low:
        return f"{shown}: cannot reach the PostgreSQL server ({detail[:200]}); is it running?"
    if "password authentication" in low or "authentication failed" in low or "no pg_hba" in low:
        return f"{shown}: the server refused the login ({detail[:200]})"
    if "does not exist" in low and "database" in low:
        return f"{shown}: no such database on the server; create it first (createdb) ({detail[:160]})"
    if "permission denied" in low:
        return f"{shown}: the server refused ({detail[:200]}); the role needs CREATE on the schema"
    return f"{shown}: database error: {detail[:300]}"
