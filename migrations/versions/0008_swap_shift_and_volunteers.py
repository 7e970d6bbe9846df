"""the shift a partial swap is part of

Revision ID: 0008_swap_shift_and_volunteers
Revises: 0007_email_lookups
Create Date: 2026-12-01 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0008_swap_shift_and_volunteers"
down_revision: str | None = "0007_email_lookups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = bot.store.types.UTCDateTime(timezone=True)
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shift_starts_at", instant, nullable=True))
    # Requests stored before this asked for whole shifts only: the shift starts where their time does.
    op.execute("UPDATE swap_requests SET shift_starts_at = give_starts_at")
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.alter_column("shift_starts_at", existing_type=instant, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.drop_column("shift_starts_at")
