"""Item 5 of issue 7, the inputs too big or too odd to commit: a 50 MB file, huge strings and
lines, folders and symlink loops where a file should be, pipes and devices, unreadable files,
file names that are not UTF-8 or carry escape sequences. Each is one clean problem line, exit 1."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.deck.load import MAX_FILE_BYTES, check_deck
from tests.hostile.conftest import assert_clean_failure, deck_check, due
from tests.hostile.corpus import DECKS

VALID = (Path(__file__).resolve().parents[1] / "data" / "mini" / "deck.toml").read_text("utf-8")


def one_problem(path: Path | str, expected: str, line: int | None = None,
                shown: Path | None = None) -> str:
    """`decks check PATH` as a process: a problem line about `shown` (default: PATH) saying
    `expected`; the first problem line is returned."""
    run = deck_check([path], timeout=30)
    lines = assert_clean_failure(run)
    shown = shown or path
    prefix = f"{shown}:{line}: " if line else f"{shown}: "
    assert any(x.startswith(prefix) and expected in x for x in lines), (prefix, expected, lines)
    return lines[0]


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    one_problem(big, "file is 50 MB; a deck file may be at most 5 MB")
    assert time.monotonic() - started < 10
    run = due([big], tmp_path / "q.db")
    assert f"{big}: file is 50 MB" in assert_clean_failure(run, "stderr")[0]


def test_just_over_the_limit_and_filled_with_text(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_FILE_BYTES + "\n")
    one_problem(big, "a deck file may be at most 5 MB")


def test_huge_strings_load_fast_and_keep_line_numbers(tmp_path: Path) -> None:
    """A 4.5 MB definition, a 100 000-character line of escapes, a header line of spaces (which
    once made the line scanner quadratic): the error after them is still on its right line."""
    deck = tmp_path / "huge.toml"
    header = '["' + " " * 200_000 + '"]\nx = 1\n'
    text = (VALID.replace('def_en = "Work completed', 'def_en = "' + "w" * 4_500_000 + ' Work completed')
            + 'explain_en = "' + "\\u0041" * 15_000 + '"\n' + header)
    deck.write_text(text, encoding="utf-8")
    assert deck.stat().st_size < MAX_FILE_BYTES
    started = time.monotonic()
    problems = [str(p) for p in check_deck([deck])]
    assert time.monotonic() - started < 10
    lines = text.split("\n")
    header_line = next(i for i, x in enumerate(lines, 1) if x.startswith('["  '))
    explain_line = next(i for i, x in enumerate(lines, 1) if x.startswith('explain_en = "\\u0041'))
    # the explain_en is a second one in the last [[scenario]] → unknown key; the header → unknown table
    assert any(p.startswith(f"{deck}:{explain_line}: ") for p in problems), problems
    assert any(p.startswith(f"{deck}:{header_line}: unknown table") for p in problems), problems
    assert all(len(p) < 600 for p in problems)  # a huge table name is cut, not echoed whole


def test_a_folder_named_like_a_deck_file(tmp_path: Path) -> None:
    (tmp_path / "x.toml").mkdir()
    one_problem(tmp_path / "x.toml", "folder contains no .toml deck files")
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "deck.toml").write_text(VALID, encoding="utf-8")
    (deck / "x.toml").mkdir()
    one_problem(deck, "is a folder, not a deck file", shown=deck / "x.toml")


def test_symlink_loops_and_dangling_links(tmp_path: Path) -> None:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    one_problem(tmp_path / "a.toml", "cannot open: too many levels of symbolic links")
    (tmp_path / "gone.toml").symlink_to(tmp_path / "missing.toml")
    one_problem(tmp_path / "gone.toml", "cannot open: no such file or directory")
    one_problem(tmp_path / "nothing-here.toml", "no such file or folder")
    # inside a folder the loop and the dangling link are files the folder lists
    one_problem(tmp_path, "cannot read file: too many levels of symbolic links", shown=tmp_path / "a.toml")
    one_problem(tmp_path, "cannot read file: no such file or directory", shown=tmp_path / "gone.toml")
    (tmp_path / "self").symlink_to(tmp_path / "self")
    one_problem(tmp_path / "self", "too many levels of symbolic links")


def test_a_named_pipe_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    one_problem(fifo, "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_not_read() -> None:
    one_problem("/dev/zero", "not a regular file")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="procfs")
def test_a_file_that_fails_to_read_even_for_root() -> None:
    """/proc/self/mem is a regular file that fails with EIO at offset 0, whoever reads it."""
    one_problem("/proc/self/mem", "cannot read file: input/output error")


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can enter (pytest's tmp_path is private to us)."""
    path = Path(tempfile.mkdtemp(prefix="quizapp-hostile-"))
    path.chmod(0o755)
    yield path
    for child in path.iterdir():
        child.chmod(0o644)
    for child in path.iterdir():
        child.unlink()
    path.rmdir()


def test_unreadable_permissions(shared_dir: Path) -> None:
    """Mode 000 stops everyone but root. As root (our CI) the check runs as user `nobody`."""
    deck = shared_dir / "secret.toml"
    deck.write_text(VALID, encoding="utf-8")
    deck.chmod(0)
    user = None
    if os.geteuid() == 0:
        user = 65534
        try:
            probe = deck_check(["--help"], user=user)
        except (PermissionError, OSError) as exc:  # pragma: no cover - no setuid in a sandbox
            pytest.skip(f"running as root and user nobody cannot run this Python ({exc}); "
                        "test_a_file_that_fails_to_read_even_for_root covers the read error")
        if probe.returncode != 2 or "usage" not in probe.stdout + probe.stderr:
            pytest.skip(f"quizapp does not run as nobody here: {probe.stderr[-300:]}")
    run = deck_check([deck], user=user)
    lines = assert_clean_failure(run)
    assert lines == [f"{deck}: cannot read file: permission denied"], lines


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9.toml"
    with open(name, "wb") as handle:
        handle.write(b"not toml at all")
    run = deck_check([os.fsdecode(name)])
    lines = assert_clean_failure(run)
    assert lines == [f"{tmp_path}/caf\ufffd.toml:1: TOML syntax error: Expected '=' after a key in "
                     "a key/value pair (column 5)"], lines


def test_file_name_with_escape_sequences_cannot_restyle_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "\x1b[31mred\x1b[0m\n.toml"
    path.write_text("[deck", encoding="utf-8")
    lines = assert_clean_failure(deck_check([path]))
    assert lines[0].startswith(f"{tmp_path}/\\x1b[31mred\\x1b[0m\\n.toml:1: TOML syntax error"), lines


def test_several_bad_files_each_report_their_own(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    picks = ["invalid_utf8.toml", "deep_nested_arrays.toml", "duplicate_id.toml", "nul_bytes.toml"]
    for name in picks:
        (folder / name).write_bytes((DECKS / name).read_bytes())
    os.mkfifo(folder / "pipe.toml")
    lines = assert_clean_failure(deck_check([folder]))
    for name in [*picks, "pipe.toml"]:
        assert any(x.startswith(f"{folder / name}:") for x in lines), (name, lines)
