"""alert intake: integrations, the alerts received, their causes, and pipelines' heartbeats

Revision ID: 0011_alert_intake
Revises: 0010_calendar_event_revisions
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0011_alert_intake"
down_revision: str | None = "0010_calendar_event_revisions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _at(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, bot.store.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "integrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("pipeline", sa.String(length=64), nullable=True),
        sa.Column("severity", sa.String(length=4), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        _at("created_at"),
        _at("rotated_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrations")),
        sa.UniqueConstraint("name", name=op.f("uq_integrations_name")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_integrations_secret_hash")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("integration", sa.String(length=64), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=False),
        _at("received_at"),
        sa.Column("firing", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_integration"), ["integration"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_source_key"), ["source_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_incident_id"), ["incident_id"], unique=False)
    op.create_table(
        "alert_sources",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        _at("since"),
        _at("last_update_at"),
        _at("source_resolved_at", nullable=True),
        sa.Column("shown", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_alert_sources")),
    )
    with op.batch_alter_table("alert_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_sources_incident_id"), ["incident_id"], unique=False)
    op.create_table(
        "heartbeats",
        sa.Column("pipeline", sa.String(length=64), nullable=False),
        sa.Column("integration", sa.String(length=64), nullable=False),
        _at("last_ping_at"),
        sa.PrimaryKeyConstraint("pipeline", name=op.f("pk_heartbeats")),
    )
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.drop_column("heartbeat")
    op.drop_table("heartbeats")
    with op.batch_alter_table("alert_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_sources_incident_id"))
    op.drop_table("alert_sources")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_incident_id"))
        batch_op.drop_index(batch_op.f("ix_alerts_source_key"))
        batch_op.drop_index(batch_op.f("ix_alerts_integration"))
    op.drop_table("alerts")
    op.drop_table("integrations")
