"""`python -m benchmarks [--quick] [--json FILE] [--work DIR] [--only KEY,…]`"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import generate, inproc, procs, scale
from benchmarks.report import FIGURES, Figure, machine, table, write_json


class _Figures(dict):
    """Figures so far; each one is logged and saved (partial.json) as soon as it is measured."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def __setitem__(self, key: str, figure: Figure) -> None:
        super().__setitem__(key, figure)
        d = figure.as_dict()
        q, a = d["quizapp"] or {}, d["anki"] or {}
        _log(f"  = {key}: quizapp {q.get('median')} / {q.get('p99')}, "
             f"Anki {a.get('median')} / {a.get('p99')} {figure.unit}, ratio {d['ratio']}")
        write_json(self.path, {"figures": [f.as_dict() for f in self.values()]})


@dataclass(frozen=True)
class Plan:
    sizes: generate.Sizes
    answers: int
    cold_reps: int  # real TUI processes on the big collection
    small_reps: int  # real processes that start quickly (floor, bundled deck, Anki)
    reps: int  # in-process repetitions (each figure stops early at its time budget)
    budget: float  # seconds per in-process figure and side
    export_reps: int
    switch_reps: int = 1  # each switch replays the whole log


FULL = Plan(generate.Sizes(), answers=2000, cold_reps=3, small_reps=10, reps=30, budget=60.0,
            export_reps=5, switch_reps=3)
QUICK = Plan(generate.Sizes(terms=300, reviews=6000, export_notes=100), answers=100, cold_reps=1,
             small_reps=2, reps=5, budget=2.0, export_reps=2, switch_reps=2)


SCALE_KEY = "scale_curve"  # --only key of the scale curve (part of every full run)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _check(run: procs.Run, what: str) -> procs.Run:
    if not run.ok:
        raise RuntimeError(f"{what} failed; last screen text:\n{run.tail}")
    return run


