"""Anki note modification times taken from the deck, so every machine exports the same ones.

Anki updates a note on import only when the package's modification time is *strictly newer* than
the one it has, and then replaces the whole note (every field and its tags). So a note's time must
change exactly when its content changes, and never depend on when or where it was exported.

Per deck item (a drill's worked examples count as one item), in this order:

1. **Stamp file** (`anki-stamps.json` in a deck folder, `NAME.anki-stamps.json` beside a single
   deck file): content hash → when that content last changed, in UTC seconds. Committed with the
   deck and refreshed by `quizapp decks stamp PATH`, which gives new or changed items the current
   time (always later than their previous stamp). Used when the hash matches.
2. **This database's export history** (for decks without stamps): an item this database exported
   before keeps its time while its hash is unchanged; once the hash changes, it gets a time newer
   than its previous one — when this database saw the deck change, or one second later.
3. **Otherwise** a time derived from the hash alone, in the day before `UNSTAMPED_EPOCH`: the same
   on every machine, but a changed item is newer than its previous version only by chance (half
   the time), and always older than any edit a learner makes in Anki afterwards.

No time is ever later than the export's `now`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.export.notes import NoteSpec

STAMP_FILE = "anki-stamps.json"  # not *.toml: the deck loader never reads it
STAMP_FORMAT = 1
UNSTAMPED_EPOCH = 1796083200  # 2026-12-01 00:00 UTC: after every quizapp 0.1 export
UNSTAMPED_WINDOW = 86_400
HISTORY_SETTING = "anki_export_history"  # {"v": 1, "items": {item: [hash, time]}}
_ABOUT = ("Anki note modification times for this deck: item id -> [content hash, when that "
          "content last changed (UTC seconds)]. Written by `quizapp decks stamp`; do not edit.")


@dataclass(frozen=True)
class Stamp:
    hash: str
    changed: int


@dataclass(frozen=True)
class StampReport:
    path: Path
    added: int
    changed: int
    removed: int
    unchanged: int

    @property
    def written(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def summary(self) -> str:
        what = "written" if self.written else "already up to date"
        return (f"{self.path}: {what} ({self.added} new, {self.changed} changed, "
                f"{self.removed} removed, {self.unchanged} unchanged)")


def stamp_path(deck_path: Path) -> Path:
    deck_path = Path(deck_path)
    if deck_path.is_dir():
        return deck_path / STAMP_FILE
    return deck_path.with_name(f"{deck_path.stem}.{STAMP_FILE}")


def item_hashes(notes: Iterable[NoteSpec]) -> dict[str, str]:
    """One hash per deck item over everything Anki stores in its notes (an item with one note:
    that note's own hash; a drill: a hash over its worked examples' hashes)."""
    parts: dict[str, list[tuple[str, str]]] = {}
    for note in notes:
        parts.setdefault(note.item, []).append((note.key, note.digest))
    return {item: p[0][1] if len(p) == 1 else
            hashlib.sha256("\n".join(f"{k}\0{d}" for k, d in sorted(p)).encode()).hexdigest()[:16]
            for item, p in parts.items()}


def unstamped_time(digest: str) -> int:
    """A fixed second in the day before UNSTAMPED_EPOCH, picked by the content hash."""
    return UNSTAMPED_EPOCH - 1 - int(digest, 16) % UNSTAMPED_WINDOW


# -- the stamp file --------------------------------------------------------------------------------
def read_stamps(deck_paths: Sequence[Path]) -> dict[str, Stamp]:
    """The stamps of every deck path that has a stamp file (none: an empty dict)."""
    stamps: dict[str, Stamp] = {}
    for deck_path in deck_paths:
        stamps.update(_read(stamp_path(deck_path)))
    return stamps


def _read(path: Path) -> dict[str, Stamp]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise QuizappError(f"{path}: cannot read the stamp file ({exc})") from None
    try:
        data = json.loads(text)
        if data.get("format") != STAMP_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {STAMP_FORMAT}")
        return {str(item): Stamp(str(h), int(t)) for item, (h, t) in data["items"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise QuizappError(f"{path}: not a quizapp stamp file ({exc}); "
                           f"delete it and run `quizapp decks stamp`") from None


def stale_items(hashes: Mapping[str, str], stamps: Mapping[str, Stamp]) -> list[str]:
    """Items whose stamp is missing or out of date, and stamps of items that are gone."""
    out = [i for i, h in hashes.items() if i not in stamps or stamps[i].hash != h]
    return sorted(out + [i for i in stamps if i not in hashes])


def restamp(path: Path, hashes: Mapping[str, str], now: datetime) -> StampReport:
    """Bring the stamp file at `path` up to date with `hashes`; write it only if that changes it.

    A new or changed item gets `now` (or one second after its previous stamp, if the clock is
    behind it); an unchanged item keeps its time; an item no longer in the deck is dropped."""
    old = _read(path)
    moment = int(now.timestamp())
    new: dict[str, Stamp] = {}
    added = changed = 0
    for item, digest in sorted(hashes.items()):
        before = old.get(item)
        if before is not None and before.hash == digest:
            new[item] = before
            continue
        added += before is None
        changed += before is not None
        new[item] = Stamp(digest, max(moment, before.changed + 1) if before else moment)
    report = StampReport(path, added, changed, len(set(old) - set(hashes)),
                         len(hashes) - added - changed)
    if report.written:
        _write_atomically(path, _render(new))
    return report


def stamp_deck(deck_path: Path, now: datetime) -> StampReport:
    """`quizapp decks stamp PATH`: stamp the deck at `deck_path` (a file or a folder)."""
    from quizapp.deck.load import load_deck
    from quizapp.export.notes import build_notes

    deck = load_deck([deck_path])
    return restamp(stamp_path(deck_path), item_hashes(build_notes(deck)), now)


def _render(stamps: Mapping[str, Stamp]) -> str:
    lines = [f"    {json.dumps(item, ensure_ascii=False)}: [{json.dumps(s.hash)}, {s.changed}]"
             for item, s in sorted(stamps.items())]
    return ('{\n  "about": ' + json.dumps(_ABOUT) + f',\n  "format": {STAMP_FORMAT},\n'
            '  "items": {\n' + ",\n".join(lines) + "\n  }\n}\n")


def _write_atomically(path: Path, text: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise QuizappError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 would hide a committed file from others
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise QuizappError(f"{path}: cannot write ({exc.strerror or exc})") from None


# -- modification times ----------------------------------------------------------------------------
def note_times(notes: Sequence[NoteSpec], stamps: Mapping[str, Stamp],
               history: Mapping[str, tuple[str, int]], changed_at: Callable[[str], int],
               now: datetime) -> tuple[dict[str, int], dict[str, tuple[str, int]]]:
    """(modification time per note key, the updated history) — see the module docstring.

    `history` is what this database exported before (item → (hash, time)); `changed_at(item)` is
    when this database last saw the item's content change (UTC seconds, 0 if unknown), asked only
    for items that changed since this database last exported them."""
    limit = int(now.timestamp())
    per_item: dict[str, int] = {}
    updated = dict(history)
    for item, digest in item_hashes(notes).items():
        stamp, before = stamps.get(item), history.get(item)
        if stamp is not None and stamp.hash == digest:
            moment = stamp.changed
        elif before is not None and before[0] == digest:
            moment = before[1]
        elif before is not None:
            moment = max(before[1] + 1, changed_at(item))
        else:
            moment = unstamped_time(digest)
        per_item[item] = min(moment, limit)
        updated[item] = (digest, per_item[item])
    return {n.key: per_item[n.item] for n in notes}, updated


def load_history(value: object) -> dict[str, tuple[str, int]]:
    """The stored export history, or none if the setting is missing or not ours."""
    if not isinstance(value, dict) or value.get("v") != 1:
        return {}
    try:
        return {str(k): (str(h), int(t)) for k, (h, t) in value["items"].items()}
    except (AttributeError, KeyError, TypeError, ValueError):
        return {}


def dump_history(history: Mapping[str, tuple[str, int]]) -> dict[str, object]:
    return {"v": 1, "items": {k: [h, t] for k, (h, t) in sorted(history.items())}}


def seconds(iso: str) -> int:
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
