"""A small modal to pick one category; returns its id (or None on Escape)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.session.overview import home_overview
from quizapp.tui.widgets.render import fit

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class CategoryPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker-cancel")]

    def compose(self) -> ComposeResult:
        app: QuizApp = self.app  # type: ignore[assignment]
        ctx = app.ctx
        counts = ctx.store.due_counts(ctx.today())
        view = home_overview(ctx)
        options = []
        for cat in view.categories:
            due, new = counts.get(cat.category, (0, 0))
            options.append(Option(Content.assemble(
                (fit(cat.name(app.language), 30), "bold"),
                (f" {due:>3} due {new:>3} new  {cat.mastery:>4.0%} known", "$text-muted"),
                ("  ▼ weak" if cat.weak else "", "$error")), id=cat.category))
        with Vertical(id="picker"):
            yield Static("Practise one category · Enter picks · Escape cancels", id="picker-title")
            yield OptionList(*options, id="picker-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
