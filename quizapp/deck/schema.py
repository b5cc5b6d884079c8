"""What each deck table must contain: its keys, their types, ids that are well formed and unique.

A table that fails here (a required key missing, a value of the wrong type) is left out of the
content checks (`quizapp.deck.checks`), which may then rely on every key having its type.
"""

from __future__ import annotations

import re
from typing import Any

from quizapp.deck.errors import ProblemLog, did_you_mean
from quizapp.deck.read import Raw


class _Tables(list):
    """Schema marker: a list of tables, like `[[drill.example]]` (a plain `list` holds strings)."""


ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# key -> (python type, required). `list` means a list of non-empty strings.
TERM_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True), "en": (str, True), "zh": (str, True), "category": (str, True),
    "def_en": (str, True), "def_zh": (str, True),
    "explain_en": (str, True), "explain_zh": (str, True),
    "abbr": (str, False), "aliases": (list, False), "facts": (list, False),
    "facts_zh": (list, False), "source": (str, False), "twin": (str, False),
    "case_sensitive": (bool, False), "family": (str, False), "members": (list, False),
}
TRAP_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True), "category": (str, True), "terms": (list, False),
    "prompt_en": (str, True), "prompt_zh": (str, True), "options": (list, True),
    "answer": (str, True), "explain_en": (str, True), "explain_zh": (str, True),
    "exact": (bool, False), "source": (str, False), "options_zh": (list, False),
    "accept": (list, False),
}
SCENARIO_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True), "category": (str, True),
    "prompt_en": (str, True), "prompt_zh": (str, True), "options": (list, True),
    "answer": (str, True), "reason_en": (str, True), "reason_zh": (str, True),
    "source": (str, False),
}
DRILL_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True), "category": (str, True), "formula": (str, True),
    "unit": (str, True), "tolerance": (float, True),
    "prompt_en": (str, True), "prompt_zh": (str, True),
    "solution_en": (str, True), "solution_zh": (str, True),
    "explain_en": (str, False), "explain_zh": (str, False),
    "params": (dict, True), "example": (_Tables, False), "source": (str, False),
    "answer_type": (str, False),
}
DECK_KEYS: dict[str, tuple[type, bool]] = {
    "id": (str, True), "name_en": (str, True), "name_zh": (str, True),
}
CATEGORY_KEYS: dict[str, tuple[type, bool]] = {"id": (str, True), "en": (str, True), "zh": (str, True)}
SCHEMAS = {"term": TERM_KEYS, "trap": TRAP_KEYS, "scenario": SCENARIO_KEYS, "drill": DRILL_KEYS,
           "deck": DECK_KEYS, "category": CATEGORY_KEYS}


def check_fields(raw: Raw, check: ProblemLog) -> bool:
    """Check keys and value types against the table's schema; False when the table is unusable."""
    schema, label = SCHEMAS[raw.kind], table_label(raw)
    ok = True
    for key in raw.data:
        if key not in schema:
            check.add(raw.where(key), f"unknown key '{key}' in {label}{did_you_mean(key, schema)}")
    for key, (kind, required) in schema.items():
        if key not in raw.data:
            if required:
                check.add(raw.where(), f"{label} is missing required key '{key}'")
                ok = False
            continue
        value = raw.data[key]
        if not _type_ok(value, kind):
            check.add(raw.where(key), f"'{key}' must be {_type_name(kind)}, not {_describe(value)}")
            ok = False
        elif kind is str and not value.strip() and required:
            check.add(raw.where(key), f"'{key}' must not be empty")
            ok = False
        elif kind is list and any(not s.strip() for s in value):
            check.add(raw.where(key), f"'{key}' contains an empty string")
            ok = False
    return ok


def _type_ok(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is _Tables:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, kind)


def _type_name(kind: type) -> str:
    return {str: "a string", bool: "true or false", float: "a number", list: "a list of strings",
            dict: "a table", _Tables: "a list of tables"}[kind]


def _describe(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    if isinstance(value, list) and value and type(value[0]) in names:
        kinds = {type(v) for v in value}
        return f"a list of {'mixed values' if len(kinds) > 1 else names[type(value[0])].split(' ', 1)[1] + 's'}"
    return names.get(type(value), "a date or time")


def table_label(raw: Raw) -> str:
    ident = raw.data.get("id")
    return f"[[{raw.kind}]] '{ident}'" if isinstance(ident, str) and raw.kind != "deck" else (
        "[deck]" if raw.kind == "deck" else f"[[{raw.kind}]]")


def unique(check: ProblemLog, raws: list[Raw], what: str) -> dict[str, Raw]:
    """The tables by id, the first of each id; reports malformed and duplicate ids."""
    seen: dict[str, Raw] = {}
    for raw in raws:
        ident = raw.data["id"]
        if not ID_RE.match(ident):
            check.add(raw.where("id") if raw.kind != "category" else raw.where(),
                      f"{what} '{ident}' must use lowercase letters, digits and '-' only")
        if ident in seen:
            first = seen[ident]
            check.add(raw.where("id") if raw.kind != "category" else raw.where(),
                      f"duplicate {what} '{ident}' (first defined at {first.file}:{first.where('id')[1]})")
            continue
        seen[ident] = raw
    return seen
