"""Numbers the screens show, computed without any UI: today's plan, streak, mastery, weak spots.

The TUI renders these dataclasses and never queries the store itself. Definitions:

* **mastery** of a category = share of its active cards you currently know: their latest graded
  review was a pass (SM-2 repetitions ≥ 1). **Mature** cards (interval ≥ 21 days) are counted too.
* **weakness** (until `quizapp.stats` provides a better score) = accuracy over every answer in the
  review log for that category, smoothed with one right and one wrong pseudo-answer so that a
  category with two answers is not called weak: (correct + 1) / (answers + 2). Lowest is weakest;
  categories never answered are not ranked.
* **re-drills left** = cards answered today whose latest answer today was graded below 4
  (SM-2 step 7): today's session shows them again.
* **streak** = consecutive study days with at least one answer, ending today (or yesterday, when
  today has no answer yet).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from quizapp.deck.model import Card, CardKind, Deck, Drill, Scenario, Term, Trap
from quizapp.session.context import AppContext
from quizapp.store.store import CardRecord, ReviewRecord

MATURE_DAYS = 21
REDRILL_BELOW = 4
WEAK_MARKED = 2  # how many of the weakest categories the home screen marks
DRILL_SIZE = 10


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
    answers: int
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


# -- helpers ----------------------------------------------------------------------------------
def streak(days: Sequence[date], today: date) -> int:
    """Consecutive study days ending today, or yesterday if today has no answer yet."""
    have = set(days)
    day = today if today in have else today - timedelta(days=1)
    count = 0
    while day in have:
        count += 1
        day -= timedelta(days=1)
    return count


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


def _answers_by_category(ctx: AppContext, records: Sequence[CardRecord],
                         log: Sequence[ReviewRecord]) -> tuple[Counter[str], Counter[str]]:
    category = {r.id: r.category for r in records}
    answers: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for entry in log:
        cat = category.get(entry.card_id)
        if cat is None:
            continue
        answers[cat] += 1
        correct[cat] += entry.correct
    return answers, correct


def weakness_ranking(answers: Counter[str], correct: Counter[str]) -> list[str]:
    """Category ids with at least one answer, weakest (lowest smoothed accuracy) first."""
    scored = [((correct[c] + 1) / (n + 2), -n, c) for c, n in answers.items() if n]
    return [c for _, _, c in sorted(scored)]


# -- the screens' numbers -----------------------------------------------------------------------
def home_overview(ctx: AppContext) -> HomeOverview:
    today = ctx.today()
    store = ctx.store
    counts = store.due_counts(today)
    new_done, reviews_done = store.done_today(today)
    limits = ctx.settings.limits
    due = min(sum(d for d, _ in counts.values()), max(0, limits.reviews_per_day - reviews_done))
    new = min(sum(n for _, n in counts.values()), max(0, limits.new_per_day - new_done))
    records = store.all_cards(include_retired=True)
    log = store.review_log()
    answers, correct = _answers_by_category(ctx, records, log)
    ranking = weakness_ranking(answers, correct)
    weakest = tuple(ranking[:WEAK_MARKED])
    active = [r for r in records if not r.retired and not r.suspended]
    cats = []
    for category in ctx.deck.categories:
        mine = [r for r in active if r.category == category.id]
        cats.append(CategoryMastery(
            category.id, category.en, category.zh, len(mine),
            sum(r.state.repetitions >= 1 for r in mine),
            sum(r.state.interval >= MATURE_DAYS for r in mine),
            answers[category.id], correct[category.id], weak=category.id in weakest))
    days = store.study_days()
    return HomeOverview(
        study_day=today, due=due, new=new, redrills=len(redrills_left(log, today)),
        streak=streak(days, today), studied_today=bool(days) and days[-1] == today,
        categories=tuple(cats), weakest=tuple(ranking))


def weak_drill_ids(ctx: AppContext, category: str, limit: int = DRILL_SIZE) -> list[str]:
    """A category's studied cards for a drill: due ones first, then the lowest EF."""
    today = ctx.today()
    studied = [r for r in ctx.store.all_cards()
               if r.category == category and not r.suspended and r.reviews > 0]
    studied.sort(key=lambda r: (not (r.due is not None and r.due <= today),
                                r.state.ef_hundredths, -r.lapses, r.position))
    return [r.id for r in studied[:limit]]


def stats_overview(ctx: AppContext, days: int = 30, forecast_days: int = 14) -> StatsOverview:
    today = ctx.today()
    store = ctx.store
    records = store.all_cards(include_retired=True)
    log = store.review_log()
    category = {r.id: r.category for r in records}
    answers: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    recall: Counter[str] = Counter()
    recalled: Counter[str] = Counter()
    per_day: defaultdict[date, int] = defaultdict(int)
    for entry in log:
        per_day[entry.study_day] += 1
        cat = category.get(entry.card_id)
        if cat is None:
            continue
        answers[cat] += 1
        correct[cat] += entry.correct
        if entry.kind == "review" and entry.before.repetitions >= 1:
            recall[cat] += 1
            recalled[cat] += entry.grade >= 3
    active = [r for r in records if not r.retired and not r.suspended]
    cats = tuple(
        CategoryStats(
            c.id, c.en, answers[c.id], correct[c.id], recall[c.id], recalled[c.id],
            sum(r.category == c.id for r in active),
            sum(r.category == c.id and r.state.interval >= MATURE_DAYS for r in active),
            sum(r.category == c.id and r.leech for r in active))
        for c in ctx.deck.categories)
    forecast = [0] * forecast_days
    for r in active:
        if r.due is not None:
            offset = max(0, (r.due - today).days)
            if offset < forecast_days:
                forecast[offset] += 1
    leeches = tuple(
        Leech(r.id, card_title(ctx.deck, r), r.category, r.lapses)
        for r in sorted(active, key=lambda r: -r.lapses) if r.leech)
    return StatsOverview(
        study_day=today, total_answers=len(log), categories=cats,
        reviews_per_day=tuple(per_day.get(today - timedelta(days=i), 0)
                              for i in range(days - 1, -1, -1)),
        forecast=tuple(forecast), leeches=leeches, streak=streak(store.study_days(), today))
