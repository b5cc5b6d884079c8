"""Deck text must not steer the terminal in the full-screen app either.

Textual (`Content`) and Rich (`Text`) delete BEL, BS, VT, FF and CR from any text they show, but
pass ESC and the other controls straight to the terminal — so ``\\x1b[2J`` or an OSC 8 link in a
deck would clear the screen or plant a hyperlink. Both libraries filter through one module-level
translate table; `install()` adds the remaining controls to those tables, mapped to the same
visible stand-ins `quizapp.quiz.text.printable` uses in plain mode (␛, ␀, ␡, U+FFFD). This covers
every widget at once — prompt, options, verdict, browse, stats, titles, typed input — including
text added later. Markup is never parsed from deck text (it enters as plain `Content`), so
``[bold]`` shows literally. tests/hostile/test_injection.py checks the rendered screen.
"""

from __future__ import annotations

from quizapp.quiz.text import UNSAFE_CODES, printable

_TABLES = (("textual.content", "_CONTROL_STRIP_TRANSLATE"), ("rich.control", "_CONTROL_STRIP_TRANSLATE"))


def install() -> bool:
    """Extend the tables (idempotent); False if a library no longer has its table."""
    import importlib

    found = True
    for module_name, attribute in _TABLES:
        table = getattr(importlib.import_module(module_name), attribute, None)
        if not isinstance(table, dict):
            found = False
            continue
        for code in UNSAFE_CODES:
            table.setdefault(code, printable(chr(code)))  # keep the libraries' own deletions
    return found
