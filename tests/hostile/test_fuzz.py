"""Item 5 of issue 7, fuzzed: the loader raises nothing but `DeckError` on any bytes, any TOML-ish
text, and any well-formed TOML whose values have the wrong types; a deck that does load makes a
question of every card. The answer matcher never raises on anything a learner can type."""

from __future__ import annotations

import json
import math
import random
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.deck.errors import DeckError
from quizapp.deck.load import load_deck
from quizapp.deck.model import Deck
from quizapp.quiz.matching import diff_spans, edit_distance, match_text, normalize
from quizapp.quiz.numbers import check_numeric, convert, parse_quantity
from quizapp.quiz.questions import Mode, Outcome, QuestionMaker
from quizapp.quiz.verdicts import check, suggest_grade

pytestmark = pytest.mark.slow  # fuzzing: thousands of generated inputs

MINI = Path(__file__).resolve().parents[1] / "data" / "mini" / "deck.toml"
MINI_DATA = tomllib.loads(MINI.read_text("utf-8"))
DRILL = {
    "id": "weights", "category": "metrics", "formula": "weights_memory", "unit": "GB",
    "tolerance": 0.1, "prompt_en": "{params_b}B in {precision}?", "prompt_zh": "{params_b}B？",
    "solution_en": "{answer} GB", "solution_zh": "{answer} GB",
    "params": {"params_b": [7, 70], "precision": ["FP16", "INT4"]},
}
SCRATCH = Path(tempfile.mkdtemp(prefix="quizapp-fuzz-"))
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
answers = st.one_of(
    text,
    st.text(alphabet="0123456789.,eE+-×x^ *~≈约万亿千kKMGTBbiIts/%FLOPSflops秒天卡时 \u3000１２３",
            max_size=40),
    st.sampled_from(["", " ", "\x00", "\x1b[31m", "[bold]x[/]", "1e309", "-0", "nan", "inf",
                     "1" * 500, "9" * 5000, "1e-400 GB", "10^999", "1×10^308 GB", "0.0000001 %",
                     "\u202eFLOPS", "ＦＬＯＰＳ", "FLOP/s", "1 TB/s", "2 卡时", "万亿"]),
)


def _load(blob: bytes, name: str = "fuzz.toml") -> Deck | None:
    path = SCRATCH / name
    path.write_bytes(blob)
    try:
        return load_deck([path])
    except DeckError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert "\n" not in problem.message and "\x1b" not in problem.message
        return None


def _exercise(deck: Deck) -> None:
    """Every card of a deck that loaded can be asked and answered."""
    maker = QuestionMaker(deck, random.Random(0))
    for card in deck.cards():
        for repetitions in (False, True):
            question = maker.make(card, repetitions)
            for response in ("", "1", "zzz", *question.accepted[:1],
                             str(question.expected or "")):
                verdict = check(question, response)
                suggest_grade(question, verdict, 3.0)
            if question.mode is Mode.CHOICE:
                assert check(question, question.answer_index + 1).outcome is Outcome.CORRECT


# --------------------------------------------------------------------------- loader


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(blob: bytes) -> None:
    assert _load(blob) is None  # nothing random is a deck


@FUZZ
@given(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]), st.binary(max_size=200),
       st.sampled_from([b"", b"\x00", b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\r", b"\x1b[2J"]))
def test_bytes_around_a_valid_deck(prefix: bytes, junk: bytes, tail: bytes) -> None:
    deck = _load(prefix + MINI.read_bytes() + junk + tail)
    if deck is not None:
        _exercise(deck)


TOKENS = ["[", "]", "[[", "]]", "{", "}", "=", ",", ".", "\n", "\r\n", " ", "\t", "#", '"', "'",
          '"""', "'''", "\\", "\\u", "\\U0010FFFF", "\\x", "deck", "term", "trap", "drill",
          "scenario", "categories", "metrics", "id", "en", "zh", "category", "def_en", "options",
          "answer", "params", "example", "formula", "tolerance", "1", "-0", "1e999", "nan", "inf",
          "true", "0x1F", "1979-05-27T07:32:00Z", "07:32:00", '"a"', "'b'", "\ufeff", "\x00",
          "\x1b", "\u2028", "\u202e", "甲", "[bold]", "{params_b}", "{}", "{{"]


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=80))
def test_toml_ish_text(tokens: list[str]) -> None:
    deck = _load("".join(tokens).encode("utf-8"))
    if deck is not None:
        _exercise(deck)


# random well-formed TOML: the mini deck with values replaced, keys dropped or added


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) \
            else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}"
                           for k, v in value.items()) + "}"


