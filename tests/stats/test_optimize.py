"""Personal FSRS parameters (`quizapp fsrs optimize` / `rollback`): slow, and only where the
optional optimizer extra (torch) is installed — the test extras do not pull torch."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.deck.load import load_deck
from quizapp.session.context import AppContext
from quizapp.srs.fsrs import DEFAULT_PARAMETERS, FSRS, FSRSState
from quizapp.store.store import Store
from tests.stats.test_calibration import START, big_deck

pytest.importorskip("torch")
pytest.importorskip("pandas")
pytest.importorskip("tqdm")
pytestmark = pytest.mark.slow

# A learner who forgets much faster than FSRS's defaults assume at first.
FORGETFUL = (0.05, 0.3, 0.6, 2.0, *DEFAULT_PARAMETERS[4:])


def forgetful_learner(tmp_path: Path, days: int = 160) -> Path:
    deck = load_deck([big_deck(tmp_path / "deck", terms=80)])
    store = Store.open(tmp_path / "learner.db")
    store.sync(deck, datetime.combine(START, time(8), UTC))
    truth, memory = FSRS(FORGETFUL), {}
    rng = random.Random(3)
    new = [c.id for c in deck.cards()]
    for k in range(days):
        day = START + timedelta(days=k)
        ids = [c.card_id for c in store.due_cards(day)] + new[:5]
        new = new[5:]
        for i, card_id in enumerate(ids):
            state = memory.get(card_id, FSRSState())
            p = truth.recall(state, day) if state.stability else 0.6
            grade = rng.choice([3, 4, 4, 5]) if rng.random() < p else rng.choice([0, 1, 2])
            moment = datetime.combine(day, time(9), UTC) + timedelta(minutes=i)
            store.record(card_id, grade, now=moment, today=day)
            memory[card_id] = truth.review(state, grade, day, moment).state
    store.close()
    return tmp_path


def test_fit_improves_the_prediction_and_rollback_restores_the_defaults(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = forgetful_learner(tmp_path)
    db, deck = str(folder / "learner.db"), str(folder / "deck")
    assert main(["--db", db, "--deck", deck, "fsrs", "optimize"]) == 0
    out = capsys.readouterr().out
    assert "now using the fitted parameters" in out
    before, after = (float(x) for x in out.split("log loss over your ")[1].split(":")[1]
                     .replace(" with the parameters in use, ", " ").split()[:2])
    assert after < before
    ctx = AppContext.open(Path(db), [Path(deck)])
    try:
        fitted = ctx.settings.fsrs_parameters
        assert len(fitted) == 21 and fitted != DEFAULT_PARAMETERS
        assert ctx.store.schedule_basis()["fsrs_parameters"] == list(fitted)  # rescheduled with them
    finally:
        ctx.close()
    assert main(["--db", db, "--deck", deck, "fsrs", "rollback"]) == 0
    assert "back to the defaults" in capsys.readouterr().out
    ctx = AppContext.open(Path(db), [Path(deck)])
    try:
        assert ctx.settings.fsrs_parameters == ()
        assert ctx.store.schedule_basis()["fsrs_parameters"] == list(DEFAULT_PARAMETERS)
    finally:
        ctx.close()
    assert main(["--db", db, "--deck", deck, "fsrs", "rollback"]) == 1  # nothing left to undo
