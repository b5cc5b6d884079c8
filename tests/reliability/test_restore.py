"""`quizapp restore` and refusals that touch nothing, with real processes: a `kill -9` leaves a
WAL behind, another quizapp holds the file open, a damaged file has a `-wal` beside it."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.reliability.harness import PlainProcess, check_database, clean_env, log_rows, quizapp_command


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(quizapp_command(db, *args), capture_output=True, text=True,
                          env=clean_env(), check=False, timeout=60, stdin=subprocess.DEVNULL)


def answer(db: Path, count: int, kill: bool = False) -> PlainProcess:
    proc = PlainProcess(db)
    for n in range(count):
        assert proc.answer(f"a{n}", 4) and proc.wait_ack()
    if kill:
        proc.kill()
    else:
        assert proc.finish()[0] == 0
    return proc


def files(db: Path) -> dict[str, str]:
    """Every file of the database's set (db, -wal, -shm) and a hash of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(db.parent.iterdir()) if p.name.startswith(db.name)}


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def crashed(tmp_path: Path) -> tuple[Path, Path]:
    """A database with 2 answers backed up, then 3 more by a session killed with SIGKILL."""
    db = tmp_path / "q.db"
    answer(db, 2)
    backup = tmp_path / "bk.db"
    assert run(db, "backup", str(backup)).returncode == 0
    answer(db, 3, kill=True)
    assert Path(f"{db}-wal").stat().st_size > 0  # the crashed session's answers are in the WAL
    return db, backup


def test_restore_after_kill_9_installs_the_backup_not_the_stale_wal(crashed: tuple[Path, Path]
                                                                     ) -> None:
    db, backup = crashed
    expected = log_rows(backup)
    before = files(backup)
    result = run(db, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert log_rows(db) == expected and len(expected) == 2
    assert check_database(db) == []
    kept = Path(result.stdout.split("kept at ", 1)[1].strip())
    assert len(log_rows(kept)) == 5  # the crashed session's answers are kept, not lost
    assert check_database(kept) == []
    assert files(backup) == before  # the backup itself was only read
    assert run(db, "due").returncode == 0  # and quizapp opens the restored file


def test_restore_is_refused_while_another_quizapp_has_the_file_open(crashed: tuple[Path, Path]
                                                                    ) -> None:
    db, backup = crashed
    other = PlainProcess(db)
    assert other.answer("x", 4) and other.wait_ack()
    before = files(db)
    line = one_line(run(db, "restore", str(backup)))
    assert "open in another quizapp" in line and "nothing was changed" in line
    assert files(db) == before
    assert other.answer("y", 4) and other.wait_ack()  # the open session goes on undisturbed
    assert other.finish()[0] == 0
    assert len(log_rows(db)) == 7


@pytest.mark.parametrize("bad", ["damaged", "foreign", "missing"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(crashed: tuple[Path, Path], bad: str
                                                          ) -> None:
    db, backup = crashed
    if bad == "damaged":
        data = bytearray(backup.read_bytes())
        data[4096 * 3: 4096 * 4] = bytes(range(256)) * 16
        backup.write_bytes(bytes(data))
    elif bad == "foreign":
        backup.unlink()
        with closing(sqlite3.connect(backup)) as raw:
            raw.execute("CREATE TABLE invoices (id INTEGER)")
    else:
        backup.unlink()
    before, backup_before = files(db), files(backup) if backup.exists() else {}
    line = one_line(run(db, "restore", str(backup)))
    assert line.startswith(f"quizapp: {backup}")
    assert files(db) == before
    assert (files(backup) if backup.exists() else {}) == backup_before


@pytest.mark.parametrize("damage", ["random-file", "junk-after-page-1"])
@pytest.mark.parametrize("sidecars", ["wal-and-shm", "wal-only"])
@pytest.mark.parametrize("command", [("due",), ("stats",), ("quiz", "--plain")])
def test_a_damaged_file_with_a_wal_is_refused_byte_for_byte_untouched(
        tmp_path: Path, damage: str, sidecars: str, command: tuple[str, ...]) -> None:
    """Refusing must not checkpoint the WAL into the file or delete -wal/-shm (.recover needs
    them): the file is judged through a connection that cannot write."""
    db = tmp_path / "q.db"
    answer(db, 3)
    answer(db, 3, kill=True)
    data = db.read_bytes()
    junk = random.Random(damage).randbytes(len(data))
    db.write_bytes(junk if damage == "random-file" else data[:4096] + junk[4096:])
    if sidecars == "wal-only":
        Path(f"{db}-shm").unlink()
    before = files(db)
    assert f"{db.name}-wal" in before
    line = one_line(run(db, *command))
    assert "not a readable quizapp database" in line and "left untouched" in line
    assert files(db) == before


def test_restore_with_no_database_yet_installs_the_backup(crashed: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    _, backup = crashed
    fresh = tmp_path / "new" / "q.db"
    fresh.parent.mkdir()
    result = run(fresh, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "kept at" not in result.stdout
    assert log_rows(fresh) == log_rows(backup)
    assert sorted(p.name for p in fresh.parent.iterdir()) == ["q.db"]  # no partial, no -wal


def test_restoring_the_database_onto_itself_is_refused(crashed: tuple[Path, Path]) -> None:
    db, _ = crashed
    before = files(db)
    assert "is the database itself" in one_line(run(db, "restore", str(db)))
    assert files(db) == before
