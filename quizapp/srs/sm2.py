"""SM-2 scheduling, exactly as docs/scheduling.md fixes it.

The easiness factor (EF) is kept as whole hundredths so that binary floating point never decides a
``ceil``: float noise (2.2000000000000006 instead of 2.20) would put a card a day off.

``review(state, q)`` is the algorithm itself; ``SM2`` wraps it as a ``Scheduler`` (see
``quizapp.srs.scheduler``), which is what the store calls when an answer is a review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from quizapp.srs.grades import (
    GRADE_LABELS,
    GRADE_LABELS_ZH,
    MAX_GRADE,
    PASS_GRADE,
    is_lapse,
    validate_grade,
)
from quizapp.srs.scheduler import Scheduled

__all__ = [
    "GRADE_LABELS",
    "GRADE_LABELS_ZH",
    "MAX_GRADE",
    "MAX_INTERVAL",
    "MIN_EF",
    "MIN_EF_HUNDREDTHS",
    "NEW_EF",
    "NEW_EF_HUNDREDTHS",
    "PASS_GRADE",
    "SM2",
    "SM2State",
    "ef_delta_hundredths",
    "review",
    "validate_grade",
]

MIN_EF_HUNDREDTHS = 130
NEW_EF_HUNDREDTHS = 250
MIN_EF = Decimal("1.30")
NEW_EF = Decimal("2.50")
MAX_INTERVAL = 36_500  # days; about a century, so dates never overflow

_CENT = Decimal("0.01")


def ef_delta_hundredths(q: int) -> int:
    """EF change for grade ``q`` in hundredths: +10, 0, -14, -32, -54, -80 for q = 5..0.

    This is 100 × (0.1 − d × (0.08 + d × 0.02)) with d = 5 − q, computed in integers.
    """
    d = MAX_GRADE - validate_grade(q)
    return 10 - d * (8 + 2 * d)


_EF_CACHE: dict[int, Decimal] = {}
_EF_IDS: set[int] = set()  # ids of the cached Decimals, which live as long as the module


def _ef_decimal(hundredths: int) -> Decimal:
    """One shared Decimal per EF value: stores build states by the hundred thousand."""
    ef = _EF_CACHE.get(hundredths)
    if ef is None:
        ef = _EF_CACHE[hundredths] = Decimal(hundredths).scaleb(-2)
        _EF_IDS.add(id(ef))
    return ef


def _to_hundredths(value: object) -> int:
    """Convert an EF given as Decimal/int/str (must be exact to 0.01) or float (rounded)."""
    if isinstance(value, bool):
        raise TypeError("easiness must be a number, not bool")
    if not isinstance(value, Decimal | int | str | float):
        kind = type(value).__name__
        raise TypeError(f"easiness must be a Decimal, int, str or float, got {kind}")
    try:
        # repr() of a float is its shortest round-trip text, so 2.46 stays 2.46.
        dec = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"easiness is not a number: {value!r}") from None
    if not dec.is_finite():
        raise ValueError(f"easiness must be finite, got {value!r}")
    cents = dec.quantize(_CENT)
    # A float cannot hold 2.46 exactly, so round it; anything else must already be exact.
    if cents != dec and not isinstance(value, float):
        raise ValueError(f"easiness must be exact to 0.01, got {value!r}")
    return int(cents * 100)


@dataclass(frozen=True, slots=True)
class SM2State:
    """The SM-2 memory of one card; ``SM2State()`` is a new card.

    ``easiness`` is always a ``Decimal`` with exactly two places; ``ef_hundredths`` is the same
    value as an int (250 = 2.50), which is what a store should persist.
    """

    repetitions: int = 0
    easiness: Decimal = NEW_EF
    interval: int = 0

    def __post_init__(self) -> None:
        for name in ("repetitions", "interval"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if self.repetitions < 0:
            raise ValueError(f"repetitions must be >= 0, got {self.repetitions}")
        if not 0 <= self.interval <= MAX_INTERVAL:
            raise ValueError(f"interval must be 0-{MAX_INTERVAL}, got {self.interval}")
        if id(self.easiness) in _EF_IDS:
            return  # one of our own cached, normalised EFs (the store's hot path: from_hundredths)
        hundredths = _to_hundredths(self.easiness)
        if hundredths < MIN_EF_HUNDREDTHS:
            raise ValueError(f"easiness must be >= {MIN_EF}, got {self.easiness!r}")
        # Normalise so that equal states compare, hash and print identically.
        object.__setattr__(self, "easiness", _ef_decimal(hundredths))

    @classmethod
    def from_hundredths(cls, repetitions: int, ef_hundredths: int, interval: int) -> SM2State:
        """Build a state from what a store persists (EF as int hundredths)."""
        if isinstance(ef_hundredths, bool) or not isinstance(ef_hundredths, int):
            raise TypeError(f"ef_hundredths must be an int, got {type(ef_hundredths).__name__}")
        if ef_hundredths < MIN_EF_HUNDREDTHS:
            raise ValueError(f"easiness must be >= {MIN_EF}, got {ef_hundredths / 100}")
        return cls(repetitions, _ef_decimal(ef_hundredths), interval)

    @property
    def ef_hundredths(self) -> int:
        """EF as an int number of hundredths (250 = 2.50)."""
        return int(self.easiness * 100)

    @property
    def is_new(self) -> bool:
        """True for a card that has never been reviewed successfully nor lapsed."""
        return self.repetitions == 0 and self.interval == 0


def review(state: SM2State, q: int) -> SM2State:
    """Apply one graded review (spec steps 1–3) and return the new state; pure, no clock."""
    grade = validate_grade(q)
    ef = state.ef_hundredths
    if is_lapse(grade):
        repetitions, interval = 0, 1
    else:
        if state.repetitions == 0:
            interval = 1
        elif state.repetitions == 1:
            interval = 6
        else:
            # ceil(I × EF) with the EF *before* this review, in exact integer arithmetic.
            interval = -(-state.interval * ef // 100)
        interval = max(1, min(interval, MAX_INTERVAL))
        repetitions = state.repetitions + 1
    ef = max(ef + ef_delta_hundredths(grade), MIN_EF_HUNDREDTHS)
    return SM2State.from_hundredths(repetitions, ef, interval)



class SM2:
    """SM-2 as a ``Scheduler``: the state is an ``SM2State``, the next due day is the study day of
    the review plus the new interval (spec step 4)."""

    name = "sm2"

    def new_state(self) -> SM2State:
        return SM2State()

    def review(self, state: SM2State, grade: int, day: date, now: datetime) -> Scheduled[SM2State]:
        """``now`` is unused: SM-2 counts whole study days only."""
        after = review(state, grade)
        return Scheduled(after, day + timedelta(days=after.interval))
