"""The hostile deck corpus: every file in `decks/` is broken on purpose.

A text deck states what the loader must say about it in its first lines:

    # expect: 12: unknown category 'metrix'
    # expect: -: folder contains no .toml deck files     (a problem without a line)

Files that cannot carry a comment (binary, empty, UTF-16) have their expectations in `SIDECAR`.
"""

from __future__ import annotations

import re
from pathlib import Path

DECKS = Path(__file__).resolve().parent / "decks"
_EXPECT = re.compile(r"^# expect: (\d+|-): (.+)$")

SIDECAR: dict[str, list[tuple[int, str]]] = {
    "empty_file.toml": [(1, "no [deck] table found"), (1, "no categories defined")],
    "binary_junk.toml": [(1, "not valid UTF-8 (byte 0x89)")],
    "utf16_file.toml": [(1, "not valid UTF-8 (byte 0xff)")],
    "gzip_file.toml": [(1, "not valid UTF-8 (byte 0x8b)")],
}


def corpus() -> list[Path]:
    return sorted(DECKS.glob("*.toml"))


def expectations(path: Path) -> list[tuple[int, str]]:
    """(line, substring) pairs; line 0 means the problem names no line."""
    if path.name in SIDECAR:
        return SIDECAR[path.name]
    found = []
    text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    for line in text.replace("\r\n", "\n").split("\n"):
        match = _EXPECT.match(line)
        if not match:
            break
        found.append((0 if match[1] == "-" else int(match[1]), match[2]))
    return found


def unmet(path: Path, output: str, shown_as: str | None = None) -> list[str]:
    """Expectations of `path` that no line of `output` meets (`shown_as`: the path as printed)."""
    name = shown_as or str(path)
    lines = output.splitlines()
    missing = []
    for line, substring in expectations(path):
        prefix = f"{name}:{line}: " if line else f"{name}: "
        if not any(out.startswith(prefix) and substring in out[len(prefix):] for out in lines):
            missing.append(f"{prefix}…{substring}…")
    return missing
