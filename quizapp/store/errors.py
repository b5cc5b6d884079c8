"""Database problems a user can cause (wrong path, locked, corrupt, foreign file) as one clear line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from quizapp.errors import QuizappError


class StoreError(QuizappError):
    pass


def describe_db_error(path: Path, exc: DBAPIError | Exception) -> str:
    """`exc`: SQLAlchemy's wrapper or the driver's own error (the answer path's raw transactions)."""
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    low = text.lower()
    if "not a database" in low or "malformed" in low or "disk image" in low:
        return (f"{path}: not a readable quizapp database ({text}); it was left untouched — "
                "restore a backup or pass --db with another file")
    if "locked" in low or "busy" in low:
        return f"{path}: the database is busy in another quizapp window; close it and try again"
    if "readonly" in low or "read-only" in low:
        return f"{path}: the database is read-only; check the file's permissions"
    if "unable to open" in low:
        return f"{path}: cannot open the database file; check that the folder exists and is writable"
    return f"{path}: database error: {text}"
