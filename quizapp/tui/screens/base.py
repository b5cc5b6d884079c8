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

from rich.cells import cell_len
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

    FOOTER_RESERVE = 0  # footer cells the keys of this screen's own widgets take (e.g. "1-9 Pick")

    def on_mount(self) -> None:
        self.fit_footer()

    def on_resize(self) -> None:
        self.fit_footer()

    def fit_footer(self) -> None:
        """Footer labels in the interface language, as many of this screen's keys as fit its
        width in the order the screen lists them; the app's Quit and Help always stay (the rest
        are on the help page and in the palette)."""
        node: Any = self
        app = node.app
        width = node.size.width or app.size.width

        def cost(binding: Any) -> int:
            return cell_len(app.get_key_display(binding)) + cell_len(self.t(binding.description)) + 3

        used = 2 + self.FOOTER_RESERVE + sum(cost(b) for b in type(app).BINDINGS if b.show)
        hidden: set[str] = set()
        for binding in type(node).BINDINGS:
            if not binding.show or node.check_action(binding.action.split("(")[0], ()) is False:
                continue
            if used + cost(binding) > width:
                hidden.add(binding.id)
            else:
                used += cost(binding)
        translate_bindings(node, self.t, hidden)


TEXTUAL_DESCRIPTIONS = {"command_palette": "palette"}  # bindings Textual adds itself, by action


def translate_bindings(node: Any, t: Translator, hidden: set[str] | frozenset[str] = frozenset()) -> None:
    """Footer and palette labels of `node` (a screen, widget or the app) in `t`'s language;
    the bindings with an id in `hidden` leave the footer (they still work).

    The class keeps the English descriptions (the catalogue's keys); the node's own copy of the
    bindings map — the one Textual applies the keymap to — gets translated copies, keys untouched.
    """
    own = {b.id: b for b in type(node).BINDINGS if getattr(b, "id", None)}
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=t(own[b.id].description),
                              show=own[b.id].show and b.id not in hidden) if b.id in own else
                      replace(b, description=t(TEXTUAL_DESCRIPTIONS[b.action]))
                      if b.action in TEXTUAL_DESCRIPTIONS else b
                      for b in bindings]
    node.refresh_bindings()


class BaseScreen(_AppAccess, Screen[ScreenResultType]):
    """A full screen of quizapp."""


class BaseModal(_AppAccess, ModalScreen[ScreenResultType]):
    """A dialog of quizapp over another screen."""
