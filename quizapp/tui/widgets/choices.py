"""Numbered options for multiple choice: keys 1–9 pick directly, Enter picks the highlighted one,
Enter with nothing highlighted means "show me"."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.quiz.questions import Text


class ChoiceList(OptionList):
    BINDINGS = [
        Binding("enter", "pick_highlighted", "Answer", show=False, id="choice-enter"),
        Binding("1", "pick(1)", "Pick", key_display="1-9", id="choice-1"),
        *(Binding(str(n), f"pick({n})", f"Pick {n}", show=False, id=f"choice-{n}")
          for n in range(2, 10)),
    ]

    class Picked(Message):
        """The learner answered: an option number (1-based), or None for "show me"."""

        def __init__(self, number: int | None) -> None:
            super().__init__()
            self.number = number

    def show(self, options: tuple[Text, ...], language: str) -> None:
        self.clear_options()
        self.add_options(
            Option(Content.assemble((f"{n}. ", "bold $accent"),
                                    option.render(language).replace("\n", "\n   ")))
            for n, option in enumerate(options, start=1))
        self.highlighted = None

    def action_pick(self, number: int) -> None:
        if 1 <= number <= self.option_count:
            self.post_message(self.Picked(number))

    def action_pick_highlighted(self) -> None:
        number = None if self.highlighted is None else self.highlighted + 1
        self.post_message(self.Picked(number))
