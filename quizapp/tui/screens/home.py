"""Home: today's numbers and what Enter starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start today's session", id="start"),
        Binding("q", "app.quit", "Quit", id="quit-home"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="today")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.refresh_numbers()

    def on_mount(self) -> None:
        self.refresh_numbers()

    def refresh_numbers(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        ctx = app.ctx
        today = ctx.today()
        counts = ctx.store.due_counts(today)
        new_done, reviews_done = ctx.store.done_today(today)
        limits = ctx.settings.limits
        due = min(sum(d for d, _ in counts.values()), max(0, limits.reviews_per_day - reviews_done))
        new = min(sum(n for _, n in counts.values()), max(0, limits.new_per_day - new_done))
        self.query_one("#today", Static).update(
            f"quizapp · {ctx.deck.name_en} / {ctx.deck.name_zh}\n\n"
            f"Study day {today.isoformat()}\n"
            f"Due reviews: {due}\nNew cards: {new}\n\n"
            + ("Press Enter to start today's session." if due + new else "Nothing due today.")
        )

    def action_start(self) -> None:
        from quizapp.session.quiz import QuizSession
        from quizapp.tui.screens.quiz import QuizScreen

        app: QuizApp = self.app  # type: ignore[assignment]
        session = QuizSession.today(app.ctx)
        if not session.finished:
            self.app.push_screen(QuizScreen(session))
