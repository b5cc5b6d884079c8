"""SVG screenshots of Home, Quiz, Verdict and Summary at 80×24 and 160×48.

They go to $QUIZAPP_SCREENSHOTS if set (to look at them), else to the test's tmp folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.session.context import AppContext

from .conftest import answer_right, answer_wrong, make_app, play


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_screenshots(ctx: AppContext, tmp_path: Path, size: tuple[int, int]) -> None:
    folder = Path(os.environ.get("QUIZAPP_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    app = make_app(ctx)
    tag = f"{size[0]}x{size[1]}"
    saved: dict[str, str] = {}

    async def shot(name: str) -> None:
        await app.workers.wait_for_complete()
        await pilot_ref[0].pause()
        path = folder / f"{name}-{tag}.svg"
        app.save_screenshot(path.name, path=str(folder))
        saved[name] = path.read_text(encoding="utf-8")

    pilot_ref: list[Pilot] = []

    async def script(pilot: Pilot) -> None:
        pilot_ref.append(pilot)
        await shot("home")
        await pilot.press("enter")
        await shot("quiz")
        await answer_wrong(pilot)
        await shot("verdict")
        await pilot.press("enter")
        session = app.screen.session
        while not session.finished:
            await answer_right(pilot)
            await pilot.press("enter")
        await shot("summary")

    play(app, script, size=size)
    assert "quizapp" in saved["home"] and "due" in saved["home"]
    assert "1/12" in saved["quiz"]
    assert "Wrong" in saved["verdict"] and "blackout" in saved["verdict"]
    assert "cards" in saved["summary"] and "done" in saved["summary"]


def test_light_theme_renders(ctx: AppContext, tmp_path: Path) -> None:
    app = make_app(ctx)

    async def script(pilot: Pilot) -> None:
        app.theme = "textual-light"
        await pilot.pause()
        home = app.export_screenshot()
        await pilot.press("enter")
        await answer_wrong(pilot)
        verdict = app.export_screenshot()
        assert "quizapp" in home and "Wrong" in verdict
        (tmp_path / "verdict-light.svg").write_text(verdict, encoding="utf-8")

    play(app, script)
