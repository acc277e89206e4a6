"""Action-plan progress from real reports: plans of a jurisdiction, commitment-level statuses (with milestones
done / total), status observations with their source, evidence and version, independent IRM ratings.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_plans", schema=None) as b:
        b.add_column(sa.Column("jurisdiction", sa.String(length=20), nullable=False, server_default="CA"))
        b.add_column(sa.Column("level", sa.String(length=20), nullable=False, server_default="federal"))
        b.add_column(sa.Column("source_url", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("commitments_total", sa.Integer(), nullable=True))
    with op.batch_alter_table("commitments", schema=None) as b:
        b.add_column(sa.Column("status", sa.String(length=20), nullable=True))
        b.add_column(sa.Column("status_source_term", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("status_as_of", sa.Date(), nullable=True))
        b.add_column(sa.Column("status_period", sa.String(length=40), nullable=False, server_default=""))
        b.add_column(sa.Column("milestones_done", sa.Integer(), nullable=True))
        b.add_column(sa.Column("milestones_total", sa.Integer(), nullable=True))
        b.add_column(sa.Column("lead", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("deadline_text", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("deadline_date", sa.Date(), nullable=True))
        b.add_column(sa.Column("source_url", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("source_id", sa.String(length=80), nullable=True))
        b.create_foreign_key(op.f("fk_commitments_source_id_sources"), "sources", ["source_id"], ["id"])
    with op.batch_alter_table("plan_progress_reports", schema=None) as b:
        b.alter_column("status", existing_type=sa.String(length=20), nullable=True)
        b.add_column(sa.Column("source_id", sa.String(length=80), nullable=True))
        b.add_column(sa.Column("source_url", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        b.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        b.create_foreign_key(op.f("fk_plan_progress_reports_source_id_sources"), "sources", ["source_id"], ["id"])
        b.create_index(b.f("ix_plan_progress_reports_source_id"), ["source_id"], unique=False)
    op.create_table(
        "irm_ratings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("irm_id", sa.String(length=20), nullable=False),
        sa.Column("member", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("action_plan", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.String(length=40), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("reports", sa.Text(), nullable=False),
        sa.Column("early_results", sa.String(length=40), nullable=False),
        sa.Column("starred", sa.String(length=10), nullable=False),
        sa.Column("verifiable", sa.String(length=10), nullable=False),
        sa.Column("relevance", sa.Text(), nullable=False),
        sa.Column("ambition", sa.String(length=20), nullable=False),
        sa.Column("completion", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["action_plans.id"], name=op.f("fk_irm_ratings_plan_id_action_plans")),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitments.id"], name=op.f("fk_irm_ratings_commitment_id_commitments")
        ),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_irm_ratings_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irm_ratings")),
        sa.UniqueConstraint("irm_id", name="uq_irm_ratings_irm_id"),
    )
    with op.batch_alter_table("irm_ratings", schema=None) as b:
        b.create_index(b.f("ix_irm_ratings_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_table("irm_ratings")
    with op.batch_alter_table("plan_progress_reports", schema=None) as b:
        b.drop_index(b.f("ix_plan_progress_reports_source_id"))
        b.drop_constraint(op.f("fk_plan_progress_reports_source_id_sources"), type_="foreignkey")
        for col in ("version", "note", "source_url", "source_id"):
            b.drop_column(col)
        b.alter_column("status", existing_type=sa.String(length=20), nullable=False)
    with op.batch_alter_table("commitments", schema=None) as b:
        b.drop_constraint(op.f("fk_commitments_source_id_sources"), type_="foreignkey")
        for col in (
            "source_id",
            "note",
            "source_url",
            "deadline_date",
            "deadline_text",
            "lead",
            "milestones_total",
            "milestones_done",
            "status_period",
            "status_as_of",
            "status_source_term",
            "status",
        ):
            b.drop_column(col)
    with op.batch_alter_table("action_plans", schema=None) as b:
        for col in ("commitments_total", "source_url", "level", "jurisdiction"):
            b.drop_column(col)
