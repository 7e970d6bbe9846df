"""incidents and checklists outlive their pipeline

Revision ID: 0009_history_outlives_pipelines
Revises: 0008_swap_shift_and_volunteers
Create Date: 2026-12-01 23:30:00.000000

Importing a team file without a pipeline used to delete its incidents, their timelines and its
checklists through ON DELETE CASCADE. They are the team's history, so they keep the pipeline's key.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_history_outlives_pipelines"
down_revision: str | None = "0008_swap_shift_and_volunteers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_incidents_pipeline_pipelines"), type_="foreignkey")
        batch_op.create_index(batch_op.f("ix_incidents_pipeline"), ["pipeline"], unique=False)
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_checklist_items_pipeline_pipelines"), type_="foreignkey")


def downgrade() -> None:
    # The foreign keys come back only over rows whose pipeline still exists.
    op.execute("DELETE FROM checklist_items WHERE pipeline NOT IN (SELECT key FROM pipelines)")
    op.execute("DELETE FROM incidents WHERE pipeline NOT IN (SELECT key FROM pipelines)")
    with op.batch_alter_table("checklist_items", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_checklist_items_pipeline_pipelines"),
            "pipelines",
            ["pipeline"],
            ["key"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_pipeline"))
        batch_op.create_foreign_key(
            batch_op.f("fk_incidents_pipeline_pipelines"),
            "pipelines",
            ["pipeline"],
            ["key"],
            ondelete="CASCADE",
        )
