"""Aggregates for statistics and the home screen: GROUP BY queries whose totals `quizapp.stats`
combines and scores. No card rows are loaded into Python except the (few) leeches."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Float, case, func, literal, select, text

from quizapp.srs.queue import LEECH_LAPSES
from quizapp.store.dialect import greatest
from quizapp.store.reads import QueueReads
from quizapp.store.records import CardCounts, CardRecord, ReviewCounts, card_record
from quizapp.store.schema import cards, prediction_bins, review_summary
from quizapp.store.summary import BIN_KEY, BIN_TOTALS


def _count(cond: Any) -> Any:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


class Aggregates(QueueReads):
    def mastery_counts(self, mature_days: int = 21) -> dict[str, tuple[int, int, int]]:
        """category -> (active cards, known: repetitions >= 1, mature: interval >= mature_days);
        active = not retired, not suspended. One GROUP BY over the cards table."""
        known = func.sum(case((cards.c.repetitions >= 1, 1), else_=0))
        mature = func.sum(case((cards.c.interval >= mature_days, 1), else_=0))
        query = (select(cards.c.category, func.count(), known, mature)
                 .where(*self._active).group_by(cards.c.category))
        with self._read() as conn:
            return {r[0]: (int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in conn.execute(query)}

    def card_counts(self, today: date, mature_days: int = 21) -> list[CardCounts]:
        """Card states per (category, card kind), one GROUP BY over the cards table."""
        active = (cards.c.retired.is_(False)) & (cards.c.suspended.is_(False))
        studied = active & (cards.c.reviews > 0)
        query = (select(
            cards.c.category, cards.c.kind,
            _count(active),
            _count(active & (cards.c.reviews == 0)),
            _count(studied & (cards.c.interval < mature_days)),
            _count(studied & (cards.c.interval >= mature_days)),
            _count(active & cards.c.due.is_not(None) & (cards.c.due <= today.toordinal())),
            _count(active & (cards.c.lapses >= LEECH_LAPSES)),
            _count(studied),
            func.coalesce(func.sum(case((studied, cards.c.ef), else_=0)), 0),
            _count(cards.c.suspended.is_(True)),
        ).where(self._mine(cards.c.learner), cards.c.retired.is_(False))
            .group_by(cards.c.category, cards.c.kind)
            .order_by(cards.c.category, cards.c.kind))
        with self._read() as conn:
            return [CardCounts(*(r[:2]), *(int(v) for v in r[2:])) for r in conn.execute(query)]

    def review_counts(self, today: date, since: date | None = None,
                      half_life: float = 14.0) -> list[ReviewCounts]:
        """Review results per (category, card kind), from `review_summary` (kept by every write,
        `quizapp.store.summary`): a few thousand per-day rows, not the whole log.

        Only kind 'review' rows count (a card's first grade of a study day): re-drills repeat a
        failure the same day and practice answers do not touch the schedule. `since` is the first
        study day of the window (None = all time); the 7/30-day and all-time columns ignore it.
        Reviews of retired cards are left out (they belong to no card of the deck).
        """
        s = review_summary.c
        day = s.study_day
        t = today.toordinal()
        inside = literal(True) if since is None else day >= since.toordinal()
        weight = func.power(0.5, greatest(t - day, 0).cast(Float) / float(half_life))

        def total(cond: Any, value: Any) -> Any:
            return func.coalesce(func.sum(case((cond, value), else_=0)), 0)

        columns = [
            total(inside, s.reviews), total(inside, s.correct), total(inside, s.lapses),
            total(inside, s.recall_reviews), total(inside, s.recalled),
            func.coalesce(func.sum(case((inside, weight * s.reviews), else_=0.0)), 0.0),
            func.coalesce(func.sum(case((inside, weight * s.correct), else_=0.0)), 0.0),
            total(day > t - 7, s.reviews), total(day > t - 7, s.correct),
            total(day > t - 30, s.reviews), total(day > t - 30, s.correct),
            func.sum(s.reviews), func.sum(s.correct),
        ]
        query = (select(s.category, s.card_kind, *columns)
                 .where(self._mine(s.learner), s.retired.is_(False), s.reviews > 0)
                 .group_by(s.category, s.card_kind).order_by(s.category, s.card_kind))
        with self._read() as conn:
            return [ReviewCounts(r[0], r[1], *(int(v) for v in r[2:7]), float(r[7]), float(r[8]),
                                 *(int(v) for v in r[9:])) for r in conn.execute(query)]

    def answers_per_day(self, first: date, last: date) -> dict[date, int]:
        """Answers of any kind per study day in [first, last]; days without answers are absent."""
        day = review_summary.c.study_day
        query = (select(day, func.sum(review_summary.c.answers))
                 .where(self._mine(review_summary.c.learner), day >= first.toordinal(),
                        day <= last.toordinal())
                 .group_by(day).having(func.sum(review_summary.c.answers) > 0))
        with self._read() as conn:
            return {date.fromordinal(d): int(n) for d, n in conn.execute(query)}

    def daily_category_reviews(self, last: date) -> list[tuple[str, int, int, int]]:
        """(category, study-day ordinal, reviews, correct) for every day up to `last` with
        reviews (kind 'review' only, as everywhere in the statistics), retired cards left out:
        what the weekly trends are computed from. One GROUP BY over `review_summary`."""
        s = review_summary.c
        query = (select(s.category, s.study_day, func.sum(s.reviews), func.sum(s.correct))
                 .where(self._mine(s.learner), s.study_day <= last.toordinal(), s.retired.is_(False),
                        s.reviews > 0)
                 .group_by(s.category, s.study_day))
        with self._read() as conn:
            return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in conn.execute(query)]

    def answer_count(self, since: date | None = None) -> int:
        """Answers of any kind (reviews, re-drills, practice) from `since` on (None = all)."""
        query = select(func.coalesce(func.sum(review_summary.c.answers), 0)).where(
            self._mine(review_summary.c.learner))
        if since is not None:
            query = query.where(review_summary.c.study_day >= since.toordinal())
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def due_forecast(self, today: date, days: int) -> list[int]:
        """Active cards due on today (overdue included), today+1, … for `days` days."""
        t = today.toordinal()
        offset = greatest(cards.c.due - t, 0)
        query = (select(offset, func.count())
                 .where(*self._active, cards.c.due.is_not(None), cards.c.due < t + days)
                 .group_by(offset))
        out = [0] * max(days, 0)
        with self._read() as conn:
            for off, n in conn.execute(query):
                out[off] = n
        return out

    def streak(self, today: date) -> int:
        """Consecutive study days with an answer, ending today (or yesterday if today has none)."""
        sql = (
            "WITH d AS (SELECT DISTINCT study_day FROM review_summary "
            "WHERE learner = :learner AND answers > 0 AND study_day <= :day), "
            "g AS (SELECT study_day, study_day - ROW_NUMBER() OVER (ORDER BY study_day) AS run "
            "FROM d) "
            "SELECT COUNT(*), MAX(study_day) FROM g "
            "WHERE run = (SELECT run FROM g ORDER BY study_day DESC LIMIT 1)")
        with self._read() as conn:
            count, last = conn.execute(text(sql), {"learner": self.learner, "day": today.toordinal()}).one()
        return int(count) if last is not None and last >= today.toordinal() - 1 else 0

    def prediction_bins(self) -> list[tuple[Any, ...]]:
        """(lapse bin, elapsed bin, number bin, n, recalled, Σ p FSRS, Σ loss FSRS, Σ p SM-2,
        Σ loss SM-2) per srs-benchmark bin: both models' scores, kept by every write."""
        b = prediction_bins.c
        query = (select(*(b[c] for c in (*BIN_KEY[1:], *BIN_TOTALS)))
                 .where(self._mine(b.learner), b.n > 0).order_by(*(b[c] for c in BIN_KEY[1:])))
        with self._read() as conn:
            return [tuple(r) for r in conn.execute(query)]

    def leech_cards(self) -> list[CardRecord]:
        """Active cards with lapses >= LEECH_LAPSES, most lapses first."""
        query = (select(cards).where(*self._active, cards.c.lapses >= LEECH_LAPSES)
                 .order_by(cards.c.lapses.desc(), cards.c.position))
        with self._read() as conn:
            return [card_record(r) for r in conn.execute(query)]
