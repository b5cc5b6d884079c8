"""Reads a session needs: single cards, the day's due and new cards, what today already counted,
the review log, a drill's cards. Each is one indexed query; ordering rules live in `quizapp.srs`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Integer, case, func, select

from quizapp.srs.answer import ReviewKind
from quizapp.srs.queue import DueCard, NewCard
from quizapp.store.engine import Database
from quizapp.store.errors import StoreError
from quizapp.store.records import (
    SELECT_CARD,
    BacklogRow,
    CardRecord,
    CardRow,
    ReviewRecord,
    card_record,
    review_record,
)
from quizapp.store.schema import cards, reviews


class QueueReads(Database):
    @property
    def _active(self) -> tuple[Any, ...]:
        """This learner's cards that are neither retired nor suspended."""
        return (self._mine(cards.c.learner), cards.c.retired.is_(False),
                cards.c.suspended.is_(False))

    @property
    def _logged(self) -> Any:
        return self._mine(reviews.c.learner)

    def card(self, card_id: str) -> CardRecord:
        with self._raw() as db:  # read for every question: the driver's cursor, no SQLAlchemy result
            row = db.execute(SELECT_CARD, (self.learner, card_id)).fetchone()
        if row is None:
            raise StoreError(f"no card with id '{card_id}'")
        return card_record(CardRow._make(row))

    def all_cards(self, include_retired: bool = False) -> list[CardRecord]:
        query = select(cards).where(self._mine(cards.c.learner)).order_by(cards.c.position)
        if not include_retired:
            query = query.where(cards.c.retired.is_(False))
        with self._read() as conn:
            return [card_record(r) for r in conn.execute(query)]

    def due_cards(self, today: date, categories: Sequence[str] | None = None) -> list[DueCard]:
        query = select(cards.c.id, cards.c.due, cards.c.ef).where(
            *self._active, cards.c.due.is_not(None), cards.c.due <= today.toordinal())
        if categories:
            query = query.where(cards.c.category.in_(list(categories)))
        with self._read() as conn:
            return [DueCard(r.id, date.fromordinal(r.due), r.ef) for r in conn.execute(query)]

    def backlog_cards(self, before: date) -> list[BacklogRow]:
        """Active cards due before study day `before` (the backlog of a learner back that day)."""
        query = select(cards.c.id, cards.c.due, cards.c.interval, cards.c.fsrs_stability,
                       cards.c.last_review_day).where(
            *self._active, cards.c.due.is_not(None), cards.c.due < before.toordinal())
        with self._read() as conn:
            return [BacklogRow(*r) for r in conn.execute(query)]

    def backlog_done(self, today: date, before: date) -> int:
        """Reviews on study day `today` of cards that were due before `before` (the backlog
        cards today already took)."""
        query = select(func.count()).where(
            self._logged, reviews.c.study_day == today.toordinal(), reviews.c.kind == ReviewKind.REVIEW.value,
            reviews.c.due_before < before.toordinal())
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def new_cards(self, limit: int, categories: Sequence[str] | None = None) -> list[NewCard]:
        query = (select(cards.c.id, cards.c.position)
                 .where(*self._active, cards.c.reviews == 0)
                 .order_by(cards.c.position).limit(max(limit, 0)))
        if categories:
            query = query.where(cards.c.category.in_(list(categories)))
        with self._read() as conn:
            return [NewCard(r.id, r.position) for r in conn.execute(query)]

    def done_today(self, today: date) -> tuple[int, int]:
        """(new cards introduced, reviews done) on this study day: what the daily limits count."""
        query = select(func.count().filter(reviews.c.was_new.is_(True)),
                       func.count()).where(self._logged, reviews.c.study_day == today.toordinal(),
                                           reviews.c.kind == ReviewKind.REVIEW.value)
        with self._read() as conn:
            new, total = conn.execute(query).one()
        return new, total - new

    def due_counts(self, today: date) -> dict[str, tuple[int, int]]:
        """category -> (due reviews, unseen new cards), active cards only, ignoring the limits."""
        due = func.sum(((cards.c.due.is_not(None)) & (cards.c.due <= today.toordinal())).cast(Integer))
        new = func.sum((cards.c.reviews == 0).cast(Integer))
        query = select(cards.c.category, due, new).where(*self._active).group_by(cards.c.category)
        with self._read() as conn:
            return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in conn.execute(query)}

    def review_log(self, card_id: str | None = None, day: date | None = None) -> list[ReviewRecord]:
        """Logged answers in order, for one card and/or one study day (both indexed)."""
        query = select(reviews).where(self._logged).order_by(reviews.c.id)
        if card_id is not None:
            query = query.where(reviews.c.card_id == card_id)
        if day is not None:
            query = query.where(reviews.c.study_day == day.toordinal())
        with self._read() as conn:
            return [review_record(r) for r in conn.execute(query)]

    def last_answer_correct(self, card_id: str) -> bool | None:
        """Was the card's latest logged answer right? None if it was never answered. Decides
        whether it is asked as multiple choice or typed (`quizapp.quiz.questions`)."""
        query = (select(reviews.c.correct).where(self._logged, reviews.c.card_id == card_id)
                 .order_by(reviews.c.id.desc()).limit(1))
        with self._read() as conn:
            row = conn.execute(query).first()
        return None if row is None else bool(row[0])

    def drill_cards(self, category: str, today: date, limit: int) -> list[str]:
        """A category's studied active cards for a weak drill: due first, then lowest EF."""
        is_due = case(((cards.c.due.is_not(None)) & (cards.c.due <= today.toordinal()), 0),
                      else_=1)
        query = (select(cards.c.id)
                 .where(*self._active, cards.c.reviews > 0, cards.c.category == category)
                 .order_by(is_due, cards.c.ef, cards.c.lapses.desc(), cards.c.position)
                 .limit(max(limit, 0)))
        with self._read() as conn:
            return [r[0] for r in conn.execute(query)]
