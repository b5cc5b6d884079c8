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
from quizapp.tui.widgets.render import bar, fit

LANGUAGE_NAMES = {"en": "English", "zh": "中文", "both": "English + 中文"}


class HomeScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start", id="home-start"),
        Binding("w", "weakest", "Weakest", id="home-weakest"),
        Binding("c", "pick_category", "Category", id="home-category"),
        Binding("b", "browse", "Browse", id="home-browse"),
        Binding("t", "stats", "Stats", id="home-stats"),
        Binding("l", "language", "Language", id="home-language"),
        Binding("s", "settings", "Settings", id="home-settings"),
        Binding("q", "app.quit", "Quit", id="home-quit"),
    ]

    overview: HomeOverview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static(id="today")
            yield Static(id="mastery")
            yield Static(id="next")
        yield Footer()

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
        self.overview = view = home_overview(ctx)
        deck = ctx.deck
        self.sub_title = deck.name_zh if lang == "zh" else deck.name_en
        streak = f"{view.streak} day{'s' * (view.streak != 1)}"
        self.query_one("#today", Static).update(Content.assemble(
            ("Today ", "bold"), (view.study_day.isoformat(), "$text-muted"),
            ("   streak ", "$text-muted"), (streak, "bold $warning" if view.streak else ""),
            ("" if view.studied_today or not view.streak else " (study today to keep it)",
             "$text-muted"),
            "\n",
            (f"{view.due:>4}", "bold $accent"), " due reviews   ",
            (f"{view.new:>4}", "bold $accent"), " new cards   ",
            (f"{view.redrills:>4}", "bold $accent"), " re-drills left",
            ("\n" + f"Language: {LANGUAGE_NAMES.get(lang, lang)}", "$text-muted"),
        ))
        self.query_one("#mastery", Static).update(self._mastery(view, lang))
        self.query_one("#next", Static).update(self._next(view))

    def _mastery(self, view: HomeOverview, lang: str) -> Content:
        rows: list[Content] = [Content.assemble(
            ("Mastery", "bold"),
            ("  known now (last review passed) · ★ mature (interval ≥ 21 d)", "$text-muted"))]
        width = min(max((cell_len(c.name(lang)) for c in view.categories), default=8), 30)
        for cat in view.categories:
            name = fit(cat.name(lang), width)
            accuracy = "" if cat.accuracy is None else f"  acc {cat.accuracy:.0%}"
            rows.append(Content.assemble(
                ("▼ weak " if cat.weak else "       ", "bold $error"),
                (f"{name} ", "bold" if cat.weak else ""),
                bar(cat.mastery, style="$error" if cat.weak else "$success"),
                f" {cat.mastery:>4.0%} ",
                (f"{cat.known}/{cat.cards} ★{cat.mature}{accuracy}", "$text-muted"),
            ))
        return Content("\n").join(rows)

    def _next(self, view: HomeOverview) -> Content:
        if view.total:
            parts = [f"{view.due} due", f"{view.new} new"]
            if view.redrills:
                parts.append(f"{view.redrills} re-drill{'s' * (view.redrills != 1)}")
            line = Content.assemble(("Enter ▸ ", "bold $accent"),
                                    (f"today's session: {view.total} cards", "bold"),
                                    (f" ({' · '.join(parts)})", "$text-muted"))
        else:
            line = Content.assemble(("Enter ▸ ", "bold $accent"),
                                    ("nothing due today — well done. ", "bold"))
        weakest = view.weakest[0] if view.weakest else None
        tips = Content.assemble(
            ("w", "bold $accent"),
            (f" drill weakest ({self.qapp.ctx.deck.category(weakest).en})" if weakest
             else " drill weakest (after your first answers)", ""),
            ("   c", "bold $accent"), " pick a category   ", ("?", "bold $accent"), " all keys")
        return Content("\n").join([line, tips])

    # -- actions ---------------------------------------------------------------------------------
    def action_start(self) -> None:
        self.qapp.start_today(self.qapp.start_categories or None)

    def action_weakest(self) -> None:
        view = self.overview or home_overview(self.qapp.ctx)
        if not view.weakest:
            self.notify("Answer some cards first: weakness is measured from your answers.",
                        title="No weak category yet")
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

    def action_language(self) -> None:
        language = self.qapp.cycle_language()
        self.notify(f"Language: {LANGUAGE_NAMES[language]}", timeout=2)
        self.refresh_numbers()
