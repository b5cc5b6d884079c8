"""The store on real SQLite files and on a real PostgreSQL server (tests using `store` run on
both): sync, one-transaction answers, undo, and clear errors."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from quizapp.deck.load import load_deck
from quizapp.store.errors import StoreError
from quizapp.store.schema import SCHEMA_VERSION
from quizapp.store.store import Store, SyncReport
from tests.conftest import MINI_DECK

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)
CARD = "flops-rate:def-term"


@pytest.fixture
def store(store_target: Path | str) -> Store:
    opened = Store.open(store_target)
    opened.sync(load_deck([MINI_DECK]), NOW)
    yield opened
    opened.close()


def test_sync_adds_every_card_as_new(store: Store) -> None:
    cards = store.all_cards()
    assert len(cards) == 12
    assert all(c.is_new and c.due is None and c.state.easiness == Decimal("2.50") for c in cards)
    assert [c.position for c in cards] == sorted(c.position for c in cards)


@pytest.mark.sqlite_only
def test_wal_mode_and_schema_version(tmp_path: Path, store: Store) -> None:
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_review_follows_sm2_and_logs_before_and_after(store: Store) -> None:
    record = store.record(CARD, 5, now=NOW, today=DAY, answer="FLOPS", correct=True,
                          response_ms=1200)
    assert record.kind == "review"
    assert (record.after.repetitions, record.after.easiness, record.after.interval) == (
        1, Decimal("2.60"), 1)
    card = store.card(CARD)
    assert card.due == date(2026, 3, 3) and card.reviews == 1 and card.lapses == 0
    [row] = store.review_log(CARD)
    assert (row.grade, row.answer, row.correct, row.response_ms) == (5, "FLOPS", True, 1200)
    assert row.before.repetitions == 0 and row.after.interval == 1


def test_second_grade_same_day_is_a_redrill_that_moves_nothing(store: Store) -> None:
    store.record(CARD, 1, now=NOW, today=DAY)
    state = store.card(CARD)
    again = store.record(CARD, 5, now=NOW, today=DAY)
    assert again.kind == "redrill"
    assert store.card(CARD) == state
    assert store.card(CARD).lapses == 1
    assert store.done_today(DAY) == (1, 0)


def test_answering_a_card_that_is_not_due_is_practice(store: Store) -> None:
    store.record(CARD, 5, now=NOW, today=DAY)
    later = store.record(CARD, 0, now=NOW, today=date(2026, 3, 2).replace(day=2))
    assert later.kind == "redrill"
    practice = store.record(CARD, 0, now=NOW, today=DAY, practice=True)
    assert practice.kind == "practice"
    assert store.card(CARD).state.repetitions == 1


def test_not_due_next_day_is_practice(store: Store) -> None:
    store.record(CARD, 5, now=NOW, today=DAY)  # due the next day
    store.record(CARD, 5, now=NOW, today=date(2026, 3, 3))  # review: interval 6
    early = store.record(CARD, 0, now=NOW, today=date(2026, 3, 4))
    assert early.kind == "practice"
    assert store.card(CARD).due == date(2026, 3, 9)


def test_undo_restores_state_and_removes_the_row(store: Store) -> None:
    before = store.card(CARD)
    record = store.record(CARD, 2, now=NOW, today=DAY)
    store.undo(record.id)
    assert store.card(CARD) == before
    assert store.review_log(CARD) == []
    assert store.done_today(DAY) == (0, 0)


def test_only_the_latest_answer_of_a_card_can_be_undone(store: Store) -> None:
    first = store.record(CARD, 2, now=NOW, today=DAY)
    store.record(CARD, 4, now=NOW, today=DAY)
    with pytest.raises(StoreError, match="latest"):
        store.undo(first.id)


def test_failed_write_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(StoreError):
        store.record("no-such:card", 5, now=NOW, today=DAY)
    assert store.review_log() == []


def test_answer_survives_reopening(store_target: Path | str, store: Store) -> None:
    store.record(CARD, 4, now=NOW, today=DAY)
    store.close()
    reopened = Store.open(store_target)
    assert reopened.card(CARD).reviews == 1
    assert len(reopened.review_log()) == 1
    reopened.close()


def test_sync_updates_retires_and_revives_without_losing_history(tmp_path: Path,
                                                                 store: Store) -> None:
    store.record(CARD, 5, now=NOW, today=DAY)
    deck_dir = tmp_path / "deck"
    shutil.copytree(MINI_DECK, deck_dir)
    text = (deck_dir / "deck.toml").read_text(encoding="utf-8")
    edited = text.replace("It measures speed, not an amount of work.", "Speed, not work.")
    (deck_dir / "deck.toml").write_text(edited, encoding="utf-8")
    report = store.sync(load_deck([deck_dir]), datetime(2026, 3, 5, tzinfo=UTC))
    assert (report.added, report.updated, report.retired) == (0, 2, 0)
    assert store.card(CARD).content_changed_at.startswith("2026-03-05")
    assert store.card(CARD).reviews == 1

    without_hbm = edited.split("[[term]]\nid = \"hbm\"")[0] + "[[trap]]" + edited.split("[[trap]]")[1]
    (deck_dir / "deck.toml").write_text(without_hbm, encoding="utf-8")
    report = store.sync(load_deck([deck_dir]), NOW)
    assert report.retired == 2
    assert store.card("hbm:def-term").retired
    assert len(store.all_cards()) == 10

    (deck_dir / "deck.toml").write_text(edited, encoding="utf-8")
    report = store.sync(load_deck([deck_dir]), NOW)
    assert report.revived == 2
    assert store.card(CARD).reviews == 1


def test_due_and_new_queries(store: Store) -> None:
    store.record(CARD, 5, now=NOW, today=DAY)
    assert [c.card_id for c in store.due_cards(DAY)] == []
    assert [c.card_id for c in store.due_cards(date(2026, 3, 3))] == [CARD]
    assert CARD not in [c.card_id for c in store.new_cards(100)]
    assert len(store.new_cards(3)) == 3
    counts = store.due_counts(date(2026, 3, 3))
    assert counts["metrics"][0] == 1
    store.set_suspended(CARD, True)
    assert store.due_cards(date(2026, 3, 3)) == []


def test_settings_round_trip(store: Store) -> None:
    store.set_setting("new_per_day", 7)
    store.set_setting("new_per_day", 8)
    store.set_setting("language", "zh")
    values = store.settings()
    assert values.pop("deck_fingerprint")  # internal: the deck last synced
    assert values == {"new_per_day": 8, "language": "zh"}


@pytest.mark.sqlite_only
def test_sync_of_an_unchanged_deck_is_skipped(store: Store) -> None:
    deck = load_deck([MINI_DECK])
    store.set_suspended(CARD, True)
    with sqlite3.connect(store.path) as raw:  # a change sync would undo if it ran
        raw.execute("UPDATE cards SET position = 999 WHERE id = ?", (CARD,))
    assert store.sync(deck, NOW) == SyncReport()
    assert store.card(CARD).position == 999
    store.set_setting("deck_fingerprint", "something else")
    store.sync(deck, NOW)
    assert store.card(CARD).position != 999


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database at all" * 100, "not a readable quizapp database"),
        (b"SQLite format 3\x00" + b"\x00" * 50, "not a readable quizapp database"),
    ],
)
def test_corrupt_files_get_one_clear_error_and_stay_untouched(tmp_path: Path, content: bytes,
                                                              message: str) -> None:
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        Store.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not quizapp's"):
        Store.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path / "q.db").close()
    with sqlite3.connect(tmp_path / "q.db") as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open(tmp_path / "q.db")


def test_folder_as_db_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)
