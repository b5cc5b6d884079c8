"""The output file, temp files, fixed ids, tags, and the `quizapp export` command."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

import quizapp.files
from quizapp.cli import main
from quizapp.deck.load import load_deck
from quizapp.errors import QuizappError
from quizapp.export import export_apkg
from quizapp.export.apkg import _genanki_model
from quizapp.export.models import MODELS, MODELS_FINGERPRINT, fingerprint
from quizapp.export.notes import deck_id, escape, tag
from tests.export.anki_helpers import import_apkg, read_cards
from tests.export.conftest import MINI, TRICKY

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    code = main(["--db", str(tmp_path / "q.db"), "--deck", str(MINI), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_reports_what_anki_imports(tmp_path: Path, capsys, col,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["export"], tmp_path, capsys)
    assert code == 0, err
    target = tmp_path / "quizapp-mini.apkg"
    assert out.splitlines() == [f"Exported 7 notes, 12 cards to {target}"]
    import_apkg(col, target)
    assert (col.note_count(), col.card_count()) == (7, 12)


def test_cli_export_options(tmp_path: Path, capsys, col) -> None:
    target = tmp_path / "sub" / "h.apkg"
    target.parent.mkdir()
    code, out, err = _run(["export", "--out", str(target), "--category", "hardware",
                           "--lang", "zh", "--with-progress"], tmp_path, capsys)
    assert code == 0, err
    assert out.splitlines() == [f"Exported 2 notes, 3 cards to {target}",
                                "  with progress: 0 scheduled cards, 0 review-log rows"]
    import_apkg(col, target)
    cards = read_cards(col)
    assert {c.deck for c in cards} == {"Mini::Hardware"}
    hbm = next(c for c in cards if c.fields["QuizappId"] == "hbm" and c.ord == 0)
    term = load_deck([MINI]).term("hbm")
    assert escape(term.def_zh) in hbm.question and escape(term.def_en) not in hbm.question


def test_cli_unknown_category(tmp_path: Path, capsys) -> None:
    code, out, err = _run(["export", "--out", str(tmp_path / "x.apkg"), "--category", "nope"],
                          tmp_path, capsys)
    assert code == 1 and out == ""
    assert err == "quizapp: unknown category nope (choose from hardware, metrics)\n"
    assert not (tmp_path / "x.apkg").exists()


def _no_permission(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anyway: make the OS say no
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(quizapp.files, "partial_path", refuse)  # where the file is created


@pytest.mark.parametrize("case", ["missing-dir", "a-directory", "no-permission"])
def test_bad_out_is_one_clear_line_and_no_file(case: str, tmp_path: Path, capsys,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = {"missing-dir": folder / "nowhere" / "x.apkg", "a-directory": folder,
              "no-permission": folder / "x.apkg"}[case]
    if case == "no-permission":
        _no_permission(folder, monkeypatch)
    try:
        code, out, err = _run(["export", "--out", str(target)], tmp_path, capsys)
    finally:
        folder.chmod(0o755)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"quizapp: {target}")
    assert {"missing-dir": "does not exist", "a-directory": "is a directory",
            "no-permission": "ermission"}[case] in err
    assert list(folder.iterdir()) == []


def test_failed_write_leaves_old_file_and_no_partial(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"previous export")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)  # the last entry written
    with pytest.raises(QuizappError, match="No space left on device"):
        export_apkg(load_deck([MINI]), target)
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]


def test_temp_files_are_cleaned_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    import genanki

    def forbidden(*args, **kwargs):
        raise AssertionError("genanki's write_to_file leaks its temp file; do not use it")

    monkeypatch.setattr(genanki.Package, "write_to_file", forbidden)
    out = tmp_path / "o"
    out.mkdir()
    export_apkg(load_deck([TRICKY]), out / "t.apkg")
    assert list(scratch.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["t.apkg"]
    with zipfile.ZipFile(out / "t.apkg") as package:
        assert sorted(package.namelist()) == ["collection.anki2", "media"]
    assert oct((out / "t.apkg").stat().st_mode & 0o777) != "0o600"


def test_note_types_have_fixed_ids_everywhere() -> None:
    assert fingerprint() == MODELS_FINGERPRINT, (
        "note types changed: bump MODELS_MOD to the current Unix time and set MODELS_FINGERPRINT"
        f" = {fingerprint()!r} in quizapp/export/models.py (and only ever append fields)")
    ids = [m.id for m in MODELS.values()]
    ids += [f.id for m in MODELS.values() for f in m.fields]
    ids += [t.id for m in MODELS.values() for t in m.templates]
    assert len(ids) == len(set(ids)) and 1 not in ids
    for spec in MODELS.values():
        data = _genanki_model(spec).to_json(0, 1234)
        assert all("id" in f for f in data["flds"]) and all("id" in t for t in data["tmpls"])
        assert data["flds"][-1]["name"] == "QuizappId"
    assert MODELS["term"].fields[0].name == "Term"  # the sort field is human-readable


def test_deck_ids_are_stable_and_never_default() -> None:
    deck = load_deck([MINI])
    ids = [deck_id(deck, None), *(deck_id(deck, c.id) for c in deck.categories)]
    assert len(set(ids)) == len(ids) and all((1 << 30) <= i < (1 << 31) for i in ids)
    assert deck_id(deck, "hardware") == deck_id(load_deck([MINI]), "hardware")


def test_tags_are_normalised() -> None:
    assert tag("category::Large  Models") == "category::Large_Models"
    assert tag("a\u3000b\tc") == "a_b_c"
    assert tag("kind::::x ") == "kind::x"
    assert tag("  ") == "_"


def test_cli_start_up_does_not_import_genanki() -> None:
    code = ("import sys, quizapp.cli, quizapp.export; "
            "print(sorted(m for m in ('genanki', 'textual', 'anki') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("year", "stamped"), [(1970, (1980, 1, 1)), (2262, (2107, 12, 31)),
                                               (2030, (2030, 6, 1))])
def test_a_clock_before_1980_or_far_ahead_still_exports(tmp_path: Path, year: int,
                                                        stamped: tuple[int, int, int],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """ZIP keeps times from 1980 to 2107; the entries are stamped from the export's clock,
    clamped, and never from the file system's clock (which zipfile used to read and fail on)."""
    import time
    from datetime import UTC, datetime

    moment = datetime(year, 6, 1, 12, tzinfo=UTC)
    monkeypatch.setattr(zipfile.time, "localtime", lambda *a: time.struct_time(
        (year, 6, 1, 12, 0, 0, 0, 152, 0)))  # the machine's clock says `year`, too
    out = tmp_path / "x.apkg"
    export_apkg(load_deck([MINI]), out, now=moment)
    with zipfile.ZipFile(out) as package:
        assert package.testzip() is None
        assert {info.date_time[:3] for info in package.infolist()} == {stamped}
