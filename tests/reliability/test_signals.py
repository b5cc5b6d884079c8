"""Ctrl-C, SIGTERM and SIGHUP (terminal closed) end plain mode cleanly: exit code 128 + signal,
no traceback, every acknowledged answer saved, the database closed (its WAL file removed)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.harness import PlainProcess, check_database, log_rows

pytestmark = pytest.mark.slow  # real processes sent signals


def wait_until_open(proc: PlainProcess, db: Path, timeout: float = 30) -> None:
    """Until the process has the database file open (so quizapp's main() is running)."""
    fds = Path(f"/proc/{proc.proc.pid}/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc")
    deadline = time.monotonic() + timeout
    while proc.proc.poll() is None and time.monotonic() < deadline:
        for fd in list(fds.iterdir()) if fds.is_dir() else []:
            try:
                if os.readlink(fd) == str(db.resolve()):
                    return
            except OSError:
                pass
        time.sleep(0.001)


SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_signal_while_waiting_for_an_answer(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "q.db"
    proc = PlainProcess(db)
    for n in range(3):
        assert proc.answer(f"a{n}", 3 + n)
        assert proc.wait_ack()
    code, err = proc.kill(signum)
    assert code == 128 + signum, err
    assert "Traceback" not in err and err == ""
    assert [(a, g) for _, _, a, g, _ in log_rows(db)] == proc.sent
    assert check_database(db) == []
    assert not Path(f"{db}-wal").exists()  # closed cleanly: the last connection checkpointed


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("delay", [0.0, 0.002, 0.01])
def test_signal_right_after_a_grade(store_target: Path | str, signum: int, delay: float) -> None:
    """The grade may or may not be committed; either way it is all or nothing (on a SQLite file
    and on a PostgreSQL server)."""
    db = store_target
    proc = PlainProcess(db)
    assert proc.answer("a0", 4) and proc.wait_ack()
    assert proc.answer("a1", 1)
    time.sleep(delay)
    code, err = proc.kill(signum)
    assert code in (0, 128 + signum) and "Traceback" not in err, err
    logged = [(a, g) for _, _, a, g, _ in log_rows(db)]
    assert logged in (proc.sent[:1], proc.sent)
    assert len(logged) >= proc.acked
    assert check_database(db) == []


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_signal_while_opening_the_database(tmp_path: Path, signum: int) -> None:
    """Signals from the moment the database file appears: creating, syncing, building the queue.

    (Before quizapp's main() runs, in the interpreter's own first ~50 ms, Python's defaults apply.)
    """
    for attempt, delay in enumerate((0.0, 0.01, 0.03, 0.06, 0.1)):
        db = tmp_path / f"q{attempt % 2}.db"  # every other run on an existing database
        proc = PlainProcess(db)
        wait_until_open(proc, db)
        time.sleep(delay)
        code, err = proc.kill(signum)
        assert code in (128 + signum, 0), err
        assert "Traceback" not in err, err
        assert check_database(db) == []
