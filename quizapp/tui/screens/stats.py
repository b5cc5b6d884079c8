"""Statistics: categories and card kinds weakest first, reviews per day, due forecast, leeches.

Numbers come from `quizapp.session.overview.stats_overview`, i.e. `quizapp.stats.report`: the
same function `quizapp stats` prints, so the two always agree.
"""

from __future__ import annotations

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from quizapp.session.overview import StatsOverview, stats_overview
from quizapp.stats import GroupStats
from quizapp.tui.screens.base import BaseScreen

COLUMNS = ("Category", "Weak", "Reviews", "Acc.", "7 d", "30 d", "Lapses", "New/Lrn/Mat", "EF",
           "Leech")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def row(group: GroupStats) -> tuple[str, ...]:
    """One table row: what the statistics screen shows for a category or card kind."""
    return (group.name, number(group.weakness), str(group.reviews), percent(group.accuracy),
            percent(group.accuracy_7), percent(group.accuracy_30), str(group.lapses),
            f"{group.new}/{group.learning}/{group.mature}", number(group.mean_easiness),
            str(group.leeches))


class StatsScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="stats-back"),
        Binding("r", "reload", "Refresh", id="stats-refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-head")
            yield DataTable(id="stats-table", cursor_type="none", zebra_stripes=True)
            yield Static("Card kinds, weakest first", classes="stats-heading")
            yield DataTable(id="stats-kinds", cursor_type="none", zebra_stripes=True)
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
        for table in self.query(DataTable):
            for label in COLUMNS:
                table.add_column("Kind" if label == "Category" and table.id == "stats-kinds"
                                 else label, key=label.lower())
        self.action_reload()
        self.query_one("#stats").focus()

    def action_reload(self) -> None:
        self.show(stats_overview(self.qapp.ctx))

    def show(self, view: StatsOverview) -> None:
        report = view.report
        assert report is not None
        self.query_one("#stats-head", Static).update(Content.assemble(
            (f"{view.total_answers}", "bold $accent"), " answers in total   ",
            (f"{report.total_reviews}", "bold $accent"), " reviews   ",
            (percent(report.prior_accuracy), "bold $accent"), " recent accuracy   ",
            (f"{view.streak}", "bold $accent"), " day streak\n",
            ("Weakest first. Weak = 1 − accuracy, recent reviews count more, few reviews are "
             "pulled towards your average (README: Weak categories). Accuracy counts each card's "
             "first answer of a day.", "$text-muted")))
        for table_id, groups in (("#stats-table", report.categories),
                                 ("#stats-kinds", report.kinds)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for group in groups:
                name, *numbers = row(group)
                table.add_row(RichText(name), *numbers, key=group.key)
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
