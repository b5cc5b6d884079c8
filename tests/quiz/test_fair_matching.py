"""Fair matching: a right answer in another form is right, a look-alike is wrong, and case counts
only where it tells the answer from its twin — then the verdict says so."""

from __future__ import annotations

import random

import pytest

from quizapp.deck.model import Trap
from quizapp.quiz.bilingual import Text
from quizapp.quiz.matching import match_text
from quizapp.quiz.questions import Mode, Outcome, Question, QuestionMaker
from quizapp.quiz.verdicts import check
from tests.deck.test_bundled_rules import DECK


def trap(ident: str) -> Question:
    return QuestionMaker(DECK, random.Random(0)).make(DECK.card(f"{ident}:trap"))


def typed(term_id: str) -> Question:
    return QuestionMaker(DECK, random.Random(0)).make(DECK.card(f"{term_id}:def-term"), recalled=True)


@pytest.mark.parametrize(("ident", "right", "wrong"), [
    ("trap-h100-dense-bf16", ["989 TFLOP/s", "989 TFLOPS", "≈989 TFLOPS", "约 989 TFLOPS",
                              "９８９ ＴＦＬＯＰＳ"], ["1,979 TFLOPS", "1979 TFLOP/s"]),
    ("trap-80gb-in-gib", ["74.5 GiB", "≈74.5 GiB", "~74.5 GiB", "about 74.5 GiB", "约 74.5 GiB",
                          "７４.５ ＧｉＢ"], ["80 GiB", "85.9 GiB"]),
    ("trap-flops-training-work", ["FLOP", "FLOPs", "ＦＬＯＰｓ", "浮点运算次数"],
     ["FLOPS", "FLOP/s", "TFLOPS"]),
    ("trap-recompute-hfu", ["hfu", "HFU", "Hfu"], ["MFU", "mfu"]),
    ("trap-h100-pcie-vs-sxm-specs", ["h100 pcie", "H100 PCIe", "h100-pcie"], ["H100 SXM", "h100 sxm"]),
])
def test_typed_answers_on_traps(ident: str, right: list[str], wrong: list[str]) -> None:
    question = trap(ident)
    for spelling in right:
        verdict = check(question, spelling)
        assert verdict.outcome is Outcome.CORRECT, (spelling, verdict)
    for spelling in wrong:
        verdict = check(question, spelling)
        assert verdict.outcome is Outcome.WRONG, (spelling, verdict)


def test_a_number_with_a_unit_or_a_decimal_point_is_never_an_option_number() -> None:
    question = trap("trap-80gb-in-gib")
    for response in ("1.0", "2 GiB", "1e0", "80 GiB"):
        verdict = check(question, response)
        assert "pick an option" not in verdict.message, response
        assert verdict.outcome is not Outcome.CORRECT or response == "74.5 GiB"
    # digits alone are grade keys, never option numbers: asked again, whatever the range
    for response in ("1", "2", "3", "4", "99", "０"):
        assert check(question, response).outcome is Outcome.RETRY, response


def test_lowercase_flops_is_wrong_and_says_case_matters() -> None:
    verdict = check(trap("trap-flops-training-work"), "flops")
    assert verdict.outcome is Outcome.WRONG
    assert verdict.message == "case matters here: FLOPs is a count, FLOPS a rate"
    rate = check(typed("flops-rate"), "flops")
    assert rate.outcome is Outcome.WRONG and "case matters here: FLOPS is a rate" in rate.message


def test_flop_per_second_is_flops_and_flop_is_the_count_on_typed_terms() -> None:
    assert typed("flops-rate").mode is Mode.TYPED
    assert check(typed("flops-rate"), "FLOP/s").correct
    assert check(typed("flops-rate"), "ＦＬＯＰＳ").correct
    assert not check(typed("flops-rate"), "FLOPs").correct
    assert check(typed("flops-count"), "FLOP").correct
    assert not check(typed("flops-count"), "FLOP/s").correct


def test_case_is_forgiven_where_the_twin_does_not_differ_by_case() -> None:
    assert check(typed("hfu"), "hfu").correct and not check(typed("hfu"), "mfu").correct
    assert match_text("gb/s", ["GB/s"], ["Gb/s"], exact=True).case == \
        "case matters here: GB/s is bytes, Gb/s bits"
    assert match_text("gb/s", ["GB/s"], ["GiB/s"], exact=True).correct


def test_an_option_starting_with_approx_accepts_the_plain_number() -> None:
    made = Trap(id="t", category="metrics", terms=(), prompt_en="80 GB in GiB?", prompt_zh="",
                options=("≈74.5 GiB", "≈80 GiB"), answer="≈74.5 GiB", explain_en="", explain_zh="",
                exact=False)
    question = Question(card_id="t:trap", kind=DECK.cards()[0].kind, category="metrics",
                        mode=Mode.CHOICE, prompt=Text(made.prompt_en), answer=Text(made.answer),
                        explanation=Text(""), options=tuple(Text(o) for o in made.options),
                        answer_index=0, accepted=(made.answer,), twins=("≈80 GiB",))
    assert check(question, "74.5 GiB").correct and check(question, "约74.5GiB").correct
    assert check(question, "80 GiB").outcome is Outcome.WRONG
