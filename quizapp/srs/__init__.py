"""Pure scheduling: every decision about when a card comes back (stdlib only, no I/O, no clock).

`grades` (the 0–5 scale, pass and re-drill thresholds), `answer` (review kinds and what one answer
does to a card), `scheduler` (the interface an algorithm implements), `sm2` and `fsrs` (the two
algorithms), `paired` (both side by side) and `replay` (recomputing from the review log), `days`
(study days), `queue` (the day's order, the live session, re-drills), `backlog` (after days away),
`plan` (the day's numbers), `metrics` (how well a model predicted recall). The rules in words: docs/scheduling.md.
"""

from quizapp.srs.sm2 import SM2State, review

__all__ = ["SM2State", "review"]
