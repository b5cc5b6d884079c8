"""TOML deck files → a validated `Deck`, or a `DeckError` listing every problem as file:line."""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import string
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.deck.errors import DeckError, Problem
from quizapp.deck.fairness import check_fairness, count_problem
from quizapp.deck.lines import Block, LineMap, scan
from quizapp.deck.model import Category, Deck, Drill, Location, Scenario, Term, Trap

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_MESSAGE = 400  # characters of one problem line; deck text quoted in it is cut, not echoed whole
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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
TOP_KEYS = ("deck", "categories", "term", "trap", "scenario", "drill")
OPTION_RANGE = {"trap": (2, 6), "scenario": (3, 6)}


@dataclass
class _Raw:
    """One parsed table with the file and line map needed to report on it."""

    kind: str
    data: dict[str, Any]
    file: str
    block: Block

    def where(self, key: str | None = None) -> tuple[str, int]:
        return self.file, self.block.at(key)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: tuple[str, int], message: str) -> None:
        self.problems.append(Problem(where[0], where[1], message))

    def fields(self, raw: _Raw, schema: dict[str, tuple[type, bool]], label: str) -> bool:
        """Check keys and value types; return False when the table is unusable."""
        ok = True
        for key in raw.data:
            if key not in schema:
                hint = difflib.get_close_matches(key, schema, n=1)
                extra = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.add(raw.where(key), f"unknown key '{key}' in {label}{extra}")
        for key, (kind, required) in schema.items():
            if key not in raw.data:
                if required:
                    self.add(raw.where(), f"{label} is missing required key '{key}'")
                    ok = False
                continue
            value = raw.data[key]
            if not _type_ok(value, kind):
                self.add(raw.where(key), f"'{key}' must be {_type_name(kind)}, not {_describe(value)}")
                ok = False
            elif kind is str and not value.strip() and required:
                self.add(raw.where(key), f"'{key}' must not be empty")
                ok = False
            elif kind is list and any(not s.strip() for s in value):
                self.add(raw.where(key), f"'{key}' contains an empty string")
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


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to read, in order: a folder means its `deck.toml` first, then `*.toml` by name."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            missing = isinstance(exc, FileNotFoundError) and not path.is_symlink()
            message = "no such file or folder" if missing else f"cannot open: {_reason(exc)}"
            problems.append(Problem(str(path), 0, message))
            continue
        if stat.S_ISDIR(mode):
            if not os.access(path, os.R_OK | os.X_OK):
                problems.append(Problem(str(path), 0, "cannot open folder: permission denied"))
                continue
            found = sorted(path.glob("*.toml"), key=lambda p: (p.name != "deck.toml", p.name))
            if not found:
                problems.append(Problem(str(path), 0, "folder contains no .toml deck files"))
            files.extend(found)
        else:
            files.append(path)
    return files, problems


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _read(path: Path, check: _Checker) -> tuple[dict[str, Any], LineMap] | None:
    name = str(path)
    too_big = "a deck file may be at most 5 MB"
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            check.add((name, 0), "is a folder, not a deck file")
            return None
        if not stat.S_ISREG(info.st_mode):  # a pipe would block, /dev/zero never ends
            check.add((name, 0), "not a regular file (a device, pipe or socket?)")
            return None
        if info.st_size > MAX_FILE_BYTES:
            check.add((name, 0), f"file is {info.st_size // 1024 // 1024} MB; {too_big}")
            return None
        with path.open("rb") as handle:  # bounded: the file may grow, or lie about its size
            blob = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        check.add((name, 0), f"cannot read file: {_reason(exc)}")
        return None
    if len(blob) > MAX_FILE_BYTES:
        check.add((name, 0), f"file is larger than 5 MB; {too_big}")
        return None
    if blob.startswith(b"\xef\xbb\xbf"):
        blob = blob[3:]  # a BOM from a Windows editor is harmless
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        check.add((name, line), f"not valid UTF-8 (byte 0x{blob[exc.start]:02x}); save the file as UTF-8")
        return None
    if "\x00" in text:
        check.add((name, text[: text.index("\x00")].count("\n") + 1), "file contains NUL bytes; is it binary?")
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found.group(1)) if found else _last_line(text)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        where = f" (column {found.group(2)})" if found else ""
        check.add((name, line), f"TOML syntax error: {message}{where}")
        return None
    except RecursionError:
        check.add((name, _deep_line(text)), "TOML nesting is too deep")
        return None
    return data, scan(text)


