"""The committed stamp file: kept honest, refreshed by `quizapp decks stamp`, ignored by the loader."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.deck.load import check_deck, load_deck
from quizapp.export import export_apkg
from quizapp.export.notes import build_notes
from quizapp.export.stamps import (
    STAMP_FILE,
    item_hashes,
    read_stamps,
    restamp,
    stale_items,
    stamp_path,
)
from tests.export.anki_helpers import import_apkg, package_notes, read_cards
from tests.export.conftest import MINI, bundled_or_skip


def test_bundled_deck_stamps_are_up_to_date() -> None:
    path = bundled_or_skip()
    stamps = read_stamps([path])
    stale = stale_items(item_hashes(build_notes(load_deck([path]))), stamps)
    assert not stale, (
        f"{len(stale)} item(s) of the bundled deck have no stamp or a stale one (first: "
        f"{stale[:5]}): what Anki sees of them changed. Run `quizapp decks stamp` and commit "
        f"{stamp_path(path).name}.")
    assert all(s.changed <= datetime.now(UTC).timestamp() for s in stamps.values())


def _run(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = main(["--db", str(tmp_path / "q.db"), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _mini_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    return folder


def test_decks_stamp_writes_updates_and_keeps(tmp_path: Path, capsys) -> None:
    folder = _mini_copy(tmp_path)
    code, out, err = _run(["decks", "stamp", str(folder)], tmp_path, capsys)
    assert code == 0, err
    target = folder / STAMP_FILE
    assert out == f"{target}: written (7 new, 0 changed, 0 removed, 0 unchanged)\n"
    first = read_stamps([folder])
    assert set(first) == {"flops-rate", "flops-count", "mfu", "throughput", "hbm", "rate-or-count",
                          "fits-one-gpu"}
    code, out, _ = _run(["decks", "stamp", str(folder)], tmp_path, capsys)
    assert out == f"{target}: already up to date (0 new, 0 changed, 0 removed, 7 unchanged)\n"
    # the loader reads only *.toml: the stamp file changes nothing about the deck
    assert check_deck([folder]) == [] and load_deck([folder]) == load_deck([MINI])
    deck_file = folder / "deck.toml"
    text = deck_file.read_text(encoding="utf-8")
    deck_file.write_text(text.replace("Tokens or requests per second.", "Tokens per second."),
                         encoding="utf-8")
    later = datetime.now(UTC) + timedelta(seconds=5)
    report = restamp(target, item_hashes(build_notes(load_deck([folder]))), later)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 0, 6)
    second = read_stamps([folder])
    assert second["throughput"].changed == int(later.timestamp()) > first["throughput"].changed
    assert {k: v for k, v in second.items() if k != "throughput"} == {
        k: v for k, v in first.items() if k != "throughput"}
    # a clock behind the last stamp still makes the change newer
    deck_file.write_text(text, encoding="utf-8")
    past = restamp(target, item_hashes(build_notes(load_deck([folder]))), later - timedelta(days=9))
    assert past.changed == 1
    assert read_stamps([folder])["throughput"].changed == second["throughput"].changed + 1
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == 1 and "quizapp decks stamp" in data["about"]


def test_stamp_of_a_single_file_deck_and_removed_items(tmp_path: Path) -> None:
    deck_file = tmp_path / "mine.toml"
    shutil.copy(MINI / "deck.toml", deck_file)
    assert stamp_path(deck_file) == tmp_path / f"mine.{STAMP_FILE}"
    now = datetime.now(UTC)
    restamp(stamp_path(deck_file), item_hashes(build_notes(load_deck([deck_file]))), now)
    hashes = item_hashes(build_notes(load_deck([deck_file])))
    del hashes["hbm"]
    report = restamp(stamp_path(deck_file), hashes, now)
    assert (report.removed, report.unchanged) == (1, 6)
    assert "hbm" not in read_stamps([deck_file])


def test_export_uses_the_stamps(tmp_path: Path, col, capsys) -> None:
    folder = _mini_copy(tmp_path)
    _run(["decks", "stamp", str(folder)], tmp_path, capsys)
    stamps = read_stamps([folder])
    code, _out, err = _run(["--deck", str(folder), "export", "--out", str(tmp_path / "s.apkg")],
                           tmp_path, capsys)
    assert code == 0, err
    import_apkg(col, tmp_path / "s.apkg")
    mods = {c.fields["QuizappId"]: c.note_mod for c in read_cards(col)}
    assert mods == {item: stamps[item].changed for item in mods}


def test_a_broken_stamp_file_is_one_clear_line(tmp_path: Path, capsys) -> None:
    folder = _mini_copy(tmp_path)
    (folder / STAMP_FILE).write_text("{not json", encoding="utf-8")
    out = tmp_path / "x.apkg"
    code, stdout, err = _run(["--deck", str(folder), "export", "--out", str(out)], tmp_path, capsys)
    assert code == 1 and stdout == "" and not out.exists()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"quizapp: {folder / STAMP_FILE}: not a quizapp stamp file")
    assert "quizapp decks stamp" in err


def test_decks_stamp_refuses_a_broken_deck_and_several_decks(tmp_path: Path, capsys) -> None:
    folder = _mini_copy(tmp_path)
    (folder / "bad.toml").write_text("[[term]]\nid = 'x'\n", encoding="utf-8")
    code, out, err = _run(["decks", "stamp", str(folder)], tmp_path, capsys)
    assert code == 1 and "problem(s) found" in err and out
    assert not (folder / STAMP_FILE).exists()
    code, out, err = _run(["--deck", str(MINI), "--deck", str(folder), "decks", "stamp"], tmp_path,
                          capsys)
    assert code == 1 and out == ""
    assert err == "quizapp: several decks are in use; name the one to stamp: quizapp decks stamp PATH\n"


def test_export_without_a_store_still_uses_deck_times(tmp_path: Path) -> None:
    deck = load_deck([MINI])
    a = export_apkg(deck, tmp_path / "a.apkg")
    b = export_apkg(deck, tmp_path / "b.apkg", now=datetime.now(UTC) + timedelta(days=3))
    rows = package_notes(a.path, tmp_path / "a")
    assert rows == package_notes(b.path, tmp_path / "b") and len(rows) == a.notes == 7
