"""Quiz: prompt, answer, verdict and grade on one screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from quizapp.quiz.questions import Mode, Outcome
from quizapp.session.quiz import QuizSession
from quizapp.srs.sm2 import GRADE_LABELS


class QuizScreen(Screen[None]):
    BINDINGS = [Binding("escape", "leave", "Leave (progress is saved)", id="leave")]

    def __init__(self, session: QuizSession):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress")
        yield Static(id="prompt")
        yield Static(id="options")
        yield Input(placeholder="answer (Enter on empty = show me)", id="answer")
        yield Static(id="verdict")
        yield Footer()

    def on_mount(self) -> None:
        self.show_question()

    @property
    def lang(self) -> str:
        return self.session.ctx.settings.language

    def show_question(self) -> None:
        question = self.session.question
        if question is None:
            self.app.pop_screen()
            return
        done, total = self.session.progress
        self.query_one("#progress", Static).update(
            Text(f"{done}/{total} · {question.category} · {question.kind.value}"))
        self.query_one("#prompt", Static).update(Text(question.prompt.render(self.lang)))
        options = "\n".join(f"{i}. {o.render(self.lang)}" for i, o in
                            enumerate(question.options, start=1)) if question.mode is Mode.CHOICE else ""
        self.query_one("#options", Static).update(Text(options))
        self.query_one("#verdict", Static).update("")
        answer = self.query_one("#answer", Input)
        answer.value = ""
        answer.disabled = False
        answer.focus()
        self.call_after_refresh(self.session.mark_shown)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.session.verdict is not None:
            return
        verdict = self.session.submit(event.value)
        question = self.session.question
        assert question is not None
        word = "✔ correct" if verdict.outcome is Outcome.CORRECT else "✘ wrong"
        lines = [f"{word}: {question.answer.render(self.lang)}"]
        if verdict.message:
            lines.append(verdict.message)
        if question.solution is not None:
            lines.append(question.solution.render(self.lang))
        lines.append(question.explanation.render(self.lang))
        grades = "  ".join(f"{g} {GRADE_LABELS[g]}" for g in range(6))
        lines.append(f"\nGrade: {grades}   (Enter = {self.session.suggested_grade})")
        self.query_one("#verdict", Static).update(Text("\n".join(lines)))
        event.input.disabled = True
        self.focus()

    def on_key(self, event) -> None:  # noqa: ANN001
        if self.session.verdict is None:
            return
        if event.key in {"0", "1", "2", "3", "4", "5"}:
            self.session.grade(int(event.key))
        elif event.key == "enter":
            self.session.grade()
        else:
            return
        event.stop()
        self.show_question()

    def action_leave(self) -> None:
        self.app.pop_screen()
