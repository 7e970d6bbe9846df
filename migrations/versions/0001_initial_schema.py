"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 11:56:26.656360
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.types

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "company_holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_company_holidays")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("slack_id", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("admin", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
        sa.UniqueConstraint("slack_id", name=op.f("uq_people_slack_id")),
    )
    op.create_table(
        "rotations",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("handoff_weekday", sa.Integer(), nullable=False),
        sa.Column("handoff_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("user_group", sa.String(length=32), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rotations")),
    )
    op.create_table(
        "team_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("holiday_country", sa.String(length=3), nullable=False),
        sa.Column("holiday_subdivision", sa.String(length=10), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_settings")),
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("starts_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_absences_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
    )
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absences_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_absences_span", ["ends_at", "starts_at"], unique=False)

    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("rotation", sa.String(length=64), nullable=True),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", bot.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_calendar_feeds_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["rotation"],
            ["rotations.name"],
            name=op.f("fk_calendar_feeds_rotation_rotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_calendar_feeds_secret_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_person_id"), ["person_id"], unique=False)

    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rotation", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("starts_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_overrides_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["rotation"], ["rotations.name"], name=op.f("fk_overrides_rotation_rotations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overrides")),
    )
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_overrides_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_overrides_span", ["rotation", "ends_at", "starts_at"], unique=False)

    op.create_table(
        "pinned_holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_pinned_holidays_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_pinned_holidays")),
    )
    op.create_table(
        "pipelines",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("area", sa.String(length=50), nullable=False),
        sa.Column("investor_facing", sa.Boolean(), nullable=False),
        sa.Column("primary_id", sa.String(length=64), nullable=False),
        sa.Column("secondary_id", sa.String(length=64), nullable=False),
        sa.Column("runbook", sa.String(length=200), nullable=True),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("escalation", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["primary_id"], ["people.id"], name=op.f("fk_pipelines_primary_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["secondary_id"], ["people.id"], name=op.f("fk_pipelines_secondary_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pipelines")),
    )
    op.create_table(
        "rotation_backup_pairs",
        sa.Column("rotation", sa.String(length=64), nullable=False),
        sa.Column("primary_id", sa.String(length=64), nullable=False),
        sa.Column("backup_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["backup_id"],
            ["people.id"],
            name=op.f("fk_rotation_backup_pairs_backup_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["primary_id"],
            ["people.id"],
            name=op.f("fk_rotation_backup_pairs_primary_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation"],
            ["rotations.name"],
            name=op.f("fk_rotation_backup_pairs_rotation_rotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rotation", "primary_id", name=op.f("pk_rotation_backup_pairs")),
    )
    op.create_table(
        "rotation_members",
        sa.Column("rotation", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_rotation_members_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rotation"],
            ["rotations.name"],
            name=op.f("fk_rotation_members_rotation_rotations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rotation", "position", name=op.f("pk_rotation_members")),
        sa.UniqueConstraint("rotation", "person_id", name=op.f("uq_rotation_members_rotation")),
    )


def downgrade() -> None:
    op.drop_table("rotation_members")
    op.drop_table("rotation_backup_pairs")
    op.drop_table("pipelines")
    op.drop_table("pinned_holidays")
    with op.batch_alter_table("overrides", schema=None) as batch_op:
        batch_op.drop_index("ix_overrides_span")
        batch_op.drop_index(batch_op.f("ix_overrides_person_id"))

    op.drop_table("overrides")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_person_id"))

    op.drop_table("calendar_feeds")
    with op.batch_alter_table("absences", schema=None) as batch_op:
        batch_op.drop_index("ix_absences_span")
        batch_op.drop_index(batch_op.f("ix_absences_person_id"))

    op.drop_table("absences")
    op.drop_table("team_settings")
    op.drop_table("rotations")
    op.drop_table("people")
    op.drop_table("company_holidays")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
