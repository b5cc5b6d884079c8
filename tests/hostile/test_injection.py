"""Item 6 of issue 7: deck text and typed answers with Rich/Textual markup, ANSI and OSC escape
sequences, control characters, 10 000-character lines and right-to-left text are data. The loader
accepts them unchanged; plain mode, the CLI and the full-screen app show markup literally and
never pass a character the terminal would obey (ESC, C0/C1 controls, bidi overrides — shown as
␛, ␀, U+FFFD by `quizapp.quiz.text.printable`); the Anki export is HTML-escaped."""

from __future__ import annotations

import asyncio
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.deck.load import load_deck
from quizapp.deck.model import CardKind
from quizapp.quiz.text import UNSAFE_CODES, printable
from quizapp.session.context import AppContext
from tests.hostile.conftest import quizapp

INJECT = Path(__file__).resolve().parent / "data" / "inject"
DECK = load_deck([INJECT])
LONG = "长" * 10 + "L" * 10_000
# what a terminal would act on: ESC, C0 but \n \t, DEL, C1, bidi embeddings/overrides/isolates
OBEYED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str) -> None:
    found = OBEYED.search(text)
    if found:
        around = text[max(0, found.start() - 60):found.end() + 60]
        pytest.fail(f"{found.group()!r} reaches the terminal: …{around!r}…")


# --------------------------------------------------------------------------- loader and printable


def test_loader_accepts_hostile_text_unchanged() -> None:
    bold = DECK.term("bold-term")
    assert bold.en == "[bold]Bold[/bold] term" and bold.abbr == "[B]"
    assert "\x1b]8;;https://evil.example\x1b\\an OSC 8 link" in bold.def_en
    assert "\x07" in bold.explain_en and "\x9b" in bold.explain_en and "\x7f" in bold.explain_en
    assert "\x1b[31mred\x1b[0m" in bold.answers
    assert DECK.term("rtl-term").explain_en == LONG
    assert "\u202eevil\u202c" in DECK.term("rtl-term").def_en
    assert DECK.item("markup-trap").options[2] == "\x1b[31m"
    assert DECK.categories[0].en.startswith("[/][reverse]")
    assert len(DECK.cards()) == 10


def test_printable_examples() -> None:
    assert printable("[bold]x[/] [link=https://x]y[/link]") == "[bold]x[/] [link=https://x]y[/link]"
    assert printable("\x1b[31mred\x1b[0m") == "␛[31mred␛[0m"
    assert printable("\x1b]8;;https://e\x1b\\link") == "␛]8;;https://e␛\\link"
    assert printable("a\x00b\x07c\x7fd\x9be") == "a␀b␇c␡d\ufffde"
    assert printable("line\r\nnext\rover") == "line\nnext␍over"
    assert printable("tab\there\nnew") == "tab\there\nnew"
    assert printable("שלום مرحبا \u200f") == "שלום مرحبا \u200f"  # RTL letters and marks stay
    assert printable("\u202egnp.exe\u202c") == "\ufffdgnp.exe\ufffd"  # overrides do not
    assert printable(LONG) == LONG


@given(st.text())
def test_printable_is_inert_idempotent_and_keeps_everything_else(text: str) -> None:
    shown = printable(text)
    assert_inert(shown)
    assert printable(shown) == shown
    assert len(shown) == len(text) - text.count("\r\n")
    kept = [c for c in text.replace("\r\n", "\n") if ord(c) not in UNSAFE_CODES]
    assert [c for c in shown if c not in "␀␁␂␃␄␅␆␇␈␋␌␍␎␏␐␑␒␓␔␕␖␗␘␙␚␛␜␝␞␟␡\ufffd"] == [
        c for c in kept if c not in "␀␁␂␃␄␅␆␇␈␋␌␍␎␏␐␑␒␓␔␕␖␗␘␙␚␛␜␝␞␟␡\ufffd"]


# --------------------------------------------------------------------------- plain mode and CLI


def plain(tmp_path: Path, card: str, stdin: str) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, "-m", "quizapp", "--db", str(tmp_path / "q.db"), "--deck", str(INJECT),
         "quiz", "--plain", "--card", card],
        input=stdin, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
    return run


