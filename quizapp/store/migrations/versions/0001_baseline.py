"""Baseline: the schema quizapp 0.1 created (PRAGMA user_version = 1).

Databases from before Alembic have no alembic_version table; quizapp stamps them with the revision
their `PRAGMA user_version` names before upgrading. Revision ids are the schema version, zero-padded.

Revision ID: 0001
Revises:
Create Date: 2026-03-02
"""

from __future__ import annotations

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # new databases are created at the head revision from quizapp.store.schema


def downgrade() -> None:
    pass
