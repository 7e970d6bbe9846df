"""calendar events keep their revision

Revision ID: 0010_calendar_event_revisions
Revises: 0009_history_outlives_pipelines
Create Date: 2026-12-06 21:00:00.000000

A calendar client tells a changed event from an old copy by SEQUENCE and DTSTAMP; both follow
what a feed last showed of the event.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0010_calendar_event_revisions"
down_revision: str | None = "0009_history_outlives_pipelines"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_event_revisions",
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("shown", sa.String(length=255), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("revised_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_calendar_event_revisions")),
    )


def downgrade() -> None:
    op.drop_table("calendar_event_revisions")
