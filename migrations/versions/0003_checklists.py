"""month-end checklists

Revision ID: 0003_checklists
Revises: 0002_post_ledger
Create Date: 2026-11-22 12:56:56.941377
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0003_checklists"
down_revision: str | None = "0002_post_ledger"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_items",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("pipeline", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("ticked_by", sa.String(length=64), nullable=True),
        sa.Column("ticked_at", bot.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pipeline"],
            ["pipelines.key"],
            name=op.f("fk_checklist_items_pipeline_pipelines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("period", "pipeline", "position", name=op.f("pk_checklist_items")),
    )


def downgrade() -> None:
    op.drop_table("checklist_items")
