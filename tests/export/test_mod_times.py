"""Note modification times come from the deck: the same from every database, newer when changed.

Anki updates a note only when the package's time is strictly newer, and then replaces all of it;
so these times decide whether a reinstall overwrites what the learner did in Anki.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.deck.load import load_deck
from quizapp.deck.model import Deck
from quizapp.export import export_apkg
from quizapp.export.notes import build_notes, escape
from quizapp.export.stamps import (
    UNSTAMPED_EPOCH,
    UNSTAMPED_WINDOW,
    item_hashes,
    read_stamps,
    unstamped_time,
)
from quizapp.store.store import Store
from tests.export.anki_helpers import import_apkg, open_collection, package_notes, read_cards
from tests.export.conftest import MINI, TRICKY, bundled_or_skip, edited_copy

PERSONAL = "Personal notes"


def _fresh_export(deck: Deck, work: Path, synced: datetime, now: datetime, stamps=None) -> Path:
    """A new install: a fresh database that first saw the deck at `synced`, exporting at `now`."""
    work.mkdir()
    store = Store.open(work / "q.db")
    try:
        store.sync(deck, synced)
        return export_apkg(deck, work / "out.apkg", store=store, now=now, stamps=stamps).path
    finally:
        store.close()


def _deck_and_stamps(name: str):
    if name == "bundled":
        path = bundled_or_skip()
        return load_deck([path]), read_stamps([path])
    return load_deck([{"mini": MINI, "tricky": TRICKY}[name]]), {}


@pytest.mark.parametrize("name", ["bundled", "mini", "tricky"])
def test_two_fresh_databases_export_identical_notes(name: str, tmp_path: Path) -> None:
    deck, stamps = _deck_and_stamps(name)
    now = datetime.now(UTC)
    # one database first saw the deck 40 days ago, the other an hour later than this export
    first = _fresh_export(deck, tmp_path / "a", now - timedelta(days=40), now, stamps)
    second = _fresh_export(deck, tmp_path / "b", now + timedelta(minutes=50),
                           now + timedelta(hours=1), stamps)
    notes_a = package_notes(first, tmp_path / "a")
    assert notes_a == package_notes(second, tmp_path / "b")
    assert len(notes_a) == len(build_notes(deck))
    # the real backend reads the same: every note's fields, tags and modification time
    cols = [open_collection(tmp_path / f"{x}.anki2") for x in "ab"]
    try:
        for col, package in zip(cols, (first, second), strict=True):
            import_apkg(col, package)
        seen = [sorted((c.fields["QuizappId"], c.ord, tuple(c.fields.items()), c.tags, c.note_mod)
                       for c in read_cards(col)) for col in cols]
        assert seen[0] == seen[1]
        assert all(mod <= int(now.timestamp()) for *_x, mod in seen[0])
    finally:
        for col in cols:
            col.close()


@pytest.mark.parametrize("name", ["bundled", "mini"])
def test_reimport_after_a_fresh_install_changes_nothing(name: str, tmp_path: Path, col) -> None:
    deck, stamps = _deck_and_stamps(name)
    now = datetime.now(UTC)
    first = _fresh_export(deck, tmp_path / "old", now - timedelta(days=60), now, stamps)
    import_apkg(col, first)
    cards = read_cards(col)
    by_id = {c.fields["QuizappId"]: c for c in cards}
    terms = sorted(k for k, c in by_id.items() if c.model == "quizapp · term")
    edited, tagged, annotated = (col.get_note(by_id[k].note_id) for k in terms[:3])
    edited["Explanation"] = "my own explanation"
    col.update_note(edited)
    tagged.tags.append("my::exam-week")
    col.update_note(tagged)
    annotated[PERSONAL] = "remember: rate, not count"
    col.update_note(annotated)
    before = sorted((c.id, tuple(c.fields.items()), c.tags, c.note_mod) for c in read_cards(col))

    later = now + timedelta(days=1)  # the reinstall, a day later
    again = _fresh_export(deck, tmp_path / "new", later, later, stamps)
    log = import_apkg(col, again)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
    assert len(log.duplicate) == len(build_notes(deck))
    assert sorted((c.id, tuple(c.fields.items()), c.tags, c.note_mod)
                  for c in read_cards(col)) == before
    assert col.get_note(edited.id)["Explanation"] == "my own explanation"
    assert "my::exam-week" in col.get_note(tagged.id).tags
    assert col.get_note(annotated.id)[PERSONAL] == "remember: rate, not count"


OLD_DEF = "Achieved useful model compute divided by the hardware's peak rate."
NEW_DEF = "Useful model FLOPs per second achieved, divided by the hardware's peak FLOPS."


def test_a_changed_item_is_newer_than_its_previous_version(tmp_path: Path) -> None:
    """Without stamps, this database's history makes a change newer than what it exported."""
    now = datetime.now(UTC)
    v1, v2 = load_deck([MINI]), load_deck([edited_copy(tmp_path, OLD_DEF, NEW_DEF)])
    store = Store.open(tmp_path / "q.db")
    store.sync(v1, now - timedelta(days=5))
    first = export_apkg(v1, tmp_path / "v1.apkg", store=store, now=now - timedelta(days=5))
    rows_v1 = {r[0]: r for r in package_notes(first.path, tmp_path / "a")}
    store.sync(v2, now - timedelta(days=2))
    second = export_apkg(v2, tmp_path / "v2.apkg", store=store, now=now)
    again = export_apkg(v2, tmp_path / "v2b.apkg", store=store, now=now + timedelta(hours=1))
    store.close()
    rows_v2 = {r[0]: r for r in package_notes(second.path, tmp_path / "b")}
    assert rows_v2 == {r[0]: r for r in package_notes(again.path, tmp_path / "c")}
    changed = [g for g in rows_v1 if rows_v1[g][3] != rows_v2[g][3]]
    assert len(changed) == 1 and escape(NEW_DEF) in rows_v2[changed[0]][3]
    assert rows_v2[changed[0]][2] == int((now - timedelta(days=2)).timestamp())  # when it changed
    assert all(rows_v2[g][2] == rows_v1[g][2] for g in rows_v1 if g not in changed)


