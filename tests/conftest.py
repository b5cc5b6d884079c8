"""Shared fixtures: a small deck, the one movable clock every test uses, and an app context on a
real SQLite file (a new one per test, in the test's own tmp_path, so tests run in parallel)."""

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


@pytest.fixture
def ctx(tmp_path: Path, clock: Clock) -> Iterator[AppContext]:
    context = AppContext.open(tmp_path / "quiz.db", [MINI_DECK], clock=clock)
    context.update_settings(timezone="UTC")
    yield context
    context.close()


@pytest.fixture
def rng() -> random.Random:
    return random.Random(0)
