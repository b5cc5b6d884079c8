"""Regenerate the screenshots in docs/anki/: every quizapp note type as Anki renders it.

    .venv/bin/python docs/anki/make_screenshots.py [--chromium PATH]

Exports the bundled deck, imports it into a throw-away collection with the real Anki backend,
and takes the cards' own HTML (`card.question()` / `card.answer()`, which carry the note type's
CSS) into headless Chromium, in a page shaped like Anki's reviewer (`<body class="card card1">`,
plus `nightMode night_mode` in night mode). Phone shots put the front and the back side by side
at 390×844 each; desktop shots show the back at 1000×700. PNGs are shrunk with pngquant and
optipng when those are installed. Needs the test extras (`anki`) and Chromium (Debian: `apt-get
install chromium fonts-noto-cjk`).
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

# (file stem, note type, template ord, the note's QuizappId)
SAMPLES = [
    ("term-definition-to-term", "quizapp · term", 0, "kv-cache"),
    ("term-term-to-definition", "quizapp · term", 1, "mfu"),
    ("trap", "quizapp · trap", 0, "trap-nvlink-vs-ib-per-direction"),
    ("scenario", "quizapp · scenario", 0, "scn-dp-small-model"),
    ("estimation", "quizapp · estimation", 0, "est-weights-memory#2"),
]
PHONE = (390, 844)
DESKTOP = (1000, 700)
GAP = 12
CANVAS = {"light": "#ffffff", "night": "#2c2c2c"}


def cards_html(work: Path) -> dict[str, tuple[str, str]]:
    """stem → (question HTML, answer HTML) rendered by Anki from a fresh import."""
    from quizapp.config import bundled_deck_path
    from quizapp.deck.load import load_deck
    from quizapp.export import export_apkg
    from quizapp.export.stamps import read_stamps
    from tests.export.anki_helpers import import_apkg, open_collection

    deck_path = bundled_deck_path()
    result = export_apkg(load_deck([deck_path]), work / "deck.apkg",
                         stamps=read_stamps([deck_path]))
    col = open_collection(work / "collection.anki2")
    try:
        import_apkg(col, result.path)
        out = {}
        for stem, model, ord_, key in SAMPLES:
            for cid in col.find_cards(f'"note:{model}" "QuizappId:{key}" card:{ord_ + 1}'):
                card = col.get_card(cid)
                out[stem] = (card.question(), card.answer())
            if stem not in out:
                raise SystemExit(f"no card {key} ({model}, card {ord_ + 1}) in the bundled deck")
        return out
    finally:
        col.close()


def pane(content: str, mode: str) -> str:
    night = " nightMode night_mode" if mode == "night" else ""
    return ('<!doctype html><html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body class="card card1{night}" style="margin:0;background:{CANVAS[mode]}">'
            f'<div id="qa">{content}</div></body></html>')


def page(panes: list[str], size: tuple[int, int], mode: str) -> str:
    width, height = size
    frames = "".join(
        f'<iframe srcdoc="{html.escape(p, quote=True)}" style="width:{width}px;height:{height}px;'
        f'border:0;margin-left:{GAP if i else 0}px;background:{CANVAS[mode]}"></iframe>'
        for i, p in enumerate(panes))
    return (f'<!doctype html><html><body style="margin:0;background:{"#000" if mode == "night" else "#d0d7de"};'
            f'display:flex">{frames}</body></html>')


def shoot(chromium: str, source: Path, target: Path, size: tuple[int, int]) -> None:
    profile = tempfile.mkdtemp(prefix="quizapp-chromium-")
    try:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                        f"--user-data-dir={profile}", f"--screenshot={target}",
                        f"--window-size={size[0]},{size[1]}", source.as_uri()],
                       check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def shrink(png: Path) -> None:
    if shutil.which("pngquant"):
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "60-90",
                        "--output", str(png), str(png)], check=False, capture_output=True)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", str(png)], check=False, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-shots-") as tmp:
        work = Path(tmp)
        rendered = cards_html(work)
        for stem, (question, answer) in rendered.items():
            for mode in ("light", "night"):
                shots = [(f"{stem}-phone-{mode}.png", [question, answer], PHONE),
                         (f"{stem}-desktop-{mode}.png", [answer], DESKTOP)]
                for name, contents, size in shots:
                    source = work / f"{name}.html"
                    source.write_text(page([pane(c, mode) for c in contents], size, mode),
                                      encoding="utf-8")
                    total = (size[0] * len(contents) + GAP * (len(contents) - 1), size[1])
                    shoot(args.chromium, source, HERE / name, total)
                    shrink(HERE / name)
                    print(f"{name}: {(HERE / name).stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
