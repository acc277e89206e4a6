"""Charts that can be exported by name outside the app: `python -m opengov export chart PAGE CHART`.

Each entry builds (chart, alt text, data table) from the store with the same functions the page uses.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

Builder = Callable[[str, str | None], tuple[object, str, pd.DataFrame]]


def _overview_downloads(lang: str, url: str | None):
    from opengov.charts_overview import downloads_by_jurisdiction
    from opengov.queries.usage import rows

    return downloads_by_jurisdiction(rows("downloads", "month", "jurisdiction", url), lang)


def _overview_catalogue(lang: str, url: str | None):
    from opengov import queries
    from opengov.charts_overview import catalogue_size

    snaps = queries.snapshots("canada", url)
    return catalogue_size(snaps[snaps["origin"] == "ogp_packages_daily"], lang)


REGISTRY: dict[tuple[str, str], Builder] = {
    ("overview", "downloads-by-jurisdiction"): _overview_downloads,
    ("overview", "catalogue-size"): _overview_catalogue,
}


def available() -> list[str]:
    return [f"{p} {c}" for p, c in sorted(REGISTRY)]


def build(page: str, chart: str, lang: str, url: str | None = None):
    try:
        builder = REGISTRY[(page, chart)]
    except KeyError:
        raise KeyError(f"unknown chart {page!r} {chart!r}; available: {', '.join(available())}") from None
    return builder(lang, url)
