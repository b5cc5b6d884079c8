"""The summaries the writes keep: `review_summary` (answers per learner, study day, category, card
kind and retired flag) and `prediction_bins` (both models' predictions scored per srs-benchmark
bin). Statistics read these instead of the million-row log.

They stay exact because every write to the log changes them in the same transaction, by the same
amount. `review_summary` is kept by SQLite triggers (`SUMMARY_TRIGGERS`): an inserted answer adds
its share, a deleted one (undo) takes it back, a card whose category or retired flag changes (deck
sync) has its counts moved. `prediction_bins` needs Python's arithmetic: `Store.record` adds a
review's scores, `Store.undo` takes them back, and rescheduling (which rewrites FSRS's logged
predictions) rebuilds them. `rebuild` recomputes both from the raw log (the
migration that introduced them, bulk loads); tests check the kept ones against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Connection

from quizapp.srs.answer import ReviewKind
from quizapp.srs.grades import PASS_GRADE, is_lapse
from quizapp.srs.metrics import BinTotals, ScoredReview, scored_review, scored_reviews
from quizapp.store.dialect import RawDB

SUMMARY_KEY = ("learner", "study_day", "category", "card_kind", "retired")
SUMMARY_COUNTS = ("answers", "reviews", "correct", "lapses", "recall_reviews", "recalled")
BIN_KEY = ("learner", "lapse_bin", "elapsed_bin", "number_bin")
BIN_TOTALS = ("n", "recalled", "fsrs_p", "fsrs_loss", "sm2_p", "sm2_loss")


def _upsert(table: str, key: Sequence[str], totals: Sequence[str], source: str | None = None) -> str:
    """INSERT … ON CONFLICT DO UPDATE adding `totals` to an existing row's: from VALUES, or from
    the SELECT `source` (whose WHERE clause keeps SQLite's parser from reading ON as a join)."""
    columns = (*key, *totals)
    rows = source or f"VALUES ({', '.join('?' for _ in columns)})"
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in totals)
    return (f"INSERT INTO {table} ({', '.join(columns)}) {rows} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {adds}")


_ADD_BIN = _upsert("prediction_bins", BIN_KEY, BIN_TOTALS)
_FIRST_GRADE = ("SELECT grade FROM reviews WHERE learner = ? AND kind = 'review' AND card_id = ? "
                "ORDER BY study_day LIMIT 1")
_REVIEW = f"'{ReviewKind.REVIEW.value}'"


def _counts(r: str, sign: str) -> str:
    """One answer's (or, summed, a card's) share of `review_summary`'s counts; `r` names the
    review row (NEW, OLD or an alias), `sign` is '' or '-'."""
    review = f"{r}.kind = {_REVIEW}"
    conds = (None, review, f"{review} AND {r}.correct", f"{review} AND {r}.grade < {PASS_GRADE}",
             f"{review} AND {r}.reps_before >= 1",
             f"{review} AND {r}.reps_before >= 1 AND {r}.grade >= {PASS_GRADE}")
    return ", ".join(f"{sign}COUNT(*)" if c is None else f"{sign}SUM(CASE WHEN {c} THEN 1 ELSE 0 END)"
                     for c in conds)


def _answer(r: str, sign: str) -> str:
    """`review_row`'s counts added under its card's current key."""
    return _upsert("review_summary", SUMMARY_KEY, SUMMARY_COUNTS,
                   f"SELECT {r}.learner, {r}.study_day, c.category, c.kind, c.retired, {_counts(r, sign)} "
                   f"FROM cards c WHERE c.learner = {r}.learner AND c.id = {r}.card_id "
                   "GROUP BY c.learner, c.id") + ";"


def _card(c: str, sign: str) -> str:
    """Every logged answer of card `c` (NEW or OLD) added under that card's key."""
    return _upsert("review_summary", SUMMARY_KEY, SUMMARY_COUNTS,
                   f"SELECT {c}.learner, r.study_day, {c}.category, {c}.kind, {c}.retired, {_counts('r', sign)} "
                   f"FROM reviews r WHERE r.learner = {c}.learner AND r.card_id = {c}.id "
                   "GROUP BY r.study_day") + ";"


# The database keeps `review_summary` itself: whoever writes the log (the store, a bulk load, a
# test's raw INSERT), the summary changes in the same statement, so it cannot drift from the log. A
# key whose answers were all taken back keeps a row of zeros (readers skip those): deleting it would
# cost a scan per undo. Each trigger is (event, condition, body); SQLite runs the body inline,
# PostgreSQL through a PL/pgSQL function of the same name.
_CARD_MOVED = ("OLD.category IS DISTINCT FROM NEW.category OR OLD.kind IS DISTINCT FROM NEW.kind "
               "OR OLD.retired IS DISTINCT FROM NEW.retired")
