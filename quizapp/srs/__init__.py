"""Pure scheduling: SM-2 reviews, study days and the daily queue (stdlib only, no I/O, no clock)."""

from quizapp.srs.sm2 import SM2State, review

__all__ = ["SM2State", "review"]
