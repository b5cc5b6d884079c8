"""The full-screen app. A thin view: screens render what the session says and send it actions."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App
from textual.binding import Binding

from quizapp.session.context import AppContext
from quizapp.tui.screens.home import HomeScreen


class QuizApp(App[None]):
    TITLE = "quizapp"
    CSS_PATH = "quizapp.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    def __init__(self, ctx: AppContext, categories: Sequence[str] | None = None,
                 cards: Sequence[str] | None = None):
        super().__init__()
        self.ctx = ctx
        self.start_categories = list(categories or [])
        self.start_cards = list(cards or [])

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())


def run_tui(ctx: AppContext, categories: Sequence[str] | None = None,
            cards: Sequence[str] | None = None) -> int:
    QuizApp(ctx, categories, cards).run()
    return 0
