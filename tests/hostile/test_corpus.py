"""Item 5 of issue 7: every malformed deck in the corpus yields `file:line: message` lines and exit
code 1 from the real command, never a traceback — from `decks check` on stdout, and from any
command that needs the deck (`due`) on stderr, with the same problems."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from quizapp.deck.errors import DeckError
from quizapp.deck.load import check_deck, load_deck
from tests.hostile.conftest import assert_clean_failure, deck_check, due
from tests.hostile.corpus import DECKS, corpus, expectations, unmet

CORPUS = corpus()
Runs = dict[Path, tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]]


def test_corpus_is_big_and_every_deck_states_what_is_wrong() -> None:
    assert len(CORPUS) >= 30
    for path in CORPUS:
        assert expectations(path), f"{path.name} has no '# expect:' line and no SIDECAR entry"
    assert sum(p.stat().st_size for p in CORPUS) < 1_000_000  # big inputs are made at test time


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs | SharedRuns:
    """Both commands on every corpus deck, run in parallel (they are separate processes).

    Under pytest-xdist each deck's pair is run once, by whichever worker asks first, and shared
    through the session's temporary folder (`SharedRuns`): the workers split the ~150 processes
    between them instead of each starting all of them.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return SharedRuns(tmp_path_factory.getbasetemp().parent / "corpus-runs")
    return _run_corpus(tmp_path_factory.mktemp("corpus-db"))


class SharedRuns:
    """`runs[path]` for xdist workers: run on first use, kept as JSON, guarded by a file lock."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(exist_ok=True)

    def __getitem__(self, path: Path) -> tuple[subprocess.CompletedProcess[str], ...]:
        saved = self.folder / f"{path.name}.json"
        with (self.folder / f"{path.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a second worker waits for the first, then reads
            if not saved.exists():
                pair = (deck_check([path]), due([path], self.folder / f"{path.name}.db"))
                partial = saved.with_suffix(".partial")
                partial.write_text(json.dumps([_as_dict(r) for r in pair]))
                partial.replace(saved)
            return tuple(subprocess.CompletedProcess(**r) for r in json.loads(saved.read_text()))


def _run_corpus(tmp: Path) -> Runs:
    def both(item: tuple[int, Path]):
        index, path = item
        return path, (deck_check([path]), due([path], tmp / f"{index}.db"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(both, enumerate(CORPUS)))


def _as_dict(run: subprocess.CompletedProcess[str]) -> dict[str, object]:
    return {"args": [str(a) for a in run.args], "returncode": run.returncode,
            "stdout": run.stdout, "stderr": run.stderr}


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_decks_check_reports_expected_problems(path: Path, runs: Runs) -> None:
    run, _ = runs[path]
    lines = assert_clean_failure(run)
    assert all(line.startswith(f"{path}:") for line in lines), lines
    assert unmet(path, run.stdout) == [], run.stdout


@pytest.mark.slow
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_due_reports_the_same_problems_on_stderr(path: Path, runs: Runs, tmp_path: Path) -> None:
    check, run = runs[path]
    assert run.stdout == ""
    lines = assert_clean_failure(run, stream="stderr")
    # deck problems come as bare `file:line: message` lines, exactly as `decks check` prints them
    assert sorted(lines) == sorted(line for line in check.stdout.splitlines()), run.stderr


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_loader_raises_only_deck_error(path: Path) -> None:
    with pytest.raises(DeckError) as caught:
        load_deck([path])
    assert caught.value.problems == check_deck([path])
    for problem in caught.value.problems:
        assert "\n" not in problem.message and len(problem.message) <= 400


def test_whole_corpus_folder_at_once() -> None:
    """One run over the folder: every file is reported on, none lost to another file's problems.
    (Cross-file facts differ here — another file has a [deck], or the twin a file lacked — so this
    checks that each file is named, not each file's own expectations.)"""
    run = deck_check([DECKS])
    lines = assert_clean_failure(run)
    whole_deck = ("no [deck] table found", "no categories defined")
    for path in CORPUS:
        if all(any(w in sub for w in whole_deck) for _, sub in expectations(path)):
            continue
        assert any(line.startswith(f"{path}:") for line in lines), path.name
