"""Small text charts for the statistics screen: a sparkline per weak-category trend, the study
calendar heatmap and the model comparison. Pure functions to `Content`; deck text (category names)
only ever enters as plain strings."""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content

from quizapp.srs.metrics import MIN_REVIEWS
from quizapp.trends import sparkline
from quizapp.tui.widgets.render import fit

SHADES = "·░▒▓█"  # no answers, then four levels up to the busiest day
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
MODEL_NAMES = {"fsrs": "FSRS-6", "sm2": "SM-2", "avg": "constant guess"}


def trend_rows(trends, width: int = 22) -> Content:
    """A row per category: name, its weakness week by week (▁ strong … █ weak), now, rank."""
    rows = [Content.assemble(("▁ strong … █ weak, one mark a week, oldest left", "$text-muted"))]
    for trend in trends.categories:
        now = trend.weakness[-1]
        rank = trend.rank[-1]
        rows.append(Content.assemble(
            fit(trend.name, width), " ", (sparkline(trend.weakness), "$warning"),
            ("  now " if now is not None else "  no reviews yet", "$text-muted"),
            f"{now:.2f}" if now is not None else "",
            (f"  #{rank}" if rank is not None else "", "$text-muted")))
    return Content("\n").join(rows)


def heatmap(start: date, weeks: tuple[tuple[int | None, ...], ...]) -> Content:
    """Weeks as columns (oldest left), Monday to Sunday as rows; denser = more answers (the
    busiest day is █); a legend line under it."""
    busiest = max((n for week in weeks for n in week if n), default=0)
    months = ["    "]
    for w in range(len(weeks)):
        first = start + timedelta(days=7 * w)
        months.append(first.strftime("%b")[:2] if first.day <= 7 else "  ")
    rows = [Content.assemble(("".join(months), "$text-muted"))]
    for d in range(7):
        cells: list[str | tuple[str, str]] = [(f"{WEEKDAYS[d]:<4}", "$text-muted")]
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
    rows.append(Content.assemble(("    · none  ░ ▒ ▓ more  ", "$text-muted"),
                                 ("█", "$success"), (f" {busiest} (busiest day)", "$text-muted")))
    return Content("\n").join(rows)


def model_rows(comparison) -> Content:
    names = dict(MODEL_NAMES)
    if comparison.personal:
        names["fsrs"] = "FSRS-6 (personal)"
    rows = [Content.assemble(("model                log loss  RMSE(bins)", "$text-muted"))]
    for s in comparison.scores:
        loss = "—" if s.log_loss is None else f"{s.log_loss:.3f}"
        rmse = "—" if s.rmse_bins is None else f"{s.rmse_bins:.3f}"
        best = comparison.better == s.model
        rows.append(Content.assemble((f"{names[s.model]:<20} {loss:>8}  {rmse:>10}",
                                      "bold $success" if best else "")))
    if comparison.better is None:
        rows.append(Content.assemble((f"Too few reviews to tell yet ({comparison.reviews} of "
                                      f"{MIN_REVIEWS}).", "$text-muted")))
    else:
        rows.append(Content.assemble(
            (f"{names[comparison.better]} predicts your recall better ", "bold"),
            (f"({comparison.reviews} reviews; lower is better).", "$text-muted")))
    return Content("\n").join(rows)
