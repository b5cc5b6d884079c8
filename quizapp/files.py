"""Writing output files safely, and cleaning up after runs that were killed (stdlib only: the store,
the export and the CLI all use it).

Every file quizapp writes (`export --out`, `history --out`, `backup`, `restore`) is first written
to `.<name>.<pid>.partial` beside its target and renamed into place, so a reader never sees half a
file. A run killed with SIGKILL cannot remove its partial file, so the next run of the same
command removes the partial files of processes that no longer exist (`remove_stale_partials`);
temporary folders are named with the process id for the same reason.

Output targets (`output_target`): `-` is standard output; a path ending in `/` is a folder that
must exist; a symlink is followed (its target is replaced, the link stays); an existing device,
FIFO, socket or read-only file is refused — never replaced by a regular file.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from quizapp.errors import QuizappError

PARTIAL = ".partial"


# -- leftovers of killed runs -------------------------------------------------------------------
def partial_path(folder: Path, name: str) -> Path:
    return folder / f".{name}.{os.getpid()}{PARTIAL}"


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process: not ours to judge
    return True


def _owner_pid(name: str, prefix: str, suffix: str) -> int | None:
    middle = name[len(prefix):len(name) - len(suffix)] if suffix else name[len(prefix):]
    digits = middle.split("-", 1)[0] if not suffix else middle
    return int(digits) if digits.isdigit() else None


def remove_stale_partials(folder: Path, name: str) -> int:
    """Remove `.<name>.<pid>.partial` files whose process is gone; returns how many."""
    prefix = f".{name}."
    removed = 0
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{glob.escape(prefix)}*{PARTIAL}"):
            pid = _owner_pid(path.name, prefix, PARTIAL)
            if pid is not None and not process_alive(pid):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
    return removed


def temp_folder(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A temporary folder `<prefix><pid>-…` in TMPDIR, after removing those of dead processes."""
    base = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for path in base.glob(f"{glob.escape(prefix)}*"):
            pid = _owner_pid(path.name, prefix, "")
            if pid is not None and path.is_dir() and not path.is_symlink() and not process_alive(pid):
                shutil.rmtree(path, ignore_errors=True)
    try:
        return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")
    except OSError as exc:
        raise QuizappError(f"{base}: cannot create a temporary folder ({exc.strerror}); "
                           "set TMPDIR to a writable folder with free space") from None


# -- output targets -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Output:
    """Where to write: `path` (symlinks resolved) or standard output (`path` None)."""

    path: Path | None
    shown: str  # what the user typed, for messages

    @property
    def to_stdout(self) -> bool:
        return self.path is None


def _kind(mode: int) -> str | None:
    for test, name in ((stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "special file"


def output_target(text: str, default_name: str) -> Output:
    """Check `--out TEXT` before any work is done (see the module); raises QuizappError."""
    if text == "-":
        return Output(None, "standard output")
    path = Path(text).expanduser()
    try:
        if text.endswith(("/", os.sep)):
            if not path.is_dir():
                raise QuizappError(f"{text}: no such folder (a path ending in / names a folder, "
                                   "which must exist)")
            path = path / default_name
        elif path.is_dir():
            raise QuizappError(f"{path}: is a directory (a folder); --out needs a file name (end the path "
                               f"with / to write {default_name} into it)")
        real = Path(os.path.realpath(path))
        info = os.stat(real) if os.path.lexists(real) else None
    except OSError as exc:
        raise QuizappError(f"{text}: cannot write there ({exc.strerror})") from None
    if info is not None:
        kind = _kind(info.st_mode)
        if kind:
            raise QuizappError(f"{path}: is a {kind}, not a file; quizapp does not replace it "
                               "(--out - writes to standard output)")
        if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise QuizappError(f"{path}: is read-only; quizapp does not replace it — choose "
                               "another file name or make it writable")
    parent = real.parent
    if not parent.is_dir():
        raise QuizappError(f"{path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise QuizappError(f"{path}: no permission to write in {parent}")
    return Output(real, str(path))


@contextmanager
def atomic_file(target: Path, shown: str | None = None) -> Iterator[BinaryIO]:
    """Write `target` through a partial file renamed into place; any failure leaves `target` as
    it was. Keeps an existing target's permissions. OSError becomes one QuizappError line."""
    shown = shown or str(target)
    remove_stale_partials(target.parent, target.name)
    partial = target  # until the partial file has a name
    try:
        partial = partial_path(target.parent, target.name)
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        with open(partial, "xb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, mode)
        os.replace(partial, target)
    except OSError as exc:
        _discard(partial, target)
        raise QuizappError(f"{shown}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        _discard(partial, target)
        raise


def _discard(partial: Path, target: Path) -> None:
    if partial != target:
        with contextlib.suppress(OSError):
            partial.unlink()
