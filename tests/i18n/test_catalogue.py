"""The message catalogue: every interface string has its Chinese, placeholders survive the
translation, and the interface language follows setting and locale."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from quizapp.i18n import Translator, default_language, interface_language, locale_language, translator
from quizapp.i18n.zh import MESSAGES

PACKAGE = Path(__file__).resolve().parents[2] / "quizapp"


def _is_translator(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "t") or (
        isinstance(node, ast.Attribute) and node.attr == "t")


def messages_in_source() -> dict[str, str]:
    """Every literal passed to `t(...)` or `t.n(...)` in the package → where it is."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            called = _is_translator(func) or (
                isinstance(func, ast.Attribute) and func.attr == "n" and _is_translator(func.value))
            first = node.args[0]
            if called and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def messages_in_tables() -> set[str]:
    """Interface strings kept in tables and bindings (looked up through a variable)."""
    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens import browse, quiz, settings, stats
    from quizapp.tui.screens.base import TEXTUAL_DESCRIPTIONS
    from quizapp.tui.screens.help import HelpScreen
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.picker import CategoryPicker
    from quizapp.tui.screens.summary import SummaryScreen
    from quizapp.tui.widgets import charts, render
    from quizapp.tui.widgets.choices import ChoiceList

    owners = (QuizApp, HomeScreen, quiz.QuizScreen, SummaryScreen, browse.BrowseScreen,
              stats.StatsScreen, settings.SettingsScreen, CategoryPicker, HelpScreen, ChoiceList)
    found = {b.description for owner in owners for b in owner.BINDINGS if b.description}
    found |= set(TEXTUAL_DESCRIPTIONS.values())
    from quizapp.stats import KIND_NAMES

    found |= set(quiz.KIND_NAMES.values()) | set(render.KIND_SHORT.values()) | set(KIND_NAMES.values())
    found |= set(browse.COLUMN_LABELS.values()) | set(stats.COLUMNS) | {"Kind"}
    found |= set(stats.HEADINGS.values()) | set(settings.NUMBERS.values()) | {settings.RETENTION_LABEL}
    found |= {label for label, _ in settings.SCHEDULER_CHOICES}
    found |= set(charts.MODEL_NAMES.values()) | {d for d in charts.WEEKDAYS if d}
    found |= {"Today", "Practice", "Drill"}  # session title heads, translated by the screens
    found |= {"You", "Wanted", "Answer", "Note", "Suspended: {card}", "Unsuspended: {card}",
              "that is the look-alike, not this one"}
    return found


def test_every_interface_string_has_its_chinese() -> None:
    source = messages_in_source()
    assert len(source) > 100  # the scan finds the calls (it would pass vacuously otherwise)
    missing = {m: where for m, where in source.items() if m not in MESSAGES}
    missing |= {m: "a table or binding" for m in messages_in_tables() if m not in MESSAGES}
    assert not missing, "\n".join(f"{where}: {m!r}" for m, where in sorted(missing.items()))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("message", sorted(MESSAGES))
def test_translations_keep_placeholders(message: str) -> None:
    chinese = fields(MESSAGES[message])
    assert fields(message) - {"n"} <= chinese <= fields(message) | {"n"}  # {n}: the count


def test_chinese_translations_have_no_english_words() -> None:
    allowed = {"quizapp", "README", "FSRS", "SM", "Ctrl", "Esc", "RMSE", "bins", "card",  # --card
               "backlog", "days"}  # the setting backlog_days
    for message, chinese in MESSAGES.items():
        words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", chinese))) - allowed
        assert not words, (message, chinese)


def test_lookup_plural_and_fields() -> None:
    en, zh = Translator("en"), Translator("zh")
    assert en.n("{n} day", "{n} days", 1) == "1 day" and en.n("{n} day", "{n} days", 3) == "3 days"
    assert zh.n("{n} day", "{n} days", 3) == "3 天"
    assert zh("Language: {name}", name="中文") == "语言：中文"
    assert en("an unknown message {x}", x=1) == "an unknown message 1"  # falls back to English


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.UTF-8"}, "zh"), ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "C"}, None), ({}, None), ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
    ({"LANGUAGE": "en:zh", "LANG": "zh_CN.UTF-8"}, "en"), ({"LC_MESSAGES": "POSIX", "LANG": "zh_CN"}, "zh"),
])
def test_locale_language(env: dict[str, str], expected: str | None) -> None:
    assert locale_language(env) == expected


def test_setting_overrides_locale() -> None:
    chinese = {"LANG": "zh_CN.UTF-8"}
    assert interface_language("en", chinese) == "en"
    assert interface_language("zh", {"LANG": "en_US.UTF-8"}) == "zh"
    assert interface_language("both", chinese) == "zh"
    assert interface_language("both", {}) == "en"
    assert default_language(chinese) == "zh" and default_language({"LANG": "en_US"}) == "both"
    assert translator("zh")("Today") == "今日"
