"""swap requests and volunteer calls

Revision ID: 0006_swaps
Revises: 0005_incidents
Create Date: 2026-11-22 13:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0006_swaps"
down_revision: str | None = "0005_incidents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    instant = bot.store.types.UTCDateTime(timezone=True)
    op.create_table(
        "swap_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rotation", sa.String(length=64), nullable=False),
        sa.Column("requester_id", sa.String(length=64), nullable=False),
        sa.Column("teammate_id", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("give_starts_at", instant, nullable=False),
        sa.Column("give_ends_at", instant, nullable=False),
        sa.Column("take_starts_at", instant, nullable=True),
        sa.Column("take_ends_at", instant, nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", instant, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("expires_at", instant, nullable=False),
        sa.Column("decided_at", instant, nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("dm_channel", sa.String(length=80), nullable=True),
        sa.Column("dm_ts", sa.String(length=32), nullable=True),
        sa.Column("override_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["people.id"],
            name=op.f("fk_swap_requests_requester_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation"],
            ["rotations.name"],
            name=op.f("fk_swap_requests_rotation_rotations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["teammate_id"],
            ["people.id"],
            name=op.f("fk_swap_requests_teammate_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swap_requests")),
    )
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.create_index("ix_swap_requests_state_expires", ["state", "expires_at"], unique=False)

    op.create_table(
        "volunteer_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("absence_id", sa.Integer(), nullable=False),
        sa.Column("rotation", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("deadline", instant, nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("closed_at", instant, nullable=True),
        sa.ForeignKeyConstraint(
            ["absence_id"],
            ["absences.id"],
            name=op.f("fk_volunteer_calls_absence_id_absences"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation"],
            ["rotations.name"],
            name=op.f("fk_volunteer_calls_rotation_rotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_calls")),
    )
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_calls_absence_id"), ["absence_id"], unique=False)
        batch_op.create_index("ix_volunteer_calls_state_deadline", ["state", "deadline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("volunteer_calls", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_calls_state_deadline")
        batch_op.drop_index(batch_op.f("ix_volunteer_calls_absence_id"))

    op.drop_table("volunteer_calls")
    with op.batch_alter_table("swap_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_swap_requests_state_expires")

    op.drop_table("swap_requests")
