"""FSRS beside SM-2: each card's FSRS state, and FSRS's predicted recall per review.

Three nullable columns on cards (`fsrs_stability`, `fsrs_difficulty`, `fsrs_due`) and one on
reviews (`fsrs_recall`), with CHECK constraints like revision 0002's. Every SM-2 column stays as
it is — SM-2 keeps its own state, so switching to FSRS and back is a round trip. The new columns
start NULL; the first start after the upgrade replays the review log to fill them
(`quizapp.session.context`, the "schedule basis"). Batch mode rebuilds the tables on SQLite (it
cannot add a constraint otherwise); elsewhere the columns and constraints are added in place.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cards") as batch:
        batch.add_column(sa.Column("fsrs_stability", sa.Float(), nullable=True))
        batch.add_column(sa.Column("fsrs_difficulty", sa.Float(), nullable=True))
        batch.add_column(sa.Column("fsrs_due", sa.Integer(), nullable=True))
        for name, condition in _CARDS.items():
            batch.create_check_constraint(name, condition)
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("fsrs_recall", sa.Float(), nullable=True))
        for name, condition in _REVIEWS.items():
            batch.create_check_constraint(name, condition)


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        for name in _REVIEWS:
            batch.drop_constraint(name, type_="check")
        batch.drop_column("fsrs_recall")
    with op.batch_alter_table("cards") as batch:
        for name in _CARDS:
            batch.drop_constraint(name, type_="check")
        for column in ("fsrs_due", "fsrs_difficulty", "fsrs_stability"):
            batch.drop_column(column)


# Frozen copies of quizapp.store.schema's constraints as of this revision (a test compares them).
_CARDS = {
    "ck_cards_fsrs": "fsrs_stability IS NULL OR (fsrs_stability > 0 AND fsrs_difficulty BETWEEN 1 AND 10)",
    "ck_cards_fsrs_due": "fsrs_due IS NULL OR last_review_day IS NULL OR fsrs_due > last_review_day",
}
_REVIEWS = {"ck_reviews_fsrs_recall": "fsrs_recall IS NULL OR fsrs_recall BETWEEN 0 AND 1"}
