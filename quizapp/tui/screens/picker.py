"""A small modal to pick one category; returns its id (or None on Escape)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.session.overview import home_overview
from quizapp.tui.screens.base import BaseModal
from quizapp.tui.widgets.render import fit
from quizapp.tui.widgets.wrapped import wrapped


class CategoryPicker(BaseModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker-cancel")]

    def compose(self) -> ComposeResult:
        view = home_overview(self.qapp.ctx)
        t = self.t
        width = max(10, min(30, self.app.size.width - 44))
        options = []
        for cat in view.categories:
            options.append(Option(wrapped(Content.assemble(
                (fit(cat.name(self.qapp.language), width), "bold"),
                (" " + t("{due} due {new} new  {share} known", due=f"{cat.due:>3}", new=f"{cat.new:>3}",
                         share=f"{cat.mastery:>4.0%}"), "$text-muted"),
                ("  " + t("▼ weak") if cat.weak else "", "$error"))), id=cat.category))
        with Vertical(id="picker"):
            yield Static(wrapped(t("Practise one category · Enter picks · Escape cancels")),
                         id="picker-title")
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
