"""Schema upgrades and backup copies.

`PRAGMA user_version` is the schema version and the one thing read at every start (cheap); the
Alembic revision id is the same number, zero-padded, and the `alembic_version` table is kept equal
to it. Alembic itself is imported only when a migration is pending, so a normal start never pays for
it. Before upgrading an existing file, a timestamped copy is made next to it; the upgrade then runs
in one transaction: it commits completely or leaves the file as it was.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from quizapp.files import partial_path, remove_stale_partials
from quizapp.store.errors import StoreError
from quizapp.store.schema import SCHEMA_VERSION

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
BUSY_TIMEOUT_S = 5.0
_ALEMBIC_VERSION = ("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")


def revision_id(version: int) -> str:
    return f"{version:04d}"


def stamp(conn: Connection, version: int) -> None:
    """Record `version` as both `PRAGMA user_version` and Alembic's revision (in the caller's
    transaction)."""
    conn.exec_driver_sql(_ALEMBIC_VERSION)
    conn.exec_driver_sql("DELETE FROM alembic_version")
    conn.exec_driver_sql(f"INSERT INTO alembic_version (version_num) VALUES ('{revision_id(version)}')")
    if conn.dialect.name == "sqlite":  # a server store has only Alembic's record
        conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")


def backup_path(db: Path, label: str = "backup", now: datetime | None = None) -> Path:
    """`<name>-<label>-YYYYmmdd-HHMMSS<suffix>` next to the database; never an existing file."""
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = db.suffix or ".db"
    candidate = db.with_name(f"{db.stem}-{label}-{moment}{suffix}")
    n = 2
    while candidate.exists():
        candidate = db.with_name(f"{db.stem}-{label}-{moment}-{n}{suffix}")
        n += 1
    return candidate


def backup_database(db: Path, dest: Path | None = None, label: str = "backup") -> Path:
    """Copy `db` with SQLite's online backup API: a consistent snapshot even while another quizapp
    writes. `dest` may be a file (must not exist) or a folder; default: next to the database,
    `<name>-<label>-<timestamp>`. The copy appears complete or not at all, never over a file."""
    if not db.is_file():
        raise StoreError(f"{db}: no database to back up")
    auto = dest is None or dest.is_dir()
    folder = db.parent if dest is None else dest if dest.is_dir() else dest.parent
    if not auto and dest is not None and dest.exists():
        raise StoreError(f"{dest}: already exists; choose another backup path")
    if not folder.is_dir():
        raise StoreError(f"{folder}: no such folder for the backup")
    remove_stale_partials(folder, db.name)  # left by a backup that was killed
    partial = partial_path(folder, db.name)
    try:
        source = sqlite3.connect(db, timeout=BUSY_TIMEOUT_S)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        _fsync(partial)
        final = dest
        while True:
            if auto:  # a fresh name each round: another quizapp may take one in the same second
                final = backup_path(folder / db.name, label)
            assert final is not None
            try:
                os.link(partial, final)  # atomic, and never replaces an existing file
                break
            except FileExistsError:
                if not auto:
                    raise StoreError(f"{final}: already exists; choose another backup path") from None
            except OSError:  # a file system without hard links
                if not final.exists():
                    os.replace(partial, final)
                    break
                if not auto:
                    raise StoreError(f"{final}: already exists; choose another backup path") from None
        _fsync(folder)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"{db}: could not back it up to {dest or folder} ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return final


def upgrade(engine: Any, db: Path, version: int, learner: str) -> Path:
    """Back up `db`, then migrate it from schema `version` to SCHEMA_VERSION in one transaction.
    `learner` owns the rows of a file from before learners (revision 0006).

    Returns the backup's path. Another quizapp upgrading the same file at the same moment is fine:
    the write lock serialises the two, and the second finds nothing left to do.
    """
    if version < 1:
        raise StoreError(f"{db}: unknown quizapp schema {version}; it was left untouched — "
                         "pass --db with another file")
    backup = backup_database(db, label=f"schema{version}-backup")
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            raw.execute("PRAGMA foreign_keys = OFF")  # batch mode drops and renames tables
            try:
                conn.info["immediate"] = True
                with conn.begin():
                    current = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
                    if current < SCHEMA_VERSION:
                        run_alembic(conn, current, learner)
                        if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                            raise StoreError("the upgrade broke a foreign key")
                        stamp(conn, SCHEMA_VERSION)
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
    except (DBAPIError, StoreError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise StoreError(f"{db}: upgrading from schema {version} to {SCHEMA_VERSION} failed "
                         f"({reason}); the file was left as it was, and a copy is at {backup}"
                         ) from None
    return backup


def run_alembic(conn: Connection, current: int, learner: str) -> None:
    """Alembic's upgrade from `current` to the head, on `conn` (in its transaction)."""
    from alembic import command
    from alembic.config import Config

    stamp(conn, current)  # databases from before Alembic have only their user_version
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    config.attributes["learner"] = learner
    command.upgrade(config, revision_id(SCHEMA_VERSION))


def _fsync(path: Path) -> None:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # some systems cannot open folders; the file itself was synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
