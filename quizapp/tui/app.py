"""The full-screen app. A thin view: screens render what the session says and send it actions.

The app owns the `AppContext`, starts sessions and moves between the quiz and its summary; every
screen (a `quizapp.tui.screens.base.BaseScreen`) gets its numbers and actions from the session
layer (`quizapp.session`: the context, `QuizSession`, overviews, browse) and never touches the
store or a scheduling rule itself. `lint-imports` forbids `quizapp.tui` importing `quizapp.store`.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable, Sequence

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.errors import QuizappError
from quizapp.i18n import Translator, translator
from quizapp.session.context import LANGUAGES, AppContext
from quizapp.session.quiz import QuizSession
from quizapp.tui import safe_text
from quizapp.tui.screens.base import translate_bindings
from quizapp.tui.widgets.render import LANGUAGE_NAMES, category_name

safe_text.install()  # ESC and other controls in deck text are shown, never sent to the terminal


class QuizApp(App[None]):
    TITLE = "quizapp"
    CSS_PATH = "quizapp.tcss"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        # The README promises Ctrl-C ends quizapp (every answer is saved as it is graded).
        Binding("ctrl+c", "quit", "Quit", id="quit-ctrl-c", priority=True, show=False),
        Binding("question_mark,f1", "help", "Help", id="help"),  # F1 while typing in a field
        Binding("ctrl+l", "language", "Language", id="language", priority=True, show=False),
    ]

    def __init__(self, ctx: AppContext, categories: Sequence[str] | None = None,
                 cards: Sequence[str] | None = None, *, rng: random.Random | None = None,
                 cursor_blink: bool = True, session: QuizSession | None = None,
                 monotonic: Callable[[], float] | None = None):
        """`monotonic`: the sessions' stopwatch (snapshot tests pin it, so timers and
        suggested grades do not depend on how fast the machine is)."""
        super().__init__()
        self.monotonic = monotonic
        self.ctx = ctx
        self.start_categories = list(categories or [])
        self.start_cards = list(cards or [])
        self.rng = rng  # tests pass a seeded one so options come in a known order
        self.cursor_blink = cursor_blink
        self.failure: QuizappError | None = None  # what stopped the app (see `stop_with`)
        # Built now so that an unknown --card id fails before the screen is taken over.
        self._first = session or (QuizSession.for_cards(ctx, self.start_cards, **self._kw())
                                  if self.start_cards else None)
        self.fatal: str | None = None  # why the app had to stop, printed after the screen is back

    @property
    def t(self) -> Translator:
        return translator(self.language)

    @property
    def language(self) -> str:
        return self.ctx.settings.language

    def on_mount(self) -> None:
        from quizapp.tui.screens.home import HomeScreen

        translate_bindings(self, self.t)
        self.title = self.t("quizapp")
        self.push_screen(HomeScreen())
        if self._first is not None:
            self.start_session(self._first)
        elif self.start_categories:
            self.start_today(self.start_categories)

    # -- sessions --------------------------------------------------------------------------------
    def _kw(self) -> dict[str, object]:
        kw: dict[str, object] = {"rng": self.rng} if self.rng is not None else {}
        if self.monotonic is not None:
            kw["monotonic"] = self.monotonic
        return kw

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
            names = ", ".join(category_name(self.ctx.deck.category(c), self.language, short=True)
                              for c in categories)
            session.title = f"Today · {names}"  # the screens translate the head
        else:
            session.title = "Today"
        if self.start_session(session):
            return True
        if categories and len(categories) == 1:
            return self.start_drill(categories[0])
        self.notify(self.t("Nothing due today. Press w to drill your weakest category."),
                    title=self.t("All done"))
        return False

    def start_drill(self, category: str) -> bool:
        """The same drill as `quizapp quiz --weak`: due cards move as usual, the rest are practice."""
        try:
            session = QuizSession.drill(self.ctx, category, **self._kw())
        except QuizappError as exc:
            self.notify(str(exc), title=self.t("Nothing to drill"))
            return False
        session.title = "Drill · " + category_name(self.ctx.deck.category(category), self.language,
                                                   short=True)
        return self.start_session(session)

    def cycle_language(self) -> str:
        """English → 中文 → both, saved; every open screen is drawn again in the new language
        (a quiz keeps the answer being typed: only labels and deck text change)."""
        current = self.ctx.settings.language
        following = LANGUAGES[(LANGUAGES.index(current) + 1) % len(LANGUAGES)]
        try:
            self.ctx.update_settings(language=following)
        except QuizappError as exc:
            self.notify(str(exc), title=self.t("Not saved"), severity="error")
            return current
        translate_bindings(self, self.t)
        self.title = self.t("quizapp")
        for screen in self.screen_stack:
            if hasattr(screen, "fit_footer"):
                screen.fit_footer()
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                relabel()
        return following

    def action_language(self) -> None:
        language = self.cycle_language()
        self.notify(self.t("Language: {name}", name=LANGUAGE_NAMES[language]), timeout=2)

    # -- the error boundary ----------------------------------------------------------------------
    def stop_with(self, error: QuizappError) -> None:
        """Leave at once because of `error` (e.g. the database file was replaced); `run_tui`
        raises it after the terminal is restored, so the user sees one line, no traceback."""
        self.failure = error
        self.exit(return_code=getattr(error, "exit_code", 1) or 1)

    def _handle_exception(self, error: Exception) -> None:
        """Nothing may reach the learner as a traceback. A quizapp error (store, deck) that no
        screen recovered from ends the app with its one line and a non-zero exit code; anything
        else is a bug, reported in one line too (the details go to Textual's log)."""
        if isinstance(error, QuizappError):
            self.stop_with(error)
            return
        if self.is_headless:  # under a test: a bug must fail it with its traceback
            super()._handle_exception(error)
            return
        self.fatal = f"quizapp: internal error ({type(error).__name__}: {error}); " \
                     "everything graded so far is saved"
        self.log.error(repr(error))
        self.exit(return_code=1)

    # -- actions ---------------------------------------------------------------------------------
    def action_help(self) -> None:
        from quizapp.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette offers every action the current screen has a key for (once, only
        when it can run now: no grades before an answer), then Textual's own commands."""
        t = self.t
        seen: set[str] = set()
        for _key, binding in screen._bindings:
            if not binding.description or binding.action in seen:
                continue
            name = binding.action.split("(")[0]
            if name in ("quit", "app.quit") or screen.check_action(name, ()) is False:
                continue
            seen.add(binding.action)
            key = binding.key_display or self.get_key_display(binding)
            yield SystemCommand(binding.description, t("Key: {key}", key=key),
                                lambda action=binding.action: screen.run_action(action))
        yield SystemCommand(t("Help"), t("Every key, on every screen (key: ?)"), self.action_help)
        yield SystemCommand(t("Quit"), t("Everything graded is saved (key: Ctrl+Q)"), self.action_quit)
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command


def run_tui(ctx: AppContext, categories: Sequence[str] | None = None,
            cards: Sequence[str] | None = None, session: QuizSession | None = None,
            rng: random.Random | None = None) -> int:
    """`session`: start with this one (e.g. `QuizSession.weak`) instead of today's; `rng`: the
    one random source of every session started (`--seed`). Keys remapped in keys.toml
    (`quizapp.tui.keys`; ids from `binding_ids`) apply; each bad entry is one line on stderr before the screen opens."""
    from quizapp.config import keys_path
    from quizapp.tui.keys import load_keymap

    keymap, problems = load_keymap(keys_path(), binding_ids())
    for problem in problems:
        print(problem, file=sys.stderr)
    app = QuizApp(ctx, categories, cards, session=session, rng=rng)
    if keymap:
        app.set_keymap(keymap)
    app.run()
    if app.failure is not None:  # one line from the CLI, after the screen is given back
        raise app.failure
    if app.fatal:
        print(app.fatal, file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def binding_ids() -> dict[str, str]:
    """Every binding id of quizapp → its default key(s), app first, then screen by screen."""
    from quizapp.tui.screens.browse import BrowseScreen
    from quizapp.tui.screens.help import HelpScreen
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.picker import CategoryPicker
    from quizapp.tui.screens.quiz import QuizScreen
    from quizapp.tui.screens.settings import SettingsScreen
    from quizapp.tui.screens.stats import StatsScreen
    from quizapp.tui.screens.summary import SummaryScreen
    from quizapp.tui.widgets.choices import ChoiceList

    ids: dict[str, str] = {}
    for owner in (QuizApp, HomeScreen, QuizScreen, ChoiceList, SummaryScreen, BrowseScreen,
                  StatsScreen, SettingsScreen, CategoryPicker, HelpScreen):
        for binding in owner.BINDINGS:
            if binding.id:
                ids[binding.id] = binding.key
    return ids
