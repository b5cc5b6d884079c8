"""Where things live: the database, the bundled deck. Environment variables override defaults."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizapp"
DB_ENV = "QUIZAPP_DB"
DECKS_ENV = "QUIZAPP_DECKS"
KEYS_ENV = "QUIZAPP_KEYS"
SEED_ENV = "QUIZAPP_SEED"
USER_ENV = "QUIZAPP_USER"
_PACKAGE = Path(__file__).resolve().parent


def bundled_deck_path() -> Path:
    """Inside a wheel the deck ships as package data; in a source checkout it is `decks/`."""
    installed = _PACKAGE / "_bundled_decks" / "llm-compute"
    return installed if installed.is_dir() else _PACKAGE.parent / "decks" / "llm-compute"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "quizapp.db"


def db_path(cli_value: str | None) -> Path | str:
    """`--db`, else `QUIZAPP_DB`, else the default. An empty one is an error, not the default:
    an unset variable in a script must not silently open (and write) another database. A server
    URL (`postgresql+psycopg://…`) is passed on as it is."""
    from quizapp.errors import QuizappError

    value = cli_value if cli_value is not None else os.environ.get(DB_ENV)
    if value is not None and not value.strip():
        where = "--db" if cli_value is not None else f"{DB_ENV}"
        raise QuizappError(f"{where} is empty; give a database file path, or unset {DB_ENV} "
                           "for the default database")
    if value and "://" in value:
        return value
    return Path(value).expanduser() if value else default_db_path()


def file_db_path(cli_value: str | None, command: str) -> Path:
    """`db_path` for a command that works on a database file (backup, restore)."""
    value = db_path(cli_value)
    if isinstance(value, str):
        from quizapp.errors import QuizappError

        raise QuizappError(f"{command} works on a database file; a PostgreSQL server is "
                           f"backed up with its own tools (pg_dump, pg_restore)")
    return value


def learner(cli_value: str | None) -> str | None:
    """`--user`, else `QUIZAPP_USER`, else None (the store's default: the one learner of a file
    that holds one, otherwise the login name)."""
    value = cli_value if cli_value is not None else os.environ.get(USER_ENV)
    if value is not None and not value.strip():
        from quizapp.errors import QuizappError

        where = "--user" if cli_value is not None else USER_ENV
        raise QuizappError(f"{where} is empty; give a learner name, or leave it out for your login name")
    return value


def deck_paths(cli_values: list[str] | None) -> list[Path]:
    if cli_values:
        return [Path(v).expanduser() for v in cli_values]
    env = os.environ.get(DECKS_ENV, "")
    parts = [p for p in env.split(":") if p.strip()]
    return [Path(p).expanduser() for p in parts] or [bundled_deck_path()]


def seed(cli_value: int | None) -> int | None:
    """The seed of the one random source behind option order and drill numbers, or None.

    A seed makes a session reproducible: the same options in the same order and the same drill
    numbers, so a test can rely on them and a learner can share a problem ("--seed 7, card 3").
    """
    from quizapp.errors import QuizappError

    if cli_value is not None:
        return cli_value
    value = os.environ.get(SEED_ENV, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise QuizappError(f"{SEED_ENV}={value!r} is not a whole number") from None


def keys_path() -> Path:
    """The key remapping file (`quizapp.tui.keys`): $QUIZAPP_KEYS, else keys.toml in the user
    config folder (~/.config/quizapp/ on Linux)."""
    value = os.environ.get(KEYS_ENV)
    if value:
        return Path(value).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "keys.toml"
