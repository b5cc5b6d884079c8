"""Looking at a database file without changing a byte of it, or of its `-wal` and `-shm`.

A normal SQLite connection is not harmless: opening a WAL-mode file rebuilds the wal-index in
`-shm`, and closing the last connection checkpoints the WAL into the file and deletes `-wal` and
`-shm`. For a damaged or foreign file that destroys what `sqlite3 .recover` needs, so quizapp
judges every existing file first through a connection that cannot write:

- no `-wal` (or an empty one): `immutable=1`, which reads the main file only and creates nothing
  (all of the content is in the main file);
- a `-wal` and a `-shm`: `mode=ro` with `readonly_shm=1`: a read-only connection cannot checkpoint
  or delete the WAL, and with a read-only `-shm` it keeps its wal-index in its own memory;
- a `-wal` without `-shm` (a copied or half-deleted set): SQLite would have to create `-shm`, so
  the file and its WAL are copied to a private folder and the copy is judged.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from quizapp.store.errors import StoreError, describe_error_text
from quizapp.store.schema import QUIZAPP_TABLES, SCHEMA_VERSION, metadata


@dataclass(frozen=True)
class Inspection:
    version: int  # PRAGMA user_version: the schema
    tables: frozenset[str]
    indexes: frozenset[str]

    @property
    def ours(self) -> bool:
        return self.tables >= QUIZAPP_TABLES


def sidecar(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path.resolve()))}?{query}"


@contextmanager
def read_only(db: Path) -> Iterator[sqlite3.Connection]:
    """A connection to `db` that cannot change it, its `-wal` or its `-shm` (see the module)."""
    wal, shm = sidecar(db, "-wal"), sidecar(db, "-shm")
    wal_size = wal.stat().st_size if wal.exists() else 0
    if wal_size == 0:
        with closing(sqlite3.connect(_uri(db, immutable="1"), uri=True)) as conn:
            yield conn
    elif shm.exists():
        with closing(sqlite3.connect(_uri(db, mode="ro", readonly_shm="1"), uri=True,
                                     timeout=5.0)) as conn:
            yield conn
    else:
        with tempfile.TemporaryDirectory(prefix="quizapp-inspect-") as folder:
            copy = Path(folder) / "copy.db"
            shutil.copyfile(db, copy)
            shutil.copyfile(wal, sidecar(copy, "-wal"))
            with closing(sqlite3.connect(copy)) as conn:
                yield conn


@contextmanager
def guard_against_checkpoint(db: Path) -> Iterator[None]:
    """While this is open, closing quizapp's own connections to a damaged `db` neither
    checkpoints its WAL into it nor deletes the WAL: SQLite does that only when the closing
    connection is the last one, and this read-only one (which cannot checkpoint) stays open."""
    try:
        guard = sqlite3.connect(_uri(db, mode="ro"), uri=True)
        guard.execute("PRAGMA user_version").fetchone()  # holds the shared lock from now on
    except sqlite3.Error:
        guard = None
    try:
        yield
    finally:
        if guard is not None:
            guard.close()


def inspect(db: Path, integrity: bool = False) -> Inspection:
    """What `db` holds, read without writing; `integrity` also runs `PRAGMA integrity_check`.
    A file SQLite cannot read raises StoreError ("not a readable quizapp database")."""
    try:
        with read_only(db) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
            tables = {n for t, n in rows if t == "table"}
            if tables >= QUIZAPP_TABLES:  # a few page reads: each table's root and first leaf
                for table in sorted(QUIZAPP_TABLES):
                    conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
                conn.execute("SELECT max(rowid) FROM reviews").fetchall()  # the newest page
                if version == SCHEMA_VERSION:
                    _refuse_missing_columns(db, conn)
            if integrity:
                problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
                if problems != ["ok"]:
                    raise StoreError(f"{db}: is damaged ({'; '.join(problems)[:200]})")
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(describe_error_text(db, str(exc))) from None
    return Inspection(version, frozenset(n for t, n in rows if t == "table"),
                      frozenset(n for t, n in rows if t == "index"))


def _refuse_missing_columns(db: Path, conn: sqlite3.Connection) -> None:
    """A file at our schema version must have our columns: otherwise one command would refuse it
    and another print numbers from it."""
    for table in sorted(QUIZAPP_TABLES):
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c.name for c in metadata.tables[table].columns if c.name not in have]
        if missing:
            raise StoreError(f"{db}: not a readable quizapp database (table {table} lacks "
                             f"{', '.join(missing)}); it was left untouched — restore a backup "
                             "or pass --db with another file")


def refuse_unusable(db: Path, found: Inspection, existed: bool = True) -> None:
    """Refuse a file that is not quizapp's, or was written by a newer quizapp."""
    if existed and found.tables and not found.ours:
        raise StoreError(f"{db}: is an SQLite database, but not quizapp's; "
                         "use --db to choose another file")
    if found.version > SCHEMA_VERSION:
        raise StoreError(f"{db}: was written by a newer quizapp (schema {found.version}, "
                         f"this one knows {SCHEMA_VERSION}); it was left untouched — "
                         "upgrade quizapp to use it")
