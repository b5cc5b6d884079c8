"""The scale curve: quizapp's figures on 1 000 and 10 000 cards beside the main run's 100 000, and
how much each grows per tenfold of cards, so a change in complexity shows (a linear figure grows
~10× per step, one read through an index or a kept summary barely moves).

Quizapp only (Anki's side is in the main table); each size is its own synthetic collection with
ten logged reviews per card, built once and reused like the main one.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from benchmarks import generate, inproc, procs
from benchmarks.report import Figure

SCALE_SIZES = (1_000, 10_000)
KEYS = ("cold_start_first_card", "due_command", "per_answer", "queue_build", "statistics",
        "model_comparison", "export_apkg", "peak_rss")


def sizes_for(cards: int) -> generate.Sizes:
    return generate.Sizes(terms=cards // 2, reviews=cards * 10, export_notes=max(50, cards // 10))


def measure(cards: int, work: Path, log: Callable[[str], None], reps: int = 5, budget: float = 10.0,
            answers: int = 300) -> dict[str, float]:
    """Median of each figure (ms; peak RSS in MB) on a collection of `cards` cards."""
    from quizapp.deck.load import load_deck

    coll = generate.build(work / f"collection-{cards}", sizes_for(cards), log=log)
    scratch = work / f"scratch-{cards}"
    scratch.mkdir(parents=True, exist_ok=True)
    out: dict[str, float] = {}
    tui = []
    for _ in range(2):
        run = procs.tui_first_card(generate.copy_db(coll.db, scratch / "cold.db"), coll.deck_dir)
        if run.ok:
            tui.append(run)
    if tui:
        out["cold_start_first_card"] = _median([r.seconds for r in tui]) * 1000
        out["peak_rss"] = _median([r.maxrss_mb for r in tui])
    due = [r.seconds for r in (procs.quizapp_due(coll.db, coll.deck_dir) for _ in range(3)) if r.ok]
    if due:
        out["due_command"] = _median(due) * 1000
    deck = load_deck([coll.deck_dir])
    deck.cards()
    out["per_answer"] = inproc.quizapp_per_answer(coll, deck, scratch, answers).median * 1000
    ctx = inproc.open_ctx(generate.copy_db(coll.db, scratch / "read.db"), deck)
    try:
        out["queue_build"] = inproc.quizapp_queue_build(ctx, reps, budget).median * 1000
        out["statistics"] = inproc.quizapp_stats(ctx, reps, budget).median * 1000
        out["model_comparison"] = inproc.quizapp_models(ctx, reps, budget).median * 1000
        sample, _notes = inproc.quizapp_export(ctx, coll.export_category, scratch, 3, budget)
        out["export_apkg"] = sample.median * 1000
    finally:
        ctx.close()
    return {k: round(v, 3) for k, v in out.items()}


def curve(main: dict[str, Figure], main_cards: int, work: Path,
          log: Callable[[str], None]) -> dict[str, object]:
    """{"cards": [...], "figures": {key: [median per size]}, "growth": {key: [× per step]}}."""
    sizes = [*SCALE_SIZES, main_cards]
    columns: dict[int, dict[str, float]] = {}
    for cards in SCALE_SIZES:
        log(f"scale curve: {cards:,} cards")
        columns[cards] = measure(cards, work, log)
    top: dict[str, float] = {}
    for key in KEYS:
        figure = main.get(key)
        stats = figure.as_dict()["quizapp"] if figure is not None else None
        if stats:
            top[key] = stats["median"]  # type: ignore[index]
    columns[main_cards] = top
    figures = {k: [columns[n].get(k) for n in sizes] for k in KEYS}
    growth = {k: [round(b / a, 2) if a and b else None for a, b in pairwise(v)]
              for k, v in figures.items()}
    return {"cards": sizes, "figures": figures, "growth": growth}


def table(scale: dict[str, object]) -> str:
    sizes: list[int] = scale["cards"]  # type: ignore[assignment]
    head = ("figure (quizapp median)", *(f"{n:,} cards" for n in sizes),
            *(f"×{sizes[i + 1] // sizes[i]} cards" for i in range(len(sizes) - 1)))
    rows = [head]
    for key, values in scale["figures"].items():  # type: ignore[attr-defined]
        unit = "MB" if key == "peak_rss" else "ms"
        cells = ["—" if v is None else f"{v:.1f} {unit}" if v < 100 else f"{v:.0f} {unit}" for v in values]
        grow = ["—" if g is None else f"{g:.1f}×" for g in scale["growth"][key]]  # type: ignore[index]
        rows.append((key, *cells, *grow))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
