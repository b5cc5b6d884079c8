"""A non-editable install works from any folder: the bundled deck ships inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_DECK, MINI_DECK, ROOT

pytestmark = pytest.mark.slow  # builds and installs a wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("quizapp-*.whl"))


def test_wheel_contains_every_deck_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for deck_file in BUNDLED_DECK.glob("*.toml"):
        assert f"quizapp/_bundled_decks/llm-compute/{deck_file.name}" in names
    assert "quizapp/_bundled_decks/llm-compute/anki-stamps.json" in names  # Anki note times
    assert "quizapp/tui/quizapp.tcss" in names


def test_installed_wheel_finds_its_deck_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target), "QUIZAPP_DB": str(tmp_path / "q.db")}
    env.pop("QUIZAPP_DECKS", None)
    run = subprocess.run([sys.executable, "-m", "quizapp", "decks", "check"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert str(target) in subprocess.run(
        [sys.executable, "-c", "from quizapp.config import bundled_deck_path; print(bundled_deck_path())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout


def test_installed_wheel_upgrades_an_old_database(wheel: Path, tmp_path: Path) -> None:
    """The Alembic script folder (env.py, revisions, template) ships and runs from the wheel."""
    from tests.store.test_migrations import make_v1_database

    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("env.py", "script.py.mako", "versions/0001_baseline.py"):
        assert f"quizapp/store/migrations/{name}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    db = tmp_path / "old.db"
    make_v1_database(db, days=10)
    env = {**os.environ, "PYTHONPATH": str(target), "QUIZAPP_DB": str(db)}
    env.pop("QUIZAPP_DECKS", None)
    run = subprocess.run([sys.executable, "-c", "import quizapp.store.migrate as m; print(m.MIGRATIONS)"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip().startswith(str(target))
    run = subprocess.run([sys.executable, "-m", "quizapp", "--deck", str(MINI_DECK), "due"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "upgraded" in run.stderr, run.stderr


def test_installed_wheel_speaks_chinese(wheel: Path, tmp_path: Path) -> None:
    """The message catalogue and the Chinese help page ship and load from an installed wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"quizapp/i18n/zh.py", "quizapp/tui/help.zh.md"} <= names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    code = ("import quizapp.i18n as i, quizapp.tui.screens.help as h; "
            "print(i.translator('zh')('Today'), i.__file__); print(h.help_text('zh').splitlines()[0])")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(target)}, check=True)
    first, second = run.stdout.splitlines()
    assert first.startswith("今日 ") and str(target) in first
    assert second == "# quizapp 按键"
