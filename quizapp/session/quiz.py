"""A quiz session, independent of any UI: the TUI, plain mode and tests all drive this object.

Flow per card: `question` → `submit(response)` → `grade(q)` (or `grade()` for the suggestion).
Every grade is committed before `grade` returns, so leaving at any point loses nothing. The
question of the current card is prepared when the card becomes current (that reads the card's
repetitions from the store), so reading `question` never touches the database.

What an answer does to the schedule is `quizapp.srs`'s call (via `Store.record`); what comes next
(re-drills, the order of the day) is decided here with `quizapp.srs.queue`.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from quizapp.deck.model import Card
from quizapp.errors import QuizappError
from quizapp.quiz.questions import Outcome, Question, QuestionMaker, Verdict
from quizapp.quiz.verdicts import can_overrule, check, overrule, suggest_grade
from quizapp.session.context import AppContext
from quizapp.session.results import Answered, CategoryResult, DrillChange, Summary
from quizapp.session.workload import backlog_plan
from quizapp.srs.grades import needs_redrill
from quizapp.srs.queue import SessionQueue, build_queue, redrills_left
from quizapp.store.store import ReviewRecord

__all__ = ["Answered", "CategoryResult", "DrillChange", "QuizSession", "Summary"]


def _category_of(session: QuizSession, card_id: str) -> str | None:
    """The deck category of a logged card; None for a card no longer in the deck."""
    try:
        return session.ctx.deck.card(card_id).category
    except KeyError:
        return None


@dataclass
class _Pending:
    question: Question
    shown_at: float | None = None
    verdict: Verdict | None = None
    seconds: float = 0.0
    suggested: int | None = None


@dataclass
class QuizSession:
    ctx: AppContext
    card_ids: Sequence[str]
    practice: bool = False  # re-drill cards without moving their schedule
    rng: random.Random = field(default_factory=random.Random)
    monotonic: Callable[[], float] = time.monotonic
    title: str = "Today"
    drill_category: str | None = None  # a weak drill of this category (see `summary().change`)

    def __post_init__(self) -> None:
        self.queue = SessionQueue(self.card_ids)
        self.history: list[Answered] = []
        self._maker = QuestionMaker(self.ctx.deck, self.rng)
        self._pending: _Pending | None = None
        self._started = self.monotonic()
        self.day = self.ctx.today()  # the study day of the latest answer (see `grade`)
        self._drill_before = self._drill_state() if self.drill_category else None
        self._prepare()

    # -- building ------------------------------------------------------------------------------
    @classmethod
    def today(cls, ctx: AppContext, categories: Sequence[str] | None = None, **kw: object
              ) -> QuizSession:
        """Today's due reviews (less the backlog left to later days, `quizapp.srs.backlog`) and
        new cards, within what is left of the daily limits, then the re-drills still owed from
        earlier today: `quizapp.srs.plan.DailyPlan.left` cards (the plan `quizapp due` and the
        home screen show, scoped to `categories`)."""
        day = ctx.today()
        new_done, reviews_done = ctx.store.done_today(day)
        limits = ctx.settings.limits
        new_room, _ = limits.room(new_done, reviews_done)
        new = ctx.store.new_cards(new_room, categories)
        due = ctx.store.due_cards(day, categories)
        backlog = backlog_plan(ctx, day)
        if backlog is not None:
            later = backlog.deferred
            due = [card for card in due if card.card_id not in later]
        ids = build_queue(day, due, new, limits, new_done, reviews_done)
        session = cls(ctx, ids, **kw)  # type: ignore[arg-type]
        session.add_redrills_left(categories)
        return session

    def add_redrills_left(self, categories: Sequence[str] | None = None) -> None:
        """Queue, at the end, cards failed earlier today and not yet re-drilled (SM-2 step 7)."""
        deck = self.ctx.deck
        scope = set(self.queue.pending())
        for card_id in redrills_left(self.ctx.store.review_log(day=self.day), self.day):
            try:
                category = deck.card(card_id).category
            except KeyError:  # retired from the deck since
                continue
            if card_id in scope or (categories and category not in categories):
                continue
            self.queue.redrill(card_id, gap=self.queue.remaining())
            scope.add(card_id)
        self._prepare()

    @classmethod
    def for_cards(cls, ctx: AppContext, card_ids: Sequence[str], **kw: object) -> QuizSession:
        """Practise exactly these cards; their schedule does not move."""
        known = {c.id for c in ctx.deck.cards()}
        missing = [c for c in card_ids if c not in known]
        if missing:
            raise QuizappError(f"no such card: {', '.join(missing)} (see `quizapp cards`)")
        return cls(ctx, list(dict.fromkeys(card_ids)), practice=True, title="Practice", **kw)  # type: ignore[arg-type]

    @classmethod
    def weak(cls, ctx: AppContext, categories: Sequence[str] | None = None,
             limit: int | None = None, **kw: object) -> QuizSession:
        """Drill the weakest category (see `quizapp.stats`), or the weakest of `categories`."""
        from quizapp.stats import weakest_category

        category = weakest_category(ctx.store, ctx.deck, ctx.today(), categories)
        if category is None:
            raise QuizappError("no weak category yet: weakness is measured from your reviews, "
                               "so answer some cards first")
        return cls.drill(ctx, category, limit, **kw)

    @classmethod
    def drill(cls, ctx: AppContext, category: str, limit: int | None = None, **kw: object
              ) -> QuizSession:
        """A category's studied cards: due ones first, then the lowest EF.

        Not a practice-only session: a due card answered here is its real review of the day and
        moves; a card not due is logged as practice and keeps its schedule
        (`quizapp.srs.answer.classify` decides); anything graded below 4 comes back later in the session (SM-2 step 7).
        """
        from quizapp.stats import WEAK_DRILL_SIZE

        ids = ctx.store.drill_cards(category, ctx.today(), WEAK_DRILL_SIZE if limit is None else limit)
        name = ctx.deck.category(category).en
        if not ids:
            raise QuizappError(f"no studied cards in {name} yet: start it with --category {category}")
        return cls(ctx, ids, title=f"Drill · {name}", drill_category=category, **kw)  # type: ignore[arg-type]

    # -- state ---------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.queue.current() is None

    @property
    def progress(self) -> tuple[int, int]:
        return self.queue.done_count, self.queue.total

    @property
    def card(self) -> Card | None:
        current = self.queue.current()
        return None if current is None else self.ctx.deck.card(current)

    @property
    def question(self) -> Question | None:
        """The current card's question (prepared when it became current), None when finished."""
        return None if self._pending is None else self._pending.question

    def _prepare(self) -> None:
        """Make the question for the card that is current now, unless it has one already.

        Called whenever the current card may have changed; the only read is whether the card's
        latest answer was right (until then it is asked as multiple choice, after it typed).
        """
        card = self.card
        if card is None:
            self._pending = None
        elif self._pending is None or self._pending.question.card_id != card.id:
            recalled = bool(self.ctx.store.last_answer_correct(card.id))
            self._pending = _Pending(self._maker.make(card, recalled))

    @property
    def verdict(self) -> Verdict | None:
        return self._pending.verdict if self._pending else None

    @property
    def suggested_grade(self) -> int | None:
        return self._pending.suggested if self._pending else None

    @property
    def is_redrill(self) -> bool:
        return self.queue.current_is_redrill()

    # -- actions -------------------------------------------------------------------------------
    def mark_shown(self) -> None:
        """Call when the prompt is first painted: response time is measured from here."""
        if self.question is not None and self._pending and self._pending.shown_at is None:
            self._pending.shown_at = self.monotonic()

    def submit(self, response: str | int | None) -> Verdict:
        """Judge `response`. A `RETRY` verdict (say its message, ask again) leaves the card
        unanswered: nothing can be graded until a real answer comes."""
        question = self.question
        if question is None or self._pending is None:
            raise RuntimeError("the session is over")
        if self._pending.verdict is not None:
            return self._pending.verdict
        if self._pending.shown_at is None:
            self._pending.shown_at = self.monotonic()
        seconds = max(0.0, self.monotonic() - self._pending.shown_at)
        verdict = check(question, response)
        if verdict.outcome is Outcome.RETRY:  # not an answer: the card waits for one
            return verdict
        self._pending.verdict = verdict
        self._pending.seconds = seconds
        self._pending.suggested = suggest_grade(question, verdict, seconds)
        return verdict

    @property
    def can_overrule(self) -> bool:
        """True when the current verdict may be overruled ("I was right", see `overrule`)."""
        pending = self._pending
        return pending is not None and can_overrule(pending.question, pending.verdict)

    def overrule(self) -> Verdict:
        """The learner says a wrong verdict on a typed answer was wrong: the answer is counted
        correct, the suggestion is recomputed from that, and the log will show the override."""
        pending = self._pending
        if pending is None or not can_overrule(pending.question, pending.verdict):
            raise RuntimeError("only a wrong verdict on a typed answer can be overruled")
        assert pending.verdict is not None
        pending.verdict = overrule(pending.verdict)
        pending.suggested = suggest_grade(pending.question, pending.verdict, pending.seconds)
        return pending.verdict

    def grade(self, q: int | None = None) -> ReviewRecord:
        """Commit a grade (None = the suggestion) and move to the next card."""
        pending = self._pending
        if pending is None or pending.verdict is None:
            raise RuntimeError("submit an answer before grading")
        grade = pending.suggested if q is None else q
        assert grade is not None
        card_id = pending.question.card_id
        was_redrill = self.queue.current_is_redrill()
        # An answer counts for the study day it is given on, read from the clock now: a session
        # that runs past the rollover hour puts its later answers on the new day (scheduled from
        # it, counted in its limits), so no card comes back a day early and no day is skipped.
        now = self.ctx.now()
        day = self.ctx.today(now)
        record = self.ctx.store.record(
            card_id, grade, now=now, today=day, answer=pending.verdict.given,
            correct=pending.verdict.correct, response_ms=round(pending.seconds * 1000),
            practice=self.practice, overridden=pending.verdict.overridden)
        self.day = day
        self.queue.advance()
        again = needs_redrill(grade)
        if again:
            self.queue.redrill(card_id)
        self.history.append(Answered(
            card_id, pending.question.category, pending.verdict.correct, grade, record.review_kind,
            record.id, again, was_redrill, pending.question, pending.seconds))
        self._pending = None
        self._prepare()
        return record

    def undo(self) -> Answered | None:
        """Take back the last grade: the store forgets it and that card is asked again."""
        if not self.history:
            return None
        last = self.history[-1]
        self.ctx.store.undo(last.log_id)  # first: if the store fails, the session is unchanged
        self.history.pop()
        if last.redrill_scheduled:
            self.queue.remove_pending(last.card_id)
        self.queue.push_front(last.card_id, redrill=last.was_redrill)
        self._pending = _Pending(last.question)
        return last

    # -- results -------------------------------------------------------------------------------
    def _drill_state(self) -> tuple[int | None, int, frozenset[str]]:
        """(the drilled category's weakness rank, categories ranked, its cards known now)."""
        from quizapp.stats import report

        ranking = report(self.ctx.store, self.ctx.deck, self.ctx.today(), charts=False).ranking
        category = self.drill_category
        rank = ranking.index(category) + 1 if category in ranking else None
        known = frozenset(c for c in dict.fromkeys(self.card_ids)
                          if self.ctx.store.card(c).state.repetitions >= 1)
        return rank, len(ranking), known

    def drill_change(self) -> DrillChange | None:
        if self._drill_before is None or self.drill_category is None:
            return None
        before_rank, _, known_before = self._drill_before
        rank, ranked, known = self._drill_state()
        return DrillChange(self.drill_category, len(known - known_before), before_rank, rank, ranked)

    def summary(self) -> Summary:
        """The whole study day so far, not only this session: a session resumed after leaving
        (or a second session the same day) counts what came before, and "right first time" is
        each card's first answer of the day — a card failed this morning stays failed."""
        first: dict[str, tuple[str, bool]] = {}
        spent_ms = 0
        for record in self.ctx.store.review_log(day=self.day):
            spent_ms += record.response_ms
            category = _category_of(self, record.card_id)
            if category is not None:
                first.setdefault(record.card_id, (category, record.correct))
        for answer in self.history:  # answers of an earlier study day in this session
            first.setdefault(answer.card_id, (answer.category, answer.correct))
        per = Counter(category for category, _ in first.values())
        right = Counter(category for category, correct in first.values() if correct)
        categories = tuple(sorted(
            (CategoryResult(c, per[c], right[c]) for c in per),
            key=lambda r: (r.correct / r.answered, -r.answered, r.category)))
        weakest = next((r.category for r in categories if r.correct < r.answered), None)
        return Summary(
            answered=len(first), correct=sum(correct for _, correct in first.values()),
            seconds=max(self.elapsed, spent_ms / 1000), categories=categories,
            due_tomorrow=self.due_on(self.day + timedelta(days=1)), weakest=weakest,
            change=self.drill_change())

    @property
    def elapsed(self) -> float:
        """Seconds since the session started."""
        return self.monotonic() - self._started

    def minutes_left(self) -> int | None:
        """About how many minutes the cards still to come take, at this session's own pace
        (None before the first answer: no pace yet)."""
        if not self.history:
            return None
        pace = sum(a.seconds for a in self.history) / len(self.history) + 4  # reading the verdict
        done, total = self.progress
        return max(1, round((total - done) * pace / 60)) if total > done else 0

    def due_on(self, day: date) -> int:
        return len(self.ctx.store.due_cards(day))
