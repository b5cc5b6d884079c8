"""Who a store's rows belong to: learner names.

A learner is named by `--user` / `QUIZAPP_USER`, else by the login name. Names are short, printable
and free of surrounding spaces, so they read well in `quizapp stats --group` and in messages.
"""

from __future__ import annotations

import getpass
import unicodedata

from quizapp.store.errors import StoreError

MAX_LEARNER = 64
FALLBACK_LEARNER = "learner"  # a process with no login name (some containers)


def login_name() -> str:
    """The login name, as every command's default learner."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER
        return FALLBACK_LEARNER
    try:
        check_learner(name)
    except StoreError:
        return FALLBACK_LEARNER
    return name


def check_learner(name: str) -> None:
    """StoreError (one line) unless `name` can name a learner."""
    if not name or name != name.strip():
        raise StoreError(f"learner name {name!r}: give a name without leading or trailing spaces "
                         "(--user NAME or QUIZAPP_USER)")
    if len(name) > MAX_LEARNER:
        raise StoreError(f"learner name '{name[:20]}…': at most {MAX_LEARNER} characters")
    if any(unicodedata.category(ch).startswith(("C", "Z")) and ch != " " for ch in name):
        raise StoreError(f"learner name {name!r}: control characters and line breaks are not allowed")
