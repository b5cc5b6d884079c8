"""The `quizapp settings` and `quizapp fsrs` commands (kept out of `quizapp.cli`, which parses
arguments and dispatches).

`quizapp settings` lists every setting, `quizapp settings KEY` prints one and `quizapp settings
KEY VALUE` changes it — checked exactly as the settings screen checks it; choosing another
algorithm, desired retention or parameters reschedules every card from the review log at once.
`quizapp fsrs optimize` fits personal FSRS parameters (the optional optimizer extra) and keeps the
old ones for `quizapp fsrs rollback`.
"""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import fields
from typing import TYPE_CHECKING

from quizapp.errors import QuizappError

if TYPE_CHECKING:
    import argparse

    from quizapp.session.context import AppContext

__all__ = ["SETTING_HELP", "backup_command", "export_command", "fsrs_command", "history_command",
           "restore_command", "settings_command", "stats_command"]


SETTING_HELP = {
    "new_per_day": "new cards per study day (0-10000)",
    "reviews_per_day": "reviews per study day (0-10000)",
    "rollover_hour": "hour a new study day starts, local time (0-23)",
    "timezone": "IANA time zone; empty = this computer's",
    "language": "en | zh | both",
    "scheduler": "sm2 | fsrs: the algorithm that decides when a card is due",
    "desired_retention": "FSRS: probability of recall it schedules for (0.70-0.97)",
    "backlog_days": "after days away, spread the backlog over this many days (1 = all today)",
}


def _say_rescheduled(ctx: AppContext, seconds: float) -> None:
    report = ctx.rescheduled
    if report is not None:
        print(f"rescheduled {report.cards} cards from {report.reviews} reviews in {seconds:.1f} s "
              f"({ctx.settings.scheduler} now decides when cards are due)", file=sys.stderr)


def _parse(key: str, text: str, current: object) -> object:
    if isinstance(current, int) and not isinstance(current, bool):
        try:
            return int(text)
        except ValueError:
            raise QuizappError(f"{key}: expected a whole number, got '{text}'") from None
    if isinstance(current, float):
        try:
            return float(text)
        except ValueError:
            raise QuizappError(f"{key}: expected a number such as 0.9, got '{text}'") from None
    return text


def settings_command(ctx: AppContext, args: argparse.Namespace) -> int:
    settings = ctx.settings
    if args.key is None:
        for key, meaning in SETTING_HELP.items():
            print(f"{key:<18} {getattr(settings, key)!s:<10}  {meaning}")
        personal = "personal (quizapp fsrs rollback goes back)" if settings.fsrs_parameters else "default"
        print(f"{'fsrs_parameters':<18} {personal}")
        return 0
    if args.key not in SETTING_HELP:
        raise QuizappError(f"unknown setting '{args.key}' (one of {', '.join(SETTING_HELP)})")
    if args.value is None:
        print(getattr(settings, args.key))
        return 0
    value = _parse(args.key, args.value, getattr(settings, args.key))
    started = time.perf_counter()
    try:
        ctx.update_settings(**{args.key: value})
    except ValueError as exc:
        raise QuizappError(str(exc)) from None
    print(f"{args.key} = {getattr(ctx.settings, args.key)}")
    if args.key in ("scheduler", "desired_retention"):
        _say_rescheduled(ctx, time.perf_counter() - started)
    return 0