def toml_document(data: dict[str, Any]) -> str:
    return "\n".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in data.items())


scalars = st.one_of(st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(), text,
                    st.sampled_from(["metrics", "hardware", "flops-rate", "FLOPs", "weights_memory",
                                     "", " ", "{answer}", "{nope}", "{"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=3)), max_leaves=12)
KEYS = sorted({k for kind in ("term", "trap", "scenario") for item in MINI_DATA[kind] for k in item}
              | set(DRILL) | {"abbr", "aliases", "facts", "facts_zh", "twin", "exact", "example"})


@st.composite
def mutated_decks(draw: st.DrawFn) -> dict[str, Any]:
    data = json.loads(json.dumps({**MINI_DATA, "drill": [DRILL]}))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["deck", "categories", "term", "trap", "scenario", "drill"]))
        target = data[kind]
        if isinstance(target, list):
            target = target[draw(st.integers(0, len(target) - 1))]
        elif kind == "categories":
            target = target[draw(st.sampled_from(sorted(target)))]
        action = draw(st.sampled_from(["set", "drop", "add", "params"]))
        key = draw(st.sampled_from(sorted(target))) if target else "id"
        if action == "set":
            target[key] = draw(values)
        elif action == "drop":
            target.pop(key, None)
        elif action == "add":
            target[draw(st.sampled_from([*KEYS, "bogus"]))] = draw(values)
        elif kind == "drill":
            name = draw(st.sampled_from(["params_b", "precision", "gpus"]))
            target.setdefault("params", {})
            if isinstance(target["params"], dict):
                target["params"][name] = draw(st.one_of(values, st.lists(scalars, max_size=3)))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["deck", "categories", "term", "drill", "terms"]))] = draw(values)
    return data


@FUZZ
@given(mutated_decks())
def test_valid_toml_with_wrong_types(data: dict[str, Any]) -> None:
    document = toml_document(data)
    try:
        tomllib.loads(document)
    except (tomllib.TOMLDecodeError, RecursionError):
        assume(False)
    deck = _load(document.encode("utf-8"))
    if deck is not None:
        _exercise(deck)


def test_the_unmutated_fuzz_deck_loads() -> None:
    """The fuzzer starts from a deck that is valid, so mutations are what break it."""
    data = {**MINI_DATA, "drill": [DRILL]}
    deck = _load(toml_document(data).encode("utf-8"))
    assert deck is not None and len(deck.drills) == 1
    _exercise(deck)


# --------------------------------------------------------------------------- answer matcher


@settings(max_examples=1000, deadline=None)
@given(answers, st.lists(text, max_size=4), st.lists(text, max_size=3), st.booleans())
def test_match_text_never_raises(given_: str, accepted: list[str], twins: list[str],
                                 exact: bool) -> None:
    normalize(given_, exact=exact)
    found = match_text(given_, accepted, twins, exact=exact)
    assert not (found.correct and found.twin)
    if found.correct:
        assert found.matched in accepted
    diff_spans(given_, accepted[0] if accepted else "")
    assert edit_distance(given_, given_) == 0


@settings(max_examples=1000, deadline=None)
@given(answers, st.sampled_from(["", "GB", "GiB", "KiB", "TB/s", "Gb/s", "FLOPs", "FLOPS", "PF-days",
                                 "GPU-hours", "days", "%", "×", "tokens/s", "sequences", "GPUs",
                                 "bogus", "[red]"]),
       st.one_of(st.floats(), st.sampled_from([0.0, 1e-320, 1e308, -1.0, 3.14e23])),
       st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1e-12, float("nan")])))
def test_numeric_answers_never_raise(given_: str, unit: str, expected: float,
                                     tolerance: float) -> None:
    quantity = parse_quantity(given_, unit)
    if quantity is not None:
        assert math.isfinite(quantity.value)
        convert(quantity, unit)
    verdict = check_numeric(given_, expected, unit, tolerance)
    assert isinstance(verdict.message, str)


MINI_DECK = load_deck([MINI.parent])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(MINI_DECK.cards()), st.integers(0, 5), st.integers(0, 2**32),
       st.one_of(answers, st.integers(-10, 10), st.none(), st.booleans()))
def test_check_never_raises(card, repetitions: int, seed: int, response) -> None:
    question = QuestionMaker(MINI_DECK, random.Random(seed)).make(card, repetitions)
    verdict = check(question, response)
    assert verdict.outcome in set(Outcome)
    assert 0 <= suggest_grade(question, verdict, 5.0) <= 5
