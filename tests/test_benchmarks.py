"""`python -m benchmarks --quick` runs and reports every figure (no time bounds are checked: the
machine is shared; see benchmarks/ and the README's performance section)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import _sm2
from benchmarks.report import FIGURES
from quizapp.srs.sm2 import SM2State, review

ROOT = Path(__file__).resolve().parent.parent
NO_ANKI_FIGURE = {"textual_floor", "cold_start_first_card_bundled"}


@pytest.mark.slow
def test_quick_run_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--json", str(out),
                           "--work", str(tmp_path / "work")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(out.read_text())
    figures = {f["key"]: f for f in result["figures"]}
    assert list(figures) == list(FIGURES)
    for key, figure in figures.items():
        assert figure["quizapp"]["n"] >= 1 and figure["quizapp"]["median"] > 0, key
        assert figure["quizapp"]["p99"] >= figure["quizapp"]["median"], key
        if key in NO_ANKI_FIGURE:
            continue
        assert figure["anki"]["n"] >= 1 and figure["anki"]["median"] > 0, key
        assert figure["ratio"] is not None, key
    assert result["collection"]["reviews"] == 6000
    assert result["collection"]["anki_revlog"] == 6000
    assert result["machine"]["cores"]
    for figure in figures.values():  # the table has one row per figure
        assert figure["label"] in proc.stdout


def test_generator_sm2_matches_the_app() -> None:
    rng = random.Random(3)
    state, reps, ef, interval = SM2State(), 0, 250, 0
    for _ in range(2000):
        grade = rng.randrange(6)
        state = review(state, grade)
        reps, ef, interval = _sm2(reps, ef, interval, grade)
        assert (reps, ef, interval) == (state.repetitions, state.ef_hundredths, state.interval)
        if rng.random() < 0.05:
            state, reps, ef, interval = SM2State(), 0, 250, 0
