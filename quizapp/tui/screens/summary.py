"""Summary after a session: what was done, how well, what comes tomorrow, what to drill."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from quizapp.i18n import Translator
from quizapp.session.quiz import QuizSession
from quizapp.tui.screens.base import BaseScreen
from quizapp.tui.widgets.render import bar, category_name, fit
from quizapp.tui.widgets.wrapped import wrapped


def duration(seconds: float, t: Translator | None = None) -> str:
    t = t or Translator("en")
    minutes, secs = divmod(round(seconds), 60)
    return t("{m} min {s} s", m=minutes, s=f"{secs:02d}") if minutes else t("{s} s", s=secs)


class SummaryScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="summary-home"),
        Binding("w", "drill", "Drill weakest", id="summary-drill"),
        Binding("u,ctrl+z", "undo", "Undo", id="summary-undo"),
        Binding("l", "app.language", "Language", id="summary-language", show=False),
    ]

    def __init__(self, session: QuizSession):
        super().__init__()
        self.session = session
        self.summary = session.summary()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(id="summary-numbers")
            yield Static(id="summary-change")
            yield Static(id="summary-categories")
            yield Static(id="summary-next")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        t = self.t
        first, _, rest = self.session.title.partition(" · ")
        self.sub_title = " · ".join([t(first), *([rest] if rest else []), t("done")])
        self.query_one("#summary-numbers", Static).update(wrapped(self._numbers()))
        change = self.query_one("#summary-change", Static)
        change.display = self.summary.change is not None
        if self.summary.change is not None:
            name = self._category_name(self.summary.change.category)
            change.update(wrapped(Content.assemble((t("What changed") + "  ", "bold"),
                                                   self.summary.change.line(name, t))))
        self.query_one("#summary-categories", Static).update(self._categories())
        self.query_one("#summary-next", Static).update(wrapped(self._next()))

    def _category_name(self, category: str) -> str:
        return category_name(self.qapp.ctx.deck.category(category), self.qapp.language, short=True)

    def _numbers(self) -> Content:
        s, t = self.summary, self.t
        finished = t("Session complete") if self.session.finished else t("Session paused")
        return Content.assemble(
            (finished, "bold"), ("  " + t("everything you graded is saved"), "$text-muted"),
            ("\n" + t("Today so far:"), "$text-muted"), "\n",
            (f"{s.answered:>5}", "bold $accent"), " " + t.n("card done", "cards done", s.answered) + "   ",
            (f"{s.accuracy:>5.0%}", "bold $accent"), " " + t("right first time") + "\n",
            (f"{duration(s.seconds, t):>5}", "bold $accent"), " " + t("spent") + "   ",
            (f"{s.due_tomorrow:>5}", "bold $accent"), " " + t("due tomorrow"),
        )

    def _categories(self) -> Content:
        t = self.t
        rows = [Content.assemble((t("By category"), "bold"))]
        width = min(24, max((cell_len(self._category_name(r.category)) for r in self.summary.categories),
                            default=8))
        for result in self.summary.categories:
            share = result.correct / result.answered if result.answered else 0.0
            rows.append(Content.assemble(
                "  " + fit(self._category_name(result.category), width) + " ",
                bar(share, width=12, style="$success" if share >= 0.8 else "$warning"),
                " " + t("{right}/{n} right", right=result.correct, n=result.answered)))
        return Content("\n").join(rows)

    def _next(self) -> Content:
        t = self.t
        weakest = self.summary.weakest
        if weakest is None:
            return Content.assemble((t("No mistakes today.") + " ", "bold $success"),
                                    ("Enter", "bold $accent"), " " + t("back home"))
        return Content.assemble((t("Weakest:") + " ", "bold"), (self._category_name(weakest), "bold $error"),
                                "   ", ("w", "bold $accent"), " " + t("drill it") + "   ",
                                ("Enter", "bold $accent"), " " + t("back home"))

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
