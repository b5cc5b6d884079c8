"""In-process figures, each beside Anki's own engine doing the same work on the same collection:
per-answer latency, today's queue build, the statistics table and .apkg export."""

from __future__ import annotations

import gc
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.generate import LATER_GRADES, Collection, anki_ease, copy_db, set_limits

ANSWER_REVIEW_LIMIT = 9999  # the per-answer runs lift the daily caps; Anki keeps 200 above 9999


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p99(self) -> float:
        return percentile(self.seconds, 99)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (with 3 values the p99 is the largest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def repeat(fn: Callable[[], object], reps: int, budget: float, setup: Callable[[], object] | None = None,
           min_reps: int = 3) -> Sample:
    """Run `fn` up to `reps` times (at least `min_reps`), stopping once `budget` seconds are
    spent; `setup` runs untimed before each call."""
    out = Sample()
    spent_from = time.perf_counter()
    for i in range(reps):
        if i >= min_reps and time.perf_counter() - spent_from > budget:
            break
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        fn()
        out.seconds.append(time.perf_counter() - t0)
    return out


# -- quizapp side -------------------------------------------------------------------------------------
def open_ctx(db: Path | str, deck):
    """`AppContext.open` without loading the deck again (the benchmark loads it once)."""
    from quizapp.session.context import AppContext
    from quizapp.store.store import Store

    store = Store.open(db)
    store.sync(deck, datetime.now(UTC))
    return AppContext(deck, store)


def _response(question, correct: bool):
    from quizapp.quiz.questions import Mode

    if question.mode is Mode.CHOICE:
        index = question.answer_index if correct else (question.answer_index + 1) % len(question.options)
        return index + 1
    if question.expected is not None:
        return str(question.expected if correct else question.expected * 3)
    return question.accepted[0] if correct and question.accepted else "certainly not this"


def grades(n: int, seed: int = 2) -> list[int]:
    rng = random.Random(seed)
    return [rng.choices(range(6), LATER_GRADES)[0] for _ in range(n)]


def quizapp_per_answer(coll: Collection, deck, work: Path, answers: int,
                       synchronous: str = "FULL", server: str | None = None) -> Sample:
    """grade → next question ready, through QuizSession and the store (each grade committed).

    `synchronous`: the app always runs FULL; "NORMAL" (still safe against a killed process in
    WAL mode, not against a power cut) is measured beside it to show what the fsync costs.
    `server`: a PostgreSQL store holding the same collection (`benchmarks.pg`), instead."""
    from sqlalchemy import event

    from quizapp.session.quiz import QuizSession

    if server is None:
        db: Path | str = copy_db(coll.db, work / "answers.db")
        set_limits(db, new_per_day=answers, reviews_per_day=ANSWER_REVIEW_LIMIT)
    else:
        db = server
    ctx = open_ctx(db, deck)
    if server is not None:
        ctx.update_settings(new_per_day=answers, reviews_per_day=ANSWER_REVIEW_LIMIT)
    if synchronous != "FULL":
        engine = ctx.store._engine
        engine.dispose()  # new connections only, each given the PRAGMA after the app's own
        event.listen(engine, "connect", lambda conn, _record: conn.execute(f"PRAGMA synchronous = {synchronous}"))
    out = Sample()
    try:
        session = QuizSession.today(ctx, rng=random.Random(1))
        marks = grades(answers)
        gc.collect()
        for grade in marks:
            if session.finished:
                session = QuizSession.today(ctx, rng=random.Random(1))
                if session.finished:
                    break
            question = session.question
            assert question is not None
            session.submit(_response(question, grade >= 3))
            t0 = time.perf_counter()
            session.grade(grade)
            _ = session.question
            out.seconds.append(time.perf_counter() - t0)
    finally:
        ctx.close()
    return out


def quizapp_queue_build(ctx, reps: int, budget: float) -> Sample:
    from quizapp.session.quiz import QuizSession

    return repeat(lambda: QuizSession.today(ctx), reps, budget)


def quizapp_stats(ctx, reps: int, budget: float) -> Sample:
    """The weak-category table: `quizapp.stats.report(charts=False)` (what home and --weak use)."""
    from quizapp import stats

    today = ctx.today()
    return repeat(lambda: stats.report(ctx.store, ctx.deck, today, charts=False), reps, budget)


def quizapp_stats_screen(ctx, reps: int, budget: float) -> Sample:
    from quizapp.session.overview import stats_overview

    return repeat(lambda: stats_overview(ctx), reps, budget)


def quizapp_switch(db: Path, deck, reps: int, budget: float) -> tuple[Sample, Sample]:
    """Switching SM-2 → FSRS and back: each a replay of the whole log in one transaction."""
    ctx = open_ctx(db, deck)
    to_fsrs, to_sm2 = Sample(), Sample()
    try:
        for _ in range(reps):
            for sample, scheduler in ((to_fsrs, "fsrs"), (to_sm2, "sm2")):
                t0 = time.perf_counter()
                ctx.update_settings(scheduler=scheduler)
                sample.seconds.append(time.perf_counter() - t0)
            if sum(to_fsrs.seconds) + sum(to_sm2.seconds) > budget:
                break
    finally:
        ctx.close()
    return to_fsrs, to_sm2


def quizapp_models(ctx, reps: int, budget: float) -> Sample:
    from quizapp.calibration import compare_models

    return repeat(lambda: compare_models(ctx.store), reps, budget)


def quizapp_home(ctx, reps: int, budget: float) -> Sample:
    from quizapp.session.overview import home_overview

    return repeat(lambda: home_overview(ctx), reps, budget)


def quizapp_export(ctx, category: str, work: Path, reps: int, budget: float,
                   with_progress: bool = False) -> tuple[Sample, int]:
    from quizapp.export import export_apkg

    out = work / "quizapp-export.apkg"
    notes = []

    def run() -> None:
        result = export_apkg(ctx.deck, out, store=ctx.store, categories=[category], lang="both",
                             with_progress=with_progress, today=ctx.today(), tz=ctx.tz,
                             now=ctx.now())
        notes.append(result.notes)

    sample = repeat(run, reps, budget)
    return sample, notes[-1]


# -- Anki side ----------------------------------------------------------------------------------------
class AnkiCopy:
    """A private copy of the generated Anki collection, opened."""

    def __init__(self, coll: Collection, work: Path, name: str):
        from anki.collection import Collection as AnkiCollection

        folder = work / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.path = folder / "collection.anki2"
        shutil.copyfile(coll.anki, self.path)
        self.col = AnkiCollection(str(self.path))

    def close(self) -> None:
        self.col.close()


def anki_set_limits(col, new_per_day: int, reviews_per_day: int) -> None:
    conf = col.decks.config_dict_for_deck_id(1)
    conf["new"]["perDay"] = new_per_day
    conf["rev"]["perDay"] = reviews_per_day
    col.decks.update_config(conf)


def anki_per_answer(coll: Collection, work: Path, answers: int) -> Sample:
    """col.sched.answer_card + fetching the next queued card (get_queued_cards), as Anki's reviewer
    does it; the same grade sequence as quizapp's run, mapped to Anki's four buttons."""
    import anki.collection  # noqa: F401  (anki.cards alone hits a circular import)
    from anki.cards import Card

    copy = AnkiCopy(coll, work, "anki-answers")
    col = copy.col
    out = Sample()
    try:
        anki_set_limits(col, answers, ANSWER_REVIEW_LIMIT)
        col.decks.select(col.decks.id("Bench"))
        queued = col.sched.get_queued_cards()
        marks = grades(answers)

        def current():
            if not queued.cards:
                return None, None
            qc = queued.cards[0]
            card = Card(col)
            card._load_from_backend_card(qc.card)
            card.start_timer()
            return qc, card

        qc, card = current()
        gc.collect()
        for grade in marks:
            if card is None:
                break
            t0 = time.perf_counter()
            rating = anki_ease(grade) - 1  # CardAnswer.Rating: AGAIN=0 … EASY=3
            answer = col.sched.build_answer(card=card, states=qc.states, rating=rating)
            col.sched.answer_card(answer)
            queued = col.sched.get_queued_cards()
            qc, card = current()
            out.seconds.append(time.perf_counter() - t0)
    finally:
        copy.close()
    return out


def anki_queue_build(col, reps: int, budget: float) -> Sample:
    """get_queued_cards after invalidating the cached queues (a deck-options save does that)."""
    conf = col.decks.config_dict_for_deck_id(1)
    return repeat(lambda: col.sched.get_queued_cards(), reps, budget,
                  setup=lambda: col.decks.update_config(conf))


def anki_stats(col, reps: int, budget: float) -> Sample:
    """Anki's statistics screen data (all graphs over the whole review log)."""
    return repeat(lambda: col._backend.graphs(search="", days=0), reps, budget)


def anki_export(col, category_name: str, work: Path, reps: int, budget: float,
                with_progress: bool = False) -> tuple[Sample, int]:
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    did = col.decks.id(f"Bench::{category_name}")
    out = work / "anki-export.apkg"
    notes = []
    options = ExportAnkiPackageOptions(with_scheduling=with_progress, with_deck_configs=False,
                                       with_media=False, legacy=False)

    def run() -> None:
        notes.append(col.export_anki_package(out_path=str(out), options=options,
                                             limit=DeckIdLimit(did)))

    sample = repeat(run, reps, budget)
    return sample, notes[-1]


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