def test_plain_mode_shows_markup_literally_and_escapes_inert(tmp_path: Path) -> None:
    out = plain(tmp_path, "bold-term:term-def", "4\n\n").stdout
    assert_inert(out)
    assert "[B] · [bold]Bold[/bold] term" in out  # the prompt, markup and all
    assert "[link=https://x.example]a link[/link]" in out and "[/] a stray close tag" in out
    assert "␛]8;;https://evil.example␛\\an OSC 8 link" in out  # the OSC 8 link, visible
    assert "␛[2J" in out  # would clear the screen
    assert "Bell ␇ backspace ␈ tab \t NUL-free, ESC ␛[1;33m, C1 \ufffd31m, DEL ␡" in out
    assert "[@click=app.quit]quit[/]" in out
    assert re.search(r"(correct|wrong): Shows \[red\]red\[/red\]", out), out[-3000:]


def test_plain_mode_typed_answers_with_markup_and_escapes(tmp_path: Path) -> None:
    """Typed answers: markup typed for a trap counts (exact match), ESC typed is not echoed raw."""
    out = plain(tmp_path, "markup-trap:trap", "[bold]\n5\n").stdout
    assert_inert(out)
    assert "correct: [bold]" in out and "␛[31m" in out and "<script>alert(1)</script>" in out
    out = plain(tmp_path, "markup-trap:trap", "\x1b[31m\n\n").stdout
    assert_inert(out)
    assert "wrong: [bold]" in out
    out = plain(tmp_path, "bold-term:def-term", "\x1b]8;;x\x1b\\[link=x]y[/link]" + "x" * 10_000 + "\n\n").stdout
    assert_inert(out)
    assert "wrong:" in out


def test_plain_mode_long_lines_and_right_to_left(tmp_path: Path) -> None:
    out = plain(tmp_path, "rtl-term:def-term", "1\n\n").stdout
    assert_inert(out)
    assert LONG in out  # 10 000 characters on one line, not cut, not wrapped
    assert "Hebrew שלום, Arabic مرحبا بالعالم" in out and "\ufffdevil\ufffd" in out
    out = plain(tmp_path, "rtl-scenario:scenario", "שלום\n\n").stdout
    assert_inert(out)
    assert "correct: שלום" in out


