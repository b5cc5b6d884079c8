"""Summary after a session: what was done, how well, what comes tomorrow, what to drill."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from quizapp.session.quiz import QuizSession
from quizapp.tui.screens.base import BaseScreen
from quizapp.tui.widgets.render import bar, fit


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


class SummaryScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="summary-home"),
        Binding("w", "drill", "Drill weakest", id="summary-drill"),
        Binding("u,ctrl+z", "undo", "Undo last", id="summary-undo"),
    ]

    def __init__(self, session: QuizSession):
        super().__init__()
        self.session = session
        self.summary = session.summary()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(self._numbers(), id="summary-numbers")
            yield Static(self._categories(), id="summary-categories")
            yield Static(self._next(), id="summary-next")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.title} · done"

    def _numbers(self) -> Content:
        s = self.summary
        finished = "Session complete" if self.session.finished else "Session paused"
        return Content.assemble(
            (finished, "bold"), ("  everything you graded is saved\n\n", "$text-muted"),
            (f"{s.answered:>5}", "bold $accent"), " cards done      ",
            (f"{s.accuracy:>5.0%}", "bold $accent"), " right first time\n",
            (f"{duration(s.seconds):>5}", "bold $accent"), " spent      ",
            (f"{s.due_tomorrow:>5}", "bold $accent"), " due tomorrow",
        )

    def _categories(self) -> Content:
        rows = [Content.assemble(("By category", "bold"))]
        deck = self.qapp.ctx.deck
        for result in self.summary.categories:
            share = result.correct / result.answered if result.answered else 0.0
            name = deck.category(result.category).en
            rows.append(Content.assemble(
                "  " + fit(name, 24) + " ", bar(share, style="$success" if share >= 0.8 else "$warning"),
                f" {result.correct}/{result.answered} right"))
        return Content("\n").join(rows)

    def _next(self) -> Content:
        weakest = self.summary.weakest
        if weakest is None:
            return Content.assemble(("No mistakes this time. ", "bold $success"),
                                    ("Enter", "bold $accent"), " back home")
        name = self.qapp.ctx.deck.category(weakest).en
        return Content.assemble(("Weakest: ", "bold"), (name, "bold $error"), "   ",
                                ("w", "bold $accent"), " drill it   ",
                                ("Enter", "bold $accent"), " back home")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drill":
            return self.summary.weakest is not None
        if action == "undo":
            return bool(self.session.history)
        return True

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_drill(self) -> None:
        if self.summary.weakest is None:
            return
        self.app.pop_screen()
        self.qapp.start_drill(self.summary.weakest)

    def action_undo(self) -> None:
        if self.session.undo() is not None:
            self.qapp.resume_session(self.session)
