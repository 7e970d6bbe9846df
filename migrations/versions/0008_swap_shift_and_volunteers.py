"""the shift a partial swap is part of, volunteers tied to their absence, where a call was posted

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
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.add_column(sa.Column("absence_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_overrides_absence_id"), ["absence_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_overrides_absence_id_absences"),
            "absences",
            ["absence_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ts", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.drop_column("ts")
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_overrides_absence_id_absences"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_overrides_absence_id"))
        batch_op.drop_column("absence_id")
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.drop_column("shift_starts_at")
