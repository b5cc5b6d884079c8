"""The suggested grade: one pure function from the evidence of one answer.

The learner may always give another grade; the suggestion is what the evidence supports, so that
accepting it (Enter) is honest. The evidence, and the rule (README, "The suggested grade"):

* **not answered** ("show me") → 0;
* **wrong** → 1, or 2 when it was a near miss: the look-alike twin, or a typed slip — the learner
  knew the neighbourhood (SM-2's "familiar");
* **right** → by speed relative to the card kind's usual time (`PAR_SECONDS`: reading a scenario
  takes longer than naming a term) and by how it was given: *typed* recall can earn 5, a *pick*
  (recognition, easier) at most 4:

  ====================  ==========  ===========  ==========
  right answer          ≤ 1 × par   ≤ 3 × par    slower
  ====================  ==========  ===========  ==========
  typed                 5           4            3
  typed with a slip     4           4            3
  picked                4           3            3
  ====================  ==========  ===========  ==========
"""

from __future__ import annotations

__all__ = ["PAR_SECONDS", "SLOW_FACTOR", "suggest_grade"]

# A card kind's usual answer time for someone who knows it: the "par" speeds are measured against.
PAR_SECONDS: dict[str, float] = {
    "def-term": 10.0,  # read a definition, name the term
    "trap": 10.0,  # tell two look-alikes apart
    "term-def": 15.0,  # read four definitions
    "scenario": 30.0,  # read a situation and four plans
    "drill": 90.0,  # a back-of-the-envelope calculation
}
DEFAULT_PAR = 15.0
SLOW_FACTOR = 3.0  # up to this many pars is still a confident answer


def suggest_grade(*, answered: bool, correct: bool, typed: bool, seconds: float, kind: str,
                  near_miss: bool = False, slip: bool = False) -> int:
    """The 0–5 grade the evidence supports (see the module docstring for the table)."""
    if not answered:
        return 0
    if not correct:
        return 2 if near_miss else 1
    par = PAR_SECONDS.get(kind, DEFAULT_PAR)
    if seconds > SLOW_FACTOR * par:
        return 3
    if seconds > par:
        return 4 if typed else 3
    return 5 if typed and not slip else 4
