"""The `quizapp` command line: every command, option and help text (argparse).

Kept apart from `quizapp.cli`, which runs what was parsed; argparse is imported only when a command
line is parsed, after the signal handlers are in place.
"""

from __future__ import annotations

from quizapp import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

EXIT_USAGE = 2
MAX_DAYS = 36_500  # `stats --days`: a hundred years of study days


def build_parser() -> argparse.ArgumentParser:
    import argparse

    class OneLineParser(argparse.ArgumentParser):
        def error(self, message: str):  # type: ignore[override]
            """One line, like every other quizapp error (argparse adds the usage block)."""
            self.exit(EXIT_USAGE, f"{self.prog}: {message} (usage: {self.prog} --help)\n")

    parser = OneLineParser(
        prog="quizapp",
        description="Spaced-repetition quiz for the vocabulary of large-model compute (English / 中文).",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="database file, or a PostgreSQL server as postgresql+psycopg://user@host/db "
                             "(env QUIZAPP_DB; default: a file in your user data folder)")
    parser.add_argument("--user", metavar="NAME",
                        help="whose cards, answers and settings to use in a shared store "
                             "(env QUIZAPP_USER; default: your login name)")
    parser.add_argument("--deck", metavar="PATH", action="append",
                        help="deck file or folder to use instead of the bundled deck; repeatable "
                             "(env QUIZAPP_DECKS, paths separated by ':')")
    parser.add_argument("--lang", choices=("en", "zh", "both"), dest="interface_lang",
                        help="language of the quiz and its interface for this run (default: the "
                             "language setting, else your locale: LANG=zh_CN.UTF-8 gives 中文)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="reproducible option order and drill numbers (env QUIZAPP_SEED)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    quiz = commands.add_parser("quiz", help="today's session (the default command)")
    quiz.add_argument("--lang", choices=("en", "zh", "both"), dest="interface_lang",
                      default=argparse.SUPPRESS, help="the same as quizapp --lang")
    quiz.add_argument("--plain", action="store_true",
                      help="plain lines on stdin/stdout instead of the full-screen app")
    quiz.add_argument("--category", action="append", metavar="CAT",
                      help="only this category (repeatable)")
    quiz.add_argument("--card", action="append", metavar="ID",
                      help="practise exactly these cards; their schedule does not move")
    quiz.add_argument("--weak", action="store_true",
                      help="drill your weakest category (of --category, if given): due cards "
                           "first, then the lowest easiness; cards not due are practice")

    stats = commands.add_parser("stats", help="statistics per category and card kind, weakest first")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.add_argument("--group", action="store_true",
                       help="every learner of a shared store: the group's weakness per category "
                            "and its weakest learner (for a teacher)")
    stats.add_argument("--days", type=_positive_days, metavar="N",
                       help="count only reviews of the last N study days (default: all time)")

    history = commands.add_parser("history", help="export the whole review log")
    history.add_argument("--csv", action="store_true", required=True,
                         help="as CSV with a header row (the only format)")
    history.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    due = commands.add_parser("due", help="how many cards are due today, per category")
    due.add_argument("--json", action="store_true", help="machine-readable output")

    export = commands.add_parser("export", help="write an Anki package (.apkg) of the deck")
    export.add_argument("--out", metavar="FILE.apkg",
                        help="where to write (default: quizapp-<deck id>.apkg in this folder)")
    export.add_argument("--category", action="append", metavar="CAT",
                        help="only this category (repeatable)")
    export.add_argument("--lang", choices=("en", "zh", "both"),
                        help="language on the front of the cards, also for cards already in Anki "
                             "(default: your last --lang, else your quiz language); "
                             "the back always shows both")
    export.add_argument("--with-progress", action="store_true",
                        help="carry your schedules and review history (Anki applies them only "
                             "with 'Import any learning progress' ticked, to cards it lacks)")

    cards = commands.add_parser("cards", help="list every card the deck generates")
    cards.add_argument("--json", action="store_true", help="machine-readable output")
    cards.add_argument("--category", action="append", metavar="CAT", help="only this category (repeatable)")
    cards.add_argument("--kind", action="append", metavar="KIND",
                       choices=["def-term", "term-def", "trap", "scenario", "drill"],
                       help="only this card kind (repeatable)")

    backup = commands.add_parser("backup", help="copy the database (safe while quizapp runs)")
    backup.add_argument("path", nargs="?", metavar="PATH",
                        help="file or folder to write (default: next to the database, timestamped)")

    restore = commands.add_parser(
        "restore", help="put a backup in the database's place (never copy files by hand)")
    restore.add_argument("backup", metavar="BACKUP", help="a file written by `quizapp backup`")

    migrate = commands.add_parser(
        "migrate-store", help="copy your history into another store (a shared server, or back to a file)")
    migrate.add_argument("--to", required=True, metavar="PATH|URL",
                         help="the store to copy into, e.g. postgresql+psycopg://you@host/quizapp")
    migrate.add_argument("--as", dest="as_user", metavar="NAME",
                         help="your learner name there (default: the same as here)")
    migrate.add_argument("--all", action="store_true", dest="all_learners",
                         help="copy every learner of this store, each under their own name")

    serve = commands.add_parser(
        "serve", help="the quiz in a web browser (no login of its own: keep it on localhost or "
                      "behind an authenticating proxy)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--public-url", metavar="URL",
                       help="the address browsers use, when a proxy stands in front (e.g. https://quiz.example.org)")

    settings = commands.add_parser("settings", help="show or change a setting (no KEY: all of them)")
    settings.add_argument("key", nargs="?", metavar="KEY", help="e.g. scheduler, desired_retention")
    settings.add_argument("value", nargs="?", metavar="VALUE", help="the new value, e.g. fsrs, 0.9")

    fsrs = commands.add_parser("fsrs", help="personal FSRS parameters")
    fsrs_commands = fsrs.add_subparsers(dest="fsrs_command", metavar="ACTION", required=True)
    optimize = fsrs_commands.add_parser(
        "optimize", help="fit parameters to your reviews (needs 512; pip install 'quizapp[optimizer]')")
    optimize.add_argument("--force", action="store_true",
                          help="use the fitted parameters even if they predict you no better")
    fsrs_commands.add_parser("rollback", help="go back to the parameters used before the last fit")

    decks = commands.add_parser("decks", help="deck tools")
    deck_commands = decks.add_subparsers(dest="deck_command", metavar="ACTION", required=True)
    check = deck_commands.add_parser("check", help="validate deck files and report every problem")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="files or folders (default: the decks in use)")
    stamp = deck_commands.add_parser("stamp", help="update the deck's Anki stamp file (see README)")
    stamp.add_argument("path", nargs="?", metavar="PATH", help="a deck file or folder (default: the deck in use)")
    return parser


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got '{text}'")
    return int(text)


def _positive_days(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, 1 or more and at most "
                                         f"{MAX_DAYS}, got '{text}'")
    return value
