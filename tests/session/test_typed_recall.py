"""Typed recall from the second showing: a definition→term card or a trap is multiple choice until
its first right answer, typed after it; a wrong answer gives it one multiple-choice showing again.
New cards mix every kind from the first day."""

from __future__ import annotations

import random

from quizapp.deck.model import CardKind
from quizapp.quiz.questions import Mode
from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession
from tests.conftest import BUNDLED_DECK, Clock
from tests.deck.test_bundled_rules import DECK

from .test_quiz import right_response, wrong_response


def ask(ctx: AppContext, card_id: str) -> QuizSession:
    return QuizSession.for_cards(ctx, [card_id], rng=random.Random(0))


def test_multiple_choice_until_the_first_right_answer_then_typed(ctx: AppContext) -> None:
    modes = []
    for answer in (wrong_response, right_response, right_response, wrong_response,
                   right_response, right_response):
        session = ask(ctx, "flops-rate:def-term")
        modes.append(session.question.mode)
        session.submit(answer(session))
        session.grade()
    assert modes == [Mode.CHOICE, Mode.CHOICE, Mode.TYPED, Mode.TYPED, Mode.CHOICE, Mode.TYPED]


def test_a_trap_is_typed_once_recalled_and_names_its_look_alikes(ctx: AppContext) -> None:
    session = ask(ctx, "rate-or-count:trap")
    assert session.question.mode is Mode.CHOICE
    session.submit(right_response(session))
    session.grade()
    question = ask(ctx, "rate-or-count:trap").question
    assert question.mode is Mode.TYPED and question.options == ()
    assert question.hint is not None and set(question.hint.en.rstrip("?").split(" or ")) == \
        {"FLOPs", "FLOPS"}


def test_the_second_showing_of_a_term_the_next_day_is_typed(ctx: AppContext, clock: Clock) -> None:
    first = QuizSession.today(ctx, rng=random.Random(0))
    seen: dict[str, Mode] = {}
    while not first.finished:
        question = first.question
        seen.setdefault(question.card_id, question.mode)
        first.submit(right_response(first))
        first.grade(5)
    assert seen and all(m is Mode.CHOICE for c, m in seen.items() if c.endswith(":def-term"))
    clock.advance(days=1)
    second = QuizSession.today(ctx, rng=random.Random(0))
    kinds = []
    while not second.finished:
        question = second.question
        if question.kind is CardKind.DEF_TERM:
            kinds.append(question.mode)
        second.submit(right_response(second))
        second.grade(5)
    assert kinds and set(kinds) == {Mode.TYPED}  # day 2, not day 8


def test_the_first_twenty_new_cards_hold_a_scenario_and_a_drill() -> None:
    first = [c.kind for c in DECK.cards()[:20]]
    assert CardKind.SCENARIO in first and CardKind.DRILL in first and CardKind.TRAP in first


def test_day_one_of_the_bundled_deck_mixes_every_kind(tmp_path, clock: Clock) -> None:
    ctx = AppContext.open(tmp_path / "q.db", [BUNDLED_DECK], clock=clock)
    try:
        session = QuizSession.today(ctx, rng=random.Random(0))
        kinds = {ctx.deck.card(c).kind for c in session.queue.pending()}
        assert {CardKind.DEF_TERM, CardKind.TRAP, CardKind.SCENARIO, CardKind.DRILL} <= kinds
    finally:
        ctx.close()
