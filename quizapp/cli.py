"""The `quizapp` command: parse arguments, hand off, turn user errors into one line and an exit code.

Imports are deferred to the command that needs them, so `quizapp --version` and `quizapp due`
never pay for Textual.
"""

from __future__ import annotations

import signal
import sys

from quizapp.errors import QuizappError
from quizapp.interrupts import install_signal_handlers, restore_default_signals, silence_output

TYPE_CHECKING = False  # not typing's: start-up imports stay tiny until main() handles signals
if TYPE_CHECKING:  # argparse and json load inside main(), after the signal handlers are in place
    import argparse
    from collections.abc import Sequence
    from pathlib import Path

    from quizapp.session.context import AppContext


def main(argv: Sequence[str] | None = None) -> int:
    previous = install_signal_handlers()
    try:
        return _main(argv)
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM, SIGHUP: everything graded is saved
        signum = getattr(exc, "signum", 2)
        if signum != 2:  # the terminal may be gone: don't fail flushing to it at exit
            silence_output()
        return 128 + signum
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]


def _main(argv: Sequence[str] | None) -> int:
    from quizapp.arguments import build_parser

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_streams(args)
        code = _dispatch(args)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not as an exit-time traceback
        return code
    except QuizappError as exc:
        from quizapp.deck.errors import DeckError

        # Deck problems stay bare `file:line: message` lines, so editors can jump to them.
        if sys.stderr is not None:
            print(str(exc) if isinstance(exc, DeckError) else f"quizapp: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `quizapp cards | head`: the reader left, which is fine
        silence_output(stderr=False)
        return 0
    except OSError as exc:  # writing to standard output failed: disk full, I/O error
        silence_output(stderr=False)
        where = exc.filename or "standard output"
        print(f"quizapp: {where}: cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 1


def _check_streams(args: argparse.Namespace) -> None:
    """A closed standard output (`>&-`) or input (`<&-`) is one line, not a traceback."""
    if sys.stdout is None:
        raise QuizappError("standard output is closed; nowhere to write (redirect it to a file "
                           "or to /dev/null)")
    if sys.stdin is None and args.command in (None, "quiz"):
        raise QuizappError("standard input is closed; the quiz reads your answers from it")


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "decks":
        return _decks_stamp(args) if args.deck_command == "stamp" else _decks_check(args)
    if args.command == "cards":
        return _cards(args)
    if args.command == "due":
        return _with_context(args, _due)
    if args.command in ("backup", "restore"):
        from quizapp import commands

        return commands.backup_command(args) if args.command == "backup" else commands.restore_command(args)
    if args.command in ("export", "history"):
        from quizapp import commands

        return _with_context(args, commands.export_command if args.command == "export"
                             else commands.history_command)
    if args.command == "stats":
        from quizapp.commands import stats_command

        return _with_context(args, stats_command)
    if args.command == "serve":
        from quizapp.serve import serve

        restore_default_signals()  # textual-serve's loop handles Ctrl-C and SIGTERM itself
        options = {"db": args.db, "deck": args.deck, "lang": getattr(args, "interface_lang", None),
                   "seed": args.seed, "user": args.user}
        return serve(options, args.host, args.port, args.public_url)
    if args.command == "migrate-store":
        from quizapp.commands import migrate_command

        return _with_context(args, migrate_command)
    if args.command in ("settings", "fsrs"):
        from quizapp import commands

        return _with_context(args, commands.settings_command if args.command == "settings"
                             else commands.fsrs_command)
    return _with_context(args, _quiz)


def _with_context(args: argparse.Namespace, command) -> int:
    from quizapp import config
    from quizapp.session.context import AppContext

    ctx = AppContext.open(config.db_path(args.db), config.deck_paths(args.deck),
                          learner=config.learner(args.user))
    if getattr(args, "interface_lang", None):
        ctx.use_language(args.interface_lang)
    if ctx.store.upgraded:
        old, copy = ctx.store.upgraded
        print(f"quizapp: upgraded {ctx.store.path} from schema {old}; the old file is kept at {copy}",
              file=sys.stderr)
    try:
        return command(ctx, args)
    finally:
        ctx.close()


def _deck_problems(paths: Sequence[str | Path]) -> bool:
    """Print every problem of the deck at `paths` (file:line lines); True if there were any."""
    from quizapp.deck.load import check_deck

    problems = check_deck(paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
    return bool(problems)


def _decks_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp import config
    from quizapp.deck.load import expand, load_deck

    paths = args.paths or [str(p) for p in config.deck_paths(args.deck)]
    if _deck_problems(paths):
        return 1
    files, _ = expand(Path(p) for p in paths)
    deck = load_deck(paths)
    print(f"ok: {len(files)} file(s), {len(deck.terms)} terms, {len(deck.cards())} cards")
    return 0


def _decks_stamp(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from quizapp import config
    from quizapp.export.stamps import stamp_deck

    paths = [Path(args.path).expanduser()] if args.path else config.deck_paths(args.deck)
    if len(paths) != 1:
        raise QuizappError("several decks are in use; name the one to stamp: quizapp decks stamp PATH")
    if _deck_problems(paths):
        return 1
    print(stamp_deck(paths[0], datetime.now(UTC)).summary)
    return 0


def _cards(args: argparse.Namespace) -> int:
    from quizapp import config
    from quizapp.deck.load import load_deck
    from quizapp.quiz.listing import list_cards
    from quizapp.quiz.text import printable

    deck = load_deck(config.deck_paths(args.deck))
    _check_categories(deck, args.category)
    rows = list_cards(deck, args.category, args.kind)
    if args.json:
        import json

        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        prompt = printable(" ".join(row.prompt_en.split()))
        prompt = prompt if len(prompt) <= 70 else prompt[:69] + "…"
        print(f"{row.id:<40} {row.kind:<9} {row.category:<12} {prompt}")
    print(f"{len(rows)} cards", file=sys.stderr)
    return 0


def _check_categories(deck, categories: list[str] | None) -> None:
    known = [c.id for c in deck.categories]
    bad = [c for c in categories or [] if c not in known]
    if bad:
        raise QuizappError(f"unknown category {', '.join(bad)} (choose from {', '.join(known)})")


def _due(ctx: AppContext, args: argparse.Namespace) -> int:
    from quizapp.quiz.linebreak import cells as cell_width
    from quizapp.quiz.text import printable
    from quizapp.session.plan import today_plan
    from quizapp.session.workload import forecast

    today = today_plan(ctx, redrills=False)  # the definitions: quizapp.srs.plan.DailyPlan
    plan = today.plan
    order = [c.id for c in ctx.deck.categories]
    if args.json:
        import json

        print(json.dumps({
            "study_day": plan.day.isoformat(),
            "due": plan.due, "new": plan.new, "reviews_today": plan.reviews,
            "new_unseen": plan.unseen, "deferred": plan.deferred,
            "scheduler": ctx.settings.scheduler,
            "forecast": forecast(ctx, plan.day),
            "categories": {c: {"due": today.category(c)[0], "new": today.category(c)[1]}
                           for c in order},
        }, ensure_ascii=False, indent=2))
        return 0
    from quizapp.i18n import translator

    t = translator(ctx.settings.language)
    zh = t.language == "zh"
    print(t("Study day {day}: {reviews} reviews and {new} new cards today", day=plan.day.isoformat(),
            reviews=plan.reviews, new=plan.new))
    if plan.deferred:
        print("  " + t("{n} more of your backlog come over the next {days} days (setting backlog_days), "
                       "most at risk first", n=plan.deferred, days=ctx.settings.backlog_days - 1))
    names = {c: printable(ctx.deck.category(c).zh if zh and ctx.deck.category(c).zh
                          else ctx.deck.category(c).en) for c in order}
    width = max(cell_width(name) for name in names.values())
    for cat in order:
        due, new = today.category(cat)
        pad = " " * (width - cell_width(names[cat]))
        print(f"  {names[cat]}{pad}  {t('due')} {due:>4}  {t('new')} {new:>4}")
    return 0


def _quiz(ctx: AppContext, args: argparse.Namespace) -> int:
    import random

    from quizapp import config
    from quizapp.session.quiz import QuizSession

    rng = random.Random(config.seed(getattr(args, "seed", None)))  # the one source, seeded or not
    categories = getattr(args, "category", None)
    cards = getattr(args, "card", None)
    weak = getattr(args, "weak", False)
    _check_categories(ctx.deck, categories)
    if weak and cards:
        raise QuizappError("--weak and --card do not go together: --weak picks the cards")
    if getattr(args, "plain", False):
        from quizapp.plain import run_plain

        if weak:
            session = QuizSession.weak(ctx, categories, rng=rng)
        elif cards:
            session = QuizSession.for_cards(ctx, cards, rng=rng)
        else:
            session = QuizSession.today(ctx, categories, rng=rng)
        return run_plain(session, sys.stdin, sys.stdout)
    from quizapp.tui.app import run_tui

    restore_default_signals()
    if weak:  # built before the screen is taken over, so "nothing to drill" is one line
        return run_tui(ctx, session=QuizSession.weak(ctx, categories, rng=rng), rng=rng)
    return run_tui(ctx, categories=categories, cards=cards, rng=rng)