def _last_line(text: str) -> int:
    """Where "(at end of document)" is: the last line with anything on it."""
    return text.rstrip().count("\n") + 1


def _deep_line(text: str, limit: int = 100) -> int:
    """A good guess at the line where brackets nest too deep (strings are not skipped)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > limit:
                return number
    return 1


def _raw_items(data: dict[str, Any], lines: LineMap, file: str, check: _Checker) -> list[_Raw]:
    items: list[_Raw] = []
    for key, value in data.items():
        if key not in TOP_KEYS:
            hint = difflib.get_close_matches(key, TOP_KEYS, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            where = lines.first(key)
            check.add((file, where), f"unknown table '{key}'{extra}")
            continue
        if key == "deck":
            if isinstance(value, dict):
                items.append(_Raw("deck", value, file, lines.table("deck")))
            else:
                check.add((file, lines.top.at("deck")), "'deck' must be a table: [deck]")
        elif key == "categories":
            if not isinstance(value, dict):
                check.add((file, lines.top.at("categories")), "'categories' must be a table")
                continue
            for cat_id, cat in value.items():
                block = lines.table(f"categories.{cat_id}")
                if not isinstance(cat, dict):
                    check.add((file, lines.table("categories").at(cat_id)),
                              f"category '{cat_id}' must be a table with 'en' and 'zh'")
                    continue
                items.append(_Raw("category", {"id": cat_id, **cat}, file, block))
        else:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                check.add((file, lines.first(key)), f"'{key}' must be written as [[{key}]] tables")
                continue
            for index, entry in enumerate(value):
                items.append(_Raw(key, entry, file, lines.element(key, index)))
    return items


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


def _check_options(raw: _Raw, check: _Checker) -> None:
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


def _check_drill(raw: _Raw, check: _Checker) -> None:
    from quizapp.deck.formulas import FORMULAS

    data = raw.data
    tolerance = data["tolerance"]
    if not 0 < tolerance < 1:
        check.add(raw.where("tolerance"), f"tolerance must be between 0 and 1 (relative), not {tolerance}")
    formula = FORMULAS.get(data["formula"])
    if formula is None:
        hint = difflib.get_close_matches(data["formula"], FORMULAS, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        check.add(raw.where("formula"), f"unknown formula '{data['formula']}'{extra}")
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


def _check_draws(raw: _Raw, formula: Any, params: dict[str, list], templates: list[str],
                 check: _Checker) -> None:
    """Compute and fill in the drill as a quiz would, for every choice of every param (the others
    at their first choice), so a bad choice or format spec is found now, not mid-session."""
    from quizapp.deck.formulas import format_number

    def show(value: object) -> object:  # as `quizapp.quiz.drills` shows a value
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
            return format_number(float(value))
        return value

    params_where = (raw.file, raw.block.child("params").line)
    base = {name: choices[0] for name, choices in params.items()}
    draws = [base, *({**base, name: c} for name, choices in params.items() for c in choices[1:])]
    broken: set[str] = set()
    for draw in draws[:MAX_DRAWS]:
        drawn = ", ".join(f"{k} = {_short(repr(v))}" for k, v in draw.items())
        try:
            outputs = formula.func(**draw)
            answer = float(outputs["answer"])
            values = {k: show(v) for k, v in {**draw, **outputs}.items()}
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


def _build(kind: str, raw: _Raw) -> Any:
    data, at = raw.data, Location(*raw.where())
    if kind == "term":
        lists = ("aliases", "facts", "facts_zh", "members")
        return Term(**{k: v for k, v in data.items() if k not in lists},
                    **{k: tuple(data.get(k, ())) for k in lists}, at=at)
    if kind == "trap":
        lists = ("terms", "options", "options_zh", "accept")
        return Trap(**{k: v for k, v in data.items() if k not in lists},
                    **{k: tuple(data.get(k, ())) for k in lists}, at=at)
    if kind == "scenario":
        return Scenario(**{k: v for k, v in data.items() if k != "options"},
                        options=tuple(data["options"]), at=at)
    params = tuple((k, tuple(v)) for k, v in data["params"].items())
    examples = tuple(tuple(e.items()) for e in data.get("example", ()))
    rest = {k: v for k, v in data.items() if k not in ("params", "example", "tolerance")}
    return Drill(**rest, tolerance=float(data["tolerance"]), params=params, examples=examples, at=at)


SCHEMAS = {"term": TERM_KEYS, "trap": TRAP_KEYS, "scenario": SCENARIO_KEYS, "drill": DRILL_KEYS,
           "deck": DECK_KEYS, "category": CATEGORY_KEYS}


def load_deck(paths: Sequence[Path | str]) -> Deck:
    """Load and validate; raise `DeckError` with every problem found."""
    check = _Checker()
    files, missing = expand(Path(p) for p in paths)
    check.problems.extend(missing)
    raws: list[_Raw] = []
    unreadable = bool(missing)
    for path in files:
        try:
            parsed = _read(path, check)
        except RecursionError:  # belt and braces: the parser or the scan on pathological input
            check.add((str(path), 1), "TOML nesting is too deep")
            parsed = None
        if parsed:
            raws.extend(_raw_items(*parsed, str(path), check))
        else:
            unreadable = True

    usable = [r for r in raws if check.fields(r, SCHEMAS[r.kind], _label(r))]
    decks = [r for r in usable if r.kind == "deck"]
    if not any(r.kind == "deck" for r in raws) and files and not unreadable:
        check.add((str(files[0]), 1), "no [deck] table found (id, name_en, name_zh)")
    for extra in decks[1:]:
        check.add(extra.where(), f"second [deck] table; the first is at {decks[0].file}:{decks[0].block.line}")

    categories = _unique(check, [r for r in usable if r.kind == "category"], "category")
    if not categories and files and not unreadable:
        check.add((str(files[0]), 1), "no categories defined ([categories.ID] with en and zh)")
    entries = [r for r in usable if r.kind in ("term", "trap", "scenario", "drill")]
    items = _unique(check, entries, "id")
    for raw in entries:
        _check_item(raw, categories, items, check)
    if check.problems:
        raise DeckError([_printable(p) for p in check.problems])

    head = decks[0].data
    built = {kind: tuple(_build(kind, r) for r in items.values() if r.kind == kind)
             for kind in ("term", "trap", "scenario", "drill")}
    return Deck(
        id=head["id"], name_en=head["name_en"], name_zh=head["name_zh"],
        categories=tuple(Category(r.data["id"], r.data["en"], r.data["zh"]) for r in categories.values()),
        terms=built["term"], traps=built["trap"], scenarios=built["scenario"], drills=built["drill"],
    )


def _printable(problem: Problem) -> Problem:
    """One line per problem, safe for any terminal: control characters from deck text or file
    names are shown as escapes (\\x1b, \\n), undecodable file-name bytes as U+FFFD, long text cut."""

    def clean(text: str) -> str:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)

    message = clean(problem.message)
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return Problem(clean(problem.file), problem.line, message)


def check_deck(paths: Sequence[Path | str]) -> list[Problem]:
    try:
        load_deck(paths)
    except DeckError as exc:
        return exc.problems
    return []


def _label(raw: _Raw) -> str:
    ident = raw.data.get("id")
    return f"[[{raw.kind}]] '{ident}'" if isinstance(ident, str) and raw.kind != "deck" else (
        "[deck]" if raw.kind == "deck" else f"[[{raw.kind}]]")


def _unique(check: _Checker, raws: list[_Raw], what: str) -> dict[str, _Raw]:
    seen: dict[str, _Raw] = {}
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


def _check_item(raw: _Raw, categories: dict[str, _Raw], items: dict[str, _Raw], check: _Checker) -> None:
    data = raw.data
    if categories and data["category"] not in categories:
        hint = difflib.get_close_matches(data["category"], categories, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else f" (known: {', '.join(categories)})"
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
