"""The summaries statistics read (`review_summary`, `prediction_bins`) against the raw log they
summarise: random answers, undos, deck changes (a card changing category, retired, revived) and
reschedules on a real SQLite file, and after every step the kept summary equals an aggregate of the
raw log computed here independently, and the model comparison read from the bins equals the one
computed review by review."""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.calibration import Comparison, compare_models, score_log
from quizapp.deck.load import load_deck
from quizapp.srs.paired import Paired
from quizapp.store.schema import SCHEMA_VERSION
from quizapp.store.store import Store
from quizapp.store.summary import TRIGGERS
from tests.store.test_migrations import make_v1_database

START = date(2026, 1, 5)
TERMS = 4  # × 2 card kinds
FOCUS = 3  # most answers go to the first few cards, so cards reach their second and later reviews

# The oracle: the raw log grouped the way `review_summary` is keyed, written out here on purpose
# (not built from quizapp.store.summary), so a mistake there cannot hide in both.
RAW = """
SELECT r.learner, r.study_day, c.category, c.kind, c.retired,
       COUNT(*), SUM(r.kind = 'review'), SUM(r.kind = 'review' AND r.correct),
       SUM(r.kind = 'review' AND r.grade < 3), SUM(r.kind = 'review' AND r.reps_before >= 1),
       SUM(r.kind = 'review' AND r.reps_before >= 1 AND r.grade >= 3)
FROM reviews r JOIN cards c ON c.learner = r.learner AND c.id = r.card_id
GROUP BY r.learner, r.study_day, c.category, c.kind, c.retired ORDER BY 1, 2, 3, 4, 5
"""
KEPT = """
SELECT learner, study_day, category, card_kind, retired, answers, reviews, correct, lapses,
       recall_reviews, recalled
FROM review_summary WHERE answers != 0 ORDER BY 1, 2, 3, 4, 5
"""


