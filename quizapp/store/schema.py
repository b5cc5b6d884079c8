"""Tables. SQLAlchemy Core (no ORM): fewer imports at start-up, explicit SQL on the answer path.

Study days are stored as proleptic ordinals (`date.toordinal()`), instants as UTC ISO-8601 text.
EF is stored in hundredths so it stays exact. A card keeps both algorithms' state
(`quizapp.srs.paired`): the SM-2 columns and, beside them, the FSRS ones (`fsrs_*`); `due` is the
due day of the algorithm in use.

Revision 0006: several learners share one store. `learner` leads every key (cards, reviews,
settings, the summaries): each learner has their own copy of every card's state, their own log
and settings, and every query names its learner (`quizapp.store.engine.Database.learner`).

Changing a table means a new Alembic revision in quizapp/store/migrations/versions (batch mode)
and SCHEMA_VERSION + 1: the revision id is the schema version, zero-padded ("0002").
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

from quizapp.srs.answer import ReviewKind
from quizapp.srs.grades import MAX_GRADE

SCHEMA_VERSION = 6  # = PRAGMA user_version (SQLite) = the Alembic head revision

# Revision 0002: the database refuses impossible scheduling values, whatever the code does.
CARD_CHECKS = {
    "ck_cards_counts": "repetitions >= 0 AND lapses >= 0 AND reviews >= lapses",
    "ck_cards_ef": "ef >= 130",
    "ck_cards_interval": "interval >= 0",
    "ck_cards_due": "due IS NULL OR last_review_day IS NULL OR due > last_review_day",
}
REVIEW_CHECKS = {
    "ck_reviews_grade": f"grade BETWEEN 0 AND {MAX_GRADE}",
    "ck_reviews_kind": f"kind IN ({', '.join(repr(kind.value) for kind in ReviewKind)})",
    "ck_reviews_interval": "interval_before >= 0 AND interval_after >= 0",
}
# Revision 0003: FSRS beside SM-2, with the same kind of guard.
FSRS_CARD_CHECKS = {
    "ck_cards_fsrs": "fsrs_stability IS NULL OR (fsrs_stability > 0 AND fsrs_difficulty BETWEEN 1 AND 10)",
    "ck_cards_fsrs_due": "fsrs_due IS NULL OR last_review_day IS NULL OR fsrs_due > last_review_day",
}
FSRS_REVIEW_CHECKS = {"ck_reviews_fsrs_recall": "fsrs_recall IS NULL OR fsrs_recall BETWEEN 0 AND 1"}

metadata = MetaData()

cards = Table(
    "cards",
    metadata,
    Column("learner", String, primary_key=True),
    Column("id", String, primary_key=True),
    Column("kind", String, nullable=False),
    Column("category", String, nullable=False),
    Column("item_id", String, nullable=False),
    Column("position", Integer, nullable=False),
    Column("content_hash", String, nullable=False),
    Column("content_changed_at", String, nullable=False),  # drives Anki note mod times
    Column("added_at", String, nullable=False),
    Column("retired", Boolean, nullable=False, default=False),  # gone from the deck, history kept
    Column("suspended", Boolean, nullable=False, default=False),
    Column("repetitions", Integer, nullable=False, default=0),
    Column("ef", Integer, nullable=False, default=250),
    Column("interval", Integer, nullable=False, default=0),
    Column("due", Integer),  # study-day ordinal; NULL = new
    Column("lapses", Integer, nullable=False, default=0),
    Column("reviews", Integer, nullable=False, default=0),
    Column("last_review_day", Integer),
    Column("fsrs_stability", Float),  # days; NULL = never reviewed (or not replayed yet)
    Column("fsrs_difficulty", Float),  # 1-10
    Column("fsrs_due", Integer),  # study-day ordinal FSRS schedules the card for
    *(CheckConstraint(condition, name=name)
      for name, condition in (CARD_CHECKS | FSRS_CARD_CHECKS).items()),
)
Index("ix_cards_due", cards.c.learner, cards.c.retired, cards.c.suspended, cards.c.due)
Index("ix_cards_new", cards.c.learner, cards.c.retired, cards.c.suspended, cards.c.reviews, cards.c.position)
# Revision 0004: covers the per-category GROUP BYs over cards (`Store.card_counts`, `mastery_counts`,
# `due_counts`: statistics and the home screen), so they read this narrow index instead of every
# wide card row (100 000 cards: 224 → 53 ms, 121 → 15 ms, 87 → 20 ms).
ix_cards_counts = Index("ix_cards_counts", cards.c.learner, cards.c.retired, cards.c.category, cards.c.kind,
                        cards.c.suspended, cards.c.reviews, cards.c.interval, cards.c.due, cards.c.lapses, cards.c.ef,
                        cards.c.repetitions)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("learner", String, nullable=False),
    Column("card_id", String, nullable=False),
    Column("answered_at", String, nullable=False),
    Column("study_day", Integer, nullable=False),
    Column("grade", Integer, nullable=False),
    Column("answer", Text, nullable=False, default=""),
    Column("correct", Boolean, nullable=False),
    Column("response_ms", Integer, nullable=False, default=0),
    Column("kind", String, nullable=False),  # quizapp.srs.answer.ReviewKind: review | redrill | practice
    Column("was_new", Boolean, nullable=False, default=False),
    Column("reps_before", Integer, nullable=False),
    Column("ef_before", Integer, nullable=False),
    Column("interval_before", Integer, nullable=False),
    Column("due_before", Integer),
    Column("last_day_before", Integer),
    Column("reps_after", Integer, nullable=False),
    Column("ef_after", Integer, nullable=False),
    Column("interval_after", Integer, nullable=False),
    Column("due_after", Integer),
    # FSRS's probability of recall for this review, from the card's state before it (kind
    # 'review' only; NULL for a card's first review): what "which model knows you better" reads.
    Column("fsrs_recall", Float),
    # Revision 0005: the learner overruled a wrong verdict on a typed answer ("I was right");
    # `correct` is then 1. The history CSV shows it.
    Column("overridden", Boolean, nullable=False, default=False, server_default=false()),
    ForeignKeyConstraint(["learner", "card_id"], ["cards.learner", "cards.id"], name="fk_reviews_card"),
    *(CheckConstraint(condition, name=name)
      for name, condition in (REVIEW_CHECKS | FSRS_REVIEW_CHECKS).items()),
)
Index("ix_reviews_card", reviews.c.learner, reviews.c.card_id, reviews.c.id)
Index("ix_reviews_day", reviews.c.learner, reviews.c.study_day, reviews.c.kind)
# Covers `Store.review_counts` (statistics): per-card totals without touching the table rows.
ix_reviews_stats = Index("ix_reviews_stats", reviews.c.learner, reviews.c.kind, reviews.c.card_id, reviews.c.study_day,
                         reviews.c.correct, reviews.c.grade, reviews.c.reps_before)

# Revision 0004: statistics kept by the writes themselves (`quizapp.store.summary`). Each answer's
# transaction adds its share and an undo takes it back, so `quizapp stats` reads a few thousand
# summary rows instead of a million log rows. `learner` is part of every key.
review_summary = Table(
    "review_summary",
    metadata,
    Column("learner", String, primary_key=True),
    Column("study_day", Integer, primary_key=True),
    Column("category", String, primary_key=True),  # the card's, as of now (sync moves the counts)
    Column("card_kind", String, primary_key=True),
    Column("retired", Boolean, primary_key=True),  # the card's, as of now
    Column("answers", Integer, nullable=False, default=0),  # every logged answer, any kind
    Column("reviews", Integer, nullable=False, default=0),  # kind 'review' only, from here on
    Column("correct", Integer, nullable=False, default=0),
    Column("lapses", Integer, nullable=False, default=0),  # grade < PASS_GRADE
    Column("recall_reviews", Integer, nullable=False, default=0),  # reps_before >= 1
    Column("recalled", Integer, nullable=False, default=0),  # … and grade >= PASS_GRADE
)
# The two models' predictions scored per srs-benchmark bin (`quizapp.srs.metrics`): what "which
# model knows you better" reads. Kept by the same writes; rebuilt when the FSRS predictions in the
# log are recomputed (rescheduling).
prediction_bins = Table(
    "prediction_bins",
    metadata,
    Column("learner", String, primary_key=True),
    Column("lapse_bin", Float, primary_key=True),
    Column("elapsed_bin", Float, primary_key=True),
    Column("number_bin", Float, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("recalled", Integer, nullable=False),
    Column("fsrs_p", Float, nullable=False),  # Σ predicted recall
    Column("fsrs_loss", Float, nullable=False),  # Σ log loss
    Column("sm2_p", Float, nullable=False),
    Column("sm2_loss", Float, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("learner", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

QUIZAPP_TABLES = {"cards", "reviews", "settings"}
SUMMARY_TABLES = {"review_summary", "prediction_bins"}
