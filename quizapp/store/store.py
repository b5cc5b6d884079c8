"""The only door to the database: `Store`, one class made of one module per concern.

| module | concern |
| --- | --- |
| `engine` | opening a file (refusing foreign or newer ones, migrating), transactions, the learner |
| `server` | opening a PostgreSQL store, its schema, and the locks that stand in for SQLite's |
| `dialect` | what differs between the two engines (placeholders, `greatest`, upsert, driver errors) |
| `learners` | learner names: the login-name default and what a name may be |
| `transfer` | one learner's history copied into another store (`quizapp migrate-store`) |
| `writes` | deck sync, one answer, undo, suspend, settings |
| `reads` | what a session reads: cards, the day's due and new cards, the review log |
| `aggregates` | GROUP BY totals for statistics and the home screen |
| `summary` | the summaries the writes keep (per-day answer counts, prediction scores) |
| `bulk` | streamed rows for export and the history CSV |
| `reschedule` | every card's schedule replayed from the review log (switching algorithms) |
| `records` | the records and rows the store hands out |

The store decides nothing about scheduling: `Store.record` asks `quizapp.srs.answer` what an
answer does and persists that in one transaction (each answer is one committed transaction).
"""

from __future__ import annotations

from quizapp.store.aggregates import Aggregates
from quizapp.store.bulk import ID_CHUNK, BulkReads
from quizapp.store.engine import BUSY_TIMEOUT_MS, _power
from quizapp.store.errors import StoreError
from quizapp.store.reads import QueueReads
from quizapp.store.records import (
    CardCounts,
    CardRecord,
    CardSchedule,
    ReviewCounts,
    ReviewRecord,
    ReviewRow,
    SyncReport,
)
from quizapp.store.reschedule import SCHEDULE_BASIS, RescheduleReport, Rescheduling
from quizapp.store.writes import DECK_FINGERPRINT, Writes

__all__ = ["BUSY_TIMEOUT_MS", "DECK_FINGERPRINT", "ID_CHUNK", "SCHEDULE_BASIS", "CardCounts",
           "CardRecord", "CardSchedule", "RescheduleReport", "ReviewCounts", "ReviewRecord",
           "ReviewRow", "Store", "StoreError", "SyncReport", "_power"]


class Store(Writes, Aggregates, QueueReads, BulkReads, Rescheduling):
    """A quizapp database file. Open with `Store.open(path)`; close when done (or use `with`)."""
