"""Database problems a user can cause (wrong path, locked, corrupt, foreign file) as one clear line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from quizapp.errors import QuizappError


class StoreError(QuizappError):
    pass


def describe_db_error(path: Path, exc: DBAPIError) -> str:
    return describe_error_text(path, str(exc.orig) if exc.orig is not None else str(exc))


def is_damage(text: str) -> bool:
    """SQLite's words for a file that is not (or no longer) a readable database."""
    low = text.lower()
    return "not a database" in low or "malformed" in low or "disk image" in low


def describe_error_text(path: Path, text: str) -> str:
    low = text.lower()
    if is_damage(text):
        return (f"{path}: not a readable quizapp database ({text}); it was left untouched — "
                "restore a backup or pass --db with another file")
    if "locked" in low or "busy" in low:
        return f"{path}: the database is busy in another quizapp window; close it and try again"
    if "readonly" in low or "read-only" in low:
        return f"{path}: the database is read-only; check the file's permissions"
    if "unable to open" in low:
        return f"{path}: cannot open the database file; check that the folder exists and is writable"
    if "disk is full" in low or "no space" in low:
        return f"{path}: the disk is full; free some space and try again"
    return f"{path}: database error: {text}"
