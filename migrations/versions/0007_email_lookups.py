"""slack ids found by email

Revision ID: 0007_email_lookups
Revises: 0006_swaps
Create Date: 2026-11-29 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0007_email_lookups"
down_revision: str | None = "0006_swaps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_lookups",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("slack_id", sa.String(length=32), nullable=True),
        sa.Column("looked_up_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_email_lookups")),
    )


def downgrade() -> None:
    op.drop_table("email_lookups")
