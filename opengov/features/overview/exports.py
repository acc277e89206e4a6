"""Charts of the overview page exportable by name outside the app (`python -m opengov export chart overview NAME`):
each builder reads the store through the feature's queries (no Streamlit) and builds the figure with
the same function the page uses, with the page's default filters."""

from __future__ import annotations

from opengov.features.overview.figures import catalogue_size, downloads_by_jurisdiction


def _export_downloads(lang: str, url: str | None):
    from opengov.features.usage.queries import rows

    return downloads_by_jurisdiction(rows("downloads", "month", "jurisdiction", url), lang)


def _export_catalogue(lang: str, url: str | None):
    from opengov.store import reads as queries

    snaps = queries.snapshots("canada", url)
    return catalogue_size(snaps[snaps["origin"] == "ogp_packages_daily"], lang)


#: Charts exportable by `python -m opengov export chart overview <name>` (see opengov/features/registry.py).
EXPORTS = {
    ("overview", "downloads-by-jurisdiction"): _export_downloads,
    ("overview", "catalogue-size"): _export_catalogue,
}

#: The page's chart blocks (their `show` key) and the chart each exports as (tests/charts/test_export.py).
BLOCKS = {
    "overview_catalogue-size": "catalogue-size",
    "overview_downloads-by-jurisdiction": "downloads-by-jurisdiction",
}
