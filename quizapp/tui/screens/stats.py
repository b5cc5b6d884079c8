"""Statistics: categories and card kinds weakest first, which algorithm predicts you better,
recall today, reviews per day, the 30-day forecast, weak categories week by week, the study
calendar, leeches.

Numbers come from `quizapp.session.overview.stats_overview` (`quizapp.stats.report`) and
`quizapp.session.insights`: the same functions `quizapp stats` prints, so the two always agree.
"""

from __future__ import annotations

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from quizapp.session.insights import Insights, insights
from quizapp.session.overview import StatsOverview, stats_overview
from quizapp.stats import KIND_NAMES, GroupStats
from quizapp.tui.screens.base import BaseScreen
from quizapp.tui.widgets.charts import heatmap, model_rows, trend_rows
from quizapp.tui.widgets.render import category_name
from quizapp.tui.widgets.wrapped import wrapped

COLUMNS = ("Category", "Weak", "Reviews", "Acc.", "7 d", "30 d", "Lapses", "New/Lrn/Mat", "EF",
           "Leech")
# The columns that fit a screen width, narrowest first (positions in COLUMNS).
COLUMN_SETS = ((0, (0, 1, 3, 6)), (78, (0, 1, 2, 3, 5, 6, 8)), (118, tuple(range(len(COLUMNS)))))
HEADINGS = {"kinds": "Card kinds, weakest first", "per-day": "Answers per day, last 30 days",
            "models": "Which model knows you better?", "recall": "Probability of recall today (FSRS)",
            "forecast": "Reviews due, next 30 days", "trends": "Weakness per category, last 12 weeks",
            "heatmap": "Answers per day, last 26 weeks", "leeches": "Leeches (failed 8 times or more)"}


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
        Binding("l", "app.language", "Language", id="stats-language", show=False),
    ]
    columns: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(id="stats-head")
            yield DataTable(id="stats-table", cursor_type="none", zebra_stripes=True)
            yield Static(classes="stats-heading", id="heading-kinds")
            yield DataTable(id="stats-kinds", cursor_type="none", zebra_stripes=True)
            yield Static(classes="stats-heading", id="heading-per-day")
            yield Sparkline([], id="stats-per-day", classes="stats-spark")
            yield Static(id="per-day-numbers")
            yield Static(classes="stats-heading", id="heading-models")
            yield Static(id="stats-models")
            yield Static(classes="stats-heading", id="heading-recall")
            yield Static(id="stats-recall")
            yield Static(classes="stats-heading", id="heading-forecast")
            yield Sparkline([], id="stats-forecast", classes="stats-spark")
            yield Static(id="forecast-numbers")
            yield Static(classes="stats-heading", id="heading-trends")
            yield Static(id="stats-trends")
            yield Static(classes="stats-heading", id="heading-heatmap")
            yield Static(id="stats-heatmap")
            yield Static(classes="stats-heading", id="heading-leeches")
            yield Static(id="stats-leeches")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#stats").focus()

    def relabel(self) -> None:
        self.sub_title = self.t("Statistics")
        for key, heading in HEADINGS.items():
            self.query_one(f"#heading-{key}", Static).update(self.t(heading))
        self.columns = ()
        self.set_columns(self.size.width)
        self.action_reload()

    def set_columns(self, width: int) -> bool:
        """Only the columns that fit `width`; True if the set changed (the tables were emptied)."""
        wanted = next(cols for least, cols in reversed(COLUMN_SETS) if width >= least)
        if wanted == self.columns:
            return False
        self.columns = wanted
        for table in self.query(DataTable):
            table.clear(columns=True)
            for index in wanted:
                label = COLUMNS[index]
                if label == "Category" and table.id == "stats-kinds":
                    label = "Kind"
                table.add_column(self.t(label), key=COLUMNS[index].lower())
        return True

    def on_resize(self) -> None:
        if self.columns and self.set_columns(self.size.width):
            self.action_reload()

    def action_reload(self) -> None:
        self.show(stats_overview(self.qapp.ctx))
        self.show_insights(insights(self.qapp.ctx))

    def show_insights(self, more: Insights) -> None:
        t = self.t
        self.query_one("#stats-models", Static).update(wrapped(model_rows(more.comparison, t)))
        recall = self.query_one("#stats-recall", Static)
        if more.recalls:
            lowest = [Content.assemble((f"{c.recall:>4.0%}  ", "$warning"), more.titles[c.card_id])
                      for c in more.recalls[:3]]
            recall.update(wrapped(Content("\n").join([Content.assemble(
                t("mean") + " ", (f"{more.mean_recall:.0%}", "bold $accent"),
                (" " + t.n("over {n} studied card; lowest:", "over {n} studied cards; lowest:",
                           len(more.recalls)), "$text-muted")), *lowest])))
        else:
            recall.update(Content.assemble((t("no studied cards yet"), "$text-muted")))
        self.query_one("#stats-forecast", Sparkline).data = list(more.forecast)
        self.query_one("#forecast-numbers", Static).update(wrapped(Content.assemble(
            (t("today") + " ", "$text-muted"), str(more.forecast[0]),
            ("  ·  " + t("tomorrow") + " ", "$text-muted"), str(more.forecast[1]),
            ("  ·  " + t("next 7 days") + " ", "$text-muted"), str(sum(more.forecast[:7])),
            ("  ·  " + t("30 days") + " ", "$text-muted"), str(sum(more.forecast)))))
        self.query_one("#stats-trends", Static).update(
            trend_rows(more.trends, t, width=max(10, min(26, self.size.width - 40)),
                       names={c.id: self.category_label(c.id) for c in self.qapp.ctx.deck.categories}))
        self.query_one("#stats-heatmap", Static).update(
            heatmap(more.calendar_start, more.calendar, t, limit=max(8, (self.size.width - 12) // 2)))

    def show(self, view: StatsOverview) -> None:
        report = view.report
        assert report is not None
        t = self.t
        self.query_one("#stats-head", Static).update(wrapped(Content.assemble(
            (f"{view.total_answers}", "bold $accent"), " " + t("answers in total") + "   ",
            (f"{report.total_reviews}", "bold $accent"), " " + t("reviews") + "   ",
            (percent(report.prior_accuracy), "bold $accent"), " " + t("recent accuracy") + "   ",
            (f"{view.streak}", "bold $accent"), " " + t("day streak") + "\n",
            (t("Weakest first. Weak = 1 − accuracy, recent reviews count more, few reviews are "
               "pulled towards your average (how: see the README). Accuracy counts "
               "each card's first answer of a day; answers also count re-drills."), "$text-muted"))))
        for table_id, groups in (("#stats-table", report.categories),
                                 ("#stats-kinds", report.kinds)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for group in groups:
                cells = (self.category_label(group.key) if table_id == "#stats-table" else
                         self.t(KIND_NAMES.get(group.key, group.name)), *row(group)[1:])
                table.add_row(*(RichText(cells[i]) if i == 0 else cells[i] for i in self.columns),
                              key=group.key)
        self.query_one("#stats-per-day", Sparkline).data = list(view.reviews_per_day)
        self.query_one("#per-day-numbers", Static).update(wrapped(Content.assemble(
            (t("today") + " ", "$text-muted"), str(view.reviews_per_day[-1]),
            ("  ·  " + t("last 7 days") + " ", "$text-muted"), str(sum(view.reviews_per_day[-7:])),
            ("  ·  " + t("last 30 days") + " ", "$text-muted"), str(sum(view.reviews_per_day)))))
        leeches = self.query_one("#stats-leeches", Static)
        if view.leeches:
            leeches.update(wrapped(Content("\n").join(
                Content.assemble((t.n("{n} lapse", "{n} lapses", leech.lapses).rjust(10) + "  ", "$error"),
                                 leech.title, (f"  ({self.category_label(leech.category)})", "$text-muted"))
                for leech in view.leeches)))
        else:
            leeches.update(Content.assemble((t("none — nothing keeps slipping"), "$text-muted")))

    def category_label(self, category: str) -> str:
        """A category's name in the learner's language (short: one language)."""
        return category_name(self.qapp.ctx.deck.category(category), self.qapp.language, short=True)

    def action_back(self) -> None:
        self.app.pop_screen()
