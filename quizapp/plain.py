"""Plain mode: the same session as lines on stdin/stdout, for screen readers and scripts.

Per card: prompt (and lettered options) → one answer line (empty = show me; an option's letter,
or the answer typed) → a verdict line starting with `correct` or `wrong` → one grade line (0–5,
empty = the suggestion). Options are letters and grades digits, so the same line twice cannot
pick and grade. A line that is not an answer (an unreadable number, a conversion left in the
prompt's unit, a letter with no option) gets `try again: …` and the answer prompt again. After a
wrong verdict on a typed answer, `right` on the grade line overrules it ("I was right"): the
answer is counted correct, logged as overridden, and the grade prompt comes again.
End of input ends the session; everything graded is already saved.
"""

from __future__ import annotations

from typing import TextIO

from quizapp.errors import QuizappError
from quizapp.quiz.drill_answers import drill_hint
from quizapp.quiz.questions import Mode, Outcome, option_key
from quizapp.quiz.text import printable
from quizapp.session.quiz import QuizSession
from quizapp.srs.sm2 import GRADE_LABELS

OVERRULE_WORD = "right"  # on the grade line after a wrong typed answer: "I was right"


def run_plain(session: QuizSession, stdin: TextIO, stdout: TextIO) -> int:
    lang = session.ctx.settings.language

    def say(text: str = "") -> None:  # deck text and echoed answers must not restyle the terminal
        stdout.write(printable(text) + "\n")
        stdout.flush()

    if session.finished:
        say("Nothing due today. Come back tomorrow, or practise with --card ID.")
        return 0
    while not session.finished:
        question = session.question
        assert question is not None
        done, total = session.progress
        say(f"[{done + 1}/{total}] {question.category} · {question.kind.value}"
            + (" · again" if session.is_redrill else ""))
        say(question.prompt.render(lang))
        if question.mode is Mode.CHOICE:
            for number, option in enumerate(question.options):
                say(f"  {option_key(number)}. {option.render(lang).replace(chr(10), ' / ')}")
        elif question.unit:
            say(f"({drill_hint(question.unit, question.tolerance, question.answer_type)})")
        session.mark_shown()
        while True:
            stdout.write("> ")
            stdout.flush()
            line = _read_line(stdin)
            if not line:
                say()
                return _bye(session, say)
            verdict = session.submit(line.strip())
            if verdict.outcome is not Outcome.RETRY:
                break
            say(f"try again: {verdict.message}")
        word = "correct" if verdict.outcome is Outcome.CORRECT else "wrong"
        answer = question.answer.render(lang).replace("\n", " / ")
        note = f" ({verdict.message})" if verdict.message else ""
        say(f"{word}: {answer}{note}")
        if question.solution is not None:
            say(question.solution.render(lang))
        say(question.explanation.render(lang))
        labels = ", ".join(f"{g} {GRADE_LABELS[g]}" for g in range(5, -1, -1))
        while True:
            overrule = f"; {OVERRULE_WORD} = I was right" if session.can_overrule else ""
            stdout.write(f"grade [{labels}; Enter = {session.suggested_grade}{overrule}] > ")
            stdout.flush()
            grade_line = _read_line(stdin)
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
                say(f"correct: {answer} ({session.overrule().message})")
                continue
            say("type a grade from 0 to 5, or press Enter for the suggestion")
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
    summary = session.summary()
    if summary.answered:
        say(f"done: {summary.answered} cards, {summary.correct} right "
            f"({summary.accuracy:.0%}); due tomorrow: {summary.due_tomorrow}")
        if summary.change is not None:
            say(summary.change.line(session.ctx.deck.category(summary.change.category).en))
    return 0
