"""What a learner does in Anki survives quizapp's updates: front language, Personal notes, tags.

Anki's rules these tests pin (anki 26.9.3): a note in the package replaces the learner's note —
every field and its tags — only if its modification time is strictly newer; a note type is
replaced (templates, styling, field names) only if its modification time is strictly newer, unless
the import says "Update note types: Always"; field ids, not names, decide whether a note type's
schema changed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.deck.load import load_deck
from quizapp.export import export_apkg
from quizapp.export.notes import escape
from quizapp.store.store import Store
from tests.export.anki_helpers import import_apkg, read_cards
from tests.export.conftest import HERE, MINI, edited_copy

PERSONAL = "Personal notes"
OLD_DEF = "Achieved useful model compute divided by the hardware's peak rate."
NEW_DEF = "Useful model FLOPs per second achieved, divided by the hardware's peak FLOPS."
OLD_EXPORT = HERE / "data" / "quizapp-0.1-mini.apkg"  # made by quizapp 0.1 from tests/data/mini


def _front(col, quizapp_id: str, ord_: int = 0) -> str:
    return next(c.question for c in read_cards(col)
                if c.fields["QuizappId"] == quizapp_id and c.ord == ord_)


def _note(col, quizapp_id: str):
    return col.get_note(next(c.note_id for c in read_cards(col)
                             if c.fields["QuizappId"] == quizapp_id))


def _backdate(col, note, when: datetime) -> None:
    """As if the learner had made this edit at `when`."""
    col.db.execute("UPDATE notes SET mod = ? WHERE id = ?", int(when.timestamp()), note.id)


def test_lang_over_a_both_collection_changes_nothing(tmp_path: Path, col) -> None:
    deck = load_deck([MINI])
    both = export_apkg(deck, tmp_path / "both.apkg")
    zh = export_apkg(deck, tmp_path / "zh.apkg", lang="zh")
    import_apkg(col, both.path)
    before = [(c.id, c.question, tuple(c.fields.items()), c.note_mod) for c in read_cards(col)]
    log = import_apkg(col, zh.path)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
    assert [(c.id, c.question, tuple(c.fields.items()), c.note_mod)
            for c in read_cards(col)] == before
    assert escape(deck.term("mfu").def_en) in _front(col, "mfu")


def test_language_switch_and_personal_notes_survive_an_update(tmp_path: Path, col) -> None:
    now = datetime.now(UTC)
    v1, v2 = load_deck([MINI]), load_deck([edited_copy(tmp_path, OLD_DEF, NEW_DEF)])
    store = Store.open(tmp_path / "q.db")
    store.sync(v1, now - timedelta(days=9))
    import_apkg(col, export_apkg(v1, tmp_path / "v1.apkg", store=store, now=now).path)
    # The switch, made once: `quizapp export --lang zh` (it replaces the note types, not notes).
    zh = export_apkg(v1, tmp_path / "zh.apkg", store=store, lang="zh", switch_front=True, now=now)
    log = import_apkg(col, zh.path)
    assert len(log.updated) == 0  # the notes themselves do not change
    term = v1.term("hbm")
    assert escape(term.def_zh) in _front(col, "hbm") and escape(term.def_en) not in _front(col, "hbm")
    # The learner's own things on notes quizapp will not change.
    hbm, flops = _note(col, "hbm"), _note(col, "flops-rate")
    hbm[PERSONAL] = "HBM3 on H100: 3.35 TB/s"
    col.update_note(hbm)
    flops.tags.append("my::confusing")
    col.update_note(flops)

    # quizapp changes a definition; the update is exported in the default language (both).
    store.sync(v2, now + timedelta(hours=1))
    update = export_apkg(v2, tmp_path / "v2.apkg", store=store, now=now + timedelta(hours=2))
    store.close()
    log = import_apkg(col, update.path)
    assert [n.fields[0] for n in log.updated] == [escape(v2.term("mfu").display)]
    mfu_front = _front(col, "mfu")
    assert escape(NEW_DEF) not in mfu_front and escape(v2.term("mfu").def_zh) in mfu_front
    assert escape(NEW_DEF) in next(c.answer for c in read_cards(col)
                                   if c.fields["QuizappId"] == "mfu" and c.ord == 0)
    for quizapp_id in ("hbm", "flops-rate", "rate-or-count", "fits-one-gpu"):
        assert escape(v2.term("hbm").def_en) not in _front(col, quizapp_id)  # still Chinese fronts
    assert _note(col, "hbm")[PERSONAL] == "HBM3 on H100: 3.35 TB/s"
    assert "my::confusing" in _note(col, "flops-rate").tags
    hbm_back = next(c.answer for c in read_cards(col) if c.fields["QuizappId"] == "hbm")
    assert "HBM3 on H100: 3.35 TB/s" in hbm_back and "My notes" in hbm_back


def test_what_anki_does_to_a_note_quizapp_changes(tmp_path: Path, col) -> None:
    """The whole note is replaced when quizapp's change is newer than the learner's last edit,
    and kept whole (without quizapp's change) when the learner's edit is newer."""
    now = datetime.now(UTC)
    v1 = load_deck([MINI])
    store = Store.open(tmp_path / "q.db")
    store.sync(v1, now - timedelta(days=9))
    import_apkg(col, export_apkg(v1, tmp_path / "v1.apkg", store=store, now=now).path)
    mfu = _note(col, "mfu")
    mfu[PERSONAL] = "written before quizapp's change"
    mfu.tags.append("mine")
    col.update_note(mfu)
    _backdate(col, mfu, now - timedelta(days=3))
    v2 = load_deck([edited_copy(tmp_path, OLD_DEF, NEW_DEF)])
    store.sync(v2, now - timedelta(days=1))  # quizapp changes it later
    import_apkg(col, export_apkg(v2, tmp_path / "v2.apkg", store=store, now=now).path)
    replaced = _note(col, "mfu")
    assert replaced["Definition"] == escape(NEW_DEF)
    assert replaced[PERSONAL] == "" and "mine" not in replaced.tags

    replaced[PERSONAL] = "written after quizapp's change"
    col.update_note(replaced)  # now: newer than quizapp's change of a day ago
    store.sync(v1, now - timedelta(hours=1))  # …and quizapp changes it back, an hour ago
    import_apkg(col, export_apkg(v1, tmp_path / "v3.apkg", store=store, now=now).path)
    store.close()
    kept = _note(col, "mfu")
    assert kept[PERSONAL] == "written after quizapp's change"
    assert kept["Definition"] == escape(NEW_DEF)  # the learner's newer note wins as a whole


def test_note_type_update_takes_the_exports_language(tmp_path: Path, col, monkeypatch) -> None:
    """When a quizapp release changes the note types (a newer MODELS_MOD), Anki replaces them:
    the fronts then follow the language of that export."""
    deck = load_deck([MINI])
    import_apkg(col, export_apkg(deck, tmp_path / "both.apkg").path)
    import quizapp.export.apkg as apkg

    monkeypatch.setattr(apkg, "MODELS_MOD", int(datetime.now(UTC).timestamp()))
    import_apkg(col, export_apkg(deck, tmp_path / "zh.apkg", lang="zh").path)
    front = _front(col, "mfu")
    assert escape(deck.term("mfu").def_zh) in front and escape(deck.term("mfu").def_en) not in front


def test_upgrade_from_a_quizapp_0_1_export(tmp_path: Path, col) -> None:
    """The old note types had `FrontEn` / `FrontZh` where the new ones have `Hint` / `Letter` and
    `Personal notes`, under the same field ids: no schema change, no conflicts, nothing lost."""
    old = import_apkg(col, OLD_EXPORT)
    assert len(old.new) == 7
    assert "FrontZh" in [f["name"] for f in col.models.by_name("quizapp · term")["flds"]]
    edited = _note(col, "throughput")
    edited["Explanation"] = "my own explanation"
    col.update_note(edited)  # edited after the old import: newer than the new export's times
    cards_before = sorted(c.id for c in read_cards(col))
    models_before = sorted((m.id, m.name) for m in col.models.all_names_and_ids())

    deck = load_deck([MINI])
    log = import_apkg(col, export_apkg(deck, tmp_path / "new.apkg").path)
    assert (len(log.new), len(log.conflicting)) == (0, 0)
    assert len(log.updated) == 6 and len(log.duplicate) == 1  # the edited note is kept as it is
    assert sorted(c.id for c in read_cards(col)) == cards_before  # progress stays on its cards
    assert sorted((m.id, m.name) for m in col.models.all_names_and_ids()) == models_before
    assert not [m for m in col.models.all_names_and_ids() if m.name.endswith("+")]
    names = [f["name"] for f in col.models.by_name("quizapp · term")["flds"]]
    assert names[-3:] == ["Hint", PERSONAL, "QuizappId"]
    trap_names = [f["name"] for f in col.models.by_name("quizapp · trap")["flds"]]
    assert "Letter" in trap_names and "FrontEn" not in trap_names
    mfu = _note(col, "mfu")
    assert mfu[PERSONAL] == "" and mfu["Hint"] == escape("M__ · 模______")
    trap = _note(col, "rate-or-count")
    assert trap["Letter"] in "AB" and trap["Answer"] == "FLOPs"
    kept = _note(col, "throughput")
    assert kept["Explanation"] == "my own explanation"
    # what the learner sees on that one note: the old language flag in the renamed field
    assert kept[PERSONAL] == "1"


def test_cli_lang_switches_once_and_is_remembered(tmp_path: Path, col, capsys) -> None:
    from quizapp.cli import main
    from quizapp.export.models import MODELS_MOD

    def export(*args: str) -> Path:
        out = tmp_path / f"e{len(list(tmp_path.glob('e*.apkg')))}.apkg"
        code = main(["--db", str(tmp_path / "q.db"), "--deck", str(MINI), "export", "--out",
                     str(out), *args])
        assert code == 0, capsys.readouterr().err
        return out

    def model_mods(apkg: Path) -> set[int]:
        import json
        import sqlite3
        import zipfile

        with zipfile.ZipFile(apkg) as package:
            package.extract("collection.anki2", tmp_path / apkg.stem)
        conn = sqlite3.connect(tmp_path / apkg.stem / "collection.anki2")
        models = json.loads(conn.execute("SELECT models FROM col").fetchone()[0])
        conn.close()
        return {m["mod"] for m in models.values()}

    term = load_deck([MINI]).term("mfu")
    import_apkg(col, export())
    assert escape(term.def_en) in _front(col, "mfu")
    switch = export("--lang", "zh")
    assert min(model_mods(switch)) > MODELS_MOD
    log = import_apkg(col, switch)
    assert len(log.updated) == 0 and escape(term.def_en) not in _front(col, "mfu")
    # a bad --out does not count as a choice
    code = main(["--db", str(tmp_path / "q.db"), "--deck", str(MINI), "export", "--lang", "en",
                 "--out", str(tmp_path / "missing" / "x.apkg")])
    assert code == 1
    capsys.readouterr()
    plain = export()  # remembers zh, and does not switch again
    assert model_mods(plain) == {MODELS_MOD}
    log = import_apkg(col, plain)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert escape(term.def_en) not in _front(col, "mfu")
    assert escape(term.def_zh) in _front(col, "mfu")
    assert min(model_mods(export("--lang", "en"))) > MODELS_MOD