def write_deck(folder: Path, layout: int) -> Path:
    """Layout 0: terms in categories a, b, a, b. Layout 1 moves t1 to category a and drops t3
    (retiring its cards); going back to 0 revives them."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = ['[deck]\nid = "sum"\nname_en = "Sum"\nname_zh = "和"\n'
             '[categories.a]\nen = "A"\nzh = "甲"\n[categories.b]\nen = "B"\nzh = "乙"\n']
    for i in range(TERMS):
        if layout == 1 and i == 3:
            continue
        category = "a" if i % 2 == 0 or (layout == 1 and i == 1) else "b"
        parts.append(f'[[term]]\nid = "t{i}"\nen = "Term number {i}"\nzh = "词{i}"\n'
                     f'category = "{category}"\ndef_en = "Definition {i} of a term."\n'
                     f'def_zh = "定义{i}。"\nexplain_en = "Why."\nexplain_zh = "因为。"\n')
    (folder / "deck.toml").write_text("\n".join(parts), encoding="utf-8")
    return folder


def assert_summaries_match(store: Store) -> None:
    with closing(sqlite3.connect(store.path)) as raw:
        assert raw.execute(KEPT).fetchall() == raw.execute(RAW).fetchall()
        zero = raw.execute("SELECT * FROM review_summary WHERE answers = 0 AND "
                           "(reviews OR correct OR lapses OR recall_reviews OR recalled)").fetchall()
        assert zero == []
    assert_same_comparison(compare_models(store), score_log(store.iter_prediction_rows()))


def assert_same_comparison(kept: Comparison, full: Comparison) -> None:
    assert kept.reviews == full.reviews
    for a, b in zip(kept.scores, full.scores, strict=True):
        assert a.model == b.model and a.reviews == b.reviews
        for x, y in ((a.log_loss, b.log_loss), (a.rmse_bins, b.rmse_bins)):
            assert (x is None) == (y is None)
            if x is not None:
                assert x == pytest.approx(y, rel=1e-9, abs=1e-12)


step = st.one_of(
    st.tuples(st.just("answer"), st.one_of(st.integers(0, FOCUS - 1), st.integers(0, 2 * TERMS - 1)),
              st.integers(0, 5), st.sampled_from([0, 1, 1, 2, 4, 9]), st.booleans()),
    st.tuples(st.just("answer"), st.integers(0, FOCUS - 1), st.integers(0, 5),
              st.sampled_from([1, 2, 4, 9]), st.just(False)),
    st.tuples(st.just("undo"), st.integers(0, FOCUS - 1)),
    st.tuples(st.just("deck"), st.integers(0, 1)),
    st.tuples(st.just("reschedule")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=5, max_size=60))
def test_kept_summaries_equal_the_raw_log(steps: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        decks = {n: load_deck([write_deck(folder / f"deck{n}", n)]) for n in (0, 1)}
        store = Store.open(folder / "sum.db")
        try:
            day = START
            store.sync(decks[0], datetime.combine(day, time(8), UTC))
            ids = [c.id for c in decks[0].cards()]
            latest: dict[str, list[int]] = {}
            for minute, (op, *args) in enumerate(steps, start=1):
                now = datetime.combine(day, time(9), UTC) + timedelta(minutes=minute)
                if op == "answer":
                    index, grade, days_later, practice = args
                    day += timedelta(days=days_later)
                    now += timedelta(days=days_later)
                    record = store.record(ids[index], grade, now=now, today=day, correct=grade >= 3,
                                          practice=practice and grade % 2 == 0)
                    latest.setdefault(ids[index], []).append(record.id)
                elif op == "undo" and latest.get(ids[args[0]]):
                    store.undo(latest[ids[args[0]]].pop())
                elif op == "deck":
                    store.sync(decks[args[0]], now)
                elif op == "reschedule":  # FSRS's logged predictions recomputed, as after new parameters
                    with closing(sqlite3.connect(store.path)) as raw, raw:
                        raw.execute("UPDATE reviews SET fsrs_recall = NULL")
                    store.reschedule(Paired(), "test")
                if op != "reschedule":
                    assert_summaries_match(store)
            assert_summaries_match(store)
        finally:
            store.close()


def test_undo_and_a_first_lapse_on_known_answers(tmp_path: Path) -> None:
    """A card failed at its first review and later ones: the lapse bins count from the second
    review on; undoing the last review takes exactly its share back out."""
    deck = load_deck([write_deck(tmp_path / "deck", 0)])
    store = Store.open(tmp_path / "known.db")
    try:
        store.sync(deck, datetime.combine(START, time(8), UTC))
        card_id = deck.cards()[0].id
        logged = []
        for k, grade in enumerate([1, 2, 4, 1, 5, 3]):
            day = START + timedelta(days=3 * k)
            logged.append(store.record(card_id, grade, now=datetime.combine(day, time(9), UTC),
                                       today=day, correct=grade >= 3).id)
            assert_summaries_match(store)
        assert compare_models(store).reviews == 5
        bins = {(b[0], b[2]): b[3] for b in store.prediction_bins()}  # (lapse bin, number bin) -> n
        assert bins[(0.0, 4.0)] == 1  # review 2: no lapse counted (the first one's is not)
        store.undo(logged.pop())
        assert compare_models(store).reviews == 4
        assert_summaries_match(store)
    finally:
        store.close()


def test_an_upgrade_builds_the_summaries_from_the_log(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_database(path)
    store = Store.open(path)
    try:
        assert store.upgraded is not None and store.upgraded[0] == 1
        store.reschedule(Paired(), "test")  # what the first start after 0003 does
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
            assert len(raw.execute(KEPT).fetchall()) > 100
        assert_summaries_match(store)
        assert compare_models(store).reviews > 100
    finally:
        store.close()


def test_an_upgraded_file_has_the_same_triggers_as_a_new_one(tmp_path: Path) -> None:
    make_v1_database(tmp_path / "old.db")
    for name in ("old.db", "new.db"):
        Store.open(tmp_path / name).close()
    triggers = []
    for name in ("old.db", "new.db"):
        with closing(sqlite3.connect(tmp_path / name)) as raw:
            triggers.append(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                        "ORDER BY name").fetchall())
    assert triggers[0] == triggers[1]
    assert [n for n, _ in triggers[1]] == sorted(TRIGGERS)


def test_a_raw_insert_into_the_log_is_summarised_too(tmp_path: Path) -> None:
    """The summary is kept by SQLite itself, so even a write that bypasses the store counts."""
    deck = load_deck([write_deck(tmp_path / "deck", 0)])
    store = Store.open(tmp_path / "raw.db")
    try:
        store.sync(deck, datetime.combine(START, time(8), UTC))
        card_id = deck.cards()[0].id
        with closing(sqlite3.connect(store.path)) as raw, raw:
            raw.execute("INSERT INTO reviews (learner, card_id, answered_at, study_day, grade, answer, correct, "
                        "response_ms, kind, was_new, reps_before, ef_before, interval_before, "
                        "reps_after, ef_after, interval_after) VALUES "
                        "(?, ?, '2026-01-05T09:00:00+00:00', ?, 4, '', 1, 0, 'review', 1, 0, 250, 0, 1, 250, 1)",
                        (store.learner, card_id, START.toordinal()))
        assert store.answer_count() == 1
        assert [(r.reviews, r.correct) for r in store.review_counts(START)] == [(1, 1)]
        assert_summaries_match(store)
    finally:
        store.close()
