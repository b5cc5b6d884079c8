"""The weak drill: the weakest category's cards, due first then lowest EF; only due cards move."""

from __future__ import annotations

import pytest

from quizapp.errors import QuizappError
from quizapp.quiz.questions import Mode, Question
from quizapp.session.context import AppContext
from quizapp.session.quiz import QuizSession

from .conftest import Clock, History, cards_of, days_ago


def right_answer(question: Question) -> str | int:
    return question.answer_index + 1 if question.mode is Mode.CHOICE else question.accepted[0]  # 1-based


def test_no_reviews_no_drill(sctx: AppContext) -> None:
    with pytest.raises(QuizappError, match="no weak category yet"):
        QuizSession.weak(sctx)


def test_weak_picks_weakest_due_first_then_lowest_ef(sctx: AppContext, history: History) -> None:
    today = sctx.today()
    history.spread("alpha", days_ago(sctx, 1), right=12, wrong=0)
    history.spread("beta", days_ago(sctx, 1), right=1, wrong=11)
    beta = cards_of(sctx, "beta")
    # beta cards: two due today, the rest due later with different EFs
    due = {beta[3]: 230, beta[5]: 180}
    for i, cid in enumerate(beta):
        if cid in due:
            history.set_card(cid, due=today.toordinal(), ef=due[cid])
        else:
            history.set_card(cid, due=today.toordinal() + 5, ef=140 + 10 * i)
    session = QuizSession.weak(sctx)
    assert session.title == "Drill · Beta"
    ids = list(session.card_ids)
    assert ids[:2] == [beta[5], beta[3]]  # due ones first, lower EF first
    rest = [c for c in beta if c not in due]
    assert ids[2:] == sorted(rest, key=lambda c: sctx.store.card(c).state.ef_hundredths)
    limited = QuizSession.weak(sctx, limit=3)
    assert len(limited.card_ids) == 3
    # restricted to categories: the weakest among those
    assert QuizSession.weak(sctx, ["alpha", "gamma"]).title == "Drill · Alpha"


def test_drill_moves_due_cards_only(sctx: AppContext, history: History, clock: Clock) -> None:
    today = sctx.today()
    history.spread("beta", days_ago(sctx, 1), right=0, wrong=6)
    beta = cards_of(sctx, "beta")
    for cid in beta:
        history.set_card(cid, due=today.toordinal() + 3, repetitions=1, interval=4, ef=200)
    history.set_card(beta[0], due=today.toordinal(), ef=150)
    session = QuizSession.weak(sctx, limit=2)
    assert session.card_ids[0] == beta[0]
    before = {cid: sctx.store.card(cid) for cid in session.card_ids}
    kinds = {}
    while not session.finished:
        session.submit(right_answer(session.question))
        record = session.grade(5)
        kinds.setdefault(record.card_id, record.kind)
    assert kinds[beta[0]] == "review"
    assert sctx.store.card(beta[0]).due != before[beta[0]].due  # the due card moved
    for cid, kind in kinds.items():
        if cid != beta[0]:
            assert kind == "practice"
            assert sctx.store.card(cid) == before[cid]  # not due: schedule untouched


def test_failed_drill_cards_come_back(sctx: AppContext, history: History) -> None:
    history.spread("gamma", days_ago(sctx, 2), right=0, wrong=6)
    session = QuizSession.weak(sctx, limit=1)
    first = session.card_ids[0]
    question = session.question
    wrong = (question.answer_index + 1) % len(question.options) + 1 if question.options else "xyz"
    session.submit(wrong)
    session.grade(1)
    assert not session.finished and session.card.id == first and session.is_redrill


def test_after_a_drill_one_line_says_what_changed(sctx: AppContext, history: History) -> None:
    history.spread("alpha", days_ago(sctx, 3), right=9, wrong=3)
    history.spread("gamma", days_ago(sctx, 3), right=8, wrong=4)
    history.spread("beta", days_ago(sctx, 3), right=2, wrong=10)  # weakest, nothing known yet
    session = QuizSession.weak(sctx)
    assert session.drill_category == "beta"
    while not session.finished:
        session.submit(right_answer(session.question))
        session.grade(5)
    change = session.summary().change
    assert change is not None and change.category == "beta"
    assert change.learned == 6  # every beta card was due, and is now known (repetitions 1)
    assert change.rank_before == 1 and change.ranked == 3
    after = change.rank_after
    assert after is not None and after >= 1
    line = change.line("Beta")
    assert line.startswith("Beta: 6 cards moved from learning to known · now ")
    assert "weakest of 3" in line and ("(was 1st)" in line) == (after != 1)
    assert QuizSession.today(sctx).summary().change is None  # only drills say it
