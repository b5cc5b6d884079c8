"""Damaged or foreign database files, through the real command: one line naming the file and what
to do, exit code 1, no traceback — and the file is never modified, "repaired" or replaced."""

from __future__ import annotations

import functools
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from quizapp.store.schema import SCHEMA_VERSION
from tests.reliability.harness import PlainProcess, clean_env, quizapp_command

NOBODY = 65534


def run(db: Path, *args: str, unprivileged: bool = False, stdin: str = "1\n4\n"
        ) -> subprocess.CompletedProcess[str]:
    command = quizapp_command(db, *(args or ("due",)))
    if unprivileged and os.geteuid() == 0:  # root ignores file permissions: drop to nobody
        if not shutil.which("setpriv"):
            pytest.skip("needs setpriv to test permissions as root")
        if not _nobody_can_run_quizapp():
            pytest.skip("the unprivileged user cannot reach this Python or checkout (a private folder)")
        command = [*AS_NOBODY, *command]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=clean_env(),
                          check=False, timeout=60)


AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@functools.cache
def _nobody_can_run_quizapp() -> bool:
    """Checkouts and venvs under a private temp folder are out of nobody's reach: then skip."""
    probe = subprocess.run([*AS_NOBODY, sys.executable, "-m", "quizapp", "--version"], capture_output=True,
                           text=True, env=clean_env(), check=False, timeout=60)
    return probe.returncode == 0


def one_line_error(result: subprocess.CompletedProcess[str], db: Path) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"quizapp: {db}"), lines[0]
    return lines[0]


@pytest.fixture
def good_db(tmp_path: Path) -> Path:
    """A real database with answers in it (closed cleanly: no -wal file)."""
    db = tmp_path / "good.db"
    proc = PlainProcess(db)
    for n in range(4):
        assert proc.answer(f"a{n}", 4) and proc.wait_ack()
    assert proc.finish()[0] == 0
    return db


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="quizapp-perm-"))
    path.chmod(0o777)
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir():
            sub.chmod(0o777)
    shutil.rmtree(path)


def damaged(good_db: Path, kind: str) -> bytes:
    data = good_db.read_bytes()
    rng = random.Random(kind)
    return {
        "truncated-half": data[: len(data) // 2],
        "truncated-header": data[:100],
        "truncated-first-page": data[:4096],
        "random-bytes": rng.randbytes(len(data)),
        "text-file": b"my notes\n" * 500,
        "sqlite-header-then-junk": data[:16] + rng.randbytes(len(data) - 16),
        "zeroed-schema-page": data[:100] + bytes(4096 - 100) + data[4096:],
    }[kind]


KINDS = ["truncated-half", "truncated-header", "truncated-first-page", "random-bytes", "text-file",
         "sqlite-header-then-junk", "zeroed-schema-page"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", [("due",), ("quiz", "--plain"), ("export", "--out", "x.apkg")])
def test_damaged_file_is_refused_and_untouched(good_db: Path, kind: str, command: tuple[str, ...]
                                                ) -> None:
    bad = good_db.with_name(f"{kind}.db")
    content = damaged(good_db, kind)
    bad.write_bytes(content)
    line = one_line_error(run(bad, *command), bad)
    assert "not a readable quizapp database" in line and "left untouched" in line
    assert "restore a backup" in line
    assert bad.read_bytes() == content
    assert not Path(f"{bad}-wal").exists() or Path(f"{bad}-wal").stat().st_size == 0
    assert not (bad.parent / "x.apkg").exists()


def test_damage_inside_the_data_is_one_line_too(good_db: Path) -> None:
    """The header and schema are fine, a data page is garbage: found on first use, not later."""
    data = bytearray(good_db.read_bytes())
    with closing(sqlite3.connect(good_db)) as raw:
        page = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'reviews'").fetchone()[0]
    start = (page - 1) * 4096
    data[start:start + 4096] = random.Random(1).randbytes(4096)
    bad = good_db.with_name("inner.db")
    bad.write_bytes(bytes(data))
    result = run(bad, "quiz", "--plain")
    line = one_line_error(result, bad)
    assert "not a readable quizapp database" in line
    assert bad.read_bytes() == bytes(data)


def test_an_empty_file_is_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    result = run(db, "due", "--json")
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(db)) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "invoices.db"
    with closing(sqlite3.connect(db)) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER, amount REAL)")
        raw.execute("INSERT INTO invoices VALUES (1, 9.5)")
        raw.commit()
    content = db.read_bytes()
    line = one_line_error(run(db), db)
    assert "not quizapp's" in line and "--db" in line
    assert db.read_bytes() == content


def test_a_newer_schema_is_refused_and_untouched(good_db: Path) -> None:
    with closing(sqlite3.connect(good_db)) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    content = good_db.read_bytes()
    line = one_line_error(run(good_db, "quiz", "--plain"), good_db)
    assert f"newer quizapp (schema {SCHEMA_VERSION + 5}" in line and "upgrade quizapp" in line
    assert good_db.read_bytes() == content
    assert sorted(p.name for p in good_db.parent.iterdir()) == ["good.db"]  # no backup, no -wal


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert "is a folder" in one_line_error(run(tmp_path), tmp_path)


def test_a_read_only_file_is_refused_before_any_answer(good_db: Path, open_dir: Path) -> None:
    db = open_dir / "ro.db"
    shutil.copy(good_db, db)
    db.chmod(0o444)
    content = db.read_bytes()
    result = run(db, "quiz", "--plain", unprivileged=True)
    line = one_line_error(result, db)
    assert "read-only" in line and "make it writable" in line
    assert "grade" not in result.stdout  # refused before a question was asked
    assert db.read_bytes() == content
    assert sorted(p.name for p in open_dir.iterdir()) == ["ro.db"]


@pytest.mark.parametrize("existing", [True, False], ids=["existing-db", "new-db"])
def test_a_read_only_folder_is_refused(good_db: Path, open_dir: Path, existing: bool) -> None:
    folder = open_dir / "locked"
    folder.mkdir()
    db = folder / "q.db"
    if existing:
        shutil.copy(good_db, db)
        db.chmod(0o666)
    folder.chmod(0o555)
    line = one_line_error(run(db, "quiz", "--plain", unprivileged=True), db)
    assert f"the folder {folder} is read-only" in line
    assert ("-wal and -shm" in line) == existing
    assert sorted(p.name for p in folder.iterdir()) == (["q.db"] if existing else [])


def test_a_missing_folder_that_cannot_be_created(open_dir: Path) -> None:
    locked = open_dir / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)
    db = locked / "sub" / "q.db"
    line = one_line_error(run(db, unprivileged=True), db.parent)
    assert "cannot create the data folder" in line
