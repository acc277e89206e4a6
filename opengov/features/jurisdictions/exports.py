"""Charts of the jurisdictions page exportable by name outside the app
(`python -m opengov export chart jurisdictions NAME`): each builder reads the store through the feature's
queries (no Streamlit) and builds the `Figure` with the same function the page uses, with the page's
default filters (the CLI reads its `.chart`)."""

from __future__ import annotations

import pandas as pd

from opengov.charts.figure import Figure
from opengov.features.jurisdictions.figures import (
    federal_by_jurisdiction,
    historical_points,
    points_for_level,
    pt_map,
    pt_ranking,
)


# --------------------------------------------------------------------------- export (no Streamlit)
def _pt_frames(url: str | None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from metrics.jurisdictions import latest_successful
    from opengov.features.jurisdictions import queries as q

    return q.portals(url), latest_successful(q.all_snapshots(url)), q.organization_counts(url)


def _export_pt_ranking(lang: str, url: str | None) -> Figure:
    from opengov.store.reads import populations

    # the page's defaults: totals, default basis, no highlight
    return pt_ranking(*_pt_frames(url), lang, populations=populations(url))


def _export_pt_map(lang: str, url: str | None) -> Figure:
    from opengov.features.jurisdictions import queries as q
    from opengov.store.reads import populations

    return pt_map(*_pt_frames(url), q.provinces_geojson(), lang, populations=populations(url))


def _export_federal(lang: str, url: str | None) -> Figure:
    from opengov.charts.export import EXPORT_WIDTH
    from opengov.features.jurisdictions import queries as q

    # Panels as wide as an exported chart less the row labels and the y axis.
    return federal_by_jurisdiction(q.daily_facets("jurisdiction", url), lang, width=EXPORT_WIDTH - 140)


def _export_points(lang: str, url: str | None) -> Figure:
    from metrics.jurisdictions import count_points as points
    from opengov.features.jurisdictions import queries as q

    return historical_points(points_for_level(points(q.count_points(url)), "all"), lang)


def _export_orgs(lang: str, url: str | None) -> Figure:
    from opengov.features.jurisdictions import figures as cj
    from opengov.features.jurisdictions import queries as q

    fig = cj.org_shares_figure(q.organization_counts(url), q.organizations(url), lang)
    if fig is None:
        raise LookupError("no records per organization in the store")
    return fig


def _export_fresh_daily(lang: str, url: str | None) -> Figure:
    from opengov.features.jurisdictions import figures as cj
    from opengov.features.jurisdictions import queries as q

    fig = cj.fresh_daily_figure(q.daily_facets("freshness", url), lang)
    if fig is None:
        raise LookupError("no freshness snapshots in the store")
    return fig


def _export_fresh_municipal(lang: str, url: str | None) -> Figure:
    from opengov.features.jurisdictions import figures as cj
    from opengov.features.jurisdictions import queries as q

    fig = cj.municipal_fresh_figure(q.municipal_freshness(), lang)
    if fig is None:
        raise LookupError("no municipal freshness file")
    return fig


def _export_refresh_growth(lang: str, url: str | None) -> Figure:
    """The catalogues' counts from the operator's refreshes (drawn once a refresh has succeeded)."""
    from opengov.features.jurisdictions import figures as cj
    from opengov.features.jurisdictions import queries as q

    snaps = q.all_snapshots(url)
    ok = snaps[(snaps["origin"] == "refresh") & snaps["ok"].astype(bool) & snaps["dataset_count"].notna()]
    if ok.empty:
        raise LookupError("no successful catalogue refresh in the store")
    return cj.refresh_growth(ok, q.portals(url), lang)


#: Charts exportable by `python -m opengov export chart jurisdictions <name>` (see opengov/features/registry.py).
EXPORTS = {
    ("jurisdictions", "pt-ranking"): _export_pt_ranking,
    ("jurisdictions", "federal-by-jurisdiction"): _export_federal,
    ("jurisdictions", "historical-points"): _export_points,
    ("jurisdictions", "pt-map"): _export_pt_map,
    ("jurisdictions", "organizations"): _export_orgs,
    ("jurisdictions", "freshness-daily"): _export_fresh_daily,
    ("jurisdictions", "freshness-municipal"): _export_fresh_municipal,
    ("jurisdictions", "refresh-growth"): _export_refresh_growth,
}

#: The page's chart blocks (their `show` key) and the chart each exports as (tests/charts/test_export.py).
BLOCKS = {
    "jurisdictions_map": "pt-map",
    "jurisdictions_rank": "pt-ranking",
    "jurisdictions_daily": "federal-by-jurisdiction",
    "jurisdictions_points": "historical-points",
    "jurisdictions_orgs": "organizations",
    "jurisdictions_fresh_daily": "freshness-daily",
    "jurisdictions_fresh_municipal": "freshness-municipal",
    "jurisdictions_refresh_growth": "refresh-growth",
}
