"""Which model knows you better, on synthetic learners written into a real database.

One learner's memory follows FSRS exactly (each review is recalled with the probability FSRS
gives it), so FSRS must predict them better than SM-2 and better than a constant guess; another
follows SM-2's assumption (recall 0.9 ^ (elapsed / interval)), which must not crash anything. The
metrics themselves are checked on hand-made numbers.
"""

from __future__ import annotations

import math
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from quizapp.calibration import card_recalls, compare_models, predictions
from quizapp.deck.load import load_deck
from quizapp.srs.metrics import Prediction, bin_of, log_loss, rmse_bins, sm2_recall
from quizapp.srs.paired import Paired
from quizapp.store.store import Store

START = date(2026, 1, 5)


def big_deck(folder: Path, terms: int = 60) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    parts = ['[deck]\nid = "big"\nname_en = "Big"\nname_zh = "大"\n[categories.one]\nen = "One"\nzh = "一"\n']
    for i in range(terms):
        parts.append(f'[[term]]\nid = "t{i}"\nen = "Term number {i}"\nzh = "词{i}"\ncategory = "one"\n'
                     f'def_en = "Definition {i} of a term."\ndef_zh = "定义{i}。"\n'
                     'explain_en = "Why."\nexplain_zh = "因为。"\n')
    (folder / "deck.toml").write_text("\n".join(parts), encoding="utf-8")
    return folder


def simulate(tmp_path: Path, recall, days: int = 150, seed: int = 0) -> Store:
    """A learner on SM-2 who studies on 70 % of the days, reviews every due card then and learns
    4 new cards; `recall(store, card, day)` is the true probability they remember a card."""
    deck = load_deck([big_deck(tmp_path / "deck")])
    store = Store.open(tmp_path / "learner.db")
    store.scheduler = Paired("sm2")
    store.sync(deck, datetime.combine(START, time(8), UTC))
    rng = random.Random(seed)
    new = [c.id for c in deck.cards()]
    for k in range(days):
        day = START + timedelta(days=k)
        if rng.random() < 0.3:
            continue
        ids = [c.card_id for c in store.due_cards(day)] + new[:4]
        new = new[4:]
        for i, card_id in enumerate(ids):
            card = store.card(card_id)
            p = recall(store, card, day) if card.reviews else 0.5
            grade = rng.choice([3, 4, 4, 5]) if rng.random() < p else rng.choice([0, 1, 2])
            moment = datetime.combine(day, time(9), UTC) + timedelta(minutes=i)
            store.record(card_id, grade, now=moment, today=day)
    return store


def fsrs_memory(store: Store, card, day: date) -> float:
    return store.scheduler.recall(_paired(card), day)


def sm2_memory(store: Store, card, day: date) -> float:
    return sm2_recall((day - card.last_review_day).days, card.state.interval)


def _paired(card):
    from quizapp.srs.paired import PairedState

    return PairedState(card.state, card.fsrs)


def test_a_learner_whose_memory_follows_fsrs_is_known_better_by_fsrs(tmp_path: Path) -> None:
    store = simulate(tmp_path, fsrs_memory)
    try:
        result = compare_models(store)
        assert result.enough and result.reviews > 300
        fsrs, sm2, avg = (result.score(m) for m in ("fsrs", "sm2", "avg"))
        assert fsrs.log_loss < avg.log_loss and fsrs.log_loss < sm2.log_loss
        assert fsrs.rmse_bins < sm2.rmse_bins
        assert result.better == "fsrs"
        assert result.as_json()["models"]["fsrs"]["log_loss"] == round(fsrs.log_loss, 4)
        recalls = card_recalls(store, store.scheduler.fsrs, START + timedelta(days=150))
        assert len(recalls) == 120 and all(0 < c.recall < 1 for c in recalls)
        assert [c.recall for c in recalls] == sorted(c.recall for c in recalls)
    finally:
        store.close()


def test_a_learner_who_follows_sm2_s_assumption_does_not_crash_anything(tmp_path: Path) -> None:
    store = simulate(tmp_path, sm2_memory, days=90, seed=1)
    try:
        result = compare_models(store)
        assert result.reviews > 100
        for s in result.scores:
            assert s.log_loss is not None and math.isfinite(s.log_loss) and 0 <= s.rmse_bins <= 1
        assert result.better in ("fsrs", "sm2")
    finally:
        store.close()


def test_no_reviews_no_scores(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "empty.db")
    try:
        result = compare_models(store)
        assert result.reviews == 0 and result.better is None and not result.enough
        assert all(s.log_loss is None and s.rmse_bins is None for s in result.scores)
    finally:
        store.close()


def test_the_metrics_on_numbers_worked_by_hand() -> None:
    a = Prediction(True, 0.8, 3, 2, 0)
    b = Prediction(False, 0.8, 3, 2, 0)
    assert log_loss([a, b]) == pytest.approx(-(math.log(0.8) + math.log(0.2)) / 2)
    assert rmse_bins([a, b]) == pytest.approx(0.3)  # one bin: recall 0.5, prediction 0.8
    c = Prediction(True, 0.9, 40, 5, 2)  # another bin, 0.1 off
    assert rmse_bins([a, b, c]) == pytest.approx(math.sqrt(2 * 0.09 / 3 + 0.01 / 3))
    assert bin_of(Prediction(True, 0.5, 1, 1, 0)) == (0.0, 2.48, 2.0)
    assert bin_of(Prediction(True, 0.5, 10, 4, 3)) == (5.0, 8.98, 7.0)  # 1.65·1.73², 2.48·3.62, 1.99·1.89²
    assert log_loss([Prediction(False, 1.0, 1, 2, 0)]) < 20  # clipped, not infinite
    assert sm2_recall(6, 6) == pytest.approx(0.9) and sm2_recall(12, 6) == pytest.approx(0.81)


def test_first_reviews_are_not_scored_and_lapses_count_after_the_first() -> None:
    rows = [("a", 10, None, 0, 1, None), ("a", 11, 10, 1, 1, 0.4), ("a", 12, 11, 1, 4, 0.5),
            ("b", 10, None, 0, 5, None)]
    fsrs, sm2 = predictions(rows)
    assert [(p.number, p.lapses, p.recalled, p.p) for p in fsrs] == [(2, 0, False, 0.4),
                                                                    (3, 1, True, 0.5)]
    assert [p.p for p in sm2] == [pytest.approx(0.9), pytest.approx(0.9)]


def test_without_the_optimizer_extra_one_line_names_the_install(monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    from quizapp.optimize import INSTALL_HINT, OptimizerMissing, optimizer_class

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails, as without it
    with pytest.raises(OptimizerMissing, match="torch") as caught:
        optimizer_class()
    assert INSTALL_HINT in str(caught.value) and "\n" not in str(caught.value)


def test_too_few_reviews_to_fit_is_one_line(tmp_path: Path) -> None:
    from quizapp.errors import QuizappError
    from quizapp.optimize import fit
    from quizapp.srs.fsrs import FSRS

    store = simulate(tmp_path, fsrs_memory, days=20)
    try:
        with pytest.raises(QuizappError, match="needs 512 reviews"):
            fit(store, FSRS())
    finally:
        store.close()
