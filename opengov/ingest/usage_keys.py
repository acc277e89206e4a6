"""One value per figure in ``usage_stats``.

A figure is one (portal, metric, grain, period, dimension, key): "downloads of open.canada.ca in March
2024 for Ontario's records". Shipped files, live refreshes and imports may each hold a row for the same
figure (a refresh returns months a shipped file has; an operator imports next month's official file,
which repeats the months before). The rows are all kept, with their source, but only one is *current*
(``is_current``), and every usage query reads current rows only, so no query sums two sources of the
same figure.

Which row is current, per figure:

1. a live refresh or an operator's import over a shipped file (the operator's newer data outlives a
   release of the app);
2. then the source with the latest ``as_of`` date (a newer release of the same official file);
3. then the row written last.

:func:`settle` recomputes this for the series a write touched; every writer of ``usage_stats`` calls it
in the same transaction (shipped load, refresh, ``import analytics``).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["settle", "SHIPPED_KINDS"]

#: Source kinds that a live refresh or an import takes precedence over.
SHIPPED_KINDS = ("shipped_file", "seed", "departmental")

_KEY = "COALESCE(u.portal_id, ''), u.metric, u.grain, u.period_start, u.dimension, u.dimension_key"

_WINNERS = f"""
SELECT id FROM (
    SELECT u.id AS id, ROW_NUMBER() OVER (
        PARTITION BY {_KEY}
        ORDER BY CASE WHEN s.kind IN ({", ".join(f"'{k}'" for k in SHIPPED_KINDS)}) THEN 0 ELSE 1 END DESC,
                 COALESCE(s.as_of, '1900-01-01') DESC, u.id DESC
    ) AS rn
    FROM usage_stats u JOIN sources s ON s.id = u.source_id
    WHERE {{scope}}
) ranked WHERE rn = 1
"""

_SCOPE_ALL = "1 = 1"
# the series (metric, grain, dimension) that the source writes: a superset of the figures it touched
_SCOPE_SOURCE = (
    "({a}.metric, {a}.grain, {a}.dimension) IN "
    "(SELECT DISTINCT metric, grain, dimension FROM usage_stats WHERE source_id = :sid)"
)
# the figures of the scope whose state may change: held by two rows or more, or with a row not current (a
# figure held by one current row is settled already; most of a long import's new figures are such)
_CONTESTED = """
SELECT COALESCE(c.portal_id, ''), c.metric, c.grain, c.period_start, c.dimension, c.dimension_key
FROM usage_stats c WHERE {scope}
GROUP BY COALESCE(c.portal_id, ''), c.metric, c.grain, c.period_start, c.dimension, c.dimension_key
HAVING COUNT(*) > 1 OR SUM(CASE WHEN c.is_current THEN 0 ELSE 1 END) > 0
"""


def settle(session: Session, source_id: str | None = None) -> int:
    """Mark one row current per figure, for the series `source_id` writes (every series when None).

    Call it after writing or deleting a source's usage rows, in the same transaction. Returns the number
    of rows kept apart (not current) in the settled series.
    """
    if source_id is None:
        series, params = _SCOPE_ALL, {}
    else:
        series, params = _SCOPE_SOURCE.format(a="c"), {"sid": source_id}
    contested = _CONTESTED.format(scope=series)
    key = "(COALESCE({a}.portal_id, ''), {a}.metric, {a}.grain, {a}.period_start, {a}.dimension, {a}.dimension_key)"
    winners = _WINNERS.format(scope=f"{key.format(a='u')} IN ({contested})")
    session.execute(
        text(
            # only the rows whose state changes are written, among the contested figures
            f"UPDATE usage_stats SET is_current = NOT is_current "
            f"WHERE {key.format(a='usage_stats')} IN ({contested}) AND (is_current = TRUE) <> (id IN ({winners}))"
        ),
        params,
    )
    outer = _SCOPE_ALL if source_id is None else _SCOPE_SOURCE.format(a="usage_stats")
    return int(
        session.execute(
            text(f"SELECT COUNT(*) FROM usage_stats WHERE is_current = FALSE AND {outer}"), params
        ).scalar_one()
    )
