"""Every card of the bundled deck works, and none of the source article's errors comes back."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import astuple, fields

import pytest

from quizapp.deck.load import load_deck
from quizapp.deck.model import CardKind, Deck, Drill, Scenario, Term, Trap
from quizapp.quiz.questions import Mode, Outcome, QuestionMaker
from quizapp.quiz.verdicts import check
from tests.conftest import BUNDLED_DECK

DECK: Deck = load_deck([BUNDLED_DECK])
CARDS = DECK.cards()
CATEGORIES = {"hardware", "metrics", "parallelism", "precision", "inference"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def ids(kind: CardKind) -> list[str]:
    return [c.id for c in CARDS if c.kind is kind]


def test_deck_covers_five_categories_and_every_kind() -> None:
    assert {c.id for c in DECK.categories} == CATEGORIES
    assert {c.category for c in CARDS} == CATEGORIES
    assert {c.kind for c in CARDS} == set(CardKind)
    assert len(DECK.terms) >= 90 and len(DECK.traps) >= 40 and len(DECK.scenarios) == 15
    assert len(DECK.drills) >= 10


@pytest.mark.parametrize("term", DECK.terms, ids=lambda t: t.id)
def test_terms_are_bilingual(term: Term) -> None:
    assert term.zh and CJK.search(term.def_zh) and CJK.search(term.explain_zh)
    assert term.facts and len(term.facts_zh) == len(term.facts)


@pytest.mark.parametrize("card_id", [c.id for c in CARDS])
def test_every_card_makes_questions_and_its_answer_is_right(card_id: str) -> None:
    card = DECK.card(card_id)
    for seed in range(3):
        for reps in (False, True):
            question = QuestionMaker(DECK, random.Random(seed)).make(card, reps)
            assert question.prompt.en.strip() and question.prompt.zh.strip()
            assert question.explanation.en.strip()
            if question.mode is Mode.CHOICE:
                texts = [o.en for o in question.options]
                assert len(texts) == len(set(texts)), texts
                assert texts.count(question.answer.en) == 1
                assert 2 <= len(texts) <= 6
                assert check(question, question.answer_index + 1).outcome is Outcome.CORRECT
                wrong = [i + 1 for i in range(len(texts)) if i != question.answer_index]
                assert all(check(question, n).outcome is Outcome.WRONG for n in wrong)
            elif question.expected is None:
                for spelling in question.accepted:
                    assert check(question, spelling).correct, spelling
            assert check(question, "").outcome is Outcome.SHOWN


@pytest.mark.parametrize("term", [t for t in DECK.terms if t.twin], ids=lambda t: t.id)
def test_def_term_never_accepts_the_twin(term: Term) -> None:
    card = DECK.card(f"{term.id}:def-term")
    typed = QuestionMaker(DECK, random.Random(1)).make(card, recalled=True)
    twin = DECK.term(term.twin)
    for spelling in twin.answers:
        if spelling in term.answers or (not term.case_sensitive and spelling.casefold() in
                                        {a.casefold() for a in term.answers}):
            continue
        assert check(typed, spelling).outcome is Outcome.WRONG, (term.id, spelling)
    choice = QuestionMaker(DECK, random.Random(1)).make(card, recalled=False)
    assert twin.display in [o.en for o in choice.options]  # the look-alike is among the options


@pytest.mark.parametrize("trap", DECK.traps, ids=lambda t: t.id)
def test_trap_twins_are_wrong_typed_or_picked(trap: Trap) -> None:
    question = QuestionMaker(DECK, random.Random(0)).make(DECK.card(f"{trap.id}:trap"))
    assert check(question, trap.answer).correct
    for option in trap.options:
        if option != trap.answer:
            assert check(question, option).outcome is Outcome.WRONG
    assert trap.explain_en and trap.explain_zh


def test_flops_case_is_the_point() -> None:
    rate = QuestionMaker(DECK, random.Random(0)).make(DECK.card("flops-rate:def-term"), recalled=True)
    count = QuestionMaker(DECK, random.Random(0)).make(DECK.card("flops-count:def-term"), recalled=True)
    assert check(rate, "FLOPS").correct and check(rate, "FLOP/s").correct
    assert not check(rate, "FLOPs").correct
    assert check(count, "FLOPs").correct and not check(count, "FLOPS").correct


@pytest.mark.parametrize("term", DECK.terms, ids=lambda t: t.id)
def test_term_def_distractors_share_the_category(term: Term) -> None:
    question = QuestionMaker(DECK, random.Random(0)).make(DECK.card(f"{term.id}:term-def"))
    same = {t.def_en for t in DECK.terms if t.category == term.category or t.id == term.twin}
    assert all(o.en in same for o in question.options)
    if term.twin and DECK.term(term.twin).category == term.category:
        assert DECK.term(term.twin).def_en in [o.en for o in question.options]


@pytest.mark.parametrize("drill", DECK.drills, ids=lambda d: d.id)
def test_drills_accept_their_answer_in_many_forms(drill: Drill) -> None:
    maker = QuestionMaker(DECK, random.Random(7))
    card = DECK.card(f"{drill.id}:drill")
    for _ in range(25):
        question = maker.make(card)
        assert question.expected is not None and question.solution is not None
        assert "{" not in question.prompt.en + question.prompt.zh
        assert check(question, question.answer.en).correct, question.answer.en
        bare = f"{question.expected:.6g}"
        assert check(question, bare).correct
        assert not check(question, f"{question.expected * 3:.6g}").correct


def deck_strings() -> Iterator[tuple[str, str]]:
    for item in (*DECK.terms, *DECK.traps, *DECK.scenarios, *DECK.drills):
        for f, value in zip(fields(item), astuple(item), strict=True):
            values = value if isinstance(value, tuple) else (value,)
            for v in values:
                if isinstance(v, str):
                    yield f"{item.id}.{f.name}", v


NEGATION = re.compile(
    r"\b(not|no|never|isn't|aren't|wasn't|wrong|myth|mistak\w*|misconception|incorrect|rather than|"
    r"instead|undisclosed|nor|false|misread\w*|errors?)\b|不是|并非|而非|并不|没有|不|错|误|未公开", re.I)

# (name, pattern of the wrong claim). A matching string must also say it is wrong.
SOURCE_ERRORS = [
    ("A85 vLLM = vectorized", re.compile(r"vectori[sz]ed", re.I)),
    ("A44 Llama 2 700B", re.compile(r"llama[\s-]*2[^。.]{0,12}\b700\s*b", re.I)),
    ("A28 forward pass 10^23", re.compile(r"(forward|前向)[^。.]{0,80}(10\^?23|10²³|e\+?23)", re.I)),
    ("A29 hundreds of PFLOPS as a count", re.compile(r"hundreds of PFLOPS|数百\s*PFLOPS", re.I)),
    ("A25 2000 TFLOPS without sparsity", re.compile(
        r"(FP16|BF16)\s*(?:/\s*(?:FP16|BF16))?\s*(?:Tensor Core\s*)?(?:peak\s*)?(?:≈|~|=|of|is|at|:|约|为)?\s*"
        r"(2,?000|1,?979|1,?978\.9)\s*TFLOPS|\b(2,?000|1,?979)\s*TFLOPS (in|of|for) (FP16|BF16)", re.I)),
    ("A53 ZeRO-Offload to disk", re.compile(r"ZeRO-Offload[^。.]{0,80}(NVMe|disk|SSD|硬盘|磁盘)", re.I)),
    ("A58 loss scaling for BF16", re.compile(r"(FP16|BF16)\s*(/|or|and|或|和)\s*(BF16|FP16)[^。.]{0,40}"
                                             r"(loss scal|损失缩放)", re.I)),
    ("A77 only Q computed", re.compile(r"only (?:the )?(?:new token'?s )?(?:query|Q)\b(?! *,? *K)"
                                       r"|只(?:需|要)?计算[^。]{0,8}Q(?![^。]{0,4}K)")),
    ("A81 dynamic = continuous", re.compile(r"(continuous batching|连续批处理)[^。.]{0,40}"
                                            r"(also called|又称|也叫|aka|a\.k\.a\.)[^。.]{0,20}dynamic", re.I)),
    ("A56 mixed precision halves memory", re.compile(r"(mixed precision|混合精度)[^。.]{0,60}(halves|减半)", re.I)),
    ("A37 central node updates", re.compile(r"(one|a single|central|主) ?(GPU|CPU|node|节点)[^。.]{0,60}"
                                            r"(updates?|broadcasts?|广播)", re.I)),
    ("A44 GPT-4 details", re.compile(r"GPT-4")),
]


@pytest.mark.parametrize(("name", "pattern"), SOURCE_ERRORS, ids=[n for n, _ in SOURCE_ERRORS])
def test_source_article_errors_never_appear_as_claims(name: str, pattern: re.Pattern[str]) -> None:
    offenders = []
    for where, text in deck_strings():
        if not pattern.search(text):
            continue
        if name.startswith("A25") and re.search(r"spars|稀疏", text, re.I):
            continue
        if name.startswith("A53") and "Infinity" in text:
            continue
        if not NEGATION.search(text):
            offenders.append(f"{where}: {text}")
    assert not offenders, "\n".join(offenders)


def test_the_error_detector_catches_the_article_claims() -> None:
    claims = {
        "A85 vLLM = vectorized": "vLLM is the Vectorized Large Language Model serving engine.",
        "A44 Llama 2 700B": "Training Llama 2 70B/700B needs hybrid parallelism.",
        "A28 forward pass 10^23": "One GPT-3 forward pass takes about 10^23 FLOPs.",
        "A25 2000 TFLOPS without sparsity": "NVIDIA H100 FP16 ≈ 2000 TFLOPS.",
        "A53 ZeRO-Offload to disk": "ZeRO-Offload moves optimizer states to CPU memory and disk.",
        "A81 dynamic = continuous": "Continuous batching, also called dynamic batching, adds requests.",
        "A56 mixed precision halves memory": "Mixed precision makes training faster and halves memory.",
    }
    patterns = dict(SOURCE_ERRORS)
    for name, claim in claims.items():
        assert patterns[name].search(claim) and not NEGATION.search(claim), name


def test_scenarios_have_reasons_and_four_options() -> None:
    for scenario in DECK.scenarios:
        assert isinstance(scenario, Scenario)
        assert len(scenario.options) >= 4 and scenario.reason_en and scenario.reason_zh
