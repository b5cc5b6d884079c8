"""Deck text → Textual `Content`. Deck text is data, never markup: it only ever enters as plain
strings inside `Content.assemble`, so "[bold]" in a deck shows literally."""

from __future__ import annotations

from difflib import SequenceMatcher

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from quizapp.quiz.matching import diff_spans
from quizapp.quiz.questions import Mode, Outcome, Question, Text, Verdict
from quizapp.srs.sm2 import GRADE_LABELS, GRADE_LABELS_ZH

BAR_WIDTH = 16
DIFF_MAX = 40  # longer answers (definitions) are not worth a character diff


def fit(value: str, width: int) -> str:
    """Pad or cut to `width` terminal cells (CJK characters take two)."""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


def bar(fraction: float, width: int = BAR_WIDTH, style: str = "$success") -> Content:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return Content.assemble(("█" * filled, style), ("░" * (width - filled), "$foreground 30%"))


def text(value: Text, language: str, style: str = "") -> Content:
    return Content.assemble((value.render(language), style))


def grade_label(grade: int, language: str) -> str:
    if language == "zh":
        return GRADE_LABELS_ZH[grade]
    return GRADE_LABELS[grade]


def grade_row(suggested: int | None, language: str) -> Content:
    parts: list[str | tuple[str, str]] = [("Grade", "bold")]
    for grade in range(6):
        if grade == suggested:
            parts += [" ", (f"▸{grade} {grade_label(grade, language)} ", "reverse bold $accent")]
        else:
            parts += [" ", f" {grade} {grade_label(grade, language)} "]
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


def verdict(question: Question, result: Verdict, language: str) -> Content:
    """Right or wrong, what was given against the accepted answer, explanation, solution."""
    lines: list[Content] = []
    if result.outcome is Outcome.CORRECT:
        lines.append(Content.assemble(("✔ Correct", "bold $success"),
                                      (" 正确" if language != "en" else "", "$success")))
    elif result.outcome is Outcome.SHOWN:
        lines.append(Content.assemble(("● Shown", "bold $warning"),
                                      (" — counts as not known", "$text-muted")))
    else:
        lines.append(Content.assemble(("✘ Wrong", "bold $error"),
                                      (" 错误" if language != "en" else "", "$error")))
    answer = question.answer.render(language)
    if result.given:
        typed = question.mode is Mode.TYPED and question.expected is None
        target = closest(result.given, question.accepted) if typed else question.answer.en
        style = "$success" if result.correct else "$error"
        lines.append(Content.assemble(("You     ", "$text-muted"),
                                      diff(result.given, target, style)))
        if typed and target != result.given:
            lines.append(Content.assemble(("Wanted  ", "$text-muted"),
                                          diff(target, result.given, "$success")))
    lines.append(Content.assemble(("Answer  ", "$text-muted"),
                                  (answer.replace("\n", "\n        "), "bold")))
    if result.message:
        lines.append(Content.assemble(("Note    ", "$text-muted"), (result.message, "$warning")))
    if question.solution is not None:
        lines.append(Content(""))
        lines.append(Content.assemble(("Worked solution", "bold"), "\n",
                                      question.solution.render(language)))
    explanation = question.explanation.render(language)
    if explanation:
        lines.append(Content(""))
        lines.append(Content(explanation))
    return Content("\n").join(lines)
