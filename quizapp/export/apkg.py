"""Write an Anki package (.apkg) with genanki, optionally carrying the learner's SM-2 progress.

genanki is imported inside functions so `quizapp` starts fast. We never call genanki's
`write_to_file` (it leaves its temporary SQLite file behind): the collection is built in a
temporary directory we remove, zipped into a temporary file beside the target and renamed into
place, so a failure never leaves a partial package.

Progress (`with_progress`): review cards get type/queue 2, `ivl`, `factor` (EF × 1000), `reps`,
`lapses` and `due` as a day number; the review history becomes `revlog` rows. Anki converts `due`
with the *package's* day count: days from the calendar date of the collection's `crt` to the
import day (rollover-aware). We set `crt` to noon, in the learner's zone, of the study day before
the export, and write `due = study_day - that day`, so a card due on study day D arrives due on D
whenever and wherever (± 12 h) it is imported.
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import shutil
import sqlite3
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from quizapp.deck.model import Deck
from quizapp.errors import QuizappError
from quizapp.export.models import CSS, MODELS_MOD, ModelSpec, models_for
from quizapp.export.notes import NoteSpec, build_notes, deck_id, deck_name, guid_key
from quizapp.export.stamps import (
    HISTORY_SETTING,
    Stamp,
    dump_history,
    load_history,
    note_times,
    seconds,
)
from quizapp.files import atomic_file, output_target, temp_folder
from quizapp.srs.answer import ReviewKind
from quizapp.srs.grades import is_lapse
from quizapp.store.store import CardSchedule, ReviewRow, Store

MAX_ANSWER_MS = 60_000  # Anki caps the time taken per answer at 60 s by default


@dataclass(frozen=True)
class ExportResult:
    path: Path
    notes: int
    cards: int
    decks: tuple[str, ...]
    progress_cards: int = 0  # cards that arrive with a review schedule
    revlog: int = 0  # review-history rows written


def default_filename(deck: Deck) -> str:
    return f"quizapp-{deck.id}.apkg"


def _cyclic_gc_paused(func):
    """Run `func` with the cycle collector off. An export allocates a few dozen short-lived objects
    per note and no cycles worth collecting mid-way, yet each collection it triggers walks the
    whole loaded deck and store; on a 10 000-note export that was ~20 % of the time."""
    @functools.wraps(func)
    def run(*args, **kwargs):
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return run


@_cyclic_gc_paused
def export_apkg(deck: Deck, out: Path, *, store: Store | None = None,
                categories: Sequence[str] | None = None, lang: str = "both",
                with_progress: bool = False, today: date | None = None,
                tz: tzinfo | None = None, now: datetime | None = None,
                stamps: Mapping[str, Stamp] | None = None, switch_front: bool = False
                ) -> ExportResult:
    """Build the package for `deck` and write it to `out` atomically.

    Note modification times come from the deck (`stamps`, see `quizapp.export.stamps`); `store`
    adds its export history for items without a stamp (and records this export's times) and, with
    `with_progress`, supplies the schedules and review log. `lang` picks the front language of the
    note types; they carry `MODELS_MOD`, so a collection that has them keeps its front language —
    unless `switch_front`, which stamps them `now` so that Anki replaces them (all cards switch at
    once, no note changes). `today`, `tz` and `now` are the learner's study day, zone and the
    current instant (from the app context).
    """
    now = now or datetime.now(UTC)
    tz = tz or UTC
    out = _check_target(Path(out), deck)
    notes = build_notes(deck, categories, lang)
    if with_progress and store is None:
        raise QuizappError("--with-progress needs the quizapp database")
    if with_progress and today is None:
        raise ValueError("with_progress needs today's study day")
    # Only the exported notes' cards: their content times and, with progress, their schedules.
    records = store.card_schedules(_card_ids(notes)) if store is not None else {}
    history = load_history(store.settings().get(HISTORY_SETTING)) if store is not None else {}
    mods, new_history = note_times(notes, stamps or {}, history, _changed_at(notes, records), now)

    with temp_folder("quizapp-export-") as work:  # named with our pid: a killed run's is removed
        db_path = Path(work) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:  # the collection is built in TMPDIR: a full one is one line, not a traceback
            cursor = conn.cursor()
            # A scratch file, zipped and deleted: syncing it protects nothing (the package is
            # written atomically and synced by `_write_zip`), and genanki's schema script ran
            # each statement as its own synced transaction (~130 ms of a small export's 170).
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
            guids = _guids(deck, notes)
            package, deck_names = _package(deck, notes, mods, lang, guids)
            # Note types: MODELS_MOD (or now, to switch the front language); ids start at now.
            models_mod = max(MODELS_MOD, int(now.timestamp())) if switch_front else MODELS_MOD
            package.write_to_db(cursor, models_mod, itertools.count(int(now.timestamp() * 1000)))
            progress_cards = revlog = 0
            if with_progress:
                assert today is not None
                assert store is not None
                progress_cards, revlog = _write_progress(cursor, notes, guids, records, store,
                                                         today, tz)
            n_notes = cursor.execute("SELECT count(*) FROM notes").fetchone()[0]
            n_cards = cursor.execute("SELECT count(*) FROM cards").fetchone()[0]
            conn.commit()
        except (sqlite3.Error, OSError) as exc:
            raise QuizappError(f"{Path(work).parent}: cannot build the package in the temporary "
                               f"folder ({exc}); set TMPDIR to a folder with free space") from None
        finally:
            conn.close()
        _write_zip(out, db_path, now)
    if store is not None and new_history != history:
        store.set_setting(HISTORY_SETTING, dump_history(new_history))
    return ExportResult(out, n_notes, n_cards, deck_names, progress_cards, revlog)


# -- genanki objects -------------------------------------------------------------------------------
def _genanki_model(spec: ModelSpec):
    """One note type as genanki wants it (ids passed through: Anki matches fields by them)."""
    import genanki

    return genanki.Model(
        spec.id, spec.name,
        fields=[{"name": f.name, "id": f.id} for f in spec.fields],
        templates=[{"name": t.name, "id": t.id, "qfmt": t.front, "afmt": t.back}
                   for t in spec.templates],
        css=CSS, sort_field_index=spec.sort_field,
    )


def _note_class():
    """A genanki Note that writes its own modification time instead of the package-wide one."""
    import genanki

    class TimedNote(genanki.Note):
        def __init__(self, *args, mod: int, **kwargs):
            super().__init__(*args, **kwargs)
            self.mod = mod

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            super().write_to_db(cursor, self.mod, deck_id, id_gen)

        def _check_invalid_html_tags_in_fields(self):
            # genanki's regex scan of every field only warns about unescaped text; ours is all
            # escaped by `fields.escape` (tests render every card), and the scan costs ~10 % of
            # an export.
            pass

    return TimedNote


def _card_ids(notes: Sequence[NoteSpec]) -> list[str]:
    """The quizapp cards the notes show or carry progress for, each once."""
    ids: dict[str, None] = {}
    for spec in notes:
        ids.update(dict.fromkeys(spec.source_cards))
        ids.update(dict.fromkeys(c for c in spec.cards if c))
    return list(ids)


def _changed_at(notes: Sequence[NoteSpec], records: Mapping[str, CardSchedule]
                ) -> Callable[[str], int]:
    """item → when this database last saw its content change (UTC seconds; 0: unknown)."""
    sources: dict[str, list[str]] = {}
    for spec in notes:
        sources.setdefault(spec.item, []).extend(spec.source_cards)

    def changed_at(item: str) -> int:
        found = (records.get(cid) for cid in sources.get(item, ()))
        return max((seconds(r.content_changed_at) for r in found if r is not None), default=0)

    return changed_at


def _guids(deck: Deck, notes: Sequence[NoteSpec]) -> dict[str, str]:
    """note key → Anki guid, hashed once per export (the package and the progress both need it)."""
    import genanki

    return {spec.key: genanki.guid_for(*guid_key(deck, spec.key)) for spec in notes}


def _package(deck: Deck, notes: Sequence[NoteSpec], mods: Mapping[str, int], lang: str,
             guids: Mapping[str, str]):
    import genanki

    models = {key: _genanki_model(spec) for key, spec in models_for(lang).items()}
    note_class = _note_class()
    root = genanki.Deck(deck_id(deck, None), deck.name_en.replace("::", ":").strip(),
                        description=f"{deck.name_en} · {deck.name_zh} (quizapp)")
    decks = {c.id: genanki.Deck(deck_id(deck, c.id), deck_name(deck.name_en, c),
                                description=f"{c.en} · {c.zh}")
             for c in deck.categories}
    for due, spec in enumerate(notes):  # build_notes gives Anki's new-card order
        note = note_class(model=models[spec.model], fields=list(spec.fields),
                          tags=list(spec.tags), guid=guids[spec.key],
                          due=due, mod=mods[spec.key])
        decks[spec.category].add_note(note)
    used = [d for d in decks.values() if d.notes]
    return genanki.Package([root, *used]), tuple(d.name for d in used)


# -- progress --------------------------------------------------------------------------------------
def anchor_day(today: date) -> date:
    """The study day the package's day numbers count from (the day before the export)."""
    return today - timedelta(days=1)


def collection_crt(today: date, tz: tzinfo) -> int:
    """Noon of the anchor day in the learner's zone: its calendar date survives ±12 h of zone."""
    return int(datetime.combine(anchor_day(today), time(12), tzinfo=tz).timestamp())


def anki_ease(grade: int) -> int:
    """SM-2 grade 0-5 → Anki answer button 1-4 (Again, Hard, Good, Easy)."""
    return 1 if is_lapse(grade) else {3: 2, 4: 3}.get(grade, 4)


def _write_progress(cursor: sqlite3.Cursor, notes: Sequence[NoteSpec], guids: Mapping[str, str],
                    records: dict[str, CardSchedule], store: Store,
                    today: date, tz: tzinfo) -> tuple[int, int]:
    base = anchor_day(today)
    # schedVer 2: otherwise Anki takes the package for a v1 (3-button) collection and shifts the
    # answer buttons of learning-type revlog rows up by one.
    conf = json.loads(cursor.execute("SELECT conf FROM col").fetchone()[0])
    conf["schedVer"] = 2
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (collection_crt(today, tz), json.dumps(conf)))
    by_guid: dict[str, dict[int, int]] = {}  # note guid -> {template ord: Anki card id}
    for guid, ord_, anki_id in cursor.execute(
            "SELECT notes.guid, cards.ord, cards.id FROM cards JOIN notes ON notes.id = cards.nid"):
        by_guid.setdefault(guid, {})[ord_] = anki_id
    anki_card = {}  # quizapp card id -> Anki card id
    for spec in notes:
        by_ord = by_guid.get(guids[spec.key], {})
        for ord_, cid in enumerate(spec.cards):
            if cid is not None and ord_ in by_ord:
                anki_card[cid] = by_ord[ord_]
    scheduled = 0
    for cid, anki_id in anki_card.items():
        record = records.get(cid)
        if record is None:
            continue
        if record.reviews > 0 and record.due is not None:
            cursor.execute(
                "UPDATE cards SET type = 2, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, "
                "lapses = ?, left = 0 WHERE id = ?",
                (-1 if record.suspended else 2, record.due - base.toordinal(),
                 max(1, record.interval), record.ef * 10, record.reviews, record.lapses, anki_id))
            scheduled += 1
        elif record.suspended:
            cursor.execute("UPDATE cards SET queue = -1 WHERE id = ?", (anki_id,))
    # Review answers only (re-drills and practice leave the schedule alone), in log order: two
    # answers in one millisecond get consecutive revlog ids, the earlier answer the smaller.
    reviews: list[ReviewRow] = sorted(store.iter_card_reviews(anki_card, kind=ReviewKind.REVIEW))
    used_ids: set[int] = set()
    rows = []
    for review in reviews:
        moment = datetime.fromisoformat(review.answered_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        rid = int(moment.timestamp() * 1000)
        while rid in used_ids:
            rid += 1
        used_ids.add(rid)
        rows.append((rid, anki_card[review.card_id], -1, anki_ease(review.grade),
                     review.interval_after, review.interval_before, review.ef_after * 10,
                     min(max(review.response_ms, 0), MAX_ANSWER_MS),
                     0 if review.reps_before == 0 and review.interval_before == 0 else 1))
    cursor.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return scheduled, len(rows)


# -- the file ------------------------------------------------------------------------------------
def _check_target(out: Path, deck: Deck) -> Path:
    """The file to write (a symlink's target); refuses folders, devices, FIFOs, read-only files."""
    return output_target(str(out), default_filename(deck)).path or out


# ZIP stores local times from 1980 to 2107; a clock outside (reset to 1970, or far ahead) is
# clamped rather than failing the export.
_ZIP_TIMES = (datetime(1980, 1, 1, tzinfo=UTC), datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC))


def _zip_time(now: datetime) -> tuple[int, int, int, int, int, int]:
    moment = min(max(now, _ZIP_TIMES[0]), _ZIP_TIMES[1])
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _write_zip(out: Path, db_path: Path, now: datetime) -> None:
    stamp = _zip_time(now)
    with atomic_file(out) as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as package:
        entry = zipfile.ZipInfo("collection.anki2", date_time=stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with open(db_path, "rb") as source, package.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        package.writestr(zipfile.ZipInfo("media", date_time=stamp), json.dumps({}))
