"""Pure scheduling: every decision about when a card comes back (stdlib only, no I/O, no clock).

`grades` (the 0–5 scale, pass and re-drill thresholds), `answer` (review kinds and what one answer
does to a card), `scheduler` (the interface an algorithm implements) and `sm2` (the algorithm),
`days` (study days), `queue` (the day's order, the live session, re-drills), `plan` (the day's
numbers). The rules in words: docs/scheduling.md.
"""

from quizapp.srs.sm2 import SM2State, review

__all__ = ["SM2State", "review"]
