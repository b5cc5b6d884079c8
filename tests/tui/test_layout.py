"""Every screen at 80×24 and 60×20: nothing cut (scrolling is allowed), the footer shows Quit and
Help; with a Chinese locale and a new database, no English interface text anywhere."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen

from quizapp.session.context import AppContext
from tests.conftest import MINI_DECK

from .conftest import answer_right, answer_wrong, make_app, play
from .layout import clipped, footer_actions, screen_lines

Check = Callable[[str], Awaitable[None]]


async def tour(pilot: Pilot, check: Check) -> None:
    """Open every screen and state once: home, picker, quiz, verdict, summary, browse,
    statistics, settings, help."""
    app = pilot.app
    await check("home")
    await pilot.press("c")
    await check("picker")
    await pilot.press("escape")
    await pilot.press("enter")
    await check("quiz")
    await answer_wrong(pilot)
    await check("verdict")
    await pilot.press("enter")
    session = app.screen.session  # type: ignore[attr-defined]
    while not session.finished:
        await answer_right(pilot)
        await pilot.press("enter")
    await pilot.pause()
    await check("summary")
    await pilot.press("enter")
    for key, name in (("b", "browse"), ("t", "statistics"), ("s", "settings")):
        await pilot.press(key)
        await pilot.pause()
        await check(name)
        await pilot.press("escape")
    await pilot.press("question_mark")
    await check("help")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_every_screen_fits(ctx: AppContext, size: tuple[int, int], language: str) -> None:
    ctx.update_settings(language=language)
    app = make_app(ctx)
    seen: list[str] = []

    async def check(name: str) -> None:
        await app.workers.wait_for_complete()
        pilot = pilots[0]
        await pilot.pause()
        assert not clipped(app), (name, clipped(app))
        if not isinstance(app.screen, ModalScreen):
            assert {"quit", "help"} <= footer_actions(app), (name, footer_actions(app))
        seen.append(name)

    pilots: list[Pilot] = []

    async def script(pilot: Pilot) -> None:
        pilots.append(pilot)
        await tour(pilot, check)

    play(app, script, size=size)
    assert seen == ["home", "picker", "quiz", "verdict", "summary", "browse", "statistics",
                    "settings", "help"]


def deck_words(ctx: AppContext) -> set[str]:
    """Latin words the deck itself shows in Chinese mode (GPU, FLOPS, HBM …): every field of
    every item except its English prose, plus ids."""
    words: set[str] = set()

    def walk(value: object, name: str = "") -> None:
        if name.endswith("_en") or name in ("source", "at"):
            return
        if isinstance(value, str):
            words.update(re.findall(r"[A-Za-z][A-Za-z0-9]*", value))
        elif isinstance(value, tuple | list):
            for part in value:
                walk(part, name)
        elif is_dataclass(value):
            for field in fields(value):
                walk(getattr(value, field.name), field.name)

    deck = ctx.deck
    for item in (*deck.terms, *deck.traps, *deck.scenarios, *deck.drills):
        walk(item)
    for category in deck.categories:  # their English names are interface in Chinese mode
        words.update(re.findall(r"[A-Za-z][A-Za-z0-9]*", category.zh + " " + category.id))
    for card in deck.cards():
        words.update(re.findall(r"[A-Za-z][A-Za-z0-9]*", card.id))
    return words


# Keys, names and numbers that are the same in every language.
ALLOWED = {"quizapp", "Enter", "esc", "enter", "q", "w", "c", "b", "t", "s", "l", "u", "r", "Tab",
           "Shift", "Ctrl", "Escape", "Z", "S", "P", "L", "Q", "FSRS", "SM", "RMSE", "bins", "README",
           "id", "q0", "q1", "q2", "q3", "q4", "q5", "a", "d", "Esc", "C", "F1",
           "English"}  # the language's own name, in the language menu and help


def test_chinese_locale_shows_no_english_interface(tmp_path: Path, clock, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    ctx = AppContext.open(tmp_path / "new.db", [MINI_DECK], clock=clock)  # a new database
    ctx.update_settings(timezone="UTC")
    assert ctx.settings.language == "zh"  # from the locale: nothing was chosen
    allowed = ALLOWED | deck_words(ctx)
    app = make_app(ctx)
    english: dict[str, set[str]] = {}

    async def check(name: str) -> None:
        await app.workers.wait_for_complete()
        await pilots[0].pause()
        text = "\n".join(screen_lines(app))
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text)) - allowed
        words = {w for w in words if not re.fullmatch(r"[A-Za-z]?\d+\w*", w)}
        if words:
            english[name] = words

    pilots: list[Pilot] = []

    async def script(pilot: Pilot) -> None:
        pilots.append(pilot)
        await tour(pilot, check)

    try:
        play(app, script, size=(120, 36))
    finally:
        ctx.close()
    assert not english, english
