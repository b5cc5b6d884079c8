"""Run in a subprocess with TZ set: review in quizapp, export with progress, import into Anki.

Usage: python -m tests.export.progress_check WORKDIR   (prints one JSON line after "RESULT ")
Compares, per reviewed card, the schedule Anki shows with the one quizapp has, relative to each
one's own "today", and the revlog rows with quizapp's review log.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from pathlib import Path

from quizapp.export import export_apkg
from quizapp.export.apkg import anki_ease
from quizapp.session.context import AppContext
from tests.export.anki_helpers import import_apkg, open_collection, read_cards
from tests.export.conftest import MINI

# card id -> [(days ago, grade), ...] in the order answered
PLAN: dict[str, list[tuple[int, int]]] = {
    "mfu:def-term": [(10, 4), (9, 4), (3, 5)],
    "hbm:def-term": [(2, 5)],
    "throughput:def-term": [(1, 1)],
    "flops-rate:def-term": [(0, 4)],
    "rate-or-count:trap": [(5, 3), (4, 4)],
    "fits-one-gpu:scenario": [(0, 5), (0, 2)],  # the second is a same-day redrill
}
SUSPEND = "rate-or-count:trap"


def main(work: Path) -> dict:
    time.tzset()
    ctx = AppContext.open(work / "q.db", [MINI])
    now = ctx.now()
    for card, answers in PLAN.items():
        for ago, grade in answers:
            moment = now - timedelta(days=ago)
            ctx.store.record(card, grade, now=moment, today=ctx.today(moment), response_ms=4200)
    ctx.store.set_suspended(SUSPEND, True)
    today = ctx.today()
    result = export_apkg(ctx.deck, work / "p.apkg", store=ctx.store, with_progress=True,
                         today=today, tz=ctx.tz, now=now)
    records = {r.id: r for r in ctx.store.all_cards()}
    log = ctx.store.review_log()
    ctx.close()

    col = open_collection(work / "anki.anki2")
    import_apkg(col, result.path, with_scheduling=True)
    anki_today = col.sched.today
    cards = {}
    for card in read_cards(col):
        key = card.fields["QuizappId"]
        kind = {"quizapp · term": ("def-term", "term-def")[card.ord],
                "quizapp · trap": "trap", "quizapp · scenario": "scenario"}[card.model]
        cards[f"{key}:{kind}"] = card
    rows = {}
    for cid, ease, ivl, last_ivl, factor, type_, taken in col.db.all(
            "SELECT cid, ease, ivl, lastIvl, factor, type, time FROM revlog ORDER BY id"):
        rows.setdefault(cid, []).append([ease, ivl, last_ivl, factor, type_, taken])
    out: dict = {"tz": str(ctx.tz), "today": today.isoformat(), "anki_today": anki_today,
                 "progress_cards": result.progress_cards, "revlog": result.revlog, "cards": {}}
    for cid, record in records.items():
        anki = cards[cid]
        expected = {"new": True, "suspended": record.suspended}
        if record.reviews:
            expected = {
                "due_in": (record.due - today).days, "ivl": record.state.interval,
                "factor": record.state.ef_hundredths * 10, "reps": record.reviews,
                "lapses": record.lapses, "type": 2, "queue": -1 if record.suspended else 2,
                "revlog": [[anki_ease(r.grade), r.after.interval, r.before.interval,
                            r.after.ef_hundredths * 10, 0 if r.before.is_new else 1, 4200]
                           for r in log if r.card_id == cid and r.kind == "review"],
            }
            actual = {
                "due_in": anki.due - anki_today, "ivl": anki.ivl, "factor": anki.factor,
                "reps": anki.reps, "lapses": anki.lapses, "type": anki.type, "queue": anki.queue,
                "revlog": rows.get(anki.id, []),
            }
        else:
            actual = {"new": anki.type == 0 and anki.queue in (0, -1),
                      "suspended": anki.queue == -1}
        out["cards"][cid] = {"expected": expected, "actual": actual}
    col.close()
    return out


if __name__ == "__main__":
    print("RESULT " + json.dumps(main(Path(sys.argv[1]))))
