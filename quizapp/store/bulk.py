"""Bulk reads for export and the history CSV: raw rows, streamed or fetched in chunks of ids, so
the cost follows what is asked for and memory stays flat on a log of millions of answers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from quizapp.srs.answer import ReviewKind
from quizapp.store.engine import Database
from quizapp.store.records import CardSchedule, ReviewRow
from quizapp.store.schema import cards, reviews

ID_CHUNK = 500  # ids per `IN (…)` query: far below SQLite's bound-parameter limit (999 before 3.32)


class BulkReads(Database):
    def iter_review_rows(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """The whole review log, oldest first, with each card's category and kind; streamed.

        Keys are the `reviews` columns, except that the answer's kind is `review_kind` and the
        card's is `card_kind`.
        """
        query = (select(
            reviews.c.id, reviews.c.answered_at, reviews.c.study_day, reviews.c.card_id,
            cards.c.category, cards.c.kind.label("card_kind"), reviews.c.kind.label("review_kind"),
            reviews.c.grade, reviews.c.correct, reviews.c.response_ms, reviews.c.answer,
            reviews.c.was_new, reviews.c.reps_before, reviews.c.ef_before, reviews.c.interval_before,
            reviews.c.due_before, reviews.c.reps_after, reviews.c.ef_after,
            reviews.c.interval_after, reviews.c.due_after, reviews.c.overridden,
        ).select_from(reviews.join(cards, (cards.c.learner == reviews.c.learner)
                                   & (cards.c.id == reviews.c.card_id)))
            .where(reviews.c.learner == self.learner).order_by(reviews.c.id))
        with self._read() as conn:
            for row in conn.execution_options(yield_per=batch).execute(query):
                yield dict(row._mapping)

    def iter_prediction_rows(self, batch: int = 2000) -> Iterator[tuple[Any, ...]]:
        """Every logged review (kind 'review'), card by card and oldest first, as
        (card_id, study_day, last_day_before, interval_before, grade, fsrs_recall): what the
        comparison of the two algorithms' predictions reads. Streamed."""
        query = (select(reviews.c.card_id, reviews.c.study_day, reviews.c.last_day_before,
                        reviews.c.interval_before, reviews.c.grade, reviews.c.fsrs_recall)
                 .where(reviews.c.learner == self.learner, reviews.c.kind == ReviewKind.REVIEW.value)
                 .order_by(reviews.c.card_id, reviews.c.id))
        with self._read() as conn:
            for row in conn.execution_options(yield_per=batch).execute(query):
                yield tuple(row)

    def recall_rows(self) -> list[tuple[str, str, float, int]]:
        """(id, category, FSRS stability, last review day) of every active studied card."""
        query = select(cards.c.id, cards.c.category, cards.c.fsrs_stability,
                       cards.c.last_review_day).where(
            cards.c.learner == self.learner, cards.c.retired.is_(False), cards.c.suspended.is_(False),
            cards.c.fsrs_stability.is_not(None), cards.c.last_review_day.is_not(None))
        with self._read() as conn:
            return [tuple(r) for r in conn.execute(query)]

    def card_schedules(self, ids: Iterable[str], chunk: int = ID_CHUNK) -> dict[str, CardSchedule]:
        """The active (not retired) cards among `ids`, as raw rows; read `chunk` ids per query."""
        unique = list(dict.fromkeys(ids))
        out: dict[str, CardSchedule] = {}
        with self._raw() as db, db.snapshot():  # the driver's cursor: no SQLAlchemy row per card
            for start in range(0, len(unique), chunk):
                part = unique[start:start + chunk]
                # Retired cards are skipped in Python: `retired = 0` in the WHERE clause lets SQLite
                # pick a (retired, …) index and scan every active card once per chunk.
                sql = (f"SELECT retired, {', '.join(CardSchedule._fields)} FROM cards "
                       f"WHERE learner = ? AND id IN ({', '.join('?' * len(part))})")
                for row in db.execute(sql, (self.learner, *part)):
                    if not row[0]:
                        out[row[1]] = CardSchedule(row[1], row[2], bool(row[3]), *row[4:])
        return out

    def iter_card_reviews(self, ids: Iterable[str], kind: str = ReviewKind.REVIEW,
                          chunk: int = ID_CHUNK) -> Iterator[ReviewRow]:
        """Logged answers of one review kind for the cards among `ids`, streamed `chunk` cards at
        a time.

        In no particular order (sort by `id` for log order); found through the (kind, card_id, …)
        index, so the cost follows the answers asked for, not the size of the log.
        """
        unique = list(dict.fromkeys(ids))
        with self._raw() as db, db.snapshot():  # the driver's cursor: a fifth of SQLAlchemy's cost per row
            for start in range(0, len(unique), chunk):
                part = unique[start:start + chunk]
                sql = (f"SELECT {', '.join(ReviewRow._fields)} FROM reviews "
                       f"WHERE learner = ? AND kind = ? AND card_id IN ({', '.join('?' * len(part))})")
                for row in db.execute(sql, (self.learner, str(kind), *part)):
                    yield ReviewRow._make(row)
