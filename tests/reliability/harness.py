"""Drive real `quizapp quiz --plain` processes through pipes, and check a database from outside.

The checks use raw `sqlite3`, not quizapp's code, so a bug in the store cannot hide itself.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import MINI_DECK, child_env

ANSWER_PROMPT = b"> "
GRADE_PROMPT = b"] > "
NEW_CARD = (0, 250, 0, None, 0, 0, None)  # repetitions, ef, interval, due, reviews, lapses, last day


def quizapp_command(db: Path | str, *args: str, deck: Path = MINI_DECK) -> list[str]:
    return [sys.executable, "-m", "quizapp", "--db", str(db), "--deck", str(deck), *args]


def clean_env() -> dict[str, str]:
    env = child_env()
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class PlainProcess:
    """One `quizapp quiz --plain` process answered line by line.

    An answer counts as acknowledged once the process writes anything after reading its grade:
    plain mode only writes again after the grade was committed.
    """

    db: Path | str
    args: Sequence[str] = ()
    sent: list[tuple[str, int]] = field(default_factory=list)  # (answer, grade) pairs sent
    acked: int = 0
    output: bytearray = field(default_factory=bytearray)

    def __post_init__(self) -> None:
        self.proc = subprocess.Popen(
            quizapp_command(self.db, "quiz", "--plain", *self.args), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(), bufsize=0)
        self._seen = 0  # output length when the last grade was sent
        self._mark = 0  # output length when the last line was sent: prompts before it are old

    def read_until_prompt(self, timeout: float = 30.0) -> bytes | None:
        """Read until the process waits for input; returns the prompt kind, None when it exited."""
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            if self.sent and self._acknowledged():
                self.acked = len(self.sent)
            if len(self.output) > self._mark:
                if self.output.endswith(GRADE_PROMPT):
                    return GRADE_PROMPT
                if self.output.endswith(ANSWER_PROMPT):
                    return ANSWER_PROMPT
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no prompt from quizapp; output so far:\n{self.output.decode()}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return None
                self.output += chunk

    def _acknowledged(self) -> bool:
        """Text after the last grade acknowledges it; the bare newline an interrupted prompt ends
        with (so the shell's prompt gets its own line) does not."""
        return bool(self.output[self._seen:].strip())

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self._mark = len(self.output)
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def answer(self, token: str, grade: int) -> bool:
        """Answer the current card and grade it; False when the session is over."""
        if self.read_until_prompt() != ANSWER_PROMPT:
            return False
        self.send(token)
        if self.read_until_prompt() != GRADE_PROMPT:
            return False
        self._seen = len(self.output)
        self.sent.append((token, grade))
        self.send(str(grade))
        return True

    def wait_ack(self) -> bool:
        """Wait until the last grade is acknowledged (True) or the session ended (False)."""
        return self.read_until_prompt() is not None

    def kill(self, signum: int = signal.SIGKILL) -> tuple[int, str]:
        """Send a signal; returns (exit code, stderr). Any output still unread still acknowledges."""
        self.proc.send_signal(signum)
        out, err = self.proc.communicate(timeout=30)
        if out:
            self.output += out
            if self.sent and self._acknowledged():
                self.acked = len(self.sent)
        return self.proc.returncode, err.decode(errors="replace")

    def finish(self) -> tuple[int, str]:
        """Close stdin (end of input) and wait."""
        out, err = self.proc.communicate(timeout=30)
        self.output += out
        return self.proc.returncode, err.decode(errors="replace")


def _server_rows(url: str, sql: str, params: dict) -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _is_server(db: Path | str) -> bool:
    return isinstance(db, str) and "://" in db


def log_rows(db: Path | str, after_id: int = 0) -> list[tuple[int, str, str, int, str]]:
    """(id, card_id, answer, grade, kind) of every logged answer with id > after_id."""
    sql = "SELECT id, card_id, answer, grade, kind FROM reviews WHERE id > :after ORDER BY id"
    if _is_server(db):
        return _server_rows(str(db), sql, {"after": after_id})
    with closing(sqlite3.connect(db)) as raw:
        return raw.execute(sql.replace(":after", "?"), (after_id,)).fetchall()


def max_log_id(db: Path | str) -> int:
    if _is_server(db):
        return _server_rows(str(db), "SELECT coalesce(max(id), 0) FROM reviews", {})[0][0]
    db = Path(db)
    if not db.exists() or db.stat().st_size == 0:
        return 0
    with closing(sqlite3.connect(db)) as raw:
        if not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'reviews'").fetchone():
            return 0
        return raw.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]


def check_database(db: Path | str) -> list[str]:
    """Every invariant a crash must not break; returns the problems (empty = fine). `db` is a
    SQLite file or a PostgreSQL URL (`tests.pg`)."""
    if _is_server(db):
        from sqlalchemy import create_engine, text

        engine = create_engine(db)
        try:
            with engine.connect() as conn:
                def query(sql: str, params: tuple = ()) -> list[tuple]:
                    names = {f"p{i}": v for i, v in enumerate(params)}
                    for i in range(len(params)):
                        sql = sql.replace("?", f":p{i}", 1)
                    return [tuple(r) for r in conn.execute(text(sql), names)]

                return _invariants(query)
        finally:
            engine.dispose()
    with closing(sqlite3.connect(db)) as raw:
        integrity = raw.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            return [f"integrity_check: {integrity}"]
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"cards", "reviews", "settings"} <= tables:
            return []  # killed before the schema was committed: an empty database is consistent
        broken = ["foreign keys broken"] if raw.execute("PRAGMA foreign_key_check").fetchall() else []
        return broken + _invariants(lambda sql, params=(): raw.execute(sql, params).fetchall())


def _invariants(query) -> list[str]:
    """Each card's state is what its logged reviews say, review by review (every learner)."""
    problems: list[str] = []
    cards = query("SELECT learner, id, repetitions, ef, interval, due, reviews, lapses, "
                  "last_review_day FROM cards")
    for learner, card_id, *state in cards:
        rows = query(
            "SELECT reps_before, ef_before, interval_before, due_before, last_day_before, "
            "reps_after, ef_after, interval_after, due_after, grade, study_day FROM reviews "
            "WHERE learner = ? AND card_id = ? AND kind = 'review' ORDER BY id", (learner, card_id))
        expected = list(NEW_CARD)
        days = [r[10] for r in rows]
        if len(days) != len(set(days)):
            problems.append(f"{card_id}: two schedule-moving reviews on one study day")
        for row in rows:
            before = list(row[:5])
            if before != [expected[0], expected[1], expected[2], expected[3], expected[6]]:
                problems.append(f"{card_id}: review chain broken: {before} after {expected}")
            reps, ef, interval, due, grade, day = row[5], row[6], row[7], row[8], row[9], row[10]
            if interval < 0 or (due is not None and due < day):
                problems.append(f"{card_id}: negative interval {interval} (due {due}, day {day})")
            expected = [reps, ef, interval, due, expected[4] + 1, expected[5] + (grade < 3), day]
        if list(state) != expected:
            problems.append(f"{card_id}: state {state} but its log says {expected}")
    return problems
