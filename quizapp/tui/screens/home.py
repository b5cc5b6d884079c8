"""Home: today's numbers, streak, mastery per category, and what Enter starts."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from quizapp.session.overview import HomeOverview, home_overview
from quizapp.tui.screens.base import BaseScreen
from quizapp.tui.widgets.render import BAR_WIDTH, LANGUAGE_NAMES, bar, category_name, fit


class HomeScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start", id="home-start"),
        Binding("w", "weakest", "Weakest", id="home-weakest"),
        Binding("c", "pick_category", "Category", id="home-category"),
        Binding("b", "browse", "Browse", id="home-browse"),
        Binding("t", "stats", "Stats", id="home-stats"),
        Binding("l", "app.language", "Language", id="home-language", show=False),
        Binding("s", "settings", "Settings", id="home-settings"),
        Binding("q", "app.quit", "Quit", id="home-quit", show=False),
    ]

    overview: HomeOverview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="today")
            yield Static(id="mastery")
            yield Static(id="next")
        yield Footer(show_command_palette=False)

    def on_screen_resume(self) -> None:
        # Textual sends ScreenResume on the first push too, so this is the one place the numbers
        # are computed: once at start, then each time a session (or any other screen) is closed.
        # Skipped while another screen is already on top (`quizapp quiz --card …` starts straight
        # into a session): the numbers are computed when that screen is popped.
        if self.app.screen is self:
            self.refresh_numbers()

    def refresh_numbers(self) -> None:
        ctx = self.qapp.ctx
        lang = self.qapp.language
        t = self.t
        self.overview = view = home_overview(ctx)
        deck = ctx.deck
        self.sub_title = deck.name_zh if lang == "zh" else deck.name_en
        streak = t.n("{n} day", "{n} days", view.streak)
        self.query_one("#today", Static).update(Content.assemble(
            (t("Today") + " ", "bold"), (view.study_day.isoformat(), "$text-muted"),
            ("   " + t("streak") + " ", "$text-muted"), (streak, "bold $warning" if view.streak else ""),
            ("" if view.studied_today or not view.streak else " " + t("(study today to keep it)"),
             "$text-muted"),
            "\n",
            (f"{view.due:>4}", "bold $accent"), " " + t.n("due review", "due reviews", view.due) + "   ",
            (f"{view.new:>4}", "bold $accent"), " " + t.n("new card", "new cards", view.new) + "   ",
            (f"{view.redrills:>4}", "bold $accent"),
            " " + t.n("re-drill left", "re-drills left", view.redrills),
            ("\n" + t("Language: {name}", name=LANGUAGE_NAMES.get(lang, lang)), "$text-muted"),
            ("" if view.learner is None else "   " + t("Learner: {name}", name=view.learner),
             "$text-muted"),
        ))
        self.query_one("#mastery", Static).update(self._mastery(view, lang))
        self.query_one("#next", Static).update(self._next(view))

    def _mastery(self, view: HomeOverview, lang: str) -> Content:
        t = self.t
        rows: list[Content] = [Content.assemble(
            (t("Mastery"), "bold"),
            ("  " + t("known now (last review passed) · ★ mature (interval ≥ 21 d)"), "$text-muted"))]
        stats = [f"{cat.known}/{cat.cards} ★{cat.mature}"
                 + ("" if cat.accuracy is None else "  " + t("acc {share}", share=f"{cat.accuracy:.0%}"))
                 for cat in view.categories]
        # Fit the row to the screen: the name keeps its full width while it can, the bar shrinks.
        room = max(self.size.width, 40) - 4 - 2  # padding, scroll bar
        fixed = 7 + 1 + 7 + max((cell_len(x) for x in stats), default=0)
        longest = max((cell_len(c.name(lang)) for c in view.categories), default=8)
        width = max(8, min(longest, room - fixed - 4))
        bar_width = max(4, min(BAR_WIDTH, room - fixed - width))
        for cat, numbers in zip(view.categories, stats, strict=True):
            rows.append(Content.assemble(
                (t("▼ weak") + " " if cat.weak else " " * (cell_len(t("▼ weak")) + 1), "bold $error"),
                (f"{fit(cat.name(lang), width)} ", "bold" if cat.weak else ""),
                bar(cat.mastery, width=bar_width, style="$error" if cat.weak else "$success"),
                f" {cat.mastery:>4.0%} ",
                (numbers, "$text-muted"),
            ))
        return Content("\n").join(rows)

    def _next(self, view: HomeOverview) -> Content:
        t = self.t
        if view.total:
            parts = [t("{n} due", n=view.due), t("{n} new", n=view.new)]
            if view.redrills:
                parts.append(t.n("{n} re-drill", "{n} re-drills", view.redrills))
            line = Content.assemble(("Enter ▸ ", "bold $accent"),
                                    (t.n("today's session: {n} card", "today's session: {n} cards",
                                         view.total), "bold"),
                                    (f" ({' · '.join(parts)})", "$text-muted"))
        else:
            line = Content.assemble(("Enter ▸ ", "bold $accent"),
                                    (t("nothing due today — well done."), "bold"))
        weakest = view.weakest[0] if view.weakest else None
        name = category_name(self.qapp.ctx.deck.category(weakest), self.qapp.language, short=True) \
            if weakest else ""
        tips = Content.assemble(
            ("w", "bold $accent"),
            (" " + t("drill weakest ({name})", name=name) if weakest
             else " " + t("drill weakest (after your first answers)"), ""),
            ("   c", "bold $accent"), " " + t("pick a category") + "   ", ("?", "bold $accent"),
            " " + t("all keys"))
        return Content("\n").join([line, tips])

    def on_resize(self) -> None:
        if self.overview is not None:
            self.query_one("#mastery", Static).update(self._mastery(self.overview, self.qapp.language))

    # -- actions ---------------------------------------------------------------------------------
    def action_start(self) -> None:
        self.qapp.start_today(self.qapp.start_categories or None)

    def action_weakest(self) -> None:
        view = self.overview or home_overview(self.qapp.ctx)
        if not view.weakest:
            self.notify(self.t("Answer some cards first: weakness is measured from your answers."),
                        title=self.t("No weak category yet"))
            return
        self.qapp.start_drill(view.weakest[0])

    def action_pick_category(self) -> None:
        from quizapp.tui.screens.picker import CategoryPicker

        def picked(category: str | None) -> None:
            if category:
                self.qapp.start_today([category])

        self.app.push_screen(CategoryPicker(), picked)

    def action_browse(self) -> None:
        from quizapp.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen())

    def action_stats(self) -> None:
        from quizapp.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_settings(self) -> None:
        from quizapp.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def relabel(self) -> None:
        """The language changed (`QuizApp.cycle_language`): draw everything again in it."""
        self.refresh_numbers()
