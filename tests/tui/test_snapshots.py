"""SVG snapshot baselines of every screen at 80×24 and 120×36, in English, 中文 and both.

Pinned: the clock (the `clock` fixture), the sessions' stopwatch, the option order (seeded),
cursor blink and animations off. A screen that differs from its baseline fails the test and is
written beside the test's tmp folder for a look; after looking, accept the new screens with
`QUIZAPP_UPDATE_SNAPSHOTS=1 pytest tests/tui/test_snapshots.py` (a missing baseline fails too).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizapp.session.context import AppContext

from .conftest import make_app, play
from .test_layout import tour

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("QUIZAPP_UPDATE_SNAPSHOTS") == "1"


def take(ctx: AppContext, language: str, size: tuple[int, int]) -> dict[str, str]:
    """Every screen of the tour as SVG, by name."""
    ctx.update_settings(language=language)
    app = make_app(ctx, monotonic=lambda: 0.0)
    app.animation_level = "none"
    shots: dict[str, str] = {}

    async def check(name: str) -> None:
        await app.workers.wait_for_complete()
        await pilots[0].pause()
        shots[name] = app.export_screenshot(title=f"{name} {language} {size[0]}×{size[1]}")

    pilots: list[Pilot] = []

    async def script(pilot: Pilot) -> None:
        pilots.append(pilot)
        await tour(pilot, check)

    play(app, script, size=size)
    return shots


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
@pytest.mark.parametrize("language", ["en", "zh", "both"])
def test_snapshots(ctx: AppContext, tmp_path: Path, language: str, size: tuple[int, int]) -> None:
    shots = take(ctx, language, size)
    assert len(shots) == 9
    changed = []
    for name, svg in shots.items():
        path = SNAPSHOTS / f"{name}-{language}-{size[0]}x{size[1]}.svg"
        if UPDATE:
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(svg, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != svg:
            (tmp_path / path.name).write_text(svg, encoding="utf-8")
            changed.append(path.name)
    assert not changed, f"screens differ from their baselines (new ones in {tmp_path}): {changed}"
