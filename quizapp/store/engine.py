"""Opening a quizapp store, and the transactions every other store module runs in.

A store is a SQLite file (the default, embedded) or a PostgreSQL database (`quizapp.store.server`);
every query names its learner (`Database.learner`), so several learners can share one store.

SQLite runs in WAL mode with `synchronous=FULL`: a kill, crash or power cut after an answer was
acknowledged cannot lose it. Writes take the lock up front (`BEGIN IMMEDIATE`) so two quizapp
processes on one file queue up behind the busy timeout instead of failing mid-transaction.
"""

from __future__ import annotations

import copy
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, create_engine, event, select
from sqlalchemy.exc import DBAPIError

from quizapp.store.dialect import RawDB, driver_errors, is_server, signals_deferred
from quizapp.store.errors import StoreError, describe_db_error, describe_error_text, is_damage
from quizapp.store.identity import FileIdentity, IdentityLost
from quizapp.store.inspect import Inspection, guard_against_checkpoint, inspect, refuse_unusable
from quizapp.store.learners import check_learner, login_name
from quizapp.store.migrate import stamp, upgrade
from quizapp.store.schema import SCHEMA_VERSION, cards, ix_reviews_stats, metadata, reviews
from quizapp.store.summary import create_triggers

BUSY_TIMEOUT_MS = 5000


