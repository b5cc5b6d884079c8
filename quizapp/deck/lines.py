"""Recover line numbers that `tomllib` throws away.

`tomllib` parses to plain dicts, so a scan of the raw text maps each table header and each key to
the line it stands on. The n-th `[[term]]` header in a file is the n-th element of `data["term"]`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

# Linear on purpose: a lazy body followed by `\s*` backtracks quadratically on a long header line.
_HEADER = re.compile(r"^\s*(\[\[?)([^\]]*)(\]\]?)\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


@dataclass
class Block:
    """One table (or one element of an array of tables) and where its keys are."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)
    children: dict[str, list[Block]] = field(default_factory=dict)  # "example" -> [...]

    def child(self, name: str, index: int = 0) -> Block:
        blocks = self.children.get(name, [])
        return blocks[index] if index < len(blocks) else Block(self.line)

    def at(self, key: str | None = None) -> int:
        if key is None:
            return self.line
        return self.keys.get(key, self.line)


@dataclass
class LineMap:
    tables: dict[str, Block] = field(default_factory=dict)  # "deck", "categories.hardware"
    arrays: dict[str, list[Block]] = field(default_factory=dict)  # "term" -> [Block, ...]
    top: Block = field(default_factory=lambda: Block(1))

    def element(self, name: str, index: int) -> Block:
        blocks = self.arrays.get(name, [])
        return blocks[index] if index < len(blocks) else Block(1)

    def table(self, name: str) -> Block:
        return self.tables.get(name, Block(1))

    def first(self, name: str) -> int:
        """The first line that opens `name` or a table inside it (`[a.b.c]` opens `a`); else 1."""
        lines = [b.line for n, b in self.tables.items() if n == name or n.startswith(name + ".")]
        lines += [bs[0].line for n, bs in self.arrays.items()
                  if bs and (n == name or n.startswith(name + "."))]
        return min(lines, default=self.top.keys.get(name, 1))


def _toggle_multiline(line: str, open_quote: str | None) -> str | None:
    """Track whether we are inside a triple-quoted string after this line."""
    if open_quote is None and '"""' not in line and "'''" not in line:
        return None  # the common case: no multi-line string can start here
    if open_quote is not None and open_quote not in line:
        return open_quote
    i = 0
    while i < len(line):
        if open_quote is None:
            if line[i] == "#":
                return None
            for q in ('"""', "'''"):
                if line.startswith(q, i):
                    open_quote = q
                    i += 3
                    break
            else:
                if line[i] in "\"'":  # a one-line string: skip to its end
                    end = line.find(line[i], i + 1)
                    while end != -1 and line[i] == '"' and line[end - 1] == "\\":
                        end = line.find('"', end + 1)
                    i = len(line) if end == -1 else end + 1
                else:
                    i += 1
        else:
            end = line.find(open_quote, i)
            if end == -1:
                return open_quote
            i = end + 3
            open_quote = None
    return open_quote


def scan(text: str) -> LineMap:
    lines = LineMap()
    current = lines.top
    in_string: str | None = None
    # Only "\n" ends a TOML line; `splitlines()` would also split on U+2028, U+0085, \x0c … inside
    # strings and shift every line number after them.
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.removesuffix("\r")
        if in_string is None:
            header = _HEADER.match(raw)
            if header and not header.group(2).strip():
                header = None
            if header and header.group(1) == "[[" and header.group(3) == "]]":
                current = Block(number)
                _parent_list(lines, _norm(header.group(2)), lines.arrays).append(current)
                continue
            if header and header.group(1) == "[" and header.group(3) == "]":
                current = Block(number)
                name = _norm(header.group(2))
                parent, _, child = name.rpartition(".")
                if lines.arrays.get(parent):
                    lines.arrays[parent][-1].children[child] = [current]
                else:
                    lines.tables[name] = current
                continue
            key = _KEY.match(raw)
            if key:
                current.keys.setdefault(_key_name(key.group(1)), number)
        in_string = _toggle_multiline(raw, in_string)
    return lines


def _parent_list(lines: LineMap, name: str, arrays: dict[str, list[Block]]) -> list[Block]:
    """`[[drill.example]]` belongs to the last `[[drill]]`; `[[term]]` is top level."""
    parent, _, child = name.rpartition(".")
    if arrays.get(parent):
        return arrays[parent][-1].children.setdefault(child, [])
    return arrays.setdefault(name, [])


def _key_name(key: str) -> str:
    """The table key a line sets: `x.y = 1` sets `x`; `"\\u001b" = 1` sets the ESC character."""
    if key.startswith('"'):
        try:
            return next(iter(tomllib.loads(f"{key} = 0")))
        except (tomllib.TOMLDecodeError, StopIteration):
            return key.strip('"')
    if key.startswith("'"):
        return key.strip("'")
    return key.split(".", 1)[0]


def _norm(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))
