"""Lettered options for multiple choice: keys a–i pick directly, Enter picks the highlighted one,
Enter with nothing highlighted means "show me". Letters, because digits are grades: a double tap
on an option can never also grade the card."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.quiz.questions import OPTION_KEYS, Text, option_key
from quizapp.tui.widgets.wrapped import wrapped


class ChoiceList(OptionList):
    BINDINGS = [
        Binding("enter", "pick_highlighted", "Answer", show=False, id="choice-enter"),
        Binding(OPTION_KEYS[0], "pick(1)", "Pick", key_display=f"{OPTION_KEYS[0]}-{OPTION_KEYS[3]}",
                id=f"choice-{OPTION_KEYS[0]}"),
        *(Binding(key, f"pick({n})", f"Pick {key}", show=False, id=f"choice-{key}")
          for n, key in enumerate(OPTION_KEYS[1:], start=2)),
    ]

    class Picked(Message):
        """The learner answered: an option number (1-based), or None for "show me"."""

        def __init__(self, number: int | None) -> None:
            super().__init__()
            self.number = number

    def show(self, options: tuple[Text, ...], language: str, keep: bool = False) -> None:
        """List `options` in `language`, each wrapped under its text (not under its number);
        `keep` keeps the highlighted option (the language changed mid-question)."""
        highlighted = self.highlighted if keep else None
        self.clear_options()
        self.add_options(
            Option(wrapped(Content.assemble((f"{option_key(n)}. ", "bold $accent"),
                                            option.render(language).replace("\n", "\n   "))))
            for n, option in enumerate(options))
        self.highlighted = highlighted if highlighted is not None and highlighted < len(options) else None
        if self.highlighted is not None:
            self.scroll_to_highlight()

    def action_pick(self, number: int) -> None:
        if 1 <= number <= self.option_count:
            self.post_message(self.Picked(number))

    def action_pick_highlighted(self) -> None:
        number = None if self.highlighted is None else self.highlighted + 1
        self.post_message(self.Picked(number))
