"""File identity with real processes: a database with two names is refused; deleting the file, or
moving another file over its name, under a running session stops it with one line naming the
answer that was not saved — and that answer is never acknowledged."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.reliability.harness import PlainProcess, log_rows
from tests.reliability.test_restore import answer, one_line, run


def test_a_database_with_two_names_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    answer(db, 2)
    other = tmp_path / "same.db"
    os.link(db, other)
    for name in (db, other):
        line = one_line(run(name, "quiz", "--plain"))
        assert line.startswith(f"quizapp: {name}: the database file has 2 names (hard links)")
    assert len(log_rows(db)) == 2


@pytest.mark.parametrize("change", ["deleted", "moved-over", "hard-linked"])
def test_a_file_changed_under_a_session_stops_it_and_nothing_is_acknowledged(
        tmp_path: Path, change: str) -> None:
    db = tmp_path / "q.db"
    answer(db, 1)
    backup = tmp_path / "bk.db"
    shutil.copy(db, backup)
    proc = PlainProcess(db)
    for n in range(2):
        assert proc.answer(f"a{n}", 4) and proc.wait_ack()
    if change == "deleted":
        db.unlink()
    elif change == "moved-over":
        os.replace(backup, db)
    else:
        os.link(db, tmp_path / "second-name.db")
    assert proc.answer("lost", 4)
    assert not proc.wait_ack()  # the process ended instead of going on
    code, err = proc.kill()
    assert proc.acked == 2
    assert code == 1 and "Traceback" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"quizapp: {db}: ")
    assert "not saved: the answer to card " in lines[0]
    assert "the 2 earlier answer(s) of this session went to the file" in lines[0]
    if change == "hard-linked":  # still the file the user named: the answers are in it
        assert [r[2] for r in log_rows(db)] == ["a0", "a0", "a1"]
        return
    rescued = Path(lines[0].split("this session's answers are saved in ", 1)[1])
    assert [r[2] for r in log_rows(rescued)] == ["a0", "a0", "a1"]  # nothing acknowledged is lost
    assert not Path(f"{db}-wal").exists()  # no stale WAL left at the name
    if change == "moved-over":  # the file now named q.db is the copy, with its one answer
        assert [r[2] for r in log_rows(db)] == ["a0"]


def test_a_file_replaced_after_the_last_answer_is_said_at_exit(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    answer(db, 1)
    backup = tmp_path / "bk.db"
    shutil.copy(db, backup)
    proc = PlainProcess(db)
    for n in range(2):
        assert proc.answer(f"a{n}", 4) and proc.wait_ack()
    os.replace(backup, db)
    code, err = proc.finish()  # end of input: the session ends normally, then the check at exit
    assert code == 1 and "Traceback" not in err, err
    [line] = err.splitlines()
    assert "replaced by another file" in line and "the 2 answer(s) of this session" in line
    rescued = Path(line.split("this session's answers are saved in ", 1)[1])
    assert [r[2] for r in log_rows(rescued)] == ["a0", "a0", "a1"]
    assert [r[2] for r in log_rows(db)] == ["a0"] and not Path(f"{db}-wal").exists()
