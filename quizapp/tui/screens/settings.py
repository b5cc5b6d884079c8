"""Settings: daily limits, rollover hour, backlog days, language, the scheduling algorithm and
FSRS's desired retention; saved in the store via the context (choosing another algorithm or
retention reschedules every card from the review log)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from quizapp.tui.screens.base import BaseScreen

LANGUAGE_CHOICES = [("English", "en"), ("中文", "zh"), ("English + 中文", "both")]
SCHEDULER_CHOICES = [("SM-2 (exact; the default)", "sm2"), ("FSRS-6", "fsrs")]
NUMBERS = {"new_per_day": "New cards per day", "reviews_per_day": "Reviews per day",
           "rollover_hour": "A new study day starts at (hour, 0–23)",
           "backlog_days": "After days away, spread the backlog over (days, 1 = all today)"}
RETENTION_LABEL = "FSRS desired retention (0.70–0.97)"


class SettingsScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings-save"),
        Binding("escape", "back", "Back", id="settings-back"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.qapp.ctx.settings
        t = self.t
        yield Header()
        with VerticalScroll(id="settings"):
            for key, label in NUMBERS.items():
                yield Label(t(label))
                yield Input(str(getattr(settings, key)), type="integer", id=key, compact=True)
            yield Label(t("Language"))
            yield Select(LANGUAGE_CHOICES, value=settings.language, allow_blank=False,
                         id="language", compact=True)
            yield Label(t("Scheduler (see the README)"))
            yield Select([(t(label), value) for label, value in SCHEDULER_CHOICES],
                         value=settings.scheduler, allow_blank=False, id="scheduler", compact=True)
            yield Label(t(RETENTION_LABEL))
            yield Input(f"{settings.desired_retention:g}", type="number", id="desired_retention",
                        compact=True)
            yield Static(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button(t("Save"), variant="primary", id="settings-save-button")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = self.t("Settings")
        for field in self.query(Input):
            field.cursor_blink = self.qapp.cursor_blink
        self.query_one("#new_per_day", Input).focus()

    def values(self) -> dict[str, object]:
        changes: dict[str, object] = {}
        for key in NUMBERS:
            raw = self.query_one(f"#{key}", Input).value.strip()
            try:
                changes[key] = int(raw)
            except ValueError:
                raise ValueError(self.t("{label}: type a whole number", label=self.t(NUMBERS[key]))) from None
        changes["language"] = self.query_one("#language", Select).value
        changes["scheduler"] = self.query_one("#scheduler", Select).value
        raw = self.query_one("#desired_retention", Input).value.strip()
        try:
            changes["desired_retention"] = float(raw)
        except ValueError:
            raise ValueError(self.t("{label}: type a number such as 0.9", label=self.t(RETENTION_LABEL))) from None
        return changes

    def action_save(self) -> None:
        error = self.query_one("#settings-error", Static)
        try:
            self.qapp.ctx.update_settings(**self.values())
        except ValueError as exc:
            error.update(str(exc))
            return
        error.update("")
        report = self.qapp.ctx.rescheduled
        self.qapp.ctx.rescheduled = None
        self.notify(self.t("Settings saved") if report is None else
                    self.t("Settings saved; {cards} cards rescheduled from {reviews} reviews",
                           cards=report.cards, reviews=report.reviews), timeout=3)
        self.app.pop_screen()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_back(self) -> None:
        self.app.pop_screen()
