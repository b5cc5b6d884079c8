"""The database itself refuses impossible scheduling values.

CHECK constraints on cards (no negative counts or interval, EF at least 1.30, due after the last
review) and reviews (grades 0-5, known kinds, no negative intervals): a bug can no longer write a
state that would lose a learner a day or schedule a card in the past. SQLite cannot add a
constraint to a table, so batch mode rebuilds both tables (copy, drop, rename), keeping every row,
every id and the indexes. Files from before the statistics index get it here too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards", recreate="always") as batch:
        for name, condition in _CARDS.items():
            batch.create_check_constraint(name, condition)
    with op.batch_alter_table("reviews", recreate="always") as batch:
        for name, condition in _REVIEWS.items():
            batch.create_check_constraint(name, condition)
    op.create_index("ix_reviews_stats", "reviews",
                    ["kind", "card_id", "study_day", "correct", "grade", "reps_before"],
                    if_not_exists=True)


def downgrade() -> None:
    with op.batch_alter_table("reviews", recreate="always") as batch:
        for name in _REVIEWS:
            batch.drop_constraint(name, type_="check")
    with op.batch_alter_table("cards", recreate="always") as batch:
        for name in _CARDS:
            batch.drop_constraint(name, type_="check")


# Frozen copies of quizapp.store.schema's constraints as of this revision (a test compares them).
_CARDS = {
    "ck_cards_counts": "repetitions >= 0 AND lapses >= 0 AND reviews >= lapses",
    "ck_cards_ef": "ef >= 130",
    "ck_cards_interval": "interval >= 0",
    "ck_cards_due": "due IS NULL OR last_review_day IS NULL OR due > last_review_day",
}
_REVIEWS = {
    "ck_reviews_grade": "grade BETWEEN 0 AND 5",
    "ck_reviews_kind": "kind IN ('review', 'redrill', 'practice')",
    "ck_reviews_interval": "interval_before >= 0 AND interval_after >= 0",
}
