"""Numbers the home and statistics screens show, computed without any UI.

The screens render these dataclasses and never query the store themselves (browsing cards goes
through `quizapp.session.browse`). Definitions:

* **due / new / left today**: `quizapp.srs.plan.DailyPlan` (via `quizapp.session.plan`), the
  same numbers `quizapp due` prints and `QuizSession.today` queues.
* **mastery** of a category = share of its active cards you currently know: their latest graded
  review was a pass (SM-2 repetitions ≥ 1). **Mature** cards (interval ≥ 21 days) are counted too.
* **weakness**, **accuracy**, **streak**, forecast and leeches come from `quizapp.stats` (SQL
  aggregates; one ranking for the home screen, the statistics screen, `quizapp stats` and
  `quizapp quiz --weak`). Accuracy counts reviews only (a card's first grade of a study day).
* **re-drills left** = `quizapp.srs.queue.redrills_left`: cards answered today whose latest
  answer today was graded below 4 (SM-2 step 7); today's session shows them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quizapp import stats
from quizapp.deck.model import Card, CardKind, Deck, Drill, Scenario, Term, Trap
from quizapp.i18n import translator
from quizapp.session.context import AppContext
from quizapp.session.plan import today_plan
from quizapp.srs.queue import redrills_left
from quizapp.stats import MATURE_DAYS, WEAK_MARKED
from quizapp.store.store import CardRecord

__all__ = ["MATURE_DAYS", "WEAK_MARKED", "CategoryMastery", "HomeOverview", "StatsOverview",
           "card_title", "home_overview", "redrills_left", "stats_overview"]


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
    due: int = 0  # cards due today (overdue included), ignoring the daily limit
    new: int = 0  # cards never reviewed, ignoring the daily limit

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
    due: int  # DailyPlan.reviews: due reviews today, within what is left of the review limit
    new: int  # DailyPlan.new: new cards today, within what is left of the new-card limit
    redrills: int
    streak: int
    studied_today: bool
    categories: tuple[CategoryMastery, ...]
    weakest: tuple[str, ...]  # category ids, weakest first
    learner: str | None = None  # named only in a shared store (a server, or several learners)

    @property
    def total(self) -> int:
        """DailyPlan.left: the cards today's session still holds."""
        return self.due + self.new + self.redrills


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
    reviews_per_day: tuple[int, ...]  # oldest first, ending today
    forecast: tuple[int, ...]  # due on today (incl. overdue), today+1, …
    leeches: tuple[Leech, ...]
    streak: int
    report: stats.Report | None = None  # everything, weakest first (what `quizapp stats` shows)


# -- helpers ----------------------------------------------------------------------------------
def card_title(deck: Deck, card: Card | CardRecord, language: str = "en") -> str:
    """A one-line name for a card: the term for term cards, the prompt otherwise."""
    try:
        item = deck.item(card.item_id)
    except KeyError:  # retired from the deck
        return card.id
    zh = language == "zh"
    if isinstance(item, Term):
        name = item.zh if zh and item.zh else item.display
        return f"{name} → {translator(language)('definition')}" if card.kind is CardKind.TERM_DEF else name
    if isinstance(item, Trap | Scenario | Drill):
        text = item.prompt_zh if zh and item.prompt_zh else item.prompt_en
        return " ".join(text.split())
    return card.id


# -- the screens' numbers -----------------------------------------------------------------------
def home_overview(ctx: AppContext) -> HomeOverview:
    today = ctx.today()
    store = ctx.store
    day = today_plan(ctx, today)
    plan = day.plan
    view = stats.report(store, ctx.deck, today, charts=False)
    weak = set(view.weak)
    mastery = store.mastery_counts(MATURE_DAYS)  # one GROUP BY: no card rows loaded into Python
    cats = []
    for category in ctx.deck.categories:
        cards, known, mature = mastery.get(category.id, (0, 0, 0))
        group = view.category(category.id)
        due, unseen = day.category(category.id)
        cats.append(CategoryMastery(
            category.id, category.en, category.zh, cards, known, mature,
            group.reviews, group.correct, weak=category.id in weak, due=due, new=unseen))
    return HomeOverview(
        study_day=today, due=plan.reviews, new=plan.new, redrills=plan.redrills,
        streak=view.streak_days, studied_today=bool(store.answers_per_day(today, today)),
        categories=tuple(cats), weakest=view.ranking, learner=shared_learner(ctx))


def shared_learner(ctx: AppContext) -> str | None:
    """The learner's name where it tells something: a store others can share (a server, or a
    file that holds several learners); None for the usual one-learner file."""
    store = ctx.store  # sole_learner stops at the second name; learners() would read them all
    return store.learner if store.server or store.sole_learner() is None else None


def stats_overview(ctx: AppContext, days: int = stats.CHART_DAYS,
                   forecast_days: int = stats.FORECAST_DAYS) -> StatsOverview:
    """The statistics screen's numbers: `quizapp.stats.report`, plus a title for each leech."""
    view = stats.report(ctx.store, ctx.deck, ctx.today(), chart_days=days,
                        forecast_days=forecast_days)
    leeches = tuple(Leech(r.id, card_title(ctx.deck, r, ctx.settings.language), r.category, r.lapses)
                    for r in view.leeches)
    return StatsOverview(
        study_day=view.study_day, total_answers=view.total_answers,
        reviews_per_day=view.answers_per_day, forecast=view.forecast, leeches=leeches,
        streak=view.streak_days, report=view)
