"""Output targets and leftovers, with real processes: `export --out`, `history --out` and `backup`
never replace a device, FIFO or read-only file, write through symlinks, stream with `-`, treat a
trailing `/` as a folder that must exist — and a run killed with SIGKILL leaves nothing that the
next run of the same command does not remove."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.reliability.harness import clean_env, quizapp_command
from tests.reliability.test_restore import answer, one_line


def run(db: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(quizapp_command(db, *args), capture_output=True, env=env or clean_env(),
                          check=False, timeout=120, stdin=subprocess.DEVNULL, cwd=cwd)


def text(result: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode(errors="replace"),
                                       result.stderr.decode(errors="replace"))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "q.db"
    answer(path, 2)
    return path


COMMANDS = {"export": ("export", "--out"), "history": ("history", "--csv", "--out")}


def special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"target-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
        except PermissionError:
            pytest.skip("creating a device node needs root")
    else:
        path.write_bytes(b"keep me")
        path.chmod(0o444)
    return path


@pytest.mark.parametrize("kind", ["fifo", "device", "read-only"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_devices_fifos_and_read_only_files_are_refused_not_replaced(
        db: Path, tmp_path: Path, kind: str, command: str) -> None:
    target = special(tmp_path, kind)
    before = os.lstat(target)
    line = one_line(text(run(db, *COMMANDS[command], str(target))))
    assert line.startswith(f"quizapp: {target}: is ")
    assert ("read-only" if kind == "read-only" else "not a file") in line
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_symlink_is_written_through_and_stays_a_link(db: Path, tmp_path: Path, command: str
                                                       ) -> None:
    real = tmp_path / "real" / "out.file"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link"
    link.symlink_to(real)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "real" / "new.file")
    for target in (link, dangling):
        result = run(db, *COMMANDS[command], str(target))
        assert result.returncode == 0, result.stderr
        assert target.is_symlink()
    assert real.read_bytes() != b"old" and (tmp_path / "real" / "new.file").stat().st_size > 0


def test_dash_streams_to_standard_output(db: Path) -> None:
    package = run(db, "export", "--out", "-")
    assert package.returncode == 0, package.stderr
    assert package.stdout.startswith(b"PK") and b"standard output" in package.stderr
    csv = run(db, "history", "--csv", "--out", "-")
    assert csv.returncode == 0 and csv.stdout.decode().startswith("review_id,")


@pytest.mark.parametrize("args", [("backup",), ("export", "--out"), ("history", "--csv", "--out")])
def test_a_trailing_slash_names_a_folder_that_must_exist(db: Path, tmp_path: Path,
                                                         args: tuple[str, ...]) -> None:
    missing = tmp_path / "missing"
    line = one_line(text(run(db, *args, f"{missing}/")))
    assert "no such folder" in line
    assert not missing.exists()
    folder = tmp_path / "there"
    folder.mkdir()
    assert run(db, *args, f"{folder}/").returncode == 0
    assert len(list(folder.iterdir())) == 1


KILL_AT_FINAL_RENAME = """
import os, signal, sys
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = die  # the partial file is complete: SIGKILL just before it would be renamed
os.link = die
sys.argv = ["quizapp", *sys.argv[1:]]
from quizapp.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize("args", [("backup", "bk.db"), ("export", "--out", "x.apkg")])
def test_leftovers_of_a_run_killed_with_sigkill_are_removed_by_the_next_run(
        db: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = clean_env() | {"TMPDIR": str(scratch)}
    killed = subprocess.run([sys.executable, "-c", KILL_AT_FINAL_RENAME, *quizapp_command(db, *args)[3:]],
                            capture_output=True, env=env, check=False, timeout=120, cwd=tmp_path)
    assert killed.returncode == -9, killed.stderr
    partials = [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert partials, "the killed run left no partial file: the test did not kill it mid-write"
    if args[0] == "export":
        assert [p.name.startswith("quizapp-export-") for p in scratch.iterdir()] == [True]
    alive = tmp_path / f".x.apkg.{os.getpid()}.partial"  # a running process's: not touched
    alive.write_bytes(b"in progress")
    again = run(db, *args, env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == [alive.name]
    assert list(scratch.iterdir()) == []
    if args[0] == "export":
        with zipfile.ZipFile(tmp_path / "x.apkg") as package:
            assert "collection.anki2" in package.namelist()
