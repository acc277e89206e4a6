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


def _missing(table: str, names: list[str]) -> set[str]:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    return set(names) - have


def upgrade() -> None:
    _upgrade_columns()
    if "irm_ratings" not in sa.inspect(op.get_bind()).get_table_names():
        _create_irm_ratings()


def _add(b: object, table: str, column: sa.Column) -> None:
    if column.name in _missing(table, [column.name]):
        b.add_column(column)  # type: ignore[attr-defined]


def _upgrade_columns() -> None:
    fk_commitments = bool(_missing("commitments", ["source_id"]))
    fk_reports = bool(_missing("plan_progress_reports", ["source_id"]))
    with op.batch_alter_table("action_plans", schema=None) as b:
        _add(b, "action_plans", sa.Column("jurisdiction", sa.String(length=20), nullable=False, server_default="CA"))
        _add(b, "action_plans", sa.Column("level", sa.String(length=20), nullable=False, server_default="federal"))
        _add(b, "action_plans", sa.Column("source_url", sa.Text(), nullable=False, server_default=""))
        _add(b, "action_plans", sa.Column("commitments_total", sa.Integer(), nullable=True))
    with op.batch_alter_table("commitments", schema=None) as b:
        _add(b, "commitments", sa.Column("status", sa.String(length=20), nullable=True))
        _add(b, "commitments", sa.Column("status_source_term", sa.Text(), nullable=False, server_default=""))
        _add(b, "commitments", sa.Column("status_as_of", sa.Date(), nullable=True))
        _add(b, "commitments", sa.Column("status_period", sa.String(length=40), nullable=False, server_default=""))
        _add(b, "commitments", sa.Column("milestones_done", sa.Integer(), nullable=True))
        _add(b, "commitments", sa.Column("milestones_total", sa.Integer(), nullable=True))
        _add(b, "commitments", sa.Column("lead", sa.Text(), nullable=False, server_default=""))
        _add(b, "commitments", sa.Column("deadline_text", sa.Text(), nullable=False, server_default=""))
        _add(b, "commitments", sa.Column("deadline_date", sa.Date(), nullable=True))
        _add(b, "commitments", sa.Column("source_url", sa.Text(), nullable=False, server_default=""))
        _add(b, "commitments", sa.Column("note", sa.Text(), nullable=False, server_default=""))
        _add(b, "commitments", sa.Column("source_id", sa.String(length=80), nullable=True))
        if fk_commitments:
            b.create_foreign_key(op.f("fk_commitments_source_id_sources"), "sources", ["source_id"], ["id"])
    with op.batch_alter_table("plan_progress_reports", schema=None) as b:
        b.alter_column("status", existing_type=sa.String(length=20), nullable=True)
        _add(b, "plan_progress_reports", sa.Column("source_id", sa.String(length=80), nullable=True))
        _add(b, "plan_progress_reports", sa.Column("source_url", sa.Text(), nullable=False, server_default=""))
        _add(b, "plan_progress_reports", sa.Column("note", sa.Text(), nullable=False, server_default=""))
        _add(b, "plan_progress_reports", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        if fk_reports:
            b.create_foreign_key(op.f("fk_plan_progress_reports_source_id_sources"), "sources", ["source_id"], ["id"])
            b.create_index(b.f("ix_plan_progress_reports_source_id"), ["source_id"], unique=False)


def _create_irm_ratings() -> None:
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
    """Back to 0006: the IRM table goes, observations without a status (not representable there) are removed
    and this revision's shipped sources forgotten, so an upgrade loads them again. The added columns stay:
    0006's code ignores them, and rebuilding SQLite tables that other tables reference is not worth the risk
    to the rows (the upgrade adds only the columns that are missing)."""
    op.drop_table("irm_ratings")
    op.execute(
        "DELETE FROM plan_challenges WHERE report_id IN (SELECT id FROM plan_progress_reports WHERE status IS NULL)"
    )
    op.execute("DELETE FROM plan_progress_reports WHERE status IS NULL")
    op.execute(
        "UPDATE sources SET sha256 = '' WHERE id IN "
        "('nap_status_observations', 'nap2_nap3_status', 'subnational_progress', 'irm_ratings')"
    )
