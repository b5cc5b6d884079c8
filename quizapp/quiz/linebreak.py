"""Line breaking for mixed Chinese / Latin text, by the Unicode line-breaking rules (UAX #14).

Terminal wrapping that breaks only at spaces moves a whole Chinese sentence after a Latin word to
the next line, splits a number from its unit and can start a line with "，". The break
opportunities come from `uniseg` (a maintained UAX #14 implementation): between CJK characters,
never before closing punctuation; on top of it one rule UAX #14 leaves open: a number stays with
the word after it ("16 位", "80 GB"). Lines are filled greedily by terminal cells (CJK characters
take two) and wrapped lines are indented under the text of their first line (`hanging_indent`).

Pure: the TUI (`quizapp.tui.widgets.wrapped`) and plain mode both use it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise

from uniseg.linebreak import line_break_units

__all__ = ["break_offsets", "cells", "hanging_indent", "wrap"]

_NUMBER_THEN_SPACE = re.compile(r"\d[\d.,]*\s+$")
# "You     text", "Answer  text", "  3. text", "• text": continuation lines start under "text".
_LABEL = re.compile(r"^(\s*)(?:[^\s]{1,10}(?: [^\s]{1,10})? {2,}|\d{1,2}\.\s+|[A-Za-z]\.\s+|[•▸·-]\s+)")
MAX_HANG = 14


def cells(text: str) -> int:
    """Terminal cells `text` takes: wide and full-width characters two, combining marks none."""
    total = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200b\u200d":
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def hanging_indent(line: str) -> int:
    """Cells to indent a wrapped line's continuation by: under the text after a short label
    ("You     ", "3. ") or the line's own leading spaces."""
    match = _LABEL.match(line)
    hang = cells(match.group(0)) if match else cells(line) - cells(line.lstrip(" "))
    return hang if hang <= MAX_HANG else 0


def _units(line: str) -> Iterator[str]:
    """UAX #14 break units, a number glued to the word after it."""
    pending = ""
    for unit in line_break_units(line):
        pending += unit
        if _NUMBER_THEN_SPACE.search(pending) and len(pending) < len(line):
            continue
        yield pending
        pending = ""
    if pending:
        yield pending


def break_offsets(line: str, width: int, hang: int = 0) -> list[int]:
    """Character offsets in `line` (no newlines) where a new line starts, so each line fits in
    `width` cells, continuation lines being `hang` cells narrower. Trailing spaces of a line do
    not count (they are dropped). A unit wider than a line is folded by characters."""
    offsets: list[int] = []
    used = 0
    room = width
    position = 0
    for unit in _units(line):
        size = cells(unit.rstrip())
        if used and used + size > room:
            offsets.append(position)
            used, room = 0, max(1, width - hang)
        if size > room:  # longer than any line: fold it by characters
            for index, char in enumerate(unit):
                char_cells = cells(char)
                if used and used + char_cells > room and not char.isspace():
                    offsets.append(position + index)
                    used, room = 0, max(1, width - hang)
                used += char_cells
        else:
            used += cells(unit)
        position += len(unit)
    return offsets


def wrap(text: str, width: int, hang: int | None = None) -> list[str]:
    """`text` broken into lines of at most `width` cells; each paragraph (line of `text`) has its
    continuation lines indented by `hang` cells (default: `hanging_indent` of that line)."""
    lines: list[str] = []
    for line in text.split("\n"):
        indent = hanging_indent(line) if hang is None else hang
        if indent >= width // 2:
            indent = 0
        starts = [0, *break_offsets(line, width, indent), len(line)]
        for number, (start, end) in enumerate(pairwise(starts)):
            piece = line[start:end].rstrip()
            lines.append(piece if number == 0 else " " * indent + piece.lstrip())
    return lines
