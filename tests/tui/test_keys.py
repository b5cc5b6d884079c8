"""Remappable keys: keys.toml maps binding ids to keys (Textual's keymap); a bad entry is one
line naming it and the defaults stay; the README lists every id."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from quizapp.session.context import AppContext
from quizapp.tui.app import binding_ids
from quizapp.tui.keys import load_keymap
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.quiz import QuizScreen

from .conftest import make_app, play

README = Path(__file__).resolve().parents[2] / "README.md"


def test_a_remapped_key_works_and_bad_entries_are_named(tmp_path: Path, ctx: AppContext) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text('quiz-leave = "x"\nno-such-binding = "y"\nhome-browse = 3\n', encoding="utf-8")
    keymap, problems = load_keymap(keys, binding_ids())
    assert keymap == {"quiz-leave": "x"}
    assert len(problems) == 2
    assert "'no-such-binding' is not a key binding id" in problems[0]
    assert "home-browse" in problems[1] and "keeps 'b'" in problems[1]
    app = make_app(ctx)
    app.set_keymap(keymap)

    async def script(pilot: Pilot) -> None:
        await pilot.press("enter")
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("x")  # Leave, remapped (no answer given: back home)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("b")  # the bad entry left Browse on its default key
        await pilot.pause()
        assert type(app.screen).__name__ == "BrowseScreen"

    play(app, script)


def test_a_file_that_is_not_toml_is_one_line(tmp_path: Path) -> None:
    keys = tmp_path / "keys.toml"
    keys.write_text("quiz-leave = \n", encoding="utf-8")
    keymap, problems = load_keymap(keys, binding_ids())
    assert keymap == {} and len(problems) == 1 and str(keys) in problems[0]
    assert load_keymap(tmp_path / "absent.toml", binding_ids()) == ({}, [])


def test_the_readme_lists_every_binding_id() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [i for i in binding_ids() if f"`{i}`" not in text]
    assert not missing, missing
