"""Import packages into a throwaway collection with the real Anki backend and read them back."""

from __future__ import annotations

import html
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

UPDATE = {"if-newer": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
          "always": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
          "never": ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_NEVER}


def open_collection(path: Path) -> Collection:
    return Collection(str(path))


def import_apkg(col: Collection, apkg: Path, *, with_scheduling: bool = False,
                update_notetypes: str = "if-newer", merge_notetypes: bool = False):
    """Import like Anki's dialog does (by default: update notes and note types if newer, do not
    merge note types); return the log."""
    request = ImportAnkiPackageRequest(
        package_path=str(apkg),
        options=ImportAnkiPackageOptions(with_scheduling=with_scheduling,
                                         merge_notetypes=merge_notetypes,
                                         update_notetypes=UPDATE[update_notetypes]))
    result = col.import_anki_package(request)
    col.models._clear_cache()  # the import does not invalidate the Python-side note type cache
    return result.log


@dataclass(frozen=True)
class AnkiCard:
    id: int
    note_id: int
    ord: int
    template: str
    model: str
    deck: str
    question: str
    answer: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    note_mod: int
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int


def read_cards(col: Collection) -> list[AnkiCard]:
    decks = {d.id: d.name for d in col.decks.all_names_and_ids()}
    out = []
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        note = card.note()
        model = note.note_type()
        out.append(AnkiCard(
            id=card.id, note_id=note.id, ord=card.ord, template=model["tmpls"][card.ord]["name"],
            model=model["name"], deck=decks[card.did], question=card.question(),
            answer=card.answer(), fields=dict(note.items()), tags=tuple(note.tags),
            note_mod=note.mod, type=card.type, queue=card.queue, due=card.due, ivl=card.ivl,
            factor=card.factor, reps=card.reps, lapses=card.lapses))
    return out


def package_notes(apkg: Path, work: Path) -> list[tuple]:
    """(guid, note type, mod, fields, tags) of every note inside the package, by GUID: what the
    file itself says, before Anki reads it."""
    work.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(apkg) as package:
        package.extract("collection.anki2", work)
    conn = sqlite3.connect(work / "collection.anki2")
    try:
        return conn.execute("SELECT guid, mid, mod, flds, tags FROM notes ORDER BY guid").fetchall()
    finally:
        conn.close()


def text(fragment: str) -> str:
    """How plain text appears inside rendered HTML (what our export writes)."""
    from quizapp.export.notes import escape

    return escape(fragment)


def visible(rendered: str) -> str:
    return html.unescape(rendered)
