"""The keys that keep questions fair — family, members, options_zh, accept, answer_type — are
checked by the loader, each problem reported at its file:line, and carried into the questions."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.deck.families import FAMILIES
from quizapp.deck.load import check_deck, load_deck
from quizapp.deck.model import CardKind
from quizapp.quiz.questions import Outcome, QuestionMaker
from quizapp.quiz.verdicts import check
from tests.deck.test_load import HEADER, TERM

TRAP = """
[[trap]]
id = "rate-or-count"
category = "metrics"
prompt_en = "Training GPT-3 took about 3.14e23 of these. Which unit?"
prompt_zh = "训练 GPT-3 大约需要 3.14e23 个这种单位。是哪一个？"
options = ["FLOPs", "FLOPS"]
answer = "FLOPs"
explain_en = "A count, not a rate."
explain_zh = "是次数，不是速率。"
"""

def drill(formula: str, unit: str, params: dict[str, list], extra: str = "",
          solution: str = "{answer}") -> str:
    """A one-drill TOML block; `params` maps each formula input to its choices."""
    rows = "".join(f"{name} = {choices!r}\n".replace("'", '"') for name, choices in params.items())
    return f"""
[[drill]]
id = "est"
category = "metrics"
formula = "{formula}"
unit = "{unit}"
tolerance = 0.004
{extra}prompt_en = "How much?"
prompt_zh = "多少？"
solution_en = "{solution}"
solution_zh = "{solution}"

