"""Which front language an export uses, and whether it should switch collections that have it.

The front language belongs to the note types (`models.py`), never to the notes. A plain export
carries the note types with their fixed `MODELS_MOD`, so Anki keeps whatever front a collection
already has; an explicit, new `--lang` stamps them with the export time instead, so Anki replaces
them and every card switches at once. The last explicit choice is remembered in the database and
used as the default afterwards, so a later quizapp release (which replaces the note types anyway)
keeps it.
"""

from __future__ import annotations

from quizapp.export.models import LANGS
from quizapp.store.store import Store

FRONT_SETTING = "anki_front_lang"


def front_language(store: Store, requested: str | None, default: str) -> tuple[str, bool]:
    """(the language, whether to switch): `requested` is `--lang` (None: not given), `default`
    the quiz language used when nothing was ever chosen for Anki."""
    remembered = store.settings().get(FRONT_SETTING)
    remembered = remembered if remembered in LANGS else None
    if requested is None:
        return remembered or default, False
    return requested, requested != remembered


def remember_front(store: Store, lang: str | None) -> None:
    """After a successful export (a failed one must not count as the switch): remember an
    explicit `--lang` (None: none was given)."""
    if lang is not None and store.settings().get(FRONT_SETTING) != lang:
        store.set_setting(FRONT_SETTING, lang)