def test_unstamped_times_come_from_the_content_in_a_fixed_past_window() -> None:
    deck = load_deck([MINI])
    hashes = item_hashes(build_notes(deck))
    times = {unstamped_time(h) for h in hashes.values()}
    assert len(times) == len(hashes)  # one second each (a collision is possible, not here)
    assert all(UNSTAMPED_EPOCH - UNSTAMPED_WINDOW <= t < UNSTAMPED_EPOCH for t in times)
    assert datetime.now(UTC).timestamp() > UNSTAMPED_EPOCH
    assert item_hashes(build_notes(load_deck([MINI]), lang="zh")) == hashes  # no export option


def test_note_mod_time_never_in_the_future(tmp_path: Path, col) -> None:
    """A clock that ran ahead while syncing, or an export 'before' the unstamped window: every
    note time is capped at the export's now."""
    v1, v2 = load_deck([MINI]), load_deck([edited_copy(tmp_path, OLD_DEF, NEW_DEF)])
    now = datetime.now(UTC)
    store = Store.open(tmp_path / "q.db")
    store.sync(v1, now - timedelta(days=3))
    export_apkg(v1, tmp_path / "v1.apkg", store=store, now=now - timedelta(days=3))
    store.sync(v2, now + timedelta(days=30))  # the change seen by a clock a month ahead
    result = export_apkg(v2, tmp_path / "f.apkg", store=store, now=now)
    early = datetime.fromtimestamp(UNSTAMPED_EPOCH - UNSTAMPED_WINDOW - 3600, UTC)
    before_window = export_apkg(v1, tmp_path / "e.apkg", now=early)
    store.close()
    import_apkg(col, result.path)
    mods = {c.fields["QuizappId"]: c.note_mod for c in read_cards(col)}
    assert mods["mfu"] == int(now.timestamp())
    assert all(m <= int(now.timestamp()) for m in mods.values())
    assert {r[2] for r in package_notes(before_window.path, tmp_path / "e")} == {
        int(early.timestamp())}
