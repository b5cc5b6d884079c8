"""Numbers the screens show, computed without any UI: today's plan, streak, mastery, weak spots.

The TUI renders these dataclasses and never queries the store itself. Definitions:

* **mastery** of a category = share of its active cards you currently know: their latest graded
  review was a pass (SM-2 repetitions ≥ 1). **Mature** cards (interval ≥ 21 days) are counted too.
* **weakness**, **accuracy**, **streak**, forecast and leeches come from `quizapp.stats` (SQL
  aggregates; one ranking for the home screen, the statistics screen, `quizapp stats` and
  `quizapp quiz --weak`). Accuracy counts reviews only (a card's first grade of a study day).
* **re-drills left** = cards answered today whose latest answer today was graded below 4
  (SM-2 step 7): today's session shows them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from quizapp import stats
from quizapp.deck.model import Card, CardKind, Deck, Drill, Scenario, Term, Trap
from quizapp.session.context import AppContext
from quizapp.stats import MATURE_DAYS, WEAK_MARKED
from quizapp.store.store import CardRecord, ReviewRecord

__all__ = ["MATURE_DAYS", "WEAK_MARKED", "CategoryMastery", "HomeOverview", "StatsOverview",
           "card_title", "home_overview", "redrills_left", "stats_overview"]

REDRILL_BELOW = 4


@dataclass(frozen=True)
class CategoryMastery:
    category: str
    name_en: str
    name_zh: str
    cards: int
    known: int
    mature: int
    answers: int
    correct: int
    weak: bool = False

    @property
    def mastery(self) -> float:
        return self.known / self.cards if self.cards else 0.0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    def name(self, language: str) -> str:
        if language == "zh":
            return self.name_zh or self.name_en
        if language == "both" and self.name_zh and self.name_zh != self.name_en:
            return f"{self.name_en} {self.name_zh}"
        return self.name_en


@dataclass(frozen=True)
class HomeOverview:
    study_day: date
    due: int  # due reviews today, within what is left of the daily review limit
    new: int  # new cards today, within what is left of the daily new-card limit
    redrills: int
    streak: int
    studied_today: bool
    categories: tuple[CategoryMastery, ...]
    weakest: tuple[str, ...]  # category ids, weakest first

    @property
    def total(self) -> int:
        return self.due + self.new + self.redrills


@dataclass(frozen=True)
class CategoryStats:
    category: str
    name_en: str
    answers: int  # reviews (first grade of a study day), as in `quizapp stats`
    correct: int
    recall_answers: int  # reviews of cards that had been passed before
    recalled: int
    cards: int
    mature: int
    leeches: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    @property
    def retention(self) -> float | None:
        return self.recalled / self.recall_answers if self.recall_answers else None


@dataclass(frozen=True)
class Leech:
    card_id: str
    title: str
    category: str
    lapses: int


@dataclass(frozen=True)
class StatsOverview:
    study_day: date
    total_answers: int
    categories: tuple[CategoryStats, ...]
    reviews_per_day: tuple[int, ...]  # oldest first, ending today
    forecast: tuple[int, ...]  # due on today (incl. overdue), today+1, …
    leeches: tuple[Leech, ...]
    streak: int
    report: stats.Report | None = None  # everything, weakest first (what `quizapp stats` shows)


# -- helpers ----------------------------------------------------------------------------------
def redrills_left(log: Sequence[ReviewRecord], today: date) -> list[str]:
    """Cards answered today whose latest answer today was below 4, in the order first failed."""
    last: dict[str, ReviewRecord] = {}
    for record in log:
        if record.study_day == today:
            last.pop(record.card_id, None)
            last[record.card_id] = record
    return [cid for cid, r in last.items() if r.grade < REDRILL_BELOW and r.kind != "practice"]


def card_title(deck: Deck, card: Card | CardRecord, language: str = "en") -> str:
    """A one-line name for a card: the term for term cards, the prompt otherwise."""
    try:
        item = deck.item(card.item_id)
    except KeyError:  # retired from the deck
        return card.id
    zh = language == "zh"
    if isinstance(item, Term):
        name = item.zh if zh and item.zh else item.display
        return f"{name} → definition" if card.kind is CardKind.TERM_DEF else name
    if isinstance(item, Trap | Scenario | Drill):
        text = item.prompt_zh if zh and item.prompt_zh else item.prompt_en
        return " ".join(text.split())
    return card.id


# -- the screens' numbers -----------------------------------------------------------------------
def home_overview(ctx: AppContext) -> HomeOverview:
    today = ctx.today()
    store = ctx.store
    counts = store.due_counts(today)
    new_done, reviews_done = store.done_today(today)
    limits = ctx.settings.limits
    due = min(sum(d for d, _ in counts.values()), max(0, limits.reviews_per_day - reviews_done))
    new = min(sum(n for _, n in counts.values()), max(0, limits.new_per_day - new_done))
    view = stats.report(store, ctx.deck, today, charts=False)
    weak = set(view.weak)
    mastery = store.mastery_counts(MATURE_DAYS)  # one GROUP BY: no card rows loaded into Python
    cats = []
    for category in ctx.deck.categories:
        cards, known, mature = mastery.get(category.id, (0, 0, 0))
        group = view.category(category.id)
        cats.append(CategoryMastery(
            category.id, category.en, category.zh, cards, known, mature,
            group.reviews, group.correct, weak=category.id in weak))
    return HomeOverview(
        study_day=today, due=due, new=new,
        redrills=len(redrills_left(store.review_log(day=today), today)),
        streak=view.streak_days, studied_today=bool(store.answers_per_day(today, today)),
        categories=tuple(cats), weakest=view.ranking)


def stats_overview(ctx: AppContext, days: int = stats.CHART_DAYS,
                   forecast_days: int = stats.FORECAST_DAYS) -> StatsOverview:
    """The statistics screen's numbers: `quizapp.stats.report`, categories in deck order."""
    view = stats.report(ctx.store, ctx.deck, ctx.today(), chart_days=days,
                        forecast_days=forecast_days)
    cats = tuple(
        CategoryStats(g.key, g.name, g.reviews, g.correct, g.recall_reviews, g.recalled,
                      g.cards, g.mature, g.leeches)
        for g in (view.category(c.id) for c in ctx.deck.categories))
    leeches = tuple(Leech(r.id, card_title(ctx.deck, r), r.category, r.lapses)
                    for r in view.leeches)
    return StatsOverview(
        study_day=view.study_day, total_answers=view.total_answers, categories=cats,
        reviews_per_day=view.answers_per_day, forecast=view.forecast, leeches=leeches,
        streak=view.streak_days, report=view)
