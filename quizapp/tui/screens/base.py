"""The one base class of quizapp's screens, and what a screen may ask of the app.

Screens talk to the domain through `quizapp.session` only (the context, sessions, overviews,
browse); the app owns navigation between screens that lead to one another (quiz ↔ summary), so
no screen module imports another one it could be opened from. `AppHandle` is what screens see of
`quizapp.tui.app.QuizApp`, typed without importing it (which would be an import circle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.screen import ModalScreen, Screen, ScreenResultType

from quizapp.i18n import Translator, translator

if TYPE_CHECKING:
    from quizapp.session.context import AppContext
    from quizapp.session.quiz import QuizSession

__all__ = ["AppHandle", "BaseModal", "BaseScreen", "translate_bindings"]


class AppHandle(Protocol):
    """The part of `QuizApp` screens use."""

    ctx: AppContext
    start_categories: list[str]
    cursor_blink: bool

    @property
    def language(self) -> str: ...

    def start_today(self, categories: Sequence[str] | None = None) -> bool: ...

    def start_drill(self, category: str) -> bool: ...

    def show_summary(self, session: QuizSession) -> None: ...

    def resume_session(self, session: QuizSession) -> None: ...

    def cycle_language(self) -> str: ...


class _AppAccess:
    app: Any  # Textual's, on the screen this is mixed into

    @property
    def qapp(self) -> AppHandle:
        """The running app, typed."""
        return cast("AppHandle", self.app)

    @property
    def t(self) -> Translator:
        """The interface's words in the language the learner chose (`quizapp.i18n`)."""
        return translator(self.qapp.language)

    def on_mount(self) -> None:
        translate_bindings(self, self.t)


TEXTUAL_DESCRIPTIONS = {"command_palette": "palette"}  # bindings Textual adds itself, by action


def translate_bindings(node: Any, t: Translator) -> None:
    """Footer and palette labels of `node` (a screen, widget or the app) in `t`'s language.

    The class keeps the English descriptions (the catalogue's keys); the node's own copy of the
    bindings map — the one Textual applies the keymap to — gets translated copies, keys untouched.
    """
    english = {b.id: b.description for b in type(node).BINDINGS if getattr(b, "id", None)}
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=t(english[b.id] if b.id in english else
                                               TEXTUAL_DESCRIPTIONS[b.action]))
                      if b.id in english or b.action in TEXTUAL_DESCRIPTIONS else b
                      for b in bindings]
    node.refresh_bindings()


class BaseScreen(_AppAccess, Screen[ScreenResultType]):
    """A full screen of quizapp."""


class BaseModal(_AppAccess, ModalScreen[ScreenResultType]):
    """A dialog of quizapp over another screen."""
