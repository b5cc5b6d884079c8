"""Plain deck text → the HTML of one Anki field (no genanki, no database).

Every field is HTML: plain text goes through `html.escape`, and the only markup added is our own
(`<br>`, lists, a few `<span class>`). Braces are escaped too, so `{{…}}` in a term can never become
template syntax.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from collections.abc import Iterable, Sequence

LETTERS = "ABCDEFGHIJ"  # option letters; a choice item has at most 6 options


def escape(text: str) -> str:
    """Plain text → HTML that Anki shows literally (also `{{`, `}}` and quotes)."""
    out = html.escape(text.strip(), quote=True)
    out = out.replace("{", "&#123;").replace("}", "&#125;")
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def bullet_list(items: Iterable[str]) -> str:
    items = [i for i in items if i.strip()]
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else ""


def option_text(en: str, zh: str = "") -> str:
    """One option; a Chinese wording that differs from the English one follows it."""
    if zh.strip() and zh.strip() != en.strip():
        return f'{escape(en)}<span class="qz-opt-zh"> · {escape(zh)}</span>'
    return escape(en)


def option_list(options: Sequence[str]) -> str:
    """Options already rendered with `option_text`, lettered A, B, C … by the list itself."""
    return '<ol type="A">' + "".join(f"<li>{o}</li>" for o in options) + "</ol>"


def shuffled_order(seed: str, count: int) -> list[int]:
    """A fixed permutation of `range(count)` for one note: the same seed always gives the same
    order, so re-exports never reshuffle, and the seed (the note's id) is all it depends on."""
    order = list(range(count))
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))
    rng.shuffle(order)
    return order


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def masked(name: str) -> str:
    """A hint that gives the shape, not the answer: each word keeps its first character and the
    rest become `_` (`MFU` → `M__`, `KV cache` → `K_ c____`, `张量并行` → `张___`)."""
    return _WORD.sub(lambda m: m.group(0)[0] + "_" * (len(m.group(0)) - 1), name.strip())


_WS = re.compile(r"\s+", re.UNICODE)


def tag(text: str) -> str:
    """A tag Anki keeps as one tag: any whitespace (also U+3000) → `_`, no empty `::` parts."""
    parts = [_WS.sub("_", p.strip()) for p in text.split("::")]
    return "::".join(p for p in parts if p) or "_"