def _anki_copy(coll: generate.Collection, scratch: Path) -> Path:
    copy = scratch / "anki-proc" / "collection.anki2"
    copy.parent.mkdir(exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    shutil.copyfile(coll.anki, copy)
    return copy


def run(plan: Plan, work: Path, only: set[str] | None = None) -> dict[str, object]:
    started = time.perf_counter()

    def want(key: str) -> bool:
        return only is None or key in only

    _log(f"synthetic collection ({plan.sizes.cards} cards, {plan.sizes.reviews} reviews) in {work}")
    coll = generate.build(work / "collection", plan.sizes, log=_log)
    scratch = work / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    figures = _Figures(work / "partial.json")
    n_cards = f"{coll.cards:,} cards"

    # 1 + 6. real processes ------------------------------------------------------------------------
    if want("textual_floor") or want("cold_start_first_card") or want("cold_start_first_card_bundled"):
        _log("cold start: bare Textual app (floor)")
        floor = [_check(procs.hello_textual(), "hello app").seconds for _ in range(plan.small_reps)]
        figures["textual_floor"] = Figure("textual_floor", "bare Textual app: start → first paint",
                                          "ms", floor, note="the floor for cold start")
    if want("cold_start_first_card") or want("peak_rss"):
        _log(f"cold start: TUI → first card on {n_cards} (×{plan.cold_reps})")
        runs, anki_runs = [], []
        for i in range(plan.cold_reps):
            db = generate.copy_db(coll.db, scratch / "cold.db")
            runs.append(_check(procs.tui_first_card(db, coll.deck_dir), "quizapp TUI"))
            _log(f"  run {i + 1}: home {runs[-1].steps.get('home', 0):.2f} s, "
                 f"card {runs[-1].seconds:.2f} s, {runs[-1].maxrss_mb:.0f} MB")
        for _ in range(plan.small_reps):
            anki_runs.append(_check(procs.anki_first_card(_anki_copy(coll, scratch)),
                                    "Anki first card"))
        floor_ms = figures.get("textual_floor")
        note = ""
        if floor_ms and floor_ms.quizapp:
            ratio = sorted(r.seconds for r in runs)[len(runs) // 2] / sorted(floor_ms.quizapp)[
                len(floor_ms.quizapp) // 2]
            note = f"{ratio:.1f}× the Textual floor; Anki = engine only (open, queue, render)"
        figures["cold_start_first_card"] = Figure(
            "cold_start_first_card", f"cold start → first card, TUI ({n_cards})", "ms",
            [r.seconds for r in runs], [r.seconds for r in anki_runs], note,
            {"home_painted_ms": [round(r.steps.get("home", 0) * 1000, 1) for r in runs]})
        figures["peak_rss"] = Figure(
            "peak_rss", f"peak RSS, TUI to first card ({n_cards})", "MB",
            [r.maxrss_mb for r in runs], [r.maxrss_mb for r in anki_runs],
            "VmHWM of the child; Anki = engine process showing the first card")
    if want("cold_start_first_card_bundled"):
        _log("cold start: TUI → first card on the bundled deck, empty database")
        runs = []
        for _ in range(max(plan.cold_reps, plan.small_reps // 2)):
            db = scratch / "bundled.db"
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
            runs.append(_check(procs.tui_first_card(db, None), "quizapp TUI (bundled)"))
        floor = figures.get("textual_floor")
        note = ""
        if floor and floor.quizapp:
            med = sorted(r.seconds for r in runs)[len(runs) // 2]
            note = f"{med / sorted(floor.quizapp)[len(floor.quizapp) // 2]:.1f}× the Textual floor"
        figures["cold_start_first_card_bundled"] = Figure(
            "cold_start_first_card_bundled", "cold start → first card, TUI (bundled deck, new db)",
            "ms", [r.seconds for r in runs], None, note,
            {"rss_mb": [round(r.maxrss_mb, 1) for r in runs]})
    if want("due_command"):
        _log(f"`quizapp due` on {n_cards} (×{plan.cold_reps})")
        due = [_check(procs.quizapp_due(coll.db, coll.deck_dir), "quizapp due").seconds
               for _ in range(plan.cold_reps)]
        anki_due = [_check(procs.anki_due(_anki_copy(coll, scratch)), "Anki due").seconds
                    for _ in range(plan.small_reps)]
        figures["due_command"] = Figure("due_command", f"`quizapp due` wall time ({n_cards})", "ms",
                                        due, anki_due, "Anki: open + deck_due_tree, fresh process")

    # 2-5. in process ------------------------------------------------------------------------------
    in_process = [k for k in ("per_answer", "queue_build", "statistics", "export_apkg",
                              "export_apkg_progress", "switch_to_fsrs", "switch_to_sm2",
                              "model_comparison", "per_answer_pg", "statistics_pg") if want(k)]
    if in_process:
        from quizapp.deck.load import load_deck

        _log("loading the deck in-process")
        deck = load_deck([coll.deck_dir])
        deck.cards()
    if want("per_answer"):
        _log(f"per answer: {plan.answers} answers, quizapp")
        q = inproc.quizapp_per_answer(coll, deck, scratch, plan.answers)
        _log(f"per answer: {plan.answers} answers, Anki")
        a = inproc.anki_per_answer(coll, scratch, plan.answers)
        figures["per_answer"] = Figure("per_answer", "per answer: grade → next question ready", "ms",
                                       q.seconds, a.seconds, "each answer committed")
        _log(f"per answer: {plan.answers} answers, quizapp with synchronous=NORMAL (for reference)")
        n = inproc.quizapp_per_answer(coll, deck, scratch, plan.answers, synchronous="NORMAL")
        figures["per_answer_normal"] = Figure(
            "per_answer_normal", "per answer, synchronous=NORMAL (reference only)", "ms",
            n.seconds, a.seconds, "the app runs FULL; this shows the fsync's share")
    if want("switch_to_fsrs") or want("switch_to_sm2"):
        _log(f"switching SM-2 → FSRS → SM-2 on {n_cards}, {coll.reviews:,} reviews")
        to_fsrs, to_sm2 = inproc.quizapp_switch(generate.copy_db(coll.db, scratch / "switch.db"),
                                                deck, plan.switch_reps, plan.budget)
        note = "one transaction; to FSRS replays both algorithms, back to SM-2 only SM-2"
        figures["switch_to_fsrs"] = Figure(
            "switch_to_fsrs", f"switch SM-2 → FSRS ({n_cards}, {coll.reviews:,} reviews)", "ms",
            to_fsrs.seconds, None, note)
        figures["switch_to_sm2"] = Figure(
            "switch_to_sm2", f"switch FSRS → SM-2 ({n_cards}, {coll.reviews:,} reviews)", "ms",
            to_sm2.seconds, None, note)
    if any(k in in_process for k in ("queue_build", "statistics", "export_apkg",
                                     "export_apkg_progress", "model_comparison")):
        ctx = inproc.open_ctx(generate.copy_db(coll.db, scratch / "read.db"), deck)
        anki = inproc.AnkiCopy(coll, scratch, "anki-read")
        anki.col.decks.select(anki.col.decks.id("Bench"))
        category = next(c for c in deck.categories if c.id == coll.export_category)
        try:
            if want("queue_build"):
                _log("queue build")
                q = inproc.quizapp_queue_build(ctx, plan.reps, plan.budget)
                a = inproc.anki_queue_build(anki.col, plan.reps, plan.budget)
                figures["queue_build"] = Figure("queue_build", f"queue build for today ({n_cards})",
                                                "ms", q.seconds, a.seconds,
                                                "QuizSession.today vs get_queued_cards")
            if want("statistics"):
                _log("statistics")
                q = inproc.quizapp_stats(ctx, plan.reps, plan.budget)
                a = inproc.anki_stats(anki.col, plan.reps, plan.budget)
                figures["statistics"] = Figure(
                    "statistics", f"statistics: weak-category table ({coll.reviews:,} reviews)",
                    "ms", q.seconds, a.seconds,
                    "stats.report(charts=False); Anki: its stats screen's graphs")
            if want("model_comparison"):
                _log("which model knows you better")
                q = inproc.quizapp_models(ctx, plan.reps, plan.budget)
                figures["model_comparison"] = Figure(
                    "model_comparison", f"statistics: SM-2 vs FSRS predictions ({coll.reviews:,} "
                    "reviews)", "ms", q.seconds, None, "log loss and RMSE(bins) over every review")
            for key, progress in (("export_apkg", False), ("export_apkg_progress", True)):
                if not want(key):
                    continue
                _log(f"export{' with progress' if progress else ''}")
                q, q_notes = inproc.quizapp_export(ctx, category.id, scratch, plan.export_reps,
                                                   plan.budget, progress)
                a, a_notes = inproc.anki_export(anki.col, category.en, scratch, plan.export_reps,
                                                plan.budget, progress)
                label = f"export {q_notes:,} notes to .apkg" + (" with progress" if progress else "")
                figures[key] = Figure(key, label, "ms", q.seconds, a.seconds,
                                      "genanki vs Anki's exporter (legacy=False)",
                                      {"notes": {"quizapp": q_notes, "anki": a_notes}})
        finally:
            ctx.close()
            anki.close()

    if want("per_answer_pg") or want("statistics_pg"):
        _pg_figures(plan, coll, deck, scratch, figures, want)

    curve = None
    if (only is None and plan is not QUICK) or (only is not None and SCALE_KEY in only):
        curve = scale.curve(figures, coll.cards, work, _log)
    ordered = [figures[k].as_dict() for k in FIGURES if k in figures]
    return {"machine": machine(), "collection": coll.as_dict(), "quick": plan is QUICK,
            "seconds": round(time.perf_counter() - started, 1), "figures": ordered,
            "scale": curve}


def _pg_figures(plan: Plan, coll: generate.Collection, deck, scratch: Path, figures: _Figures,
                want) -> None:
    """Statistics and per-answer latency on PostgreSQL, beside the SQLite figures (same
    collection, same code path; Anki's samples repeated for the ratio)."""
    from benchmarks import pg

    with pg.server() as (url, note):
        _log(f"PostgreSQL: copying the collection in ({note})")
        seconds = pg.load(coll.db, url)
        _log(f"  copied in {seconds:.1f} s")
        if want("statistics_pg"):
            _log("statistics on PostgreSQL")
            ctx = inproc.open_ctx(url, deck)
            try:
                q = inproc.quizapp_stats(ctx, plan.reps, plan.budget)
            finally:
                ctx.close()
            sqlite = figures.get("statistics")
            anki = sqlite.anki if sqlite else None
            figures["statistics_pg"] = Figure(
                "statistics_pg", f"statistics on PostgreSQL ({coll.reviews:,} reviews)", "ms",
                q.seconds, anki, f"{note}; compare with the SQLite row 'statistics'")
        if want("per_answer_pg"):
            _log(f"per answer on PostgreSQL: {plan.answers} answers")
            q = inproc.quizapp_per_answer(coll, deck, scratch, plan.answers, server=url)
            sqlite = figures.get("per_answer")
            anki = sqlite.anki if sqlite else inproc.anki_per_answer(coll, scratch, plan.answers).seconds
            figures["per_answer_pg"] = Figure(
                "per_answer_pg", "per answer on PostgreSQL: grade → next question ready", "ms",
                q.seconds, anki, f"{note}; each answer committed; compare with 'per_answer'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small version (under a minute)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--work", metavar="DIR",
                        help="keep the synthetic collection here and reuse it on the next run "
                             "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--only", metavar="KEY,…",
                        help=f"only these figures: {', '.join((*FIGURES, SCALE_KEY))}")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    if only and only - {*FIGURES, SCALE_KEY}:
        parser.error(f"unknown figure(s): {', '.join(sorted(only - {*FIGURES, SCALE_KEY}))}")
    work = Path(args.work) if args.work else inproc.scratch()
    try:
        result = run(QUICK if args.quick else FULL, work, only)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    m = result["machine"]
    print(f"quizapp vs Anki — {result['collection']['cards']:,} cards, "  # type: ignore[index]
          f"{result['collection']['reviews']:,} reviews; {m['cpu']}, {m['cores']} cores, "  # type: ignore[index]
          f"{m['memory_gib']} GiB, Python {m['python']}, SQLite {m['sqlite']}, "  # type: ignore[index]
          f"anki {m['anki']}, textual {m['textual']}; ratio = quizapp / Anki (lower is better)")  # type: ignore[index]
    print(table(result["figures"]))  # type: ignore[arg-type]
    if result["scale"]:
        print("\nScale curve (quizapp medians; the last columns: growth per tenfold of cards)")
        print(scale.table(result["scale"]))  # type: ignore[arg-type]
    if args.json:
        write_json(Path(args.json), result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
