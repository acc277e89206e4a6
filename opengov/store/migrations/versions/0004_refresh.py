"""live portal refresh: refresh_runs and refresh_attempts (see opengov/store/models_refresh.py)

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-24 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refresh_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("portals_requested", sa.Integer(), nullable=False),
        sa.Column("portals_ok", sa.Integer(), nullable=False),
        sa.Column("portals_failed", sa.Integer(), nullable=False),
        sa.Column("portals_skipped", sa.Integer(), nullable=False),
        sa.Column("analytics_status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_runs")),
    )
    with op.batch_alter_table("refresh_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "refresh_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("portal_id", sa.String(length=80), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error_code", sa.String(length=40), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=False),
        sa.Column("dataset_count", sa.Integer(), nullable=True),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("kept_previous", sa.Boolean(), nullable=False),
        sa.Column("facet_rows", sa.Integer(), nullable=False),
        sa.Column("usage_rows", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["portal_id"], ["portals.id"], name=op.f("fk_refresh_attempts_portal_id_portals")),
        sa.ForeignKeyConstraint(["run_id"], ["refresh_runs.id"], name=op.f("fk_refresh_attempts_run_id_refresh_runs")),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["portal_snapshots.id"],
            ondelete="SET NULL",
            name=op.f("fk_refresh_attempts_snapshot_id_portal_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_attempts")),
    )
    with op.batch_alter_table("refresh_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_attempts_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_refresh_attempts_portal_time", ["portal_id", "finished_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refresh_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_refresh_attempts_portal_time")
        batch_op.drop_index(batch_op.f("ix_refresh_attempts_run_id"))
    op.drop_table("refresh_attempts")
    with op.batch_alter_table("refresh_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_runs_started_at"))
    op.drop_table("refresh_runs")
