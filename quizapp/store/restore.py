"""`quizapp restore BACKUP`: put a backup in the database's place without SQLite replaying the
old file's WAL onto it.

Copying a backup over `quizapp.db` by hand is unsafe: a `-wal` left by a crash (or by a quizapp
still open) belongs to the old file, and SQLite applies it to whatever file has the name — a
"malformed" database, or the backup with the crashed session's answers re-added. So restore:

1. checks the backup read-only (`PRAGMA integrity_check`, quizapp's tables, a schema this quizapp
   knows) — the backup and its own `-wal` are not modified;
2. refuses while any SQLite connection has the database open: each one holds a shared lock on the
   "dead man switch" byte of `-shm`; restore takes that byte exclusively (as SQLite does to know it
   is the only user) and holds it to the end, so no quizapp can open the file meanwhile;
3. copies the backup (SQLite's backup API: its WAL included) to a partial file beside the database;
4. keeps the current file under a timestamped name, with its own `-wal` renamed alongside (the pair
   still opens as it was), then renames the copy into place. The old `-wal` leaves the name
   *before* the new file arrives: a crash in between leaves the old file without its latest answers
   (they are in the kept pair), never a WAL applied to another file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from quizapp.files import partial_path, remove_stale_partials
from quizapp.store.errors import StoreError
from quizapp.store.inspect import inspect, read_only, refuse_unusable, sidecar
from quizapp.store.migrate import _fsync, backup_path

SHM_DEAD_MAN_SWITCH = 128  # byte offset SQLite's unix VFS locks in -shm: 120 + 8 lock slots


@dataclass(frozen=True)
class RestoreReport:
    db: Path
    backup: Path
    schema: int
    reviews: int
    kept: Path | None  # the file that was there before, or None if there was none


def restore(db: Path, backup: Path) -> RestoreReport:
    db, backup = Path(db), Path(backup)
    if not backup.is_file():
        raise StoreError(f"{backup}: no such backup file")
    if db.exists() and os.path.samefile(db, backup):
        raise StoreError(f"{backup}: is the database itself; name a backup copy")
    found = inspect(backup, integrity=True)
    if not found.ours:
        raise StoreError(f"{backup}: is not a quizapp database (no quizapp tables); "
                         "nothing was changed")
    refuse_unusable(backup, found)
    if found.version < 1:
        raise StoreError(f"{backup}: unknown quizapp schema {found.version}; nothing was changed")
    if not db.parent.is_dir():
        raise StoreError(f"{db.parent}: no such folder for the database")
    remove_stale_partials(db.parent, db.name)
    with _nobody_else_open(db):
        partial = partial_path(db.parent, db.name)
        try:
            reviews = _copy(backup, partial)
            kept = _install(db, partial)
        except OSError as exc:
            raise StoreError(f"{db}: could not restore from {backup} ({exc.strerror or exc}); "
                             "the database was left as it was") from None
        finally:
            partial.unlink(missing_ok=True)
    return RestoreReport(db, backup, found.version, reviews, kept)


@contextmanager
def _nobody_else_open(db: Path) -> Iterator[None]:
    """Hold the `-shm` dead-man-switch byte exclusively, or refuse: the database is open."""
    shm = sidecar(db, "-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        yield  # no -shm: no SQLite connection has the file open (each one needs it)
        return
    except OSError as exc:
        raise StoreError(f"{shm}: cannot check whether quizapp has the database open "
                         f"({exc.strerror}); nothing was changed") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DEAD_MAN_SWITCH)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EAGAIN):
                raise StoreError(f"{db}: is open in another quizapp (or another SQLite program); "
                                 "close it, then restore — nothing was changed") from None
            raise StoreError(f"{shm}: cannot lock it ({exc.strerror}); nothing was changed") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _copy(backup: Path, partial: Path) -> int:
    """A consistent copy of `backup` (and its WAL) at `partial`; returns its number of reviews."""
    try:
        with read_only(backup) as source, closing(sqlite3.connect(partial)) as target:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # the copy carries no -wal of its own
            reviews = target.execute("SELECT count(*) FROM reviews").fetchone()[0]
    except sqlite3.Error as exc:
        raise StoreError(f"{backup}: could not copy it ({exc}); nothing was changed") from None
    _fsync(partial)
    return reviews


def _install(db: Path, partial: Path) -> Path | None:
    kept = None
    if db.exists():
        kept = backup_path(db, "before-restore")
        try:
            os.link(db, kept)  # the current file, under its new name
        except OSError:  # a file system without hard links
            shutil.copy2(db, kept)
        wal = sidecar(db, "-wal")
        if wal.exists():
            os.replace(wal, sidecar(kept, "-wal"))
    os.replace(partial, db)
    _fsync(db.parent)
    return kept
