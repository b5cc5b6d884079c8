"""The interface's words in English and 中文: one message catalogue, and which language to show.

Every interface string (labels, footers, headings, notices, plain-mode lines, help) is written in
English at its call site as ``t("…")`` and looked up here; `quizapp.i18n.zh` holds the Chinese
catalogue. A test reads every ``t("…")`` / ``t.n("…", "…", n)`` call in the package and fails
when one has no translation, so a new English string cannot slip into the Chinese interface.

Why a Python catalogue rather than gettext .mo files: it ships inside the wheel as ordinary
source (nothing to compile at build time, nothing to lose in packaging) and is still one place
per language, keyed by the English text the way gettext is.

Deck text (terms, definitions, options) is not interface text: it carries its own two languages
(`quizapp.quiz.bilingual.Text`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["Translator", "interface_language", "locale_language", "translator"]

INTERFACE_LANGUAGES = ("en", "zh")


def locale_language(env: Mapping[str, str] | None = None) -> str | None:
    """"zh" or "en" from the locale variables, in gettext's order (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG); None when no locale names a language (C, POSIX, unset)."""
    env = os.environ if env is None else env
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if not value:
            continue
        first = value.split(":")[0].split(".")[0].lower()
        if first in ("c", "posix", ""):
            continue
        return "zh" if first.startswith("zh") else "en"
    return None


def default_language(env: Mapping[str, str] | None = None) -> str:
    """The language setting of a database that never chose one: 中文 under a Chinese locale,
    otherwise both languages for the deck (with an English interface)."""
    return "zh" if locale_language(env) == "zh" else "both"


def interface_language(setting: str, env: Mapping[str, str] | None = None) -> str:
    """The interface's language for a language setting (en / zh / both): "both" is about the
    deck's text, so its interface follows the locale."""
    if setting in INTERFACE_LANGUAGES:
        return setting
    return "zh" if locale_language(env) == "zh" else "en"


class Translator:
    """``t("Today")`` → the text in this translator's language; ``{name}`` fields are filled
    from keywords after the lookup, so the catalogue keeps the placeholders."""

    def __init__(self, language: str) -> None:
        from quizapp.i18n.zh import MESSAGES

        self.language = language
        self._messages: Mapping[str, str] = MESSAGES if language == "zh" else {}

    def __call__(self, message: str, /, **fields: object) -> str:
        text = self._messages.get(message, message)
        return text.format(**fields) if fields else text

    def n(self, singular: str, plural: str, count: int, /, **fields: object) -> str:
        """A message that depends on a count (`{n}` is filled with it); Chinese has one form,
        catalogued under the singular."""
        english = singular if count == 1 else plural
        text = self._messages.get(singular, singular) if self.language == "zh" else english
        return text.format(n=count, **fields)


_CACHE: dict[str, Translator] = {}


def translator(setting: str, env: Mapping[str, str] | None = None) -> Translator:
    """The translator for a language setting (en / zh / both)."""
    language = interface_language(setting, env)
    if language not in _CACHE:
        _CACHE[language] = Translator(language)
    return _CACHE[language]
