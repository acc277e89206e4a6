"""usage indexes: covering index for monthly sums and dataset rankings, and per-key history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 05:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("usage_stats", schema=None) as batch_op:
        batch_op.create_index(
            "ix_usage_series", ["metric", "grain", "dimension", "period_start", "dimension_key", "value"], unique=False
        )
        batch_op.create_index(
            "ix_usage_key", ["dimension", "dimension_key", "metric", "grain", "period_start"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("usage_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_key")
        batch_op.drop_index("ix_usage_series")
