"""FSRS-6 through py-fsrs (the ``fsrs`` package), on quizapp's study-day calendar.

Three choices make it fit the rest of ``quizapp.srs`` (docs/scheduling.md, "FSRS"):

* **Grades → ratings** (``RATINGS``): 0–2 are *Again*, 3 *Hard*, 4 *Good*, 5 *Easy*. FSRS counts a
  review as recalled exactly when the rating is not *Again*, so our lapse line (below
  ``PASS_GRADE``) must be FSRS's too: grade 2, "wrong, though it looked familiar once shown", is
  a failed recall, not the "recalled with serious difficulty" that *Hard* means — that is grade 3.
* **No learning steps**: py-fsrs runs with ``learning_steps=()`` and ``relearning_steps=()``, so
  every review schedules in whole days. The in-session repetition those steps give in Anki is our
  same-day re-drill, which never reaches a scheduler (only a card's first grade of a study day
  does), exactly as for SM-2 — so both algorithms learn from the same reviews.
* **The study-day clock**: py-fsrs measures time in UTC datetimes and counts elapsed days as
  whole 24-hour spans. It is given each review at ``day_instant(study day)`` (midnight UTC of the
  study day's date), so elapsed days are study days — a review at 08:00 of a card answered at
  23:00 the evening before is one day later, as FSRS's training data (Anki days) counts it, and
  daylight-saving changes cannot turn 6 days into 5 — and a due datetime maps to the study day
  that contains it, which on this clock is simply its date.

Fuzz is on, with py-fsrs's own fuzz ranges, but drawn from a number derived from the instant of
the answer (``fuzz_unit``) rather than a global random generator: a replay of the review log
reproduces every due day exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

from quizapp.srs.grades import validate_grade
from quizapp.srs.scheduler import Scheduled
from quizapp.srs.sm2 import MAX_INTERVAL

__all__ = ["DEFAULT_PARAMETERS", "DEFAULT_RETENTION", "FSRS", "MAX_RETENTION", "MIN_RETENTION",
           "RATINGS", "FSRSState", "day_instant", "fuzz_unit", "fuzzed", "rating", "recall_probability",
           "validate_parameters", "validate_retention"]

DEFAULT_RETENTION = 0.90
MIN_RETENTION = 0.70
MAX_RETENTION = 0.97

RATINGS: dict[int, Rating] = {0: Rating.Again, 1: Rating.Again, 2: Rating.Again,
                              3: Rating.Hard, 4: Rating.Good, 5: Rating.Easy}

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MASK = 2 ** 64 - 1


def rating(grade: int) -> Rating:
    """The FSRS rating of a 0–5 grade (``RATINGS``)."""
    return RATINGS[validate_grade(grade)]


@lru_cache(maxsize=65_536)  # a replay asks for the same few thousand days a million times
def day_instant(day: date) -> datetime:
    """Study day ``day`` on the study-day clock py-fsrs is given: midnight UTC of its date."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def fuzz_unit(now: datetime) -> float:
    """A number in [0, 1) that stands in for a random draw, fixed by the answer's instant (which the
    review log keeps): its whole microseconds through SplitMix64's finaliser, so neighbouring
    instants give unrelated numbers. Cheaper than seeding a generator per review, which a replay
    of a million reviews would feel."""
    z = ((now - _EPOCH) // timedelta(microseconds=1) + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return (z ^ (z >> 31)) / 2.0 ** 64


def validate_retention(value: object) -> float:
    """``value`` as a desired retention, refusing anything outside 0.70–0.97."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"desired retention must be a number from {MIN_RETENTION} to {MAX_RETENTION}")
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise ValueError(f"desired retention must be from {MIN_RETENTION} to {MAX_RETENTION}, "
                         f"got {value}")
    return float(value)


def validate_parameters(values: object) -> tuple[float, ...]:
    """``values`` as FSRS-6 parameters (21 numbers within py-fsrs's bounds), or ValueError."""
    if not isinstance(values, Sequence) or isinstance(values, str):
        raise ValueError("FSRS parameters must be a list of 21 numbers")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        raise ValueError("FSRS parameters must be a list of 21 numbers")
    params = tuple(float(v) for v in values)
    Scheduler(parameters=params)  # py-fsrs checks the count and every bound
    return params


@dataclass(frozen=True, slots=True)
class FSRSState:
    """The FSRS memory of one card; ``FSRSState()`` is a card never reviewed.

    ``stability`` is in days (the interval at which recall falls to 90 %), ``difficulty`` 1–10;
    ``due`` is the study day FSRS schedules the card for, ``last_review`` the study day of its
    latest review (the same day every algorithm records, so the store keeps it once).
    """

    stability: float | None = None
    difficulty: float | None = None
    due: date | None = None
    last_review: date | None = None

    @property
    def is_new(self) -> bool:
        return self.stability is None


def recall_probability(stability: float, elapsed_days: int, decay: float) -> float:
    """FSRS-6's forgetting curve: R = (1 + F · t / S) ^ −decay with F = 0.9 ^ (−1 / decay) − 1,
    so R = 90 % when t = S. The same formula as py-fsrs's ``get_card_retrievability`` (a test
    holds them equal), without building a ``Card`` per call: statistics ask it per review."""
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return (1.0 + factor * max(elapsed_days, 0) / stability) ** -decay


class FSRS:
    """FSRS-6 as a ``quizapp.srs.scheduler.Scheduler`` (state: ``FSRSState``)."""

    name = "fsrs"

    def __init__(self, parameters: Sequence[float] = DEFAULT_PARAMETERS,
                 desired_retention: float = DEFAULT_RETENTION, *, fuzz: bool = True):
        self.parameters = validate_parameters(parameters)
        self.desired_retention = validate_retention(desired_retention)
        self.fuzz = fuzz
        self.py = Scheduler(parameters=self.parameters, desired_retention=self.desired_retention,
                            learning_steps=(), relearning_steps=(), maximum_interval=MAX_INTERVAL,
                            enable_fuzzing=False)  # fuzz is ours: seeded, so replays agree

    @property
    def decay(self) -> float:
        return self.parameters[20]

    def new_state(self) -> FSRSState:
        return FSRSState()

    def card(self, state: FSRSState, card_id: int = 0) -> Card:
        """``state`` as a py-fsrs ``Card`` on the study-day clock."""
        if state.stability is None or state.difficulty is None or state.last_review is None:
            return Card(card_id=card_id, due=day_instant(state.due or date(1970, 1, 1)))
        due = state.due or state.last_review
        return Card(card_id=card_id, state=State.Review, stability=state.stability,
                    difficulty=state.difficulty, due=day_instant(due),
                    last_review=day_instant(state.last_review))

    def review(self, state: FSRSState, grade: int, day: date, now: datetime) -> Scheduled[FSRSState]:
        """One review on study day ``day``, answered at instant ``now`` (only the fuzz uses it)."""
        reviewed, _ = self.py.review_card(self.card(state), rating(grade), day_instant(day))
        interval = (reviewed.due - day_instant(day)).days
        if self.fuzz:
            interval = fuzzed(interval, fuzz_unit(now))
        due = day + timedelta(days=interval)
        return Scheduled(FSRSState(reviewed.stability, reviewed.difficulty, due, day), due)

    def recall(self, state: FSRSState, day: date) -> float | None:
        """The probability of recalling the card on study day ``day``; None for a new card."""
        if state.stability is None or state.last_review is None:
            return None
        return recall_probability(state.stability, (day - state.last_review).days, self.decay)


def fuzzed(interval: int, unit: float, maximum: int = MAX_INTERVAL) -> int:
    """An interval of ``interval`` days moved within py-fsrs's fuzz range for it (none below 3
    days; ±(1 day + 15 % of the part between 2.5 and 7 days, 10 % up to 20, 5 % beyond)), at the
    point ``unit`` (0 ≤ unit < 1) of the whole days in that range."""
    if interval < 2.5:
        return interval
    low, high = fuzz_range(interval, maximum)
    return low + min(int(unit * (high - low + 1)), high - low)


@lru_cache(maxsize=8192)
def fuzz_range(interval: int, maximum: int = MAX_INTERVAL) -> tuple[int, int]:
    """The fewest and most days fuzz may make of ``interval`` (py-fsrs's ``FUZZ_RANGES``)."""
    delta = 1.0 + sum(r["factor"] * max(min(float(interval), r["end"]) - r["start"], 0.0)
                      for r in FUZZ_RANGES)
    high = min(round(interval + delta), maximum)
    return min(max(2, round(interval - delta)), high), high