def test_cli_listings_are_inert_and_stats_does_not_parse_markup(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    for args in (["cards"], ["due"], ["stats"], ["decks", "check", INJECT]):
        run = quizapp("--db", db, "--deck", INJECT, *args)
        assert run.returncode == 0 and "Traceback" not in run.stderr, (args, run.stderr[-2000:])
        assert_inert(run.stdout)
    assert "[/][reverse]Markup[/reverse]" in quizapp("--db", db, "--deck", INJECT, "stats").stdout
    assert "[/][reverse]Markup[/reverse]" in quizapp("--db", db, "--deck", INJECT, "due").stdout


# --------------------------------------------------------------------------- the full-screen app


def screen_text(app) -> str:
    """Every line of every visible widget as rendered for the terminal (segment text)."""
    lines = []
    for widget in app.screen.walk_children(with_self=True):
        if widget.display and widget.region.area:
            for strip in widget.render_lines(widget.region.reset_offset):
                lines.append("".join(segment.text for segment in strip))
    return "\n".join(lines)


@pytest.fixture
def inject_ctx(tmp_path: Path):
    from tests.conftest import Clock

    context = AppContext.open(tmp_path / "q.db", [INJECT], clock=Clock())
    context.update_settings(timezone="UTC", language="both")
    yield context
    context.close()


@pytest.mark.parametrize("card", [c.id for c in DECK.cards()])
def test_tui_renders_every_card_literally(inject_ctx: AppContext, card: str) -> None:
    from tests.tui.conftest import make_app

    app = make_app(inject_ctx, cards=[card])
    seen: list[str] = []

    async def run() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            seen.append(screen_text(app))
            question = app.screen.session.question  # type: ignore[attr-defined]
            pick = 3 if card == "markup-trap:trap" else 1  # the option that is "\x1b[31m"
            await pilot.press(str(min(pick, len(question.options))))
            await pilot.pause()
            seen.append(screen_text(app))
            app.screen.query_one("#quiz-body").scroll_end(animate=False)
            await pilot.pause()
            seen.append(screen_text(app))

    asyncio.run(run())
    for text in seen:
        assert_inert(text)
    shown = "\n".join(seen)
    if card.startswith("bold-term"):
        assert "[bold]Bold[/bold]" in shown and "[/]" in shown
    if card == "bold-term:term-def":
        assert "␛]8;;https://evil.example" in shown or "␛[2J" in shown
    if card == "markup-trap:trap":
        assert "[bold]" in shown and "␛[31m" in shown and "<script>" in shown
    if card.startswith("rtl"):
        assert "שלום" in shown


def test_tui_home_browse_and_stats_are_inert(inject_ctx: AppContext) -> None:
    from tests.tui.conftest import make_app

    app = make_app(inject_ctx)
    seen: dict[str, str] = {}

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            seen["home"] = screen_text(app)
            await pilot.press("b")
            await pilot.pause()
            seen["browse"] = screen_text(app)
            await pilot.press("escape", "t")
            await pilot.pause()
            seen["stats"] = screen_text(app)

    asyncio.run(run())
    for name, text in seen.items():
        assert_inert(text)
        assert text.strip(), name
    assert "[bold]Bold[/bold]" in seen["browse"]
    assert "[/][reverse]Markup" in seen["home"] + seen["stats"]


def test_tui_typed_answer_with_escapes_is_inert(inject_ctx: AppContext) -> None:
    from textual.widgets import Input

    from tests.tui.conftest import make_app

    app = make_app(inject_ctx, cards=["bold-term:def-term"])
    seen: list[str] = []

    async def run() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            field = app.screen.query_one("#answer", Input)
            field.display = True
            field.value = "\x1b[2J[bold]typed[/bold]\x9b\u202e"
            await pilot.pause()
            seen.append(screen_text(app))

    asyncio.run(run())
    assert_inert(seen[0])
    assert "␛[2J[bold]typed[/bold]" in seen[0]


# --------------------------------------------------------------------------- Anki


def test_anki_import_shows_the_text_html_escaped(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from quizapp.export import export_apkg
    from quizapp.export.notes import escape
    from tests.export.anki_helpers import import_apkg, open_collection, read_cards

    out = tmp_path / "inject.apkg"
    export_apkg(DECK, out)
    (tmp_path / "anki").mkdir()
    col = open_collection(tmp_path / "anki" / "collection.anki2")
    try:
        import_apkg(col, out)
        cards = read_cards(col)
    finally:
        col.close()
    assert len(cards) == len(DECK.cards())
    everything = "\n".join(c.question + c.answer for c in cards)
    for raw in ("<script>", "<b>HTML</b>", "<b>not", "{{Front}}"):
        assert raw not in everything, raw
    assert escape("<script>alert(1)</script>") in everything
    assert "&lt;b&gt;HTML&lt;/b&gt;" in everything
    visible = html.unescape(everything)
    for literal in ("[bold]Bold[/bold] term", "[link=https://x.example]a link[/link]", "[/]",
                    "<script>alert(1)</script>", "שלום", "{{Front}}", "[@click=app.quit]quit[/]",
                    LONG):
        assert literal in visible, literal
    trap = next(c for c in cards if c.fields["QuizappId"] == "markup-trap")
    assert html.unescape(trap.fields["Answer"]) == "[bold]"
    term = next(c for c in cards if c.fields["QuizappId"] == "bold-term" and c.ord == 0)
    assert html.unescape(term.fields["Term"]) == "[B] · [bold]Bold[/bold] term"
    # Anki itself drops control characters from imported fields; everything else arrives as written
    definition = html.unescape(term.fields["Definition"])
    assert OBEYED.sub("", DECK.term("bold-term").def_en) == definition
    assert "[link=https://x.example]a link[/link] and ]8;;https://evil.example" in definition
    assert {c.model for c in cards} >= {"quizapp · term", "quizapp · trap", "quizapp · scenario"}
    assert CardKind.TRAP in {c.kind for c in DECK.cards()}
