"""Reading deck files: paths → files → parsed TOML tables, each with the line numbers to report on.

Everything here is about bytes and syntax; what the tables must contain is `quizapp.deck.schema`,
what their content must satisfy is `quizapp.deck.checks`.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.deck.errors import Problem, ProblemLog, did_you_mean
from quizapp.deck.lines import Block, LineMap, scan

MAX_FILE_BYTES = 5 * 1024 * 1024
TOP_KEYS = ("deck", "categories", "term", "trap", "scenario", "drill")


@dataclass
class Raw:
    """One parsed table with the file and line map needed to report on it."""

    kind: str
    data: dict[str, Any]
    file: str
    block: Block

    def where(self, key: str | None = None) -> tuple[str, int]:
        return self.file, self.block.at(key)


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


def read_file(path: Path, check: ProblemLog) -> tuple[dict[str, Any], LineMap] | None:
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


def raw_items(data: dict[str, Any], lines: LineMap, file: str, check: ProblemLog) -> list[Raw]:
    items: list[Raw] = []
    for key, value in data.items():
        if key not in TOP_KEYS:
            check.add((file, lines.first(key)), f"unknown table '{key}'{did_you_mean(key, TOP_KEYS)}")
            continue
        if key == "deck":
            if isinstance(value, dict):
                items.append(Raw("deck", value, file, lines.table("deck")))
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
                items.append(Raw("category", {"id": cat_id, **cat}, file, block))
        else:
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                check.add((file, lines.first(key)), f"'{key}' must be written as [[{key}]] tables")
                continue
            for index, entry in enumerate(value):
                items.append(Raw(key, entry, file, lines.element(key, index)))
    return items
