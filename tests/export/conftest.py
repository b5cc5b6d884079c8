from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.config import bundled_deck_path
from quizapp.deck.load import check_deck
from tests.export.anki_helpers import open_collection

HERE = Path(__file__).resolve().parent
MINI = HERE.parent / "data" / "mini"
TRICKY = HERE / "data" / "tricky"


@pytest.fixture
def col(tmp_path: Path) -> Iterator:
    (tmp_path / "anki").mkdir()
    collection = open_collection(tmp_path / "anki" / "collection.anki2")
    yield collection
    collection.close()


def bundled_or_skip() -> Path:
    """The bundled deck, or a skip naming the problems while others are still writing it."""
    path = bundled_deck_path()
    problems = check_deck([str(path)])
    if problems:
        pytest.skip(f"bundled deck {path} does not load yet ({len(problems)} problem(s), "
                    f"first: {problems[0]}); covered by tests/data/mini meanwhile")
    return path


def edited_copy(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the mini deck with one piece of text changed: the deck's next version."""
    folder = tmp_path / "deck-v2"
    shutil.copytree(MINI, folder)
    deck_file = folder / "deck.toml"
    text = deck_file.read_text(encoding="utf-8")
    assert text.count(old) == 1
    deck_file.write_text(text.replace(old, new), encoding="utf-8")
    return folder
