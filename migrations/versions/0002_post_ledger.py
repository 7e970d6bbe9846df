"""post ledger

Revision ID: 0002_post_ledger
Revises: 0001_initial
Create Date: 2026-11-22 12:48:14.685859
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0002_post_ledger"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_ledger",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("lease_until", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=True),
        sa.Column("sent_at", bot.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_post_ledger")),
    )


def downgrade() -> None:
    op.drop_table("post_ledger")