def fsrs_command(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.fsrs_command == "rollback":
        previous = ctx.rollback_parameters()
        print("FSRS parameters: back to " + ("the earlier personal ones" if previous else "the defaults"))
        return 0
    from quizapp.optimize import fit

    print("fitting FSRS parameters to your reviews (this can take a few minutes)…", file=sys.stderr)
    result = fit(ctx.store, ctx.settings.fsrs())
    print(f"log loss over your {result.reviews} reviews: {result.before:.4f} with the parameters "
          f"in use, {result.after:.4f} with the fitted ones (lower is better)")
    if not result.better and not args.force:
        print("kept the parameters in use: the fitted ones predict you no better "
              "(--force uses them anyway)")
        return 0
    started = time.perf_counter()
    ctx.adopt_parameters(result.parameters)
    print("now using the fitted parameters; `quizapp fsrs rollback` goes back to the earlier ones")
    _say_rescheduled(ctx, time.perf_counter() - started)
    return 0


def stats_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from quizapp.session.insights import insights
    from quizapp.session.plan import today_plan
    from quizapp.stats import report

    today_plan(ctx, redrills=False)  # what `due` reads: a file `due` refuses, stats refuses too
    if getattr(args, "group", False):
        return _group_stats(ctx, args)
    view = report(ctx.store, ctx.deck, ctx.today(), days=args.days, charts=False)
    more = insights(ctx)
    if args.json:
        import json

        print(json.dumps(view.as_json() | more.as_json(), ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # deck text in a table cell is data, not markup

    from quizapp.quiz.text import printable

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    def num(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}"

    window = "all time" if args.days is None else f"last {args.days} day{'s' * (args.days != 1)}"
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    console.print(f"Study day {view.study_day.isoformat()} · {view.total_reviews} reviews "
                  f"({window}) · recent accuracy {pct(view.prior_accuracy)} · "
                  f"streak {view.streak_days} day{'s' * (view.streak_days != 1)}")
    labels = ("", "weak", "reviews", "acc.", "7 d", "30 d", "lapses", "new/lrn/mat", "EF", "leech")
    # A narrow terminal drops columns rather than squeezing the names ("Infer…").
    shown = [i for i, label in enumerate(labels)
             if console.width >= 104 or label not in ("7 d", "new/lrn/mat", "leech")]
    for title, groups in (("Categories, weakest first", view.categories),
                          ("Card kinds, weakest first", view.kinds)):
        table = Table(title=title, title_justify="left")
        for i in shown:
            table.add_column(labels[i], justify="right" if labels[i] else "left",
                             no_wrap=not labels[i])
        for g in groups:
            cells = (Text(printable(g.name)), num(g.weakness), str(g.reviews), pct(g.accuracy),
                     pct(g.accuracy_7), pct(g.accuracy_30), str(g.lapses),
                     f"{g.new}/{g.learning}/{g.mature}", num(g.mean_easiness), str(g.leeches))
            table.add_row(*(cells[i] for i in shown))
        console.print(table)
    console.print("weak = 1 − accuracy, recent reviews count more, few reviews are pulled towards "
                  "your average (the README's section Weak categories explains it)", style="dim")
    _print_insights(console, ctx, more)
    return 0


def migrate_command(ctx: AppContext, args: argparse.Namespace) -> int:
    """`migrate-store --to`: this store's learner(s) copied into another store; run again, it
    copies only what is new (`quizapp.store.transfer`)."""
    from quizapp import config
    from quizapp.session.transfer import copy_history

    target = config.db_path(args.to)
    if args.all_learners and args.as_user:
        raise QuizappError("--as names one learner; it does not go with --all")
    for done in copy_history(ctx, target, all_learners=args.all_learners, as_user=args.as_user):
        print(f"{done.learner}: {done.cards_added} cards, {done.reviews_added} answers and "
              f"{done.settings_added} settings copied; {done.reviews_present} answers were there already")
    return 0


def _group_stats(ctx: AppContext, args: argparse.Namespace) -> int:
    """`stats --group`: per category, the whole group's weakness and its weakest learner."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from quizapp.group_stats import group_report
    from quizapp.quiz.text import printable

    group = group_report(ctx.store, ctx.deck, ctx.today(), days=args.days)
    if args.json:
        import json

        print(json.dumps(group.as_json(), ensure_ascii=False, indent=2))
        return 0
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    console.print(f"Study day {group.pooled.study_day.isoformat()} · {len(group.learners)} "
                  f"learner{'s' * (len(group.learners) != 1)} · {group.pooled.total_reviews} reviews")
    table = Table(title="Categories, weakest for the group first", title_justify="left")
    for label in ("", "weak", "reviews", "acc.", "weakest learner"):
        table.add_column(label, justify="right" if label in ("weak", "reviews", "acc.") else "left")
    for c in group.pooled.categories:
        weakest = group.weakest_learner(c.key)
        who = Text("—" if weakest is None else f"{printable(weakest[0])} ({weakest[1]:.2f})")
        table.add_row(Text(printable(c.name)), "—" if c.weakness is None else f"{c.weakness:.2f}",
                      str(c.reviews), "—" if c.accuracy is None else f"{c.accuracy:.0%}", who)
    console.print(table)
    console.print("weak = the same formula as `quizapp stats`, over every learner's answers together",
                  style="dim")
    return 0


def _print_insights(console, ctx: AppContext, more) -> None:
    from rich.text import Text

    from quizapp.quiz.text import printable
    from quizapp.srs.metrics import MIN_REVIEWS
    from quizapp.trends import sparkline

    comparison = more.comparison
    console.print(f"\nWhich model knows you better? ({comparison.reviews} reviews scored, lower is "
                  "better; the README's section Schedulers explains it)")
    names = {"fsrs": "FSRS-6" + (" (personal)" if comparison.personal else ""), "sm2": "SM-2",
             "avg": "constant guess"}
    for s in comparison.scores:
        loss = "—" if s.log_loss is None else f"{s.log_loss:.3f}"
        rmse = "—" if s.rmse_bins is None else f"{s.rmse_bins:.3f}"
        console.print(f"  {names[s.model]:<20} log loss {loss:>6}   RMSE(bins) {rmse:>6}")
    if comparison.better is None:
        console.print(f"  too few reviews to tell yet (at least {MIN_REVIEWS} of cards seen before)",
                      style="dim")
    else:
        console.print(f"  {names[comparison.better]} predicts your recall better")
    if more.recalls:
        console.print(f"\nProbability of recall today (FSRS): mean {more.mean_recall:.0%}; lowest:")
        for recall in more.recalls[:5]:
            console.print(Text(f"  {recall.recall:>4.0%}  {printable(more.titles[recall.card_id])}"))
    console.print(f"\nReviews due, next 30 days: {sparkline_counts(list(more.forecast))}  "
                  f"(today {more.forecast[0]}, 7 days {sum(more.forecast[:7])})")
    console.print("\nWeakness per category, last 12 weeks (▁ low … █ high):")
    for trend in more.trends.categories:
        console.print(Text(f"  {printable(trend.name)[:24]:<24} {sparkline(list(trend.weakness))}"))


def sparkline_counts(values: list[int]) -> str:
    """Counts as a sparkline scaled to the largest; a day with none is a dot."""
    from quizapp.trends import sparkline

    top = float(max(values, default=0)) or 1.0
    return "".join("·" if v == 0 else sparkline([v / top]) for v in values)


def settings_fields() -> list[str]:
    """Every field of the settings (for tests: each user setting has a line of help)."""
    from quizapp.session.context import Settings

    return [f.name for f in fields(Settings)]


def backup_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp import config
    from quizapp.store.migrate import backup_database

    dest = Path(args.path).expanduser() if args.path else None
    if dest is not None and args.path.endswith("/") and not dest.is_dir():
        raise QuizappError(f"{args.path}: no such folder (a path ending in / names a folder, "
                           "which must exist)")
    print(backup_database(config.file_db_path(args.db, "backup"), dest).resolve())
    return 0




def restore_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp import config
    from quizapp.store.restore import restore

    done = restore(config.file_db_path(args.db, "restore"), Path(args.backup).expanduser())
    print(f"restored {done.db} from {done.backup} (schema {done.schema}, {done.reviews} reviews)")
    if done.kept is not None:
        print(f"the file that was there before is kept at {done.kept}")
    return 0




def export_command(ctx: AppContext, args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp import config
    from quizapp.export import default_filename, export_apkg
    from quizapp.export.front import front_language, remember_front
    from quizapp.export.stamps import read_stamps
    from quizapp.files import output_target, temp_folder

    name = default_filename(ctx.deck)
    target = output_target(args.out, name) if args.out else None  # checked before any work
    lang, switch = front_language(ctx.store, args.lang, ctx.settings.language)
    streaming = target is not None and target.to_stdout
    with temp_folder("quizapp-stdout-") if streaming else contextlib.nullcontext("") as work:
        out = Path(work) / name if streaming else (
            target.path if target and target.path else Path.cwd() / name)
        result = export_apkg(
            ctx.deck, out, store=ctx.store, categories=args.category, lang=lang,
            with_progress=args.with_progress, today=ctx.today(), tz=ctx.tz, now=ctx.now(),
            stamps=read_stamps(config.deck_paths(args.deck)), switch_front=switch)
        if streaming:
            _stream(out)
    remember_front(ctx.store, args.lang)
    where = "standard output" if streaming else result.path.resolve()
    report = sys.stderr if streaming else sys.stdout
    print(f"Exported {result.notes} notes, {result.cards} cards to {where}", file=report)
    if args.with_progress:
        print(f"  with progress: {result.progress_cards} scheduled cards, "
              f"{result.revlog} review-log rows", file=report)
    return 0


def _stream(path) -> None:
    import shutil

    with open(path, "rb") as source:
        shutil.copyfileobj(source, sys.stdout.buffer, 1 << 20)
    sys.stdout.buffer.flush()


def history_command(ctx: AppContext, args: argparse.Namespace) -> int:
    import io

    from quizapp.files import atomic_file, output_target
    from quizapp.stats import write_history_csv

    target = output_target(args.out, "quizapp-history.csv") if args.out else None
    if target is None or target.path is None:
        write_history_csv(ctx.store, sys.stdout)
        sys.stdout.flush()
        return 0
    with atomic_file(target.path, target.shown) as raw:
        handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        rows = write_history_csv(ctx.store, handle)
        handle.flush()
        handle.detach()
    print(f"Wrote {rows} reviews to {target.path}", file=sys.stderr)
    return 0
