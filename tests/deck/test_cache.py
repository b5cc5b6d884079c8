"""The deck cache: reused while files are unchanged, never trusted blindly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizapp.deck import cache
from quizapp.deck.errors import DeckError
from quizapp.deck.load import load_deck
from tests.conftest import MINI_DECK


@pytest.fixture
def deck_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUIZAPP_CACHE", str(tmp_path / "cache"))
    shutil.copytree(MINI_DECK, tmp_path / "deck")
    return tmp_path / "deck"


def test_second_load_comes_from_the_cache(deck_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache.load_deck_cached([deck_dir])
    assert first == load_deck([deck_dir])
    monkeypatch.setattr(cache, "load_deck", lambda paths: pytest.fail("parsed again"))
    again = cache.load_deck_cached([deck_dir])
    assert again == first and again.fingerprint == first.fingerprint


def test_an_edit_is_seen_at_once(deck_dir: Path) -> None:
    first = cache.load_deck_cached([deck_dir])
    path = deck_dir / "deck.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("It measures speed", "It gauges speed"),
                    encoding="utf-8")
    edited = cache.load_deck_cached([deck_dir])
    assert edited.term("flops-rate").explain_en.startswith("It gauges speed")
    assert edited.fingerprint != first.fingerprint


def test_a_broken_deck_is_never_served_from_cache(deck_dir: Path) -> None:
    cache.load_deck_cached([deck_dir])
    (deck_dir / "deck.toml").write_text("[deck\n", encoding="utf-8")
    with pytest.raises(DeckError):
        cache.load_deck_cached([deck_dir])


def test_corrupt_cache_files_are_ignored(deck_dir: Path, tmp_path: Path) -> None:
    cache.load_deck_cached([deck_dir])
    for stale in (tmp_path / "cache").glob("deck-*.pickle"):
        stale.write_bytes(b"not a pickle")
    assert cache.load_deck_cached([deck_dir]) == load_deck([deck_dir])


def test_cache_can_be_turned_off(deck_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_CACHE", "off")
    cache.load_deck_cached([deck_dir])
    assert not (tmp_path / "cache").exists()


def test_a_flipped_bit_anywhere_means_a_rebuild_never_a_wrong_deck(
        deck_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One flipped bit used to unpickle into a different deck now and then (a wrong category
    written into the database); the checksum catches every one."""
    import random

    fresh = load_deck([deck_dir])
    cache.load_deck_cached([deck_dir])
    [cached] = (tmp_path / "cache").glob("deck-*.pickle")
    good = cached.read_bytes()
    rebuilt = []
    real_load = cache.load_deck
    monkeypatch.setattr(cache, "load_deck", lambda paths: rebuilt.append(1) or real_load(paths))
    rng = random.Random(15)
    for n, bit in enumerate([0, len(good) * 8 - 1, *rng.sample(range(len(good) * 8), 60)]):
        damaged = bytearray(good)
        damaged[bit // 8] ^= 1 << (bit % 8)
        cached.write_bytes(bytes(damaged))
        deck = cache.load_deck_cached([deck_dir])
        assert deck == fresh and deck.cards() == fresh.cards()
        assert len(rebuilt) == n + 1  # the damaged file was not used
        assert cached.read_bytes() == good  # and was replaced by a good one


def test_a_pickled_deck_keeps_its_cards_as_columns_until_asked(deck_dir: Path) -> None:
    """The cache holds the cards as plain columns and the fingerprint: a command that needs only
    the fingerprint and categories builds no `Card`; asking for the cards gives the same ones."""
    import pickle

    deck = load_deck([deck_dir])
    cards, fingerprint = deck.cards(), deck.fingerprint
    again = pickle.loads(pickle.dumps(deck, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.fingerprint == fingerprint and "_card_cache" not in again.__dict__
    assert again.cards() == cards and [c.position for c in again.cards()] == list(range(len(cards)))
    assert again.card(cards[-1].id) == cards[-1] and again == deck
    fresh = pickle.loads(pickle.dumps(load_deck([deck_dir])))  # never asked for its cards: none stored
    assert fresh.cards() == cards
