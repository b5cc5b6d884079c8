"""The one base class of quizapp's screens, and what a screen may ask of the app.

Screens talk to the domain through `quizapp.session` only (the context, sessions, overviews,
browse); the app owns navigation between screens that lead to one another (quiz ↔ summary), so
no screen module imports another one it could be opened from. `AppHandle` is what screens see of
`quizapp.tui.app.QuizApp`, typed without importing it (which would be an import circle).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.screen import ModalScreen, Screen, ScreenResultType

if TYPE_CHECKING:
    from quizapp.session.context import AppContext
    from quizapp.session.quiz import QuizSession

__all__ = ["AppHandle", "BaseModal", "BaseScreen"]


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


class BaseScreen(_AppAccess, Screen[ScreenResultType]):
    """A full screen of quizapp."""


class BaseModal(_AppAccess, ModalScreen[ScreenResultType]):
    """A dialog of quizapp over another screen."""