TRIGGERS: dict[str, tuple[str, str | None, str]] = {
    "trg_summary_review_insert": ("AFTER INSERT ON reviews", None, _answer("NEW", "")),
    "trg_summary_review_delete": ("AFTER DELETE ON reviews", None, _answer("OLD", "-")),
    "trg_summary_review_update": ("AFTER UPDATE OF learner, card_id, study_day, kind, grade, correct, "
                                  "reps_before ON reviews", None,
                                  f"{_answer('OLD', '-')} {_answer('NEW', '')}"),
    "trg_summary_card_update": ("AFTER UPDATE OF category, kind, retired ON cards", _CARD_MOVED,
                                f"{_card('OLD', '-')} {_card('NEW', '')}"),
}


def trigger_ddl(server: bool) -> list[str]:
    """The statements that create the summary triggers on SQLite or on PostgreSQL."""
    out = []
    for name, (event, condition, body) in TRIGGERS.items():
        if not server:
            when = f" WHEN {condition.replace('IS DISTINCT FROM', 'IS NOT')}" if condition else ""
            out.append(f"CREATE TRIGGER IF NOT EXISTS {name} {event}{when} BEGIN {body} END")
            continue
        out.append(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {body} RETURN NULL; END $$")
        when = f" WHEN ({condition})" if condition else ""
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {event.rsplit(' ON ', 1)[1]}")
        out.append(f"CREATE TRIGGER {name} {event} FOR EACH ROW{when} EXECUTE FUNCTION {name}()")
    return out


def create_triggers(conn: Connection) -> None:
    for statement in trigger_ddl(conn.dialect.name == "postgresql"):
        conn.exec_driver_sql(statement)


def drop_triggers(conn: Connection) -> None:
    server = conn.dialect.name == "postgresql"
    for name, (event, _, _) in TRIGGERS.items():
        table = f" ON {event.rsplit(' ON ', 1)[1]}" if server else ""
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{table}")


def prediction_term(db: RawDB, learner: str, card_id: str, number: int, lapses_so_far: int, day: int,
                    last: int | None, interval: int, grade: int, recall: float | None
                    ) -> ScoredReview | None:
    """How the card's review number `number` is scored (None: it is not), from what the card knows
    before it: `lapses_so_far` counts every failed review, the first one included, so the first
    review's grade is read back when it matters (one indexed row)."""
    if number <= 1 or recall is None:
        return None
    lapses = lapses_so_far
    if lapses:
        (first,) = db.execute(_FIRST_GRADE, (learner, card_id)).fetchone()
        lapses -= is_lapse(first)
    return scored_review(number, lapses, day, last, interval, grade, recall)


def add_prediction(db: RawDB, learner: str, scored: ScoredReview | None, sign: int = 1) -> None:
    if scored is None:
        return
    totals = BinTotals()
    totals.add(scored, sign)
    _write_bins(db, learner, totals)  # a bin emptied by undo keeps a row of zeros, as review_summary


def _write_bins(db: RawDB, learner: str, totals: BinTotals) -> None:
    rows = [(learner, *key, *acc) for key, acc in totals.bins.items()]
    if rows:
        db.executemany(_ADD_BIN, rows)


def rebuild_predictions(conn: Connection, learner: str | None = None) -> None:
    """`prediction_bins` recomputed from the log (after FSRS's logged predictions changed), for
    one learner or (None) every learner of the store."""
    db = RawDB(conn.connection.driver_connection, conn.dialect.name == "postgresql")
    where, params = ("AND learner = ?", (learner,)) if learner is not None else ("", ())
    db.execute(f"DELETE FROM prediction_bins WHERE true {where}", params)
    cursor = db.execute(
        "SELECT learner, card_id, study_day, last_day_before, interval_before, grade, fsrs_recall "
        f"FROM reviews WHERE kind = '{ReviewKind.REVIEW.value}' {where} ORDER BY learner, card_id, id",
        params)
    per_learner: dict[str, BinTotals] = {}
    for name, rows in groupby(cursor, key=itemgetter(0)):  # streamed, learner by learner
        totals = per_learner[name] = BinTotals()
        for scored in scored_reviews(r[1:] for r in rows):
            totals.add(scored)
    for name, totals in per_learner.items():
        _write_bins(db, name, totals)


def rebuild(conn: Connection) -> None:
    """Both summaries recomputed from the raw log, for every learner, in the caller's transaction."""
    conn.exec_driver_sql("DELETE FROM review_summary")
    conn.exec_driver_sql(_upsert(
        "review_summary", SUMMARY_KEY, SUMMARY_COUNTS,
        f"SELECT r.learner, r.study_day, c.category, c.kind, c.retired, {_counts('r', '')} "
        "FROM reviews r JOIN cards c ON c.learner = r.learner AND c.id = r.card_id WHERE true "
        "GROUP BY r.learner, r.study_day, c.category, c.kind, c.retired"))
    rebuild_predictions(conn)
