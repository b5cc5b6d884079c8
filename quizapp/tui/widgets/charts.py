"""Small text charts for the statistics screen: a sparkline per weak-category trend, the study
calendar heatmap and the model comparison. Pure functions to `Content`; deck text (category names)
only ever enters as plain strings."""

from __future__ import annotations

from datetime import date, timedelta

from rich.cells import cell_len
from textual.content import Content

from quizapp.i18n import Translator
from quizapp.srs.metrics import MIN_REVIEWS
from quizapp.trends import sparkline
from quizapp.tui.widgets.render import fit

SHADES = "·░▒▓█"  # no answers, then four levels up to the busiest day
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
MODEL_NAMES = {"fsrs": "FSRS-6", "sm2": "SM-2", "avg": "constant guess"}


def trend_rows(trends, t: Translator | None = None, width: int = 22, names=None) -> Content:
    """A row per category: name, its weakness week by week (▁ strong … █ weak), now, rank.
    `names`: category id → the name to show (default: the trend's own)."""
    t = t or Translator("en")
    names = names or {}
    rows = [Content.assemble((t("▁ strong … █ weak, one mark a week, oldest left"), "$text-muted"))]
    for trend in trends.categories:
        now = trend.weakness[-1]
        rank = trend.rank[-1]
        rows.append(Content.assemble(
            fit(names.get(trend.category, trend.name), width), " ", (sparkline(trend.weakness), "$warning"),
            ("  " + t("now") + " " if now is not None else "  " + t("no reviews yet"), "$text-muted"),
            f"{now:.2f}" if now is not None else "",
            (f"  #{rank}" if rank is not None else "", "$text-muted")))
    return Content("\n").join(rows)


def heatmap(start: date, weeks: tuple[tuple[int | None, ...], ...], t: Translator | None = None,
            limit: int | None = None) -> Content:
    """Weeks as columns (oldest left), Monday to Sunday as rows; denser = more answers (the
    busiest day is █); a legend line under it. `limit`: only the latest weeks that fit."""
    t = t or Translator("en")
    if limit is not None and len(weeks) > limit:
        start += timedelta(days=7 * (len(weeks) - limit))
        weeks = weeks[-limit:]
    busiest = max((n for week in weeks for n in week if n), default=0)
    months = ["    "]
    for w in range(len(weeks)):
        first = start + timedelta(days=7 * w)
        month = first.strftime("%b")[:2] if t.language == "en" else f"{first.month:<2}"
        months.append(month if first.day <= 7 else "  ")
    rows = [Content.assemble(("".join(months), "$text-muted"))]
    for d in range(7):
        day = t(WEEKDAYS[d]) if WEEKDAYS[d] else ""
        cells: list[str | tuple[str, str]] = [(day + " " * (4 - cell_len(day)), "$text-muted")]
        for week in weeks:  # two cells a day: a mark and a gap
            n = week[d]
            if n is None:
                cells.append("  ")
            elif n == 0:
                cells.append((SHADES[0] + " ", "$text-muted"))
            else:
                level = 1 + min(int(n / busiest * 4), 3) if busiest else 1
                cells.append((SHADES[level] + " ", "$success"))
        rows.append(Content.assemble(*cells))
    rows.append(Content.assemble(("    · " + t("none") + "  ░ ▒ ▓ " + t("more") + "  ", "$text-muted"),
                                 ("█", "$success"), (" " + t("{n} (busiest day)", n=busiest), "$text-muted")))
    return Content("\n").join(rows)


def model_rows(comparison, t: Translator | None = None) -> Content:
    t = t or Translator("en")
    names = {key: t(name) for key, name in MODEL_NAMES.items()}
    if comparison.personal:
        names["fsrs"] = t("FSRS-6 (personal)")
    header = t("model")
    rows = [Content.assemble((header + " " * (21 - cell_len(header)) + t("log loss") + "  RMSE(bins)",
                              "$text-muted"))]
    for s in comparison.scores:
        loss = "—" if s.log_loss is None else f"{s.log_loss:.3f}"
        rmse = "—" if s.rmse_bins is None else f"{s.rmse_bins:.3f}"
        best = comparison.better == s.model
        name = names[s.model]
        rows.append(Content.assemble((name + " " * (21 - cell_len(name)) + f"{loss:>8}  {rmse:>10}",
                                      "bold $success" if best else "")))
    if comparison.better is None:
        rows.append(Content.assemble((t("Too few reviews to tell yet ({n} of {least}).",
                                        n=comparison.reviews, least=MIN_REVIEWS), "$text-muted")))
    else:
        rows.append(Content.assemble(
            (t("{model} predicts your recall better", model=names[comparison.better]) + " ", "bold"),
            (t("({n} reviews; lower is better).", n=comparison.reviews), "$text-muted")))
    return Content("\n").join(rows)
