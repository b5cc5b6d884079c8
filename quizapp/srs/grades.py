"""The 0–5 grade a learner gives an answer, and the two thresholds every scheduler shares.

Grades are the app's scale, not one algorithm's: SM-2 uses them as they are, and a later scheduler
(FSRS rates 1–4) maps them onto its own. Whatever the algorithm, these rules hold
(docs/scheduling.md, "Grades" and "Same-day re-drills"):

* a grade below ``PASS_GRADE`` is a **lapse**: the card was not recalled (it counts towards the
  leech threshold and the statistics' lapses);
* a grade below ``REDRILL_BELOW`` brings the card back later in the same session.
"""

from __future__ import annotations

from numbers import Integral

__all__ = [
    "GRADE_LABELS",
    "GRADE_LABELS_ZH",
    "MAX_GRADE",
    "PASS_GRADE",
    "REDRILL_BELOW",
    "is_lapse",
    "needs_redrill",
    "validate_grade",
]

MAX_GRADE = 5
PASS_GRADE = 3  # q >= PASS_GRADE keeps the streak; below it the card lapses
REDRILL_BELOW = 4  # SM-2 step 7: graded below this, a card comes back until it is graded 4 or 5

GRADE_LABELS: dict[int, str] = {
    5: "perfect",
    4: "hesitant",
    3: "hard",
    2: "familiar",
    1: "wrong",
    0: "blackout",
}
GRADE_LABELS_ZH: dict[int, str] = {
    5: "完美",
    4: "犹豫",
    3: "困难",
    2: "眼熟",
    1: "答错",
    0: "全忘",
}


def validate_grade(q: object) -> int:
    """Return ``q`` as an int, refusing anything but an integer 0–5.

    ``bool`` is an ``int`` subclass, but ``True`` as a grade is always a caller bug: refused.
    """
    if isinstance(q, bool) or not isinstance(q, Integral):
        raise TypeError(f"grade must be an int 0-{MAX_GRADE}, got {type(q).__name__}: {q!r}")
    grade = int(q)
    if not 0 <= grade <= MAX_GRADE:
        raise ValueError(f"grade must be 0-{MAX_GRADE}, got {grade}")
    return grade


def is_lapse(grade: int) -> bool:
    """True if ``grade`` means the card was not recalled (below ``PASS_GRADE``)."""
    return grade < PASS_GRADE


def needs_redrill(grade: int) -> bool:
    """True if a card graded ``grade`` must come back later in the same session."""
    return grade < REDRILL_BELOW
