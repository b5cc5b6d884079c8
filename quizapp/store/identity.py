"""Is the database file still the one quizapp opened?

SQLite writes through the file it opened, not through its name. If the file is deleted, or another
file is moved over its name (`mv backup.db quizapp.db`) while a session runs, every later answer
would be committed into a file nobody can see any more — and acknowledged. And a file with two
names (a hard link) gets one WAL per name, so two sessions through the two names overwrite each
other's answers. So the store refuses a file with more than one name, remembers the file's
identity (device, inode) at open, and checks it — one `os.stat` — before every commit and at exit.

When the identity is lost, the session's connection still reads the old file (and its WAL)
through its open descriptors: `rescue` copies it to `<name>-rescued-<time>.db` with SQLite's
backup API, so the answers are not lost with the old file, and moves the old file's `-wal` away
from the name: SQLite would otherwise apply it to whatever file has the name next.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from quizapp.store.errors import StoreError
from quizapp.store.inspect import sidecar
from quizapp.store.migrate import backup_path


class IdentityLost(StoreError):
    """The database file at the name is gone or another file (see the module)."""

    recoverable = False  # the session stops: its answers cannot go to that file any more


@dataclass(frozen=True)
class FileIdentity:
    device: int
    inode: int
    wal: tuple[int, int] | None  # the -wal our connections write, while they are open

    @classmethod
    def of(cls, path: Path) -> FileIdentity:
        """The identity of the database at `path`; refuses a file with several names."""
        info = os.stat(path)
        refuse_hard_links(path, info.st_nlink)
        try:
            wal = os.stat(sidecar(path, "-wal"))
        except OSError:
            return cls(info.st_dev, info.st_ino, None)
        return cls(info.st_dev, info.st_ino, (wal.st_dev, wal.st_ino))

    def check(self, path: Path, unsaved: str) -> None:
        """Raise StoreError naming `unsaved` if `path` is gone, another file, or got a 2nd name."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise IdentityLost(f"{path}: the database file was deleted or moved while quizapp ran;"
                               f" not saved: {unsaved}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot check the database file ({exc.strerror}); "
                             f"not saved: {unsaved}") from None
        if (info.st_dev, info.st_ino) != (self.device, self.inode):
            raise IdentityLost(f"{path}: the database file was replaced by another file while "
                               f"quizapp ran; not saved: {unsaved}")
        refuse_hard_links(path, info.st_nlink, unsaved)


    def replaced(self, path: Path) -> bool:
        """True if `path` is gone or another file (not merely given a second name)."""
        try:
            info = os.stat(path)
        except OSError:
            return True
        return (info.st_dev, info.st_ino) != (self.device, self.inode)

    def rescue(self, path: Path, conn: sqlite3.Connection) -> Path | None:
        """Copy what `conn` (still on the old file) sees to a new file beside `path`, and move
        the old file's `-wal` off the name; returns the copy, or None if that failed."""
        wal = sidecar(path, "-wal")
        copy = backup_path(path, "rescued")
        try:
            with contextlib.closing(sqlite3.connect(copy)) as target:
                conn.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
        except (sqlite3.Error, OSError):
            with contextlib.suppress(OSError):
                copy.unlink()
            copy = None
        with contextlib.suppress(OSError):
            info = os.stat(wal)
            if self.wal == (info.st_dev, info.st_ino):
                os.replace(wal, sidecar(copy or backup_path(path, "orphaned"), "-old-wal"))
        return copy


def refuse_hard_links(path: Path, links: int, unsaved: str | None = None) -> None:
    if links > 1:
        tail = f"; not saved: {unsaved}" if unsaved else ""
        error = IdentityLost if unsaved else StoreError
        raise error(f"{path}: the database file has {links} names (hard links); two "
                         "sessions through two names lose answers — keep one name (delete the "
                         f"other links) or use `quizapp backup` for a copy{tail}")
