"""Quiz: prompt, answer, verdict and grade on one screen.

Two states, switched by the `-answered` class: asking (typed input or numbered options) and
judged (verdict + grade row). The screen only renders what `QuizSession` says and forwards keys.
A quizapp error while saving (the store failing) is shown as one notice and the verdict stays, so
the grade can be given again; nothing is lost and no traceback is shown.
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
from quizapp.tui.screens.base import BaseScreen, translate_bindings
from quizapp.tui.widgets import render
from quizapp.tui.widgets.choices import ChoiceList
from quizapp.tui.widgets.wrapped import wrapped

KIND_NAMES = {"def-term": "definition → term", "term-def": "term → definition",
              "trap": "look-alike", "scenario": "scenario", "drill": "estimate"}
CHROME_ROWS = 8  # header, progress row, margins, grade row, footer: what the verdict must leave
GRADE_KEYS = "012345"  # grades are digits; options are letters (quizapp.tui.widgets.choices)
RETRY_MARK = "↺"
OVERRULE_LABEL = "I was right"  # after a wrong verdict on a typed answer
NARROW = 72  # below this the progress bar gives its room to the badges


class QuizScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("escape", "leave", "Leave", id="quiz-leave"),
        Binding("enter", "accept", "Accept", id="quiz-accept"),
        Binding("0", "grade(0)", "Grade", key_display="0-5", id="quiz-grade-0"),
        *(Binding(g, f"grade({g})", f"Grade {g}", show=False, id=f"quiz-grade-{g}")
          for g in GRADE_KEYS[1:]),
        Binding("u,ctrl+z", "undo", "Undo", id="quiz-undo", show=False),
        Binding("l", "app.language", "Language", id="quiz-language", show=False),
        Binding("r", "overrule", OVERRULE_LABEL, id="quiz-overrule"),
    ]

    FOOTER_RESERVE = 12  # the options' "1-9 Pick"

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
        yield Input(id="answer")
        yield Static(id="grades")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#answer", Input).cursor_blink = self.qapp.cursor_blink
        self.show_question()
        self.set_interval(15, self.show_clock)

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
        self.query_one("#verdict", Static).update("")
        self.query_one("#grades", Static).update("")
        answer = self.query_one("#answer", Input)
        answer.value = ""
        self.relabel()
        choices = self.query_one(ChoiceList)
        if question.mode is Mode.CHOICE:
            self.set_class(True, "-choice")
            choices.focus()
        else:
            self.set_class(False, "-choice")
            answer.focus()
        self.query_one("#quiz-body").scroll_home(animate=False)
        self.call_after_refresh(self.session.mark_shown)

    def relabel(self) -> None:
        """Draw the current card in the current language; the typed answer, the highlighted
        option and the verdict state stay as they are (`l` may come mid-question)."""
        question = self.session.question
        if question is None:
            return
        t = self.t
        first, _, rest = self.session.title.partition(" · ")  # "Today · Hardware": English head
        self.sub_title = t(first) + (f" · {rest}" if rest else "")
        translate_bindings(self.query_one(ChoiceList), t)
        self.fit_footer()
        done, total = self.session.progress
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.show_clock()
        category = render.category_name(self.qapp.ctx.deck.category(question.category), self.lang,
                                        short=True)
        badges = [(f" {category} ", "reverse $primary"), " ",
                  (f" {t(KIND_NAMES.get(question.kind.value, question.kind.value))} ",
                   "reverse $secondary")]
        if self.session.is_redrill:
            badges = [(f" {t('again')} ", "reverse $warning"), " ", *badges]
        self.query_one("#badges", Static).update(Content.assemble(*badges))
        self.query_one("#prompt", Static).update(wrapped(render.text(question.prompt, self.lang, "bold")))
        hints = []
        if question.hint is not None:
            hints.append(question.hint.render(self.lang))
        if question.unit:
            hints.append(drill_hint(question.unit, question.tolerance, question.answer_type, t))
        hint = self.query_one("#hint", Static)
        hint.update(wrapped(" · ".join(hints)))
        hint.display = bool(hints)
        self.query_one("#answer", Input).placeholder = t("type the answer · Enter on empty = show me")
        if question.mode is Mode.CHOICE:
            self.query_one(ChoiceList).show(question.options, self.lang, keep=True)
        if self.session.verdict is not None:
            self.show_verdict(focus=False)

    def show_clock(self) -> None:
        """n/total, minutes spent and about how many are left."""
        t = self.t
        done, total = self.session.progress
        minutes = int(self.session.elapsed // 60)
        left = self.session.minutes_left()
        text = f"{min(done + 1, total)}/{total} · {t('{n} min', n=minutes)}"
        if left and self.size.width >= NARROW:
            text += " · " + t("about {n} min left", n=left)
        self.query_one("#count", Static).update(Content(text))

    def show_verdict(self, focus: bool = True) -> None:
        question, result = self.session.question, self.session.verdict
        assert question is not None and result is not None
        self.add_class("-answered")
        body = self.query_one("#quiz-body")
        body.can_focus = True  # ↑/↓ scroll a long explanation
        body.styles.max_height = max(5, self.size.height - CHROME_ROWS)
        self.query_one("#verdict", Static).update(
            wrapped(render.verdict(question, result, self.lang, self.t)))
        self.query_one("#grades", Static).update(
            wrapped(render.grade_row(self.session.suggested_grade, self.lang, self.t)))
        if focus:
            body.focus()
        self.fit_footer()

    def on_resize(self) -> None:
        self.fit_footer()
        self.set_class(self.size.width < NARROW, "-narrow")
        if self.has_class("-answered"):
            self.query_one("#quiz-body").styles.max_height = max(5, self.size.height - CHROME_ROWS)
        if self.session.question is not None:
            self.show_clock()

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

    def _saved(self, step) -> bool:
        """Run a step that writes to the store. A quizapp error the learner can fix (the file
        became unwritable, the disk is full, the lock is held) becomes one notice and the screen
        stays as it is, verdict included, so the grade can be given again; one that cannot be
        worked around (the database file was replaced or deleted: `recoverable` False) ends the
        app with its line and a non-zero exit code. Returns whether the step worked."""
        try:
            step()
        except QuizappError as exc:
            if not getattr(exc, "recoverable", True):
                self.qapp.stop_with(exc)
                return False
            self.notify(str(exc), title=self.t("Not saved — try again"), severity="error",
                        timeout=10)
            return False
        return True

    def action_grade(self, grade: int) -> None:
        self._grade(int(grade))

    def action_accept(self) -> None:
        self._grade(None)

    def _grade(self, grade: int | None) -> None:
        """Save the grade (None: the suggested one); see `_saved` for when it cannot be."""
        if self.session.verdict is None:
            return
        if self._saved(lambda: self.session.grade(grade) if grade is not None else self.session.grade()):
            self.show_question()

    def action_overrule(self) -> None:
        """ "I was right": the wrong verdict on a typed answer is overruled and counted correct."""
        if not self.session.can_overrule:
            return
        self.session.overrule()
        self.show_verdict()

    def action_undo(self) -> None:
        taken: list[object] = []
        if not self._saved(lambda: taken.append(self.session.undo())) or taken[0] is None:
            return
        last = taken[0]
        self.notify(self.t("Took back grade {grade}; answer it again.", grade=last.grade),  # type: ignore[attr-defined]
                    title=self.t("Undone"), timeout=3)
        self.show_question()

    def action_leave(self) -> None:
        if self.session.history:
            self.finish()
        else:
            self.app.pop_screen()
