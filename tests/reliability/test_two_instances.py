"""Two (or more) quizapp processes on one database: both work, nothing is lost or counted twice,
and nobody sees "database is locked" (writes queue up behind BEGIN IMMEDIATE and the busy timeout).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reliability.harness import PlainProcess, check_database, clean_env, log_rows

pytestmark = pytest.mark.slow  # real processes writing one file at once


def hammers(db: Path, count: int, processes: int) -> list[subprocess.Popen[str]]:
    return [subprocess.Popen([sys.executable, "-m", "tests.reliability.hammer", str(db), str(seed),
                              str(count)], cwd=ROOT, env=clean_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for seed in range(processes)]


@pytest.mark.parametrize("fresh", [True, False], ids=["new-db", "existing-db"])
def test_concurrent_writers_lose_nothing(tmp_path: Path, fresh: bool) -> None:
    db = tmp_path / "q.db"
    if not fresh:
        [warm] = hammers(db, 5, 1)
        assert warm.wait(timeout=60) == 0
    before = len(log_rows(db)) if db.exists() else 0
    procs = hammers(db, 150, 4)  # four processes start together, creating or opening the file
    acked: list[tuple[int, str]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and err == "", err
        acked += [(int(line.split()[1]), line.split()[2]) for line in out.splitlines()]
    assert len(acked) == 600
    rows = log_rows(db)[before:]
    assert sorted(acked) == sorted((row_id, answer) for row_id, _, answer, _, _ in rows)
    assert check_database(db) == []  # incl. at most one schedule-moving review per card and day


def test_two_plain_sessions_answering_the_same_cards(tmp_path: Path) -> None:
    """Both sessions queue the same new cards; whoever answers a card second gets a re-drill."""
    db = tmp_path / "q.db"
    first, second = PlainProcess(db), PlainProcess(db)
    running = {"a": first, "b": second}
    for n in range(100):
        for name, proc in list(running.items()):
            if not (proc.answer(f"{name}{n}", 4 if n % 3 else 1) and proc.wait_ack()):
                del running[name]  # its session is over
        if not running:
            break
    for proc in (first, second):
        code, err = proc.finish()
        assert code == 0 and "Traceback" not in err and "locked" not in err, err
    rows = log_rows(db)
    assert sorted(a for _, _, a, _, _ in rows) == sorted(a for p in (first, second) for a, _ in p.sent)
    reviews = [card for _, card, _, _, kind in rows if kind == "review"]
    assert len(reviews) == len(set(reviews)) == 12  # each new card reviewed once, by either
    assert check_database(db) == []


def test_a_long_write_elsewhere_makes_quizapp_wait_not_fail(tmp_path: Path) -> None:
    """Another process holds the write lock for 1 s (< the 5 s busy timeout): the answer waits."""
    import sqlite3
    import threading
    import time

    db = tmp_path / "q.db"
    proc = PlainProcess(db)
    assert proc.answer("a0", 4) and proc.wait_ack()
    blocker = sqlite3.connect(db, isolation_level=None, timeout=10, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    threading.Timer(1.0, blocker.rollback).start()
    started = time.monotonic()
    assert proc.answer("a1", 4) and proc.wait_ack()
    assert time.monotonic() - started >= 0.9
    blocker.close()
    code, err = proc.finish()
    assert code == 0 and err == ""
    assert [a for _, _, a, _, _ in log_rows(db)] == ["a0", "a1"]


def test_a_lock_held_too_long_gives_one_clear_line(tmp_path: Path) -> None:
    """Past the busy timeout the answer is not saved, and the user is told so in one line."""
    import sqlite3

    db = tmp_path / "q.db"
    proc = PlainProcess(db)
    assert proc.answer("a0", 4) and proc.wait_ack()
    blocker = sqlite3.connect(db, isolation_level=None, timeout=10)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        assert proc.answer("a1", 4)
        code, err = proc.finish()
    finally:
        blocker.rollback()
        blocker.close()
    assert code == 1, err
    assert err.strip() == (f"quizapp: {db}: the database is busy in another quizapp window; "
                           "close it and try again")
    assert [a for _, _, a, _, _ in log_rows(db)] == ["a0"]
    assert check_database(db) == []
