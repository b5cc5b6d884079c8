"""Plain mode: the same session as lines on stdin/stdout, for screen readers and scripts.

Per card: prompt (and lettered options) → one answer line (empty = show me; an option's letter,
or the answer typed) → a verdict line starting with `correct` or `wrong` → one grade line (0–5,
empty = the suggestion). Options are letters and grades digits, so the same line twice cannot
pick and grade. A line that is not an answer (an unreadable number, a conversion left in the
prompt's unit, a letter with no option) gets `try again: …` and the answer prompt again. After a
wrong verdict on a typed answer, `right` on the grade line overrules it ("I was right"): the
answer is counted correct, logged as overridden, and the grade prompt comes again.
End of input ends the session; everything graded is already saved. Ctrl-C ends it too, after a
newline (so the shell prompt does not land on quizapp's).

The words `correct` / `wrong` / `try again:` / `done:`, the ids in the card line and the prompts
`> ` / `grade […] >` stay as they are in every language: scripts read them. Everything else
follows the interface language (`quizapp.i18n`). When stdout is a terminal, text is wrapped to
its width by the Unicode line-breaking rules (`quizapp.quiz.linebreak`), wrapped lines indented
under their text; to a pipe it is not wrapped.
"""

from __future__ import annotations

import os
from typing import TextIO

from quizapp.errors import QuizappError
from quizapp.i18n import translator
from quizapp.quiz.drill_answers import drill_hint
from quizapp.quiz.linebreak import wrap
from quizapp.quiz.questions import Mode, Outcome, option_key
from quizapp.quiz.text import printable
from quizapp.session.quiz import QuizSession
from quizapp.srs.sm2 import GRADE_LABELS, GRADE_LABELS_ZH

_KIND_NAMES = {"def-term": "definition → term", "term-def": "term → definition",
               "trap": "look-alike", "scenario": "scenario", "drill": "estimate"}

OVERRULE_WORD = "right"  # on the grade line after a wrong typed answer: "I was right"


def terminal_width(stdout: TextIO) -> int | None:
    """The terminal's width when `stdout` is one, else None (no wrapping)."""
    try:
        if not stdout.isatty():
            return None
        return os.get_terminal_size(stdout.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


def run_plain(session: QuizSession, stdin: TextIO, stdout: TextIO, width: int | None = None) -> int:
    """`width`: wrap to this many columns (default: the terminal's, or none for a pipe)."""
    lang = session.ctx.settings.language
    t = translator(lang)
    width = width or terminal_width(stdout)
    labels_for = GRADE_LABELS_ZH if t.language == "zh" else GRADE_LABELS

    def say(text: str = "") -> None:  # deck text and echoed answers must not restyle the terminal
        text = printable(text)
        if width:
            text = "\n".join(wrap(text, width - 1))
        stdout.write(text + "\n")
        stdout.flush()

    def ask(prompt: str) -> str:
        stdout.write(prompt)
        stdout.flush()
        try:
            return _read_line(stdin)
        except KeyboardInterrupt:
            stdout.write("\n")  # the shell's prompt on a line of its own
            stdout.flush()
            raise

    if session.finished:
        say(t("Nothing due today. Come back tomorrow, or practise with --card ID."))
        return 0
    while not session.finished:
        question = session.question
        assert question is not None
        done, total = session.progress
        kind, name = question.kind.value, question.category  # ids in English: scripts read them
        if t.language == "zh":
            kind = t(_KIND_NAMES.get(kind, kind))
            name = session.ctx.deck.category(question.category).zh or name
        say(f"[{done + 1}/{total}] {name} · {kind}" + (" · " + t("again") if session.is_redrill else ""))
        say(question.prompt.render(lang))
        if question.mode is Mode.CHOICE:
            for number, option in enumerate(question.options):
                say(f"  {option_key(number)}. {option.render(lang).replace(chr(10), ' / ')}")
        elif question.unit:
            say(f"({drill_hint(question.unit, question.tolerance, question.answer_type, t)})")
        session.mark_shown()
        while True:
            line = ask("> ")
            if not line:
                say()
                return _bye(session, say)
            verdict = session.submit(line.strip())
            if verdict.outcome is not Outcome.RETRY:
                break
            say(f"try again: {t(verdict.message)}")
        word = "correct" if verdict.outcome is Outcome.CORRECT else "wrong"
        answer = question.answer.render(lang).replace("\n", " / ")
        note = f" ({t(verdict.message)})" if verdict.message else ""
        say(f"{word}: {answer}{note}")
        if question.solution is not None:
            say(question.solution.render(lang))
        say(question.explanation.render(lang))
        labels = ", ".join(f"{g} {labels_for[g]}" for g in range(5, -1, -1))
        while True:
            overrule = f"; {OVERRULE_WORD} = {t('I was right')}" if session.can_overrule else ""
            grade_line = ask(f"grade [{labels}; Enter = {session.suggested_grade}{overrule}] > ")
            if not grade_line:
                say()
                return _bye(session, say)
            text = grade_line.strip()
            if not text:
                session.grade()
                break
            if text in {"0", "1", "2", "3", "4", "5"}:
                session.grade(int(text))
                break
            if text.casefold() == OVERRULE_WORD and session.can_overrule:
                say(f"correct: {answer} ({t(session.overrule().message)})")
                continue
            say(t("type a grade from 0 to 5, or press Enter for the suggestion"))
    return _bye(session, say)


def _read_line(stdin: TextIO) -> str:
    """One line of input; bytes that are not UTF-8 are one clear line, not a traceback."""
    try:
        line = stdin.readline()
        line.encode("utf-8")  # undecodable bytes arrive as surrogates under surrogateescape
    except UnicodeError:
        raise QuizappError("standard input is not UTF-8 text; this answer was not saved "
                           "(every answer graded before it is)") from None
    return line


def _bye(session: QuizSession, say) -> int:
    t = translator(session.ctx.settings.language)
    summary = session.summary()
    if summary.answered:
        say(f"done: {summary.answered} cards, {summary.correct} right "
            f"({summary.accuracy:.0%}); due tomorrow: {summary.due_tomorrow}")
        if summary.change is not None:
            category = session.ctx.deck.category(summary.change.category)
            name = category.zh if t.language == "zh" and category.zh else category.en
            say(summary.change.line(name, t))
    return 0
