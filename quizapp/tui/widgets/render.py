"""Deck text → Textual `Content`. Deck text is data, never markup: it only ever enters as plain
strings inside `Content.assemble`, so "[bold]" in a deck shows literally."""

from __future__ import annotations

from difflib import SequenceMatcher

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from quizapp.i18n import Translator
from quizapp.quiz.matching import diff_spans
from quizapp.quiz.questions import Mode, Outcome, Question, Text, Verdict
from quizapp.srs.sm2 import GRADE_LABELS, GRADE_LABELS_ZH

LANGUAGE_NAMES = {"en": "English", "zh": "中文", "both": "English + 中文"}
KIND_SHORT = {"def-term": "def → term", "term-def": "term → def", "trap": "look-alike",
              "scenario": "scenario", "drill": "estimate"}
BAR_WIDTH = 16
DIFF_MAX = 40  # longer answers (definitions) are not worth a character diff


def fit(value: str, width: int) -> str:
    """Pad or cut to `width` terminal cells (CJK characters take two)."""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


def category_name(category: object, language: str, short: bool = False) -> str:
    """A deck category's name in the learner's language; "both" gives both unless `short`."""
    en, zh = category.en, category.zh or category.en
    if language == "zh":
        return zh
    if language == "both" and not short and zh != en:
        return f"{en} {zh}"
    return en


def bar(fraction: float, width: int = BAR_WIDTH, style: str = "$success") -> Content:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "$foreground 30%"))


def text(value: Text, language: str, style: str = "") -> Content:
    return Content.assemble((value.render(language), style))


def grade_label(grade: int, language: str) -> str:
    if language == "zh":
        return GRADE_LABELS_ZH[grade]
    return GRADE_LABELS[grade]


def grade_row(suggested: int | None, language: str, t: Translator | None = None) -> Content:
    """`Grade  0 blackout  ▸1 wrong …`; the labels follow the interface language."""
    t = t or Translator("en")
    parts: list[str | tuple[str, str]] = [(t("Grade"), "bold")]
    for grade in range(6):
        if grade == suggested:
            parts += [" ", (f"▸{grade} {grade_label(grade, t.language)} ", "reverse bold $accent")]
        else:
            parts += [" ", f" {grade} {grade_label(grade, t.language)} "]
    return Content.assemble(*parts)


def closest(given: str, candidates: tuple[str, ...]) -> str:
    """The accepted spelling nearest to what was typed, to diff against."""
    if not candidates:
        return ""
    folded = given.casefold()
    return max(candidates, key=lambda c: (c.casefold() == folded,  # FLOPs → FLOPS, not FLOP/s
                                          SequenceMatcher(a=given, b=c, autojunk=False).ratio()))


def diff(given: str, expected: str, style: str) -> Content:
    """`given` with the characters that differ from `expected` highlighted."""
    if len(given) > DIFF_MAX or len(expected) > DIFF_MAX:
        return Content(given)
    return Content.assemble(*((run, f"{style} bold underline" if differs else "")
                              for run, differs in diff_spans(given, expected)))


def _label(t: Translator, english: str, width: int = 8) -> str:
    """A verdict line's label padded to one column, so wrapped lines indent under the text."""
    word = t(english)
    return word + " " * max(2, width - cell_len(word))


def verdict(question: Question, result: Verdict, language: str, t: Translator | None = None) -> Content:
    """Right or wrong, what was given against the accepted answer, explanation, solution."""
    t = t or Translator("en")
    lines: list[Content] = []
    second = language == "both" and t.language == "en"  # the other language's word beside it
    if result.outcome is Outcome.CORRECT:
        lines.append(Content.assemble(("✔ " + t("Correct"), "bold $success"),
                                      (" 正确" if second else "", "$success")))
    elif result.outcome is Outcome.SHOWN:
        lines.append(Content.assemble(("● " + t("Shown"), "bold $warning"),
                                      (" — " + t("counts as not known"), "$text-muted")))
    else:
        lines.append(Content.assemble(("✘ " + t("Wrong"), "bold $error"),
                                      (" 错误" if second else "", "$error")))
    answer = question.answer.render(language)
    width = max(cell_len(t(word)) for word in ("You", "Wanted", "Answer", "Note")) + 2
    indent = "\n" + " " * width
    if result.given:
        typed = question.mode is Mode.TYPED and question.expected is None
        target = closest(result.given, question.accepted) if typed else question.answer.en
        style = "$success" if result.correct else "$error"
        chosen = next((o for o in question.options if o.en == result.given), None)
        if chosen is not None:  # the option picked, in the language it was shown in
            given = Content.assemble((chosen.render(language).replace("\n", indent), style))
        else:
            given = diff(result.given, target, style)
        lines.append(Content.assemble((_label(t, "You", width), "$text-muted"), given))
        if typed and target != result.given:
            lines.append(Content.assemble((_label(t, "Wanted", width), "$text-muted"),
                                          diff(target, result.given, "$success")))
    lines.append(Content.assemble((_label(t, "Answer", width), "$text-muted"),
                                  (answer.replace("\n", indent), "bold")))
    if result.message:
        lines.append(Content.assemble((_label(t, "Note", width), "$text-muted"),
                                      (t(result.message), "$warning")))
    if question.solution is not None:
        lines.append(Content(""))
        lines.append(Content.assemble((t("Worked solution"), "bold"), "\n",
                                      question.solution.render(language)))
    explanation = question.explanation.render(language)
    if explanation:
        lines.append(Content(""))
        lines.append(Content(explanation))
    return Content("\n").join(lines)
