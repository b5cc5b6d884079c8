"""Help: every key on every screen (help.md, beside this package)."""

from __future__ import annotations

from importlib.resources import files

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from quizapp.tui.screens.base import BaseModal


def help_text(language: str = "en") -> str:
    """The help page in the interface language (help.md, help.zh.md: one page per language, the
    catalogue's equivalent for a whole page)."""
    name = "help.zh.md" if language == "zh" else "help.md"
    return files("quizapp.tui").joinpath(name).read_text(encoding="utf-8")


class HelpScreen(BaseModal[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help-close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_text(self.t.language))

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
