"""Shared fixtures: a small deck, the one movable clock every test uses, and an app context on a
real store: a SQLite file (a new one per test, in the test's own tmp_path, so tests run in
parallel) and, for the store, session and statistics tests, also a PostgreSQL database (a new
schema per test on a real server, `tests.pg`).

A test in those folders that uses `ctx` (or `store_target`) runs once per engine, ids `sqlite` and
`pg`; one that reads the SQLite file itself is marked `sqlite_only`."""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.session.context import AppContext

# Tests (and the processes they start) keep the deck cache out of the user's cache folder. Set
# once, before pytest-xdist starts its workers, so they share one folder (the cache writes each
# file atomically under a new name, so parallel writers are safe) and it is new for every run.
CACHE = "QUIZAPP_CACHE"
os.environ.setdefault(CACHE, tempfile.mkdtemp(prefix="quizapp-test-cache-"))


def child_env() -> dict[str, str]:
    """The environment for a `quizapp` process a test starts: none of the QUIZAPP_* settings of
    whoever runs the tests (database, decks …), except the tests' own deck cache."""
    return {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_") or k == CACHE}

ROOT = Path(__file__).resolve().parent.parent
MINI_DECK = ROOT / "tests" / "data" / "mini"
BUNDLED_DECK = ROOT / "decks" / "llm-compute"


class Clock:
    """A clock tests can move; starts at noon UTC on a fixed day."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mini_deck() -> Path:
    return MINI_DECK


ENGINE_FOLDERS = {"store", "session", "stats", "reliability"}  # their tests run on both engines


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: reads or damages the SQLite file itself; "
                                       "not run on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    folder = Path(str(metafunc.definition.fspath)).parent.name
    both = folder in ENGINE_FOLDERS and metafunc.definition.get_closest_marker("sqlite_only") is None
    metafunc.parametrize("engine", ["sqlite", "pg"] if both else ["sqlite"], ids=lambda e: e)


@pytest.fixture
def pg_server_url() -> str:
    from tests.pg import server_url

    return server_url()


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema, as a `--db` URL."""
    from tests.pg import drop_schema, new_schema

    name, url = new_schema(pg_server_url)
    yield url
    drop_schema(pg_server_url, name)


@pytest.fixture
def store_target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where a test's store lives: a new SQLite file, or a new PostgreSQL schema."""
    if engine == "pg":
        return request.getfixturevalue("pg_url")
    return tmp_path / "quiz.db"


@pytest.fixture
def ctx(store_target: Path | str, clock: Clock) -> Iterator[AppContext]:
    context = AppContext.open(store_target, [MINI_DECK], clock=clock)
    context.update_settings(timezone="UTC")
    yield context
    context.close()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(0)
