"""Settings: daily limits, rollover hour, language; saved in the store via the context."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from quizapp.tui.screens.base import BaseScreen

LANGUAGE_CHOICES = [("English", "en"), ("中文", "zh"), ("English + 中文", "both")]
NUMBERS = {"new_per_day": "New cards per day", "reviews_per_day": "Reviews per day",
           "rollover_hour": "A new study day starts at (hour, 0–23)"}


class SettingsScreen(BaseScreen[None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings-save"),
        Binding("escape", "back", "Back (discard)", id="settings-back"),
    ]

    def compose(self) -> ComposeResult:
        settings = self.qapp.ctx.settings
        yield Header()
        with VerticalScroll(id="settings"):
            for key, label in NUMBERS.items():
                yield Label(label)
                yield Input(str(getattr(settings, key)), type="integer", id=key, compact=True)
            yield Label("Language")
            yield Select(LANGUAGE_CHOICES, value=settings.language, allow_blank=False,
                         id="language", compact=True)
            yield Static(id="settings-error")
            with Horizontal(id="settings-buttons"):
                yield Button("Save", variant="primary", id="settings-save-button")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Settings"
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
                raise ValueError(f"{NUMBERS[key]}: type a whole number") from None
        changes["language"] = self.query_one("#language", Select).value
        return changes

    def action_save(self) -> None:
        error = self.query_one("#settings-error", Static)
        try:
            self.qapp.ctx.update_settings(**self.values())
        except ValueError as exc:
            error.update(str(exc))
            return
        error.update("")
        self.notify("Settings saved", timeout=2)
        self.app.pop_screen()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_back(self) -> None:
        self.app.pop_screen()
