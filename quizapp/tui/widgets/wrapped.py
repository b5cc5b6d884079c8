"""`Wrapped`: a `Content` that Textual lays out with quizapp's line breaking.

Textual wraps at spaces only, which breaks mixed Chinese / Latin text badly (see
`quizapp.quiz.linebreak`). A `Wrapped` behaves as the `Content` it was made from, except that when
Textual asks for its lines at a width it is broken there by UAX #14, each wrapped line indented
under the text of its first line; Textual's own wrapping then finds every line already fits.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from quizapp.quiz.linebreak import break_offsets, hanging_indent

__all__ = ["Wrapped", "wrapped"]


class Wrapped(Content):
    __slots__ = ()

    def broken(self, width: int) -> Content:
        """This content as lines of at most `width` cells (a plain `Content`)."""
        if width <= 0:
            return Content(self.plain, list(self.spans))
        out: list[Content] = []
        for line in Content(self.plain, list(self.spans)).split(allow_blank=True):
            hang = hanging_indent(line.plain)
            if hang >= width // 2:
                hang = 0
            offsets = break_offsets(line.plain, width, hang)
            if not offsets:
                out.append(line)
                continue
            for number, piece in enumerate(line.divide(offsets)):
                piece = piece.rstrip()
                if number:
                    lead = len(piece.plain) - len(piece.plain.lstrip(" "))
                    piece = Content(" " * hang) + piece[lead:]
                out.append(piece)
        return Content("\n").join(out)

    def _wrap_and_format(self, width: int, *args: Any, **kwargs: Any) -> Any:
        line_pad = kwargs.get("line_pad", 0)
        return self.broken(width - 2 * line_pad)._wrap_and_format(width, *args, **kwargs)

    def get_height(self, rules: Any, width: int) -> int:
        line_pad = rules.get("line_pad", 0) * 2
        return self.broken(width - line_pad).get_height(rules, width)


def wrapped(content: Content | str) -> Wrapped:
    """`content` (deck text enters as a plain string, never markup) broken by quizapp's rules."""
    if isinstance(content, str):
        return Wrapped(content)
    return Wrapped(content.plain, list(content.spans))
