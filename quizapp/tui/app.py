"""The full-screen app. A thin view: screens render what the session says and send it actions.

The app owns the `AppContext`, starts sessions and moves between the quiz and its summary; every
screen (a `quizapp.tui.screens.base.BaseScreen`) gets its numbers and actions from the session
layer (`quizapp.session`: the context, `QuizSession`, overviews, browse) and never touches the
store or a scheduling rule itself. `lint-imports` forbids `quizapp.tui` importing `quizapp.store`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.errors import QuizappError
from quizapp.session.context import LANGUAGES, AppContext
from quizapp.session.quiz import QuizSession
from quizapp.tui import safe_text

safe_text.install()  # ESC and other controls in deck text are shown, never sent to the terminal


class QuizApp(App[None]):
    TITLE = "quizapp"
    CSS_PATH = "quizapp.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(self, ctx: AppContext, categories: Sequence[str] | None = None,
                 cards: Sequence[str] | None = None, *, rng: random.Random | None = None,
                 cursor_blink: bool = True, session: QuizSession | None = None):
        super().__init__()
        self.ctx = ctx
        self.start_categories = list(categories or [])
        self.start_cards = list(cards or [])
        self.rng = rng  # tests pass a seeded one so options come in a known order
        self.cursor_blink = cursor_blink
        self.failure: QuizappError | None = None  # what stopped the app (see `stop_with`)
        # Built now so that an unknown --card id fails before the screen is taken over.
        self._first = session or (QuizSession.for_cards(ctx, self.start_cards, **self._kw())
                                  if self.start_cards else None)

    @property
    def language(self) -> str:
        return self.ctx.settings.language

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self._first is not None:
            self.start_session(self._first)
        elif self.start_categories:
            self.start_today(self.start_categories)

    # -- sessions --------------------------------------------------------------------------------
    def _kw(self) -> dict[str, object]:
        return {"rng": self.rng} if self.rng is not None else {}

    def start_session(self, session: QuizSession) -> bool:
        from quizapp.tui.screens.quiz import QuizScreen

        if session.finished:
            return False
        self.push_screen(QuizScreen(session))
        return True

    def show_summary(self, session: QuizSession) -> None:
        """The quiz screen of `session` is done (or left): replace it with the summary."""
        from quizapp.tui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(session))

    def resume_session(self, session: QuizSession) -> None:
        """Back from the summary to `session`'s quiz screen (after an undo)."""
        from quizapp.tui.screens.quiz import QuizScreen

        self.switch_screen(QuizScreen(session))

    def start_today(self, categories: Sequence[str] | None = None) -> bool:
        session = QuizSession.today(self.ctx, categories, **self._kw())
        if categories:
            names = ", ".join(self.ctx.deck.category(c).en for c in categories)
            session.title = f"Today · {names}"
        if self.start_session(session):
            return True
        if categories and len(categories) == 1:
            return self.start_drill(categories[0])
        self.notify("Nothing due today. Press w to drill your weakest category.",
                    title="All done")
        return False

    def start_drill(self, category: str) -> bool:
        """The same drill as `quizapp quiz --weak`: due cards move as usual, the rest are practice."""
        try:
            session = QuizSession.drill(self.ctx, category, **self._kw())
        except QuizappError as exc:
            self.notify(str(exc), title="Nothing to drill")
            return False
        return self.start_session(session)

    def cycle_language(self) -> str:
        current = self.ctx.settings.language
        following = LANGUAGES[(LANGUAGES.index(current) + 1) % len(LANGUAGES)]
        self.ctx.update_settings(language=following)
        return following

    def stop_with(self, error: QuizappError) -> None:
        """Leave at once because of `error` (e.g. an answer that could not be saved); `run_tui`
        raises it after the terminal is restored, so the user sees one line, no traceback."""
        self.failure = error
        self.exit(return_code=1)

    # -- actions ---------------------------------------------------------------------------------
    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette offers every action the current screen has a key for."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.action in seen or screen.check_action(binding.action, ()) is False:
                continue
            seen.add(binding.action)
            key = binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(binding.description, f"key: {key}",
                                lambda action=binding.action: screen.run_action(action))
        yield SystemCommand("Help", "Every key, on every screen (key: ?)", self.action_help)


def run_tui(ctx: AppContext, categories: Sequence[str] | None = None,
            cards: Sequence[str] | None = None, session: QuizSession | None = None,
            rng: random.Random | None = None) -> int:
    """`session`: start with this one (e.g. `QuizSession.weak`) instead of today's; `rng`: the
    one random source of every session started (`--seed`)."""
    app = QuizApp(ctx, categories, cards, session=session, rng=rng)
    app.run()
    if app.failure is not None:  # one line from the CLI, after the screen is given back
        raise app.failure
    return 0
