"""Home keys, browse, statistics, settings, help and the command palette."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Sparkline

from quizapp.session.context import AppContext
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.help import HelpScreen, help_text
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.picker import CategoryPicker
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.settings import SettingsScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.screens.summary import SummaryScreen
from quizapp.tui.widgets.choices import ChoiceList
from tests.conftest import Clock

from .conftest import answer_right, answer_wrong, make_app, play, text_of

ALL_SCREENS = (HomeScreen, QuizScreen, SummaryScreen, BrowseScreen, StatsScreen, SettingsScreen,
               CategoryPicker, HelpScreen, ChoiceList)


def test_every_binding_has_an_id_and_is_in_help() -> None:
    from quizapp.tui.app import QuizApp

    help_md = help_text()
    for owner in (*ALL_SCREENS, QuizApp):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding) and binding.id, (owner, binding)
    for binding in HomeScreen.BINDINGS:
        key = {"enter": "Enter"}.get(binding.key, binding.key)
        assert f"`{key}`" in help_md, key
    for needle in ("`0`–`5`", "`a`–`d`", "`u`", "`Escape`", "`/`", "`s`", "`Ctrl+S`", "`?`"):
        assert needle in help_md


def test_help_and_command_palette(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Start", "Weakest", "Category", "Browse", "Stats", "Language",
                       "Settings", "Help", "Quit"):
            assert action in titles
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)

    play(app, script)


def test_language_cycles_and_is_saved(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        assert ctx.settings.language == "both"
        await pilot.press("l")
        assert ctx.settings.language == "en"
        await pilot.press("l")
        assert "指标" in text_of(app, "#mastery") and "Metrics" not in text_of(app, "#mastery")
        await pilot.press("enter")
        prompt = text_of(app, "#prompt")
        assert prompt and not re.search(r"[A-Za-z]{4}", prompt.replace("GPT", ""))

    play(app, script)
    assert ctx.store.settings()["language"] == "zh"


def test_category_picker_starts_that_category(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("c")
        assert isinstance(app.screen, CategoryPicker)
        await pilot.press("down", "enter")  # the second category: hardware
        assert isinstance(app.screen, QuizScreen)
        session = app.screen.session
        assert {ctx.deck.card(c).category for c in session.card_ids} == {"hardware"}

    play(app, script)


def test_weakest_from_home(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("w")  # no answers yet: just a message
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        session = app.screen.session
        while not session.finished:
            if session.question.category == "hardware":
                await answer_wrong(pilot)
                await pilot.press("4")
            else:
                await answer_right(pilot)
                await pilot.press("5")
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        assert "▼ weak Hardware" in text_of(app, "#mastery")
        await pilot.press("w")
        drill = app.screen.session
        assert {ctx.deck.card(c).category for c in drill.card_ids} == {"hardware"}
        while not drill.finished:  # the drill's summary says in one line what changed
            await answer_right(pilot)
            await pilot.press("5")
        assert "What changed" in text_of(app, "#summary-change")
        assert "Hardware: 0 cards moved from learning to known" in text_of(app, "#summary-change")

    play(app, script)


def test_browse_search_and_suspend(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("b")
        assert isinstance(app.screen, BrowseScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 12
        await pilot.press("slash", *"hbm")
        assert app.screen.query_one(Input).value == "hbm"
        assert table.row_count == 2
        await pilot.press("enter")  # back to the table
        card_id = app.screen.current().id
        assert card_id.startswith("hbm:")
        assert "Stacked DRAM" in text_of(app, "#browse-info")
        await pilot.press("s")
        assert ctx.store.card(card_id).suspended
        assert "suspended" in str(table.get_cell(card_id, "due"))
        await pilot.press("s")
        assert not ctx.store.card(card_id).suspended
        await pilot.press("s")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "11 new cards" in text_of(app, "#today")

    play(app, script)


def test_statistics_screen(ctx: AppContext, clock: Clock) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_right(pilot)
        await pilot.press("5")
        await answer_wrong(pilot)
        await pilot.press("1")
        await pilot.press("escape", "enter", "t")
        assert isinstance(app.screen, StatsScreen)
        assert "2 answers in total" in text_of(app, "#stats-head")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        per_day = app.screen.query_one("#stats-per-day", Sparkline).data
        assert list(per_day)[-1] == 2
        forecast = list(app.screen.query_one("#stats-forecast", Sparkline).data)
        assert len(forecast) == 30 and forecast[1] == 2  # both due tomorrow
        assert "none" in text_of(app, "#stats-leeches")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)

    play(app, script, size=(100, 40))


def test_settings_are_saved_and_validated(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("s")
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#new_per_day", Input).value = "3"
        app.screen.query_one("#rollover_hour", Input).value = "30"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SettingsScreen)
        assert "rollover_hour" in text_of(app, "#settings-error")
        app.screen.query_one("#rollover_hour", Input).value = "5"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert "3 new cards" in text_of(app, "#today")

    play(app, script)
    assert ctx.settings.new_per_day == 3 and ctx.settings.rollover_hour == 5
    assert ctx.store.settings()["new_per_day"] == 3


def test_deck_text_is_shown_literally(tmp_path: Path, clock: Clock) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "mini", deck)
    toml = deck / "deck.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "A rate: how many", "A [bold]rate[/bold]: how many"), encoding="utf-8")
    ctx = AppContext.open(tmp_path / "q.db", [deck], clock=clock)
    app = make_app(ctx, cards=["flops-rate:def-term"])

    async def script(pilot: Pilot) -> None:
        assert "A [bold]rate[/bold]: how many" in text_of(app, "#prompt")

    try:
        play(app, script)
    finally:
        ctx.close()


def test_choosing_fsrs_in_settings_reschedules(ctx: AppContext) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        await pilot.press("s")
        app.screen.query_one("#scheduler", Select).value = "fsrs"
        app.screen.query_one("#desired_retention", Input).value = "0.99"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SettingsScreen)  # refused: one line, nothing saved
        assert "retention" in text_of(app, "#settings-error")
        app.screen.query_one("#desired_retention", Input).value = "0.85"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)

    play(app, script)
    assert (ctx.settings.scheduler, ctx.settings.desired_retention) == ("fsrs", 0.85)
    assert ctx.store.schedule_basis()["scheduler"] == "fsrs"
