"""The PostgreSQL side of the benchmark: the same collection, copied into a real server.

The server is QUIZAPP_BENCH_PG_URL if set, else a private one started for the run with fsync and
synchronous commit on (a durable server, as SQLite runs with synchronous=FULL), on this machine
over TCP loopback; the figures' notes say which. The collection goes in through
`quizapp migrate-store`'s own copy (`quizapp.store.transfer`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

URL_ENV = "QUIZAPP_BENCH_PG_URL"


@contextmanager
def server() -> Iterator[tuple[str, str]]:
    """(URL of a fresh schema, a note on the server) for one benchmark run."""
    from tests.pg import drop_schema, new_schema, start_private_server

    base = os.environ.get(URL_ENV) or start_private_server(durable=True)
    name, url = new_schema(base)
    engine = create_engine(base)
    with engine.connect() as conn:
        fsync = conn.execute(text("SHOW fsync")).scalar_one()
        commit = conn.execute(text("SHOW synchronous_commit")).scalar_one()
        version = conn.execute(text("SHOW server_version")).scalar_one().split()[0]
    engine.dispose()
    try:
        yield url, f"PostgreSQL {version}, fsync={fsync}, synchronous_commit={commit}, loopback TCP"
    finally:
        drop_schema(base, name)


def load(db: Path, url: str) -> float:
    """Copy the SQLite collection at `db` into the server; returns the seconds it took."""
    from quizapp.store.store import Store
    from quizapp.store.transfer import copy_learner

    started = time.perf_counter()
    with Store.open(db) as source, Store.open(url, source.learner) as target:
        copy_learner(source, target)
    return time.perf_counter() - started
