"""What the content of deck tables must satisfy once their keys and types are right: options and
answers that fit, drills that compute and fill in for every choice, definitions that do not give
the answer away, references (categories, twins, trap terms) that exist."""

from __future__ import annotations

import math
import string
from typing import Any

from quizapp.deck.errors import ProblemLog, did_you_mean
from quizapp.deck.fairness import check_fairness, count_problem
from quizapp.deck.read import Raw

OPTION_RANGE = {"trap": (2, 6), "scenario": (3, 6)}


def check_item(raw: Raw, categories: dict[str, Raw], items: dict[str, Raw], check: ProblemLog) -> None:
    """Every content check of one term, trap, scenario or drill."""
    data = raw.data
    if categories and data["category"] not in categories:
        extra = did_you_mean(data["category"], categories, f" (known: {', '.join(categories)})")
        check.add(raw.where("category"), f"unknown category '{data['category']}'{extra}")
    if raw.kind in OPTION_RANGE:
        _check_options(raw, check)
    if raw.kind == "drill":
        _check_drill(raw, check)
    check_fairness(raw, items, check.add)
    if raw.kind == "trap":
        for term in data.get("terms", []):
            if items.get(term) is None or items[term].kind != "term":
                check.add(raw.where("terms"), f"trap refers to unknown term '{term}'")
    if raw.kind != "term":
        return
    twin = data.get("twin")
    if twin and (twin not in items or items[twin].kind != "term" or twin == data["id"]):
        check.add(raw.where("twin"), f"twin '{twin}' is not another term of this deck")
    names = [data.get("abbr", ""), data["en"], data["zh"], *data.get("aliases", [])]
    for key in ("def_en", "def_zh"):
        for name in names:
            if _mentions(data[key], name, data.get("case_sensitive", False)):
                check.add(raw.where(key), f"'{key}' gives the answer away: it contains '{name}'")
                break
    if len(set(data.get("aliases", []))) != len(data.get("aliases", [])):
        check.add(raw.where("aliases"), "an alias is listed twice")
    if "facts_zh" in data and "facts" in data and len(data["facts_zh"]) != len(data["facts"]):
        check.add(raw.where("facts_zh"), "facts_zh must have as many entries as facts")


def _mentions(text: str, name: str, case_sensitive: bool) -> bool:
    if not name:
        return False
    if not name.isascii():
        return name in text
    haystack, needle = (text, name) if case_sensitive else (text.lower(), name.lower())
    start = haystack.find(needle)
    while start != -1:  # a whole-word match: no letter or digit on either side
        end = start + len(needle)
        before = haystack[start - 1] if start else " "
        after = haystack[end] if end < len(haystack) else " "
        if not (_is_word(before) or _is_word(after)):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _check_options(raw: Raw, check: ProblemLog) -> None:
    options, answer = raw.data["options"], raw.data["answer"]
    low, high = OPTION_RANGE[raw.kind]
    if not low <= len(options) <= high:
        check.add(raw.where("options"), f"{raw.kind} needs {low} to {high} options, has {len(options)}")
    seen: set[str] = set()
    for option in options:
        if option.strip() in seen:
            check.add(raw.where("options"), f"option '{option}' is listed twice")
        seen.add(option.strip())
    if answer not in options:
        check.add(raw.where("answer"), f"answer '{answer}' is not one of the options {options}")


def _placeholders(template: str) -> set[str] | None:
    try:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError:
        return None


def _check_drill(raw: Raw, check: ProblemLog) -> None:
    from quizapp.deck.formulas import FORMULAS

    data = raw.data
    tolerance = data["tolerance"]
    if not 0 < tolerance < 1:
        check.add(raw.where("tolerance"), f"tolerance must be between 0 and 1 (relative), not {tolerance}")
    formula = FORMULAS.get(data["formula"])
    if formula is None:
        check.add(raw.where("formula"),
                  f"unknown formula '{data['formula']}'{did_you_mean(data['formula'], FORMULAS)}")
        return
    params = data["params"]
    params_where = (raw.file, raw.block.child("params").line)
    for name in set(formula.inputs) - set(params):
        check.add(params_where, f"[drill.params] is missing '{name}' (formula {formula.name} needs it)")
    for name, choices in params.items():
        if name not in formula.inputs:
            check.add(params_where, f"'{name}' is not an input of formula {formula.name}")
        if not isinstance(choices, list) or not choices:
            check.add(params_where, f"param '{name}' must be a non-empty list of choices")
    for index, example in enumerate(data.get("example", [])):
        where = (raw.file, raw.block.child("example", index).line)
        if set(example) != set(formula.inputs):
            check.add(where, f"example must give exactly the inputs {sorted(formula.inputs)}")
            continue
        try:
            formula.func(**example)
        except Exception as exc:
            check.add(where, f"formula {formula.name} fails on this example: {exc}")
    known = set(formula.inputs) | set(formula.outputs)
    fillable: list[str] = []
    for key in TEMPLATES:
        names = _placeholders(data[key])
        if names is None:
            check.add(raw.where(key), f"'{key}' has unbalanced braces; write {{{{ and }}}} for literal braces")
            continue
        for name in sorted(names - known):
            check.add(raw.where(key), f"placeholder {{{name}}} is neither a param nor an output of {formula.name}")
        if names <= known:
            fillable.append(key)
    choices_ok = all(isinstance(c, list) and c for c in params.values())
    if choices_ok and set(params) == set(formula.inputs):
        _check_draws(raw, formula, params, fillable, check)


TEMPLATES = ("prompt_en", "prompt_zh", "solution_en", "solution_zh")
MAX_DRAWS = 200


def _check_draws(raw: Raw, formula: Any, params: dict[str, list], templates: list[str],
                 check: ProblemLog) -> None:
    """Compute and fill in the drill as a quiz would, for every choice of every param (the others
    at their first choice), so a bad choice or format spec is found now, not mid-session."""
    from quizapp.deck.formulas import show_value  # as a quiz shows the values

    params_where = (raw.file, raw.block.child("params").line)
    base = {name: choices[0] for name, choices in params.items()}
    draws = [base, *({**base, name: c} for name, choices in params.items() for c in choices[1:])]
    broken: set[str] = set()
    for draw in draws[:MAX_DRAWS]:
        drawn = ", ".join(f"{k} = {_short(repr(v))}" for k, v in draw.items())
        try:
            outputs = formula.func(**draw)
            answer = float(outputs["answer"])
            values = {k: show_value(v) for k, v in {**draw, **outputs}.items()}
        except Exception as exc:  # any failure on deck-supplied input is a problem
            check.add(params_where, f"formula {formula.name} fails for {drawn}: {_short(str(exc))}")
            continue
        if not math.isfinite(answer):
            check.add(params_where, f"formula {formula.name} gives no finite answer for {drawn}")
        elif raw.data.get("answer_type") == "count" and (problem := count_problem(answer)):
            check.add(params_where, f"{problem} for {drawn}")
        for key in templates:
            if key in broken:
                continue
            try:
                raw.data[key].format(**values)
            except Exception as exc:
                broken.add(key)
                check.add(raw.where(key), f"'{key}' cannot be filled in ({type(exc).__name__}: "
                                          f"{_short(str(exc))}); use plain {{name}} placeholders")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
