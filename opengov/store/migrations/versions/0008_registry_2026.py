"""The 2026 portal registry (catalogue type, owner, listing, per-field sources, fields an operator set),
census populations for per-capita figures, and one current usage value per figure (``is_current``).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _missing(table: str, names: list[str]) -> set[str]:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}
    return set(names) - have


def _add(b: object, table: str, column: sa.Column) -> None:
    if column.name in _missing(table, [column.name]):
        b.add_column(column)  # type: ignore[attr-defined]


def upgrade() -> None:
    with op.batch_alter_table("portals", schema=None) as b:
        _add(
            b,
            "portals",
            sa.Column("catalog_type", sa.String(length=40), nullable=False, server_default="Open data portal"),
        )
        _add(b, "portals", sa.Column("owner_type", sa.String(length=40), nullable=False, server_default=""))
        _add(b, "portals", sa.Column("owner_name", sa.Text(), nullable=False, server_default=""))
        _add(b, "portals", sa.Column("listing", sa.String(length=20), nullable=False, server_default=""))
        _add(b, "portals", sa.Column("field_sources", sa.Text(), nullable=False, server_default=""))
        _add(b, "portals", sa.Column("registry_uid", sa.String(length=40), nullable=False, server_default=""))
        _add(b, "portals", sa.Column("operator_fields", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("usage_stats", schema=None) as b:
        _add(b, "usage_stats", sa.Column("is_current", sa.Boolean(), nullable=False, server_default=sa.true()))
    if "populations" not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table(
            "populations",
            sa.Column("geo_code", sa.String(length=10), nullable=False),
            sa.Column("census_year", sa.Integer(), nullable=False),
            sa.Column("population", sa.Integer(), nullable=False),
            sa.Column("source_id", sa.String(length=80), nullable=True),
            sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_populations_source_id_sources")),
            sa.PrimaryKeyConstraint("geo_code", "census_year", name=op.f("pk_populations")),
        )


def downgrade() -> None:
    """Back to 0007: populations go; rows kept apart as not current are removed (0007 sums every row);
    the added portal columns stay (0007's code ignores them) and the registry's source is forgotten so an
    upgrade loads it again."""
    op.drop_table("populations")
    op.execute(
        "UPDATE sources SET sha256 = '' "
        "WHERE id IN (SELECT DISTINCT source_id FROM usage_stats WHERE is_current = false)"
    )
    op.execute("DELETE FROM usage_stats WHERE is_current = false")
    op.execute("UPDATE sources SET sha256 = '' WHERE id IN ('portals')")
