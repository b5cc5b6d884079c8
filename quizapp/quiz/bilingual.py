"""`Text`: the same words in English and Chinese, and how a language setting picks between them.

Its own module because questions and drills both build it (and drills must not import questions).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Text"]


@dataclass(frozen=True)
class Text:
    """The same words in English and Chinese."""

    en: str
    zh: str = ""

    def render(self, language: str) -> str:
        zh = self.zh or self.en
        if language == "zh":
            return zh
        if language == "both" and zh != self.en:
            return f"{self.en}\n{zh}"
        return self.en
