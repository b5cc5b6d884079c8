"""Crash safety: real quizapp processes killed with SIGKILL at random moments lose nothing.

QUIZAPP_KILL_TRIALS sets the number of trials (default 20; run 100+ on demand, e.g.
`QUIZAPP_KILL_TRIALS=200 pytest tests/reliability/test_kill.py`); QUIZAPP_KILL_SEED the seed.
Each trial starts a process on the database the previous trials left behind (a fresh file once a
session runs out of cards), answers a random number of cards with random grades, and kills it —
while it waits for input, while it commits, or while it is still starting up. Then, from outside:
`PRAGMA integrity_check` is ok, every acknowledged answer is in the log (and nothing that was never
sent), and every card's state is exactly what its review-log rows say.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.harness import PlainProcess, check_database, log_rows, max_log_id

pytestmark = pytest.mark.slow  # real processes killed at random moments

TRIALS = int(os.environ.get("QUIZAPP_KILL_TRIALS", "20"))
SEED = int(os.environ.get("QUIZAPP_KILL_SEED", "7"))


def run_trial(db: Path, rng: random.Random, trial: int) -> tuple[PlainProcess, str]:
    """One process killed at a random moment; returns it and how it was killed."""
    proc = PlainProcess(db)
    if rng.random() < 0.15:  # during start-up: opening, creating or syncing the database
        time.sleep(rng.uniform(0.0, 0.8))
        proc.kill()
        return proc, "start-up"
    to_answer = rng.randint(0, 8)
    for n in range(to_answer):
        if not proc.answer(f"t{trial}a{n}", rng.choice([0, 1, 2, 3, 3, 4, 4, 5, 5])):
            proc.finish()
            return proc, "finished"
        if n < to_answer - 1 and not proc.wait_ack():
            proc.finish()
            return proc, "finished"
    time.sleep(rng.choice([0.0, rng.uniform(0.0, 0.005), rng.uniform(0.0, 0.05)]))
    proc.kill()
    return proc, f"after {to_answer} grades"


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db_number = 0
    db = tmp_path / f"kill{db_number}.db"
    failures: list[str] = []
    killed = in_flight = in_flight_saved = 0
    for trial in range(TRIALS):
        before = max_log_id(db)
        proc, how = run_trial(db, rng, trial)
        killed += how != "finished"
        problems = check_database(db) if db.exists() else []
        logged = [(answer, grade) for _, _, answer, grade, _ in log_rows(db, before)
                  ] if max_log_id(db) else []
        if logged != proc.sent[:len(logged)]:
            problems.append(f"logged {logged} is not a prefix of sent {proc.sent}")
        if len(logged) < proc.acked:
            problems.append(f"{proc.acked} answers acknowledged, only {len(logged)} logged")
        if len(proc.sent) > proc.acked and how != "finished":
            in_flight += 1  # killed after a grade was sent and before it was acknowledged
            in_flight_saved += len(logged) == len(proc.sent)
        if problems:
            failures.append(f"trial {trial} ({how}, {db.name}): " + "; ".join(problems))
        if how == "finished" or b"Nothing due" in proc.output:
            db_number += 1
            db = tmp_path / f"kill{db_number}.db"
    print(f"\nkill harness (seed {SEED}): {TRIALS} trials, {killed} killed, {in_flight} with a "
          f"grade in flight ({in_flight_saved} of those committed), {db_number + 1} databases, "
          f"{len(failures)} failures")
    assert not failures, "\n".join(failures)


def test_sigkill_between_answers_keeps_every_acknowledged_answer(store_target: Path | str) -> None:
    """On a SQLite file and on a PostgreSQL server (`store_target`)."""
    db = store_target
    proc = PlainProcess(db)
    for n in range(5):
        assert proc.answer(f"a{n}", 4)
        assert proc.wait_ack()
    assert proc.acked == 5
    proc.kill(signal.SIGKILL)
    assert [a for _, _, a, _, _ in log_rows(db)] == [f"a{n}" for n in range(5)]
    assert check_database(db) == []
