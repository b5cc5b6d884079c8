"""TOML deck files → a validated `Deck`, or a `DeckError` listing every problem as file:line.

Three passes, one module each: `quizapp.deck.read` (files and TOML syntax), `quizapp.deck.schema`
(keys, types, ids), `quizapp.deck.checks` (content); this module runs them and builds the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp.deck.checks import check_item
from quizapp.deck.errors import DeckError, Problem, ProblemLog
from quizapp.deck.model import Category, Deck, Drill, Location, Scenario, Term, Trap
from quizapp.deck.read import MAX_FILE_BYTES, Raw, expand, raw_items, read_file
from quizapp.deck.schema import check_fields, unique

__all__ = ["MAX_FILE_BYTES", "check_deck", "expand", "load_deck"]

MAX_MESSAGE = 400  # characters of one problem line; deck text quoted in it is cut, not echoed whole
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _build(kind: str, raw: Raw) -> Any:
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


def load_deck(paths: Sequence[Path | str]) -> Deck:
    """Load and validate; raise `DeckError` with every problem found."""
    check = ProblemLog()
    files, missing = expand(Path(p) for p in paths)
    check.problems.extend(missing)
    raws: list[Raw] = []
    unreadable = bool(missing)
    for path in files:
        try:
            parsed = read_file(path, check)
        except RecursionError:  # belt and braces: the parser or the scan on pathological input
            check.add((str(path), 1), "TOML nesting is too deep")
            parsed = None
        if parsed:
            raws.extend(raw_items(*parsed, str(path), check))
        else:
            unreadable = True

    usable = [r for r in raws if check_fields(r, check)]
    decks = [r for r in usable if r.kind == "deck"]
    if not any(r.kind == "deck" for r in raws) and files and not unreadable:
        check.add((str(files[0]), 1), "no [deck] table found (id, name_en, name_zh)")
    for extra in decks[1:]:
        check.add(extra.where(), f"second [deck] table; the first is at {decks[0].file}:{decks[0].block.line}")

    categories = unique(check, [r for r in usable if r.kind == "category"], "category")
    if not categories and files and not unreadable:
        check.add((str(files[0]), 1), "no categories defined ([categories.ID] with en and zh)")
    entries = [r for r in usable if r.kind in ("term", "trap", "scenario", "drill")]
    items = unique(check, entries, "id")
    for raw in entries:
        check_item(raw, categories, items, check)
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
