"""Drill answers by type: a count is exact, a quantity within its tolerance, a conversion only in
the asked unit; unreadable input is asked again. Every drill of the bundled deck, many draws."""

from __future__ import annotations

import itertools
import random

import pytest

from quizapp.deck.formulas import FORMULAS, format_number, show_value
from quizapp.deck.model import Drill
from quizapp.quiz.drill_answers import CONVERSION, COUNT, check_drill, drill_hint
from quizapp.quiz.questions import Outcome, Question, QuestionMaker
from quizapp.quiz.verdicts import check
from tests.deck.test_bundled_rules import DECK

DRAWS = 40


def draws(drill: Drill) -> list[dict[str, object]]:
    """Every combination of the drill's parameters, or DRAWS random ones when there are more."""
    names = [name for name, _ in drill.params]
    every = [dict(zip(names, combo, strict=True))
             for combo in itertools.product(*(choices for _, choices in drill.params))]
    if len(every) <= DRAWS:
        return every
    return random.Random(drill.id).sample(every, DRAWS)


def asked(drill: Drill, params: dict[str, object]) -> Question:
    maker = QuestionMaker(DECK, random.Random(0))
    return maker._drill(DECK.card(f"{drill.id}:drill"), drill, params)


def outputs(drill: Drill, params: dict[str, object]) -> dict[str, object]:
    return {k: show_value(v) for k, v in {**params, **FORMULAS[drill.formula].func(**params)}.items()}


@pytest.mark.parametrize("drill", DECK.drills, ids=lambda d: d.id)
def test_the_shown_answer_and_the_worked_solution_are_accepted(drill: Drill) -> None:
    for params in draws(drill):
        question = asked(drill, params)
        assert check(question, question.answer.en).correct, (params, question.answer.en)
        shown = f"{outputs(drill, params)['answer']} {drill.unit}"
        assert shown.split()[0] in question.solution.en, (question.solution.en, shown)
        assert check(question, shown).correct, shown


COUNTS = [d for d in DECK.drills if d.answer_type == COUNT]


@pytest.mark.parametrize("drill", COUNTS, ids=lambda d: d.id)
def test_a_count_takes_exactly_its_number_not_one_more_or_less(drill: Drill) -> None:
    for params in draws(drill):
        question = asked(drill, params)
        right = question.expected
        assert right is not None and right.is_integer()
        assert check(question, format_number(right)).correct
        for wrong in (right - 1, right + 1):
            verdict = check(question, f"{format_number(wrong)} {drill.unit}")
            assert verdict.outcome is Outcome.WRONG, (params, wrong)
            assert "a count must be exact" in verdict.message
        assert check(question, f"{right + 0.5:g}").outcome is Outcome.WRONG


def test_the_issue_examples_of_counts() -> None:
    gpus = check_drill("71", 70, "GPUs", 0.05, COUNT)
    assert gpus.correct is False and check_drill("67 GPUs", 70, "GPUs", 0.05, COUNT).correct is False
    assert check_drill("70 GPUs", 70, "GPUs", 0.05, COUNT).correct is True
    assert check_drill("106", 105, "sequences", 0.01, COUNT).correct is False
    assert check_drill("105 sequences", 105, "sequences", 0.01, COUNT).correct is True


# What a learner types who skips the conversion: the prompt's own value, in the prompt's unit.
ECHO = {
    "est-gb-to-gib": lambda v: f"{v['gb']} GB",
    "est-gbit-to-gbyte": lambda v: f"{v['gbps']} Gb/s",
    "est-pf-days": lambda v: f"{v['flops']} FLOPs",
}
CONVERSIONS = [d for d in DECK.drills if d.answer_type == CONVERSION]


def test_every_conversion_drill_has_its_echo_here() -> None:
    assert {d.id for d in CONVERSIONS} == set(ECHO)


@pytest.mark.parametrize("drill", CONVERSIONS, ids=lambda d: d.id)
def test_no_conversion_accepts_the_prompts_own_value_typed_back(drill: Drill) -> None:
    for params in draws(drill):
        question = asked(drill, params)
        echo = ECHO[drill.id](outputs(drill, params))
        verdict = check(question, echo)
        assert verdict.outcome is Outcome.RETRY, (echo, verdict)
        assert verdict.message == f"give it in {drill.unit}: the question asks for the conversion"


def test_the_issue_examples_of_conversions() -> None:
    assert check_drill("400 Gb/s", 50, "GB/s", 0.02, CONVERSION).correct is None
    assert check_drill("80 GB", 74.5, "GiB", 0.02, CONVERSION).correct is None
    assert check_drill("74.5 GiB", 74.5058, "GiB", 0.02, CONVERSION).correct is True
    assert check_drill("≈74.5", 74.5058, "GiB", 0.02, CONVERSION).correct is True
    # a quantity drill still converts what it is given
    assert check_drill("80 GB", 74.5058, "GiB", 0.02).correct is True


@pytest.mark.parametrize("drill", DECK.drills, ids=lambda d: d.id)
@pytest.mark.parametrize("junk", ["abc", "GiB", "?", "一些"])
def test_unreadable_input_is_asked_again_never_graded(drill: Drill, junk: str) -> None:
    question = asked(drill, draws(drill)[0])
    verdict = check(question, junk)
    assert verdict.outcome is Outcome.RETRY and "could not read a number" in verdict.message


def test_the_hint_says_what_form_the_answer_takes() -> None:
    assert drill_hint("GPUs", 0.004, COUNT) == "a whole number of GPUs, exact"
    assert drill_hint("GiB", 0.02, CONVERSION) == "in GiB (the conversion is the question), within 2%"
    assert drill_hint("GB", 0.05) == "answer in GB, within 5%"
