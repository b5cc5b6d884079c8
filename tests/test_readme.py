"""The README tells the truth about the deck it ships."""

from __future__ import annotations

from quizapp.deck.load import load_deck
from quizapp.quiz.listing import deck_table
from tests.conftest import BUNDLED_DECK, ROOT


def test_readme_deck_table_matches_the_bundled_deck() -> None:
    table = deck_table(load_deck([BUNDLED_DECK]))
    assert table in (ROOT / "README.md").read_text(encoding="utf-8"), (
        "README's deck table is stale; paste this:\n" + table)
