"""Quiz: prompt, answer, verdict and grade on one screen.

Two states, switched by the `-answered` class: asking (typed input or numbered options) and
judged (verdict + grade row). The screen only renders what `QuizSession` says and forwards keys.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Input, ProgressBar, Static

from quizapp.errors import QuizappError
from quizapp.quiz.drill_answers import drill_hint
from quizapp.quiz.questions import Mode, Outcome
from quizapp.session.quiz import QuizSession
from quizapp.tui.screens.base import BaseScreen
from quizapp.tui.widgets import render
from quizapp.tui.widgets.choices import ChoiceList

KIND_NAMES = {"def-term": "definition → term", "term-def": "term → definition",
              "trap": "look-alike", "scenario": "scenario", "drill": "estimate"}
CHROME_ROWS = 8  # header, progress row, margins, grade row, footer: what the verdict must leave
GRADE_KEYS = "012345"  # grades are digits; options are letters (quizapp.tui.widgets.choices)
RETRY_MARK = "↺ Try again:"
OVERRULE_LABEL = "I was right"  # after a wrong verdict on a typed answer


class QuizScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("escape", "leave", "Leave (saved)", id="quiz-leave"),
        Binding("enter", "accept", "Accept suggested", id="quiz-accept"),
        Binding("0", "grade(0)", "Grade", key_display="0-5", id="quiz-grade-0"),
        *(Binding(g, f"grade({g})", f"Grade {g}", show=False, id=f"quiz-grade-{g}")
          for g in GRADE_KEYS[1:]),
        Binding("u,ctrl+z", "undo", "Undo last", id="quiz-undo"),
        Binding("r", "overrule", OVERRULE_LABEL, id="quiz-overrule"),
    ]

    def __init__(self, session: QuizSession):
        super().__init__()
        self.session = session

    @property
    def lang(self) -> str:
        return self.qapp.language

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="quiz-top"):
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
            yield Static(id="count")
            yield Static(id="badges")
        with VerticalScroll(id="quiz-body"):
            yield Static(id="prompt")
            yield Static(id="hint")
            yield Static(id="verdict")
        yield ChoiceList(id="choices")
        yield Input(placeholder="type the answer · Enter on empty = show me", id="answer")
        yield Static(id="grades")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.session.title
        self.query_one("#answer", Input).cursor_blink = self.qapp.cursor_blink
        self.show_question()

    # -- rendering -------------------------------------------------------------------------------
    def show_question(self) -> None:
        question = self.session.question
        if question is None:
            self.finish()
            return
        self.remove_class("-answered")
        body = self.query_one("#quiz-body")
        body.can_focus = False  # Tab stays on the answer
        body.styles.max_height = None  # the stylesheet's share, so the options fit below
        done, total = self.session.progress
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#count", Static).update(f"{done + 1}/{total}")
        category = self.qapp.ctx.deck.category(question.category)
        name = category.zh if self.lang == "zh" and category.zh else category.en
        badges = [(f" {name} ", "reverse $primary"), " ",
                  (f" {KIND_NAMES.get(question.kind.value, question.kind.value)} ",
                   "reverse $secondary")]
        if self.session.is_redrill:
            badges += [" ", (" again ", "reverse $warning")]
        self.query_one("#badges", Static).update(Content.assemble(*badges))
        self.query_one("#prompt", Static).update(
            render.text(question.prompt, self.lang, "bold"))
        hints = []
        if question.hint is not None:
            hints.append(question.hint.render(self.lang))
        if question.unit:
            hints.append(drill_hint(question.unit, question.tolerance, question.answer_type))
        hint = self.query_one("#hint", Static)
        hint.update(Content(" · ".join(hints)))
        hint.display = bool(hints)
        self.query_one("#verdict", Static).update("")
        self.query_one("#grades", Static).update("")
        choices = self.query_one(ChoiceList)
        answer = self.query_one("#answer", Input)
        answer.value = ""
        if question.mode is Mode.CHOICE:
            self.set_class(True, "-choice")
            choices.show(question.options, self.lang)
            choices.focus()
        else:
            self.set_class(False, "-choice")
            answer.focus()
        self.query_one("#quiz-body").scroll_home(animate=False)
        self.call_after_refresh(self.session.mark_shown)

    def show_verdict(self) -> None:
        question, result = self.session.question, self.session.verdict
        assert question is not None and result is not None
        self.add_class("-answered")
        body = self.query_one("#quiz-body")
        body.can_focus = True  # ↑/↓ scroll a long explanation
        body.styles.max_height = max(5, self.size.height - CHROME_ROWS)
        self.query_one("#verdict", Static).update(render.verdict(question, result, self.lang))
        self.query_one("#grades", Static).update(
            render.grade_row(self.session.suggested_grade, self.lang))
        self.query_one("#quiz-body").focus()
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.has_class("-answered"):
            self.query_one("#quiz-body").styles.max_height = max(5, self.size.height - CHROME_ROWS)

    def finish(self) -> None:
        self.qapp.show_summary(self.session)

    # -- answering -------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer(event.value)

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        self.answer(event.number)

    def answer(self, response: str | int | None) -> None:
        """Judge `response`; one that is not an answer (`RETRY`) says why and asks again."""
        if self.session.verdict is not None:
            return
        result = self.session.submit(response)
        if result.outcome is Outcome.RETRY:
            self.query_one("#verdict", Static).update(
                Content.assemble((f"{RETRY_MARK} ", "bold $warning"), (result.message, "$warning")))
            return
        self.show_verdict()

    # -- grading ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"grade", "accept"}:
            return self.session.verdict is not None
        if action == "undo":
            return bool(self.session.history)
        if action == "overrule":
            return self.session.can_overrule
        return True

    def action_grade(self, grade: int) -> None:
        self._grade(int(grade))

    def action_accept(self) -> None:
        self._grade(None)

    def _grade(self, grade: int | None) -> None:
        """Save the grade; if it cannot be saved (the database file was replaced, the disk is
        full …) leave the app with that one line rather than going on without saving."""
        if self.session.verdict is None:
            return
        try:
            self.session.grade(grade) if grade is not None else self.session.grade()
        except QuizappError as exc:
            self.app.stop_with(exc)
            return
        self.show_question()

    def action_overrule(self) -> None:
        """ "I was right": the wrong verdict on a typed answer is overruled and counted correct."""
        if not self.session.can_overrule:
            return
        self.session.overrule()
        self.show_verdict()

    def action_undo(self) -> None:
        last = self.session.undo()
        if last is None:
            return
        self.notify(f"Took back grade {last.grade}; answer it again.", title="Undone", timeout=3)
        self.show_question()

    def action_leave(self) -> None:
        if self.session.history:
            self.finish()
        else:
            self.app.pop_screen()