class Database:
    """An open database file: the engine and the two kinds of transaction. Open with `open(path)`;
    close when done. The store's concerns (writes, queue reads, aggregates, bulk reads) are
    subclasses of this, combined into `quizapp.store.store.Store`."""

    server = False  # True: a PostgreSQL store (set by `quizapp.store.server.open_server`)

    def __init__(self, path: Path, engine: Any, learner: str = ""):
        self.path = path
        self._engine = engine
        self.learner = learner  # whose cards, log and settings every query reads and writes
        self.group: tuple[str, ...] = ()  # several learners, for group statistics (`as_group`)
        self.upgraded: tuple[int, Path] | None = None  # (old schema, backup copy) if migrated now
        self.identity: FileIdentity | None = None  # set once the file is open (SQLite files only)
        self.damaged = False  # SQLite found damage: close without checkpointing into the file
        self.answers_saved = 0  # answers committed since open: named at exit if the file changed

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, target: Path | str, learner: str | None = None) -> Self:
        """Open the store at `target` (a file path, or a `postgresql://` URL) as `learner`.

        No learner named: a file that holds exactly one learner's cards opens as that learner
        (a file copied from another machine or account keeps working), anything else as the
        login name."""
        if learner is not None:
            check_learner(learner)
        if is_server(target):
            from quizapp.store.server import open_server

            return open_server(cls, str(target), learner)
        path = Path(target)
        try:
            if path.is_dir():
                raise StoreError(f"{path}: is a folder; --db needs a file path")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create the data folder ({exc.strerror})"
                                 ) from None
            _check_writable(path)
            existed = path.exists() and path.stat().st_size > 0  # an empty file is a new database
        except OSError as exc:  # a name too long, a loop of symlinks …
            raise StoreError(f"{path}: cannot use this path ({exc.strerror})") from None
        found = None
        if existed:  # judged read-only first: a file we refuse keeps every byte (store.inspect)
            found = inspect(path)
            refuse_unusable(path, found)
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        store = cls(path, engine, learner or login_name())
        try:
            store._prepare(found)
            if learner is None:
                store.learner = store.sole_learner() or store.learner
            store.identity = FileIdentity.of(path)
        except DBAPIError as exc:
            store.damaged = store.damaged or is_damage(str(exc.orig))
            store.close()
            raise StoreError(describe_db_error(path, exc)) from None
        except StoreError:
            store.close()
            raise
        return store

    def _prepare(self, found: Inspection | None) -> None:
        """Create, upgrade or top up the schema of a file `inspect` found usable (None: new)."""
        with self._engine.connect() as conn:  # only now that the file is known to be ours
            conn.connection.driver_connection.execute("PRAGMA journal_mode = WAL")  # persistent
        if found is None or not found.ours:
            with self._write() as conn:
                metadata.create_all(conn)
                create_triggers(conn)
                stamp(conn, SCHEMA_VERSION)
        elif found.version < SCHEMA_VERSION:  # imports Alembic: only when a migration is pending
            self.upgraded = (found.version, upgrade(self._engine, self.path, found.version,
                                                    self.learner))
        elif ix_reviews_stats.name not in found.indexes:  # files made before the statistics index
            with self._write() as conn:
                ix_reviews_stats.create(conn, checkfirst=True)

    def _mine(self, column: Any) -> Any:
        """The condition that a row's `learner` column is this store's learner, or one of its
        group (`as_group`: a teacher's view of every learner's statistics)."""
        return column.in_(self.group) if self.group else column == self.learner

    def as_learner(self, learner: str) -> Self:
        """This open store, read and written as `learner` (the same engine and connections)."""
        check_learner(learner)
        other = copy.copy(self)
        other.learner, other.group, other.answers_saved = learner, (), 0
        return other

    def as_group(self, learners: Sequence[str]) -> Self:
        """This open store, its statistics read over all of `learners` together (read only)."""
        other = copy.copy(self)
        other.group = tuple(learners)
        return other

    def sole_learner(self) -> str | None:
        """The one learner whose cards this store holds; None if it holds none or several."""
        with self._read() as conn:
            names = conn.execute(select(cards.c.learner).distinct().limit(2)).scalars().all()
        return names[0] if len(names) == 1 else None

    def learners(self, answered: bool = False) -> list[str]:
        """Every learner with cards in this store (`answered`: with at least one answer), by name."""
        table = reviews if answered else cards
        with self._read() as conn:
            return list(conn.execute(select(table.c.learner).distinct().order_by(table.c.learner)
                                     ).scalars())

    def close(self) -> None:
        """Close; then say (StoreError) if the file was replaced or deleted since the last check:
        what this session saved is then not in the file the user named."""
        if self.answers_saved and self.identity is not None:
            try:
                self.identity.check(self.path, f"the {self.answers_saved} answer(s) of this "
                                    "session are in the file that had this name at the start")
            except IdentityLost as lost:
                with self._engine.connect() as conn:  # a pooled connection: on the old file
                    message = self._rescued(lost, conn.connection.driver_connection)
                self._engine.dispose()
                raise StoreError(message) from None
        if self.damaged:  # SQLite checkpoints on closing the last connection: not into this file
            with guard_against_checkpoint(self.path):
                self._engine.dispose()
        else:
            self._engine.dispose()

    def _rescued(self, lost: IdentityLost, db: sqlite3.Connection) -> str:
        """`lost`'s message, plus where this session's answers were rescued to."""
        identity, self.identity = self.identity, None  # said once: no more checks after this
        if identity is None or not self.answers_saved or not identity.replaced(self.path):
            return str(lost)
        copy = identity.rescue(self.path, db)
        if copy is None:
            return str(lost)
        return f"{lost}; this session's answers are saved in {copy}"

    def _check_identity(self, unsaved: str) -> None:
        """One os.stat: IdentityLost naming `unsaved` (and the earlier answers) if the file at
        `path` is no longer the one opened."""
        if self.identity is None:
            return
        earlier = self.answers_saved
        if earlier:
            unsaved += (f"; the {earlier} earlier answer(s) of this session went to the file "
                        "that had this name when quizapp started")
        self.identity.check(self.path, unsaved)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------
    @contextmanager
    def _transaction(self, write: bool, unsaved: str = "the last change") -> Iterator[Connection]:
        """One transaction; a write takes the lock up front (BEGIN IMMEDIATE, see `_on_begin`)."""
        try:
            with signals_deferred(self.server), self._engine.connect() as conn:
                conn.info["immediate"] = write
                try:
                    with conn.begin():
                        if write:
                            self._lock_learner(conn)
                        yield conn
                        if write:  # the commit must land in the file the user named
                            self._check_identity(unsaved)
                except IdentityLost as lost:  # rolled back; conn still reads the old file
                    raise IdentityLost(self._rescued(lost, conn.connection.driver_connection)) from None
        except DBAPIError as exc:
            self.damaged = self.damaged or (not self.server and is_damage(str(exc.orig)))
            raise StoreError(self._describe(exc)) from None

    def _lock_learner(self, conn: Connection) -> None:
        """What BEGIN IMMEDIATE does for a file, for one learner of a server: their writes queue
        up (`quizapp.store.server`). Nothing to do on SQLite: the file's write lock is taken."""
        if self.server:
            from quizapp.store.server import lock_learner

            lock_learner(conn, self.learner)

    def _describe(self, exc: DBAPIError) -> str:
        if self.server:
            from quizapp.store.server import describe_server_error

            return describe_server_error(self.path, exc)
        return describe_db_error(self.path, exc)

    @contextmanager
    def _raw(self, write: bool = False, unsaved: str = "the last change") -> Iterator[RawDB]:
        """The driver's own connection, for the answer path: SQLAlchemy's connection, transaction
        and result objects cost more CPU per answer than SQLite's work (0.25 ms per transaction,
        0.1 ms per statement). `write`: one transaction with `_write`'s guarantees (BEGIN
        IMMEDIATE, the file's identity checked before COMMIT, rolled back on any error);
        otherwise each statement is its own (autocommit) read."""
        with signals_deferred(self.server), self._raw_connection(write, unsaved) as raw:
            yield raw

    @contextmanager
    def _raw_connection(self, write: bool, unsaved: str) -> Iterator[RawDB]:
        try:
            pooled = self._engine.raw_connection()
        except DBAPIError as exc:
            self.damaged = self.damaged or (not self.server and is_damage(str(exc.orig)))
            raise StoreError(self._describe(exc)) from None
        db = pooled.driver_connection
        raw = RawDB(db, self.server)
        try:
            if not write:
                yield raw
                return
            with raw.transaction():  # an error, or a failed COMMIT: nothing of it stays
                yield raw
                self._check_identity(unsaved)  # the commit must land in the file the user named
        except IdentityLost as lost:  # rolled back; db still reads the old file
            raise IdentityLost(self._rescued(lost, db)) from None
        except BaseException as exc:
            if raw.broken:  # interrupted mid-query: not back into the pool (SQLAlchemy would
                pooled.invalidate()  # try to reset it, and log the failure with a traceback)
            if not isinstance(exc, driver_errors()):
                raise
            if self.server:
                from quizapp.store.server import describe_server_text

                raise StoreError(describe_server_text(self.path, str(exc))) from None
            self.damaged = self.damaged or is_damage(str(exc))
            raise StoreError(describe_error_text(self.path, str(exc))) from None
        finally:
            pooled.close()

    def _read(self) -> AbstractContextManager[Connection]:
        return self._transaction(write=False)

    def _write(self, unsaved: str = "the last change") -> AbstractContextManager[Connection]:
        """A write transaction; `unsaved` names it if the file changed identity (not committed)."""
        return self._transaction(write=True, unsaved=unsaved)


def _check_writable(path: Path) -> None:
    """Refuse up front, rather than after the first answer: every answer is written at once."""
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"{path}: the database file is read-only; quizapp saves every answer to "
                         "it — make it writable (chmod u+rw) or pass --db with another file")
    sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    if not os.access(path.parent, os.W_OK | os.X_OK) and not (
            path.exists() and all(os.access(f, os.R_OK | os.W_OK) for f in sidecars)):
        raise StoreError(f"{path}: the folder {path.parent} is read-only; quizapp needs to create "
                         f"{path.name}" + ("-wal and -shm" if path.exists() else "")
                         + " there — make the folder writable or pass --db with another path")


def _on_connect(dbapi_conn: sqlite3.Connection, _connection_record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    try:
        cursor.execute("SELECT power(2, 1)")  # SQLite without the math functions: supply it
    except sqlite3.OperationalError:
        dbapi_conn.create_function("power", 2, _power, deterministic=True)
    cursor.close()


def _power(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else float(x) ** float(y)


def _on_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")
