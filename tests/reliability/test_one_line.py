"""Hostile environments, with real processes: each gives one line on stderr and a non-zero exit,
never a traceback — bytes that are not UTF-8, an impossible TZ, absurd numbers, closed or full
streams, a full disk (tmpfs), names too long, settings that are not JSON, an empty QUIZAPP_DB."""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.harness import clean_env, quizapp_command
from tests.reliability.test_restore import answer


def run(db: Path, *args: str, stdin: bytes | None = b"", env: dict[str, str] | None = None,
        shell_redirect: str = "") -> subprocess.CompletedProcess[str]:
    command = quizapp_command(db, *args)
    if shell_redirect:  # closing a standard stream needs the shell
        command = ["sh", "-c", '"$@" ' + shell_redirect, "sh", *command]
    result = subprocess.run(command, input=stdin, capture_output=True, check=False, timeout=120,
                            env=(env or clean_env()))
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode(errors="replace"),
                                       result.stderr.decode(errors="replace"))


def one_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode != 0, (result.stdout[-500:], result.stderr)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("quizapp"), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "q.db"
    answer(path, 2)
    return path


def test_an_answer_that_is_not_utf8(db: Path) -> None:
    one_line(run(db, "quiz", "--plain", stdin=b"\xff\xfe answer\n4\n"), "not UTF-8", "not saved")


def test_a_time_zone_offset_of_more_than_a_day(db: Path) -> None:
    one_line(run(db, "due", env=clean_env() | {"TZ": "UTC+25"}), "TZ='UTC+25'")


def test_stats_over_a_million_days(db: Path) -> None:
    one_line(run(db, "stats", "--days", "1000000"), "at most 36500")


@pytest.mark.parametrize(("args", "redirect"), [(("due",), ">&-"), (("stats",), ">&-"),
                                                (("cards",), ">&-"),
                                                (("quiz", "--plain"), "<&-")])
def test_closed_standard_streams(db: Path, args: tuple[str, ...], redirect: str) -> None:
    one_line(run(db, *args, shell_redirect=redirect), "is closed")


@pytest.mark.parametrize("args", [("due",), ("cards",), ("history", "--csv"),
                                  ("export", "--out", "-")])
def test_standard_output_on_a_full_disk(db: Path, args: tuple[str, ...]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    one_line(run(db, *args, shell_redirect="> /dev/full"), "No space left")


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, nearly full (needs root and mount; skipped otherwise)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')[-200:]}")
    try:
        with contextlib.suppress(OSError), open(mount / "filler", "wb") as filler:
            filler.write(b"\0" * (1024 * 1024 - 24 * 1024))  # leave 24 KiB: small writes pass
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_history_onto_a_full_disk(db: Path, tiny_disk: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:  # a log bigger than the space left
        raw.execute("UPDATE reviews SET answer = ?", ("x" * 30_000,))
    target = tiny_disk / "history.csv"
    one_line(run(db, "history", "--csv", "--out", str(target)), str(target), "No space left")
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]  # no partial file left


def test_export_with_a_full_temporary_folder(db: Path, tiny_disk: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.apkg"
    result = run(db, "export", "--out", str(out), env=clean_env() | {"TMPDIR": str(tiny_disk)})
    one_line(result, "TMPDIR")
    assert not out.exists()


@pytest.mark.parametrize("where", ["--db", "--out"])
def test_a_300_character_file_name(db: Path, tmp_path: Path, where: str) -> None:
    long = tmp_path / ("a" * 300)
    if where == "--db":
        one_line(run(long, "due"), "File name too long")
    else:
        one_line(run(db, "export", "--out", str(long)), "File name too long")


def test_a_settings_row_that_is_not_json(db: Path) -> None:
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        raw.execute("INSERT OR REPLACE INTO settings (learner, key, value) "
                    "SELECT learner, 'language', 'not json{' FROM cards LIMIT 1")
    before = db.read_bytes()
    assert not Path(f"{db}-wal").exists()
    for args in (("due",), ("stats",), ("quiz", "--plain")):
        one_line(run(db, *args), "'language' is not valid JSON", "left untouched")
    assert db.read_bytes() == before


def test_an_empty_quizapp_db_is_an_error_not_the_default_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = clean_env() | {"QUIZAPP_DB": "", "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    command = [sys.executable, "-m", "quizapp", "due"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=60)
    one_line(result, "QUIZAPP_DB is empty")
    assert not home.exists()  # no default database was created


def test_stats_refuses_every_file_due_refuses(db: Path, tmp_path: Path) -> None:
    """One page at a time replaced with junk: whenever `due` refuses the file, so does `stats`."""
    data = db.read_bytes()
    refused = 0
    for page in range(2, len(data) // 4096 + 1):
        damaged = bytearray(data)
        damaged[(page - 1) * 4096: page * 4096] = random.Random(page).randbytes(4096)
        bad = tmp_path / f"page{page}.db"
        bad.write_bytes(bytes(damaged))
        if run(bad, "due").returncode != 0:
            refused += 1
            one_line(run(bad, "stats"), "not a readable quizapp database")
    assert refused >= 3


@pytest.mark.parametrize("column", ["reviews.was_new", "reviews.last_day_before", "cards.kind",
                                    "cards.category"])
def test_a_table_missing_a_column_is_refused_by_stats_as_by_due(db: Path, column: str) -> None:
    """`stats` used to print numbers from a file whose reviews lack `was_new`, which `due` refused."""
    table, name = column.split(".")
    with contextlib.closing(sqlite3.connect(db)) as raw, raw:
        for kind, name_ in raw.execute(
                "SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL AND (type = 'trigger' "
                "OR (type = 'index' AND tbl_name = ?))", (table,)).fetchall():
            raw.execute(f"DROP {kind.upper()} {name_}")  # they would name the dropped column
        raw.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
    for args in (("due",), ("stats",), ("stats", "--json"), ("quiz", "--plain")):
        one_line(run(db, *args), f"table {table} lacks {name}")
