"""holiday covers are kept, and big days are configurable

Revision ID: 0012_holiday_history
Revises: 0011_alert_intake
Create Date: 2026-12-06 21:00:00.000000

Holiday duty is planned across years from who covered each holiday before, and the big days a team
spreads over the years (with their weights) come from the team file.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_holiday_history"
down_revision: str | None = "0011_alert_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "holiday_covers",
        sa.Column("rotation", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("rotation", "day", name=op.f("pk_holiday_covers")),
    )
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holiday_big_days", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("holiday_big_days")
    op.drop_table("holiday_covers")
