"""The learner's "I was right": a flag on each logged answer.

One column on reviews, `overridden` (0/1, default 0): set when the learner overruled a wrong
verdict on a typed answer; that answer is then logged and counted as correct, and the history CSV
shows the flag, so an overruled verdict is never mistaken for one the app gave. Existing rows get
0: no verdict was overruled before this revision existed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: rebuilding `reviews` would break revision 0004's
    # summary triggers, and SQLite adds a NOT NULL column with a default in place.
    op.add_column("reviews", sa.Column("overridden", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("overridden")