[drill.params]
{rows}"""


KV_FIT = {"gpu_mem_gb": [80], "mem_fraction": [0.9], "params_b": [6.74], "precision": ["FP16"],
          "kv_mib_per_token": [0.5], "context": [4096]}
DRILL = drill("kv_cache_capacity", "sequences", KV_FIT, solution="{quotient} → {answer}")


def deck_text(*parts: str) -> str:
    return HEADER + "".join(parts)


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "deck.toml"
    path.write_text(text, encoding="utf-8")
    return [str(p).replace(str(path), "deck.toml") for p in check_deck([path])]


def line_of(text: str, needle: str) -> int:
    return text.split("\n").index(needle) + 1


def term(ident: str, extra: str = "", en: str = "", zh: str = "") -> str:
    block = TERM.format(id=ident, en=en or f"Name {ident}", zh=zh or f"词{ident}")
    return block.replace('category = "metrics"\n', f'category = "metrics"\n{extra}')


# ------------------------------------------------------------------------------------- family


def test_family_from_the_vocabulary_is_accepted(tmp_path: Path) -> None:
    text = deck_text(term("a", 'family = "unit"\n'))
    assert problems(tmp_path, text) == []
    deck = load_deck([tmp_path / "deck.toml"])
    assert deck.term("a").family == "unit"


def test_unknown_family_names_the_line_and_the_closest_words(tmp_path: Path) -> None:
    text = deck_text(term("a", 'family = "procesor"\n'))
    found = problems(tmp_path, text)
    line = line_of(text, 'family = "procesor"')
    assert len(found) == 1
    assert found[0].startswith(f"deck.toml:{line}: unknown family 'procesor' (did you mean 'processor'")


def test_a_far_off_family_lists_the_vocabulary(tmp_path: Path) -> None:
    text = deck_text(term("a", 'family = "zzz"\n'))
    (found,) = problems(tmp_path, text)
    assert "unknown family 'zzz' (known: processor, memory," in found


def test_family_is_optional_in_the_format(tmp_path: Path) -> None:
    assert problems(tmp_path, deck_text(term("a"))) == []


def test_every_family_is_described() -> None:
    assert all(FAMILIES.values()) and all(k == k.lower() and " " not in k for k in FAMILIES)


# ------------------------------------------------------------------------------------ members


def test_members_must_be_other_terms_and_never_the_twin(tmp_path: Path) -> None:
    text = deck_text(term("u", 'members = ["a", "ghost", "u"]\ntwin = "a"\n'), term("a"))
    line = line_of(text, 'members = ["a", "ghost", "u"]')
    found = problems(tmp_path, text)
    assert f"deck.toml:{line}: member 'ghost' is not another term of this deck" in found
    assert f"deck.toml:{line}: member 'u' is not another term of this deck" in found
    assert any(p.startswith(f"deck.toml:{line}: member 'a' is also the twin") for p in found)


def test_a_member_may_not_take_its_umbrella_as_twin(tmp_path: Path) -> None:
    text = deck_text(term("u", 'members = ["a"]\n'), term("a", 'twin = "u"\n'))
    line = line_of(text, 'twin = "u"')
    (found,) = problems(tmp_path, text)
    assert found.startswith(f"deck.toml:{line}: twin 'u' is the umbrella term")


def test_members_are_loaded(tmp_path: Path) -> None:
    text = deck_text(term("u", 'members = ["a", "b"]\n'), term("a"), term("b"))
    assert problems(tmp_path, text) == []
    assert load_deck([tmp_path / "deck.toml"]).term("u").members == ("a", "b")


# --------------------------------------------------------------------------- options_zh, accept


def trap(extra: str) -> str:
    return TRAP.replace('answer = "FLOPs"\n', f'answer = "FLOPs"\n{extra}')


@pytest.mark.parametrize(("extra", "message"), [
    ('options_zh = ["FLOPs"]\n', "options_zh must have as many entries as options (2), has 1"),
    ('options_zh = ["次数", "次数"]\n', "options_zh entry '次数' is listed twice"),
    ('options_zh = ["FLOPS", "速率"]\n', "options_zh entry 'FLOPS' is the English text of another option"),
    ('options_zh = ["次数", ""]\n', "'options_zh' contains an empty string"),
    ('options_zh = "次数"\n', "'options_zh' must be a list of strings, not a string"),
    ('accept = ["FLOPS"]\n', "accepted spelling 'FLOPS' is one of the wrong options"),
    ('options_zh = ["运算次数", "速率"]\naccept = ["速率"]\n', "accepted spelling '速率' is one of the wrong options"),
])
def test_trap_key_problems_name_their_line(tmp_path: Path, extra: str, message: str) -> None:
    text = deck_text(trap(extra))
    key = "accept" if "accepted" in message else "options_zh"
    line = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith(f"{key} ="))
    assert problems(tmp_path, text) == [f"deck.toml:{line}: {message}"]


def test_bilingual_trap_options_are_shown_and_accepted_in_both_languages(tmp_path: Path) -> None:
    text = deck_text(trap('options_zh = ["FLOPs（次数）", "FLOPS（速率）"]\naccept = ["FLOP"]\n'))
    assert problems(tmp_path, text) == []
    deck = load_deck([tmp_path / "deck.toml"])
    question = QuestionMaker(deck, random.Random(0)).make(deck.card("rate-or-count:trap"))
    assert [(o.en, o.zh) for o in question.options] == [("FLOPs", "FLOPs（次数）"), ("FLOPS", "FLOPS（速率）")]
    assert question.options[0].render("zh") == "FLOPs（次数）"
    assert (question.answer.en, question.answer.zh) == ("FLOPs", "FLOPs（次数）")
    assert check(question, "FLOPs（次数）").correct
    assert check(question, "FLOP").correct
    wrong = check(question, "FLOPS（速率）")
    assert wrong.outcome is Outcome.WRONG and wrong.twin
    assert not check(question, "FLOPS").correct  # case still matters here (exact defaults to true)


def test_a_trap_without_options_zh_still_shows_its_options(tmp_path: Path) -> None:
    text = deck_text(TRAP)
    assert problems(tmp_path, text) == []
    deck = load_deck([tmp_path / "deck.toml"])
    question = QuestionMaker(deck, random.Random(0)).make(deck.card("rate-or-count:trap"))
    assert [o.render("zh") for o in question.options] == ["FLOPs", "FLOPS"]
    assert check(question, "FLOPs").correct and not check(question, "FLOPS").correct


# -------------------------------------------------------------------------------- answer_type


def test_unknown_answer_type_names_its_line(tmp_path: Path) -> None:
    text = deck_text(drill("kv_cache_capacity", "sequences", KV_FIT, 'answer_type = "cout"\n'))
    line = line_of(text, 'answer_type = "cout"')
    assert problems(tmp_path, text) == [f"deck.toml:{line}: unknown answer_type 'cout' (did you mean 'count'?)"]


def test_a_count_drill_must_give_whole_numbers(tmp_path: Path) -> None:
    # kv_cache_total gives 2.0 GiB for one Llama-2-7B 4k sequence but 0.5 for 1,024 tokens
    params = {"layers": [32], "kv_heads": [32], "head_dim": [128], "precision": ["FP16"],
              "context": [4096, 1024], "batch": [1]}
    text = deck_text(drill("kv_cache_total", "GiB", params, 'answer_type = "count"\n'))
    line = line_of(text, "[drill.params]")
    (found,) = problems(tmp_path, text)
    assert found.startswith(f"deck.toml:{line}: answer_type 'count' needs a whole-number answer, got 0.5 for ")


def test_answer_type_is_loaded_with_quantity_as_default(tmp_path: Path) -> None:
    text = deck_text(drill("kv_cache_capacity", "sequences", KV_FIT, 'answer_type = "count"\n'))
    assert problems(tmp_path, text) == []
    loaded = load_deck([tmp_path / "deck.toml"]).item("est")
    assert loaded.answer_type == "count"
    assert load_deck_text(tmp_path, deck_text(DRILL)).item("est").answer_type == "quantity"
    assert {c.kind for c in load_deck([tmp_path / "deck.toml"]).cards()} == {CardKind.DRILL}


def load_deck_text(tmp_path: Path, text: str):
    path = tmp_path / "other.toml"
    path.write_text(text, encoding="utf-8")
    return load_deck([path])


def test_cli_check_reports_an_unknown_family_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(deck_text(term("a", 'family = "memry"\n')), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "quizapp", "decks", "check", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "unknown family 'memry' (did you mean 'memory'" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
