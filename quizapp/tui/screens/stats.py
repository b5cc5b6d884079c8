"""Statistics: per-category accuracy and retention, reviews per day, due forecast, leeches.

Numbers come from `quizapp.session.overview.stats_overview` (plain Python, no Textual).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from quizapp.session.overview import StatsOverview, stats_overview

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


class StatsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="stats-back"),
        Binding("r", "reload", "Refresh", id="stats-refresh"),
    ]

    @property
    def qapp(self) -> QuizApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-head")
            yield DataTable(id="stats-table", cursor_type="none", zebra_stripes=True)
            yield Static("Reviews per day, last 30 days", classes="stats-heading", id="per-day-title")
            yield Sparkline([], id="stats-per-day", classes="stats-spark")
            yield Static(id="per-day-numbers")
            yield Static("Due in the next 14 days", classes="stats-heading")
            yield Sparkline([], id="stats-forecast", classes="stats-spark")
            yield Static(id="forecast-numbers")
            yield Static("Leeches (failed 8 times or more)", classes="stats-heading")
            yield Static(id="stats-leeches")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        table = self.query_one(DataTable)
        for label in ("Category", "Cards", "Mature", "Answers", "Acc.", "Retain", "Leech"):
            table.add_column(label, key=label.lower())
        self.action_reload()
        self.query_one("#stats").focus()

    def action_reload(self) -> None:
        self.show(stats_overview(self.qapp.ctx))

    def show(self, view: StatsOverview) -> None:
        self.query_one("#stats-head", Static).update(Content.assemble(
            (f"{view.total_answers}", "bold $accent"), " answers in total   ",
            (f"{view.streak}", "bold $accent"), " day streak   ",
            ("retention = share of reviews of already-learned cards graded 3 or more",
             "$text-muted")))
        table = self.query_one(DataTable)
        table.clear()
        for c in view.categories:
            table.add_row(RichText(c.name_en), str(c.cards), str(c.mature), str(c.answers),
                          percent(c.accuracy), percent(c.retention), str(c.leeches))
        self.query_one("#stats-per-day", Sparkline).data = list(view.reviews_per_day)
        self.query_one("#per-day-numbers", Static).update(Content.assemble(
            ("today ", "$text-muted"), str(view.reviews_per_day[-1]),
            ("  ·  last 7 days ", "$text-muted"), str(sum(view.reviews_per_day[-7:])),
            ("  ·  last 30 days ", "$text-muted"), str(sum(view.reviews_per_day))))
        self.query_one("#stats-forecast", Sparkline).data = list(view.forecast)
        self.query_one("#forecast-numbers", Static).update(Content.assemble(
            ("today→ ", "$text-muted"), " ".join(str(n) for n in view.forecast)))
        leeches = self.query_one("#stats-leeches", Static)
        if view.leeches:
            leeches.update(Content("\n").join(
                Content.assemble((f"{leech.lapses:>3} lapses  ", "$error"), leech.title,
                                 (f"  ({leech.category})", "$text-muted"))
                for leech in view.leeches))
        else:
            leeches.update(Content.assemble(("none — nothing keeps slipping", "$text-muted")))

    def action_back(self) -> None:
        self.app.pop_screen()
