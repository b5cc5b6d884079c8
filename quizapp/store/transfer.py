"""Copying one learner's history from one store to another (`quizapp migrate-store`): a local file
into a shared server, or back.

The review log is the truth; everything else follows from it. So the copy is made idempotent by
the log: an answer is identified by (card, moment answered), and one the target already has is
never copied twice. Cards the target lacks arrive with their state; settings the target lacks
arrive as they are (the target's own are kept). Into a target where the learner has no answers
yet, card states and the schedule's basis are copied as they are (nothing to replay); where both
sides have answers, the target's saved basis is dropped, so the next start there replays the
learner's whole merged log and every card's schedule is what both histories together imply. The
target's statistics summaries follow by themselves (database triggers for `review_summary`;
`prediction_bins` is rebuilt).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select

from quizapp.store.engine import Database
from quizapp.store.schema import cards, reviews, settings
from quizapp.store.summary import rebuild_predictions

BATCH = 2000
# Internal settings that describe the target's own state, not the learner's choices.
_NOT_COPIED = ("deck_fingerprint",)
SCHEDULE_BASIS = "schedule_basis"


@dataclass(frozen=True)
class TransferReport:
    learner: str  # as named in the target
    cards_added: int
    reviews_added: int
    reviews_present: int  # already in the target: not copied again
    settings_added: int


def copy_learner(source: Database, target: Database) -> TransferReport:
    """Copy `source.learner`'s cards, answers and settings into `target` as `target.learner`,
    in one transaction on the target (all of it or nothing)."""
    src, dst = source.learner, target.learner
    with source._read() as conn:
        card_rows = [dict(r._mapping) for r in conn.execute(select(cards).where(cards.c.learner == src))]
        setting_rows = [dict(r._mapping) for r in conn.execute(
            select(settings).where(settings.c.learner == src, settings.c.key.not_in(_NOT_COPIED)))]
    added_reviews = present = 0
    with target._write(unsaved=f"the copy of {src}'s history") as out:
        have_cards = set(out.execute(select(cards.c.id).where(cards.c.learner == dst)).scalars())
        new_cards = [r | {"learner": dst} for r in card_rows if r["id"] not in have_cards]
        _insert(out, cards, new_cards)
        logged = {tuple(r) for r in out.execute(select(reviews.c.card_id, reviews.c.answered_at)
                                                .where(reviews.c.learner == dst))}
        merging = bool(logged)  # the target has answers of its own: its schedule must be replayed
        have_keys = set(out.execute(select(settings.c.key).where(settings.c.learner == dst)).scalars())
        new_settings = [r | {"learner": dst} for r in setting_rows if r["key"] not in have_keys
                        and not (merging and r["key"] == SCHEDULE_BASIS)]
        _insert(out, settings, new_settings)
        batch: list[dict[str, Any]] = []
        for row in _source_reviews(source):
            if (row["card_id"], row["answered_at"]) in logged:
                present += 1
                continue
            logged.add((row["card_id"], row["answered_at"]))
            row.pop("id")
            batch.append(row | {"learner": dst})
            if len(batch) >= BATCH:
                added_reviews += _insert(out, reviews, batch)
                batch = []
        added_reviews += _insert(out, reviews, batch)
        if added_reviews:
            rebuild_predictions(out, dst)
        if added_reviews and merging:
            out.execute(delete(settings).where(settings.c.learner == dst,
                                               settings.c.key == SCHEDULE_BASIS))
    if target.server and (added_reviews or new_cards):
        analyze(target)
    return TransferReport(dst, len(new_cards), added_reviews, present, len(new_settings))


def analyze(target: Database) -> None:
    """Fresh planner statistics after a bulk copy into a server: without them PostgreSQL plans
    the statistics queries for empty tables (measured at 1 000 000 answers: 70–250 ms → 20 ms).
    A role that does not own the tables may not; the server's autovacuum then does it later."""
    from sqlalchemy.exc import DBAPIError

    try:
        with target._engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE cards, reviews, settings, review_summary, prediction_bins")
    except DBAPIError:
        pass


def _source_reviews(source: Database) -> Any:
    """The source learner's log, oldest first, streamed (a read of its own, not the target's)."""
    query = select(reviews).where(reviews.c.learner == source.learner).order_by(reviews.c.id)
    with source._read() as conn:
        for row in conn.execution_options(yield_per=BATCH).execute(query):
            yield dict(row._mapping)


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> int:
    if rows:
        conn.execute(insert(table), rows)
    return len(rows)
