"""Deck text and typed answers → text safe to show on a terminal.

Deck text is data: `[bold]` and `[link=…]` are shown as written (the views never parse markup),
and right-to-left text (Arabic, Hebrew, U+202E and the other bidi controls) is kept, since it is
text a deck may legitimately contain. What a terminal would *obey* is not kept: ESC (and with it
every ANSI/OSC sequence such as ``\\x1b[31m`` or ``\\x1b]8;;…``), the other C0 controls, DEL and
the C1 controls (U+0080–U+009F, which some terminals read as CSI/OSC). Each becomes a visible
stand-in — the Unicode "control picture" (␛ for ESC, ␀ for NUL, ␍ for a lone CR, ␡ for DEL) or
U+FFFD for a C1 control — so a learner sees that something odd is in the deck instead of a
restyled or cleared screen. Newlines and tabs stay; CR LF becomes LF.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def printable(text: str) -> str:
    """`text` with every character a terminal would act on replaced by a visible stand-in."""
    return _UNSAFE.sub(_picture, text.replace("\r\n", "\n"))


UNSAFE_CODES = tuple(c for c in (*range(0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
                     if _UNSAFE.match(chr(c)))
"""Code points `printable` replaces (for views that filter text through a translate table)."""
