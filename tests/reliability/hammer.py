"""A second kind of client for the concurrency tests: answers as fast as it can.

`python -m tests.reliability.hammer DB SEED COUNT` opens the mini deck on DB like quizapp does, then
grades COUNT random cards (the store decides review, re-drill or practice inside its transaction)
and prints `ACK <log id>` after each committed answer. Errors print one line and exit 1.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.session.context import AppContext
from tests.conftest import MINI_DECK


def main(db: str, seed: str, count: str) -> int:
    rng = random.Random(int(seed))
    try:
        ctx = AppContext.open(Path(db), [MINI_DECK])
        try:
            ids = [c.id for c in ctx.deck.cards()]
            for n in range(int(count)):
                record = ctx.store.record(rng.choice(ids), rng.randint(0, 5), now=ctx.now(),
                                          today=ctx.today(), answer=f"s{seed}n{n}")
                print(f"ACK {record.id} {record.answer}", flush=True)
                if n % 10 == 0:
                    ctx.store.review_log()  # a long read between writes
        finally:
            ctx.close()
    except QuizappError as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
