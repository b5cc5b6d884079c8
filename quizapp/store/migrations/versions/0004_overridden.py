"""The learner's "I was right": a flag on each logged answer.

One column on reviews, `overridden` (0/1, default 0): set when the learner overruled a wrong
verdict on a typed answer; that answer is then logged and counted as correct, and the history CSV
shows the flag, so an overruled verdict is never mistaken for one the app gave. Existing rows get
0: no verdict was overruled before this revision existed.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("overridden", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("overridden")
