"""action plans: actual end date, progress reports, coded challenges

Revision ID: 0003_plans
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_plans"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actual_end_date", sa.Date(), nullable=True))
    op.create_table(
        "plan_progress_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(length=40), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("reporting_period", sa.String(length=10), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_source_term", sa.Text(), nullable=False),
        sa.Column("progress_en", sa.Text(), nullable=False),
        sa.Column("progress_fr", sa.Text(), nullable=False),
        sa.Column("evidence_en", sa.Text(), nullable=False),
        sa.Column("evidence_fr", sa.Text(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("import_file", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name=op.f("fk_plan_progress_reports_plan_id_action_plans")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestones.id"], name=op.f("fk_plan_progress_reports_milestone_id_milestones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_progress_reports")),
        sa.UniqueConstraint("milestone_id", "indicator_code", "reporting_period", name="uq_progress_period"),
    )
    with op.batch_alter_table("plan_progress_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_progress_reports_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_progress_reports_milestone_id"), ["milestone_id"], unique=False)
    op.create_table(
        "plan_challenges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(length=40), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("reporting_period", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("detail_en", sa.Text(), nullable=False),
        sa.Column("detail_fr", sa.Text(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], name=op.f("fk_plan_challenges_plan_id_action_plans")),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["milestones.id"], name=op.f("fk_plan_challenges_milestone_id_milestones")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["plan_progress_reports.id"], name=op.f("fk_plan_challenges_report_id_plan_progress_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_challenges")),
    )
    with op.batch_alter_table("plan_challenges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_challenges_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_challenges_milestone_id"), ["milestone_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_challenges_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_table("plan_challenges")
    op.drop_table("plan_progress_reports")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_column("actual_end_date")
