"""Cached reads of the usage page (opengov.cache: keyed by the data version, `url` in every key)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opengov.cache import cached
from opengov.charts.figure import Figure
from opengov.features.usage import queries as q
from opengov.store import reads


@cached(max_entries=64)
def rows(metric: str, grain: str = "month", dimension: str = "total", url: str = "") -> pd.DataFrame:
    """Rows of one metric (see opengov.features.usage.queries.rows)."""
    return q.rows(metric, grain, dimension, url or None)


@cached(max_entries=64)
def monthly(
    metric: str,
    dimension: str = "total",
    keys: tuple[str, ...] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    portal: str | None = None,
    by_key: bool = False,
    url: str = "",
) -> pd.DataFrame:
    return q.monthly(metric, dimension, keys, start, end, portal, by_key, url=url or None)


@cached(max_entries=64)
def monthly_figure(
    metric: str, keys: tuple[str, ...], portal: str, start: pd.Timestamp, end: pd.Timestamp, lang: str, url: str = ""
) -> Figure | None:
    """The "over time" Figure of one filter state (None when the range has no data), built from the
    two cached series above. Every page load and most reruns show it unchanged, and building it
    (Altair layers, rolling averages, a bilingual table) was half of the page's server time, on the
    critical path of the page load: it is cached with the loaders it is made from (same ttl)."""
    from opengov.features.usage import figures as uv

    portal_series = monthly(metric, "total", portal=portal, url=url)
    jur_series = monthly(uv.jur_metric_of(metric), "jurisdiction", keys=keys, portal=portal, url=url)
    return uv.monthly_figure(portal_series, jur_series, metric, start, end, lang)


@cached(max_entries=16)
def daily(
    metric: str, start: dt.date | None = None, end: dt.date | None = None, portal: str | None = None, url: str = ""
) -> pd.DataFrame:
    return q.daily(metric, start, end, portal, url=url or None)


@cached(max_entries=8)
def extent(portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.extent(url=url or None, portal=portal)


@cached(max_entries=4)
def portals_with_usage(url: str = "") -> pd.DataFrame:
    return q.portals_with_usage(url or None)


@cached(max_entries=64)
def dataset_top(
    metric: str,
    start: dt.date,
    end: dt.date,
    n: int = 10,
    organization_en: str | None = None,
    portal: str | None = None,
    url: str = "",
) -> pd.DataFrame:
    """Top list, least-used list and total in one query (see opengov.features.usage.queries.dataset_top)."""
    return q.dataset_top(metric, start, end, n, organization_en, portal, url=url or None)


@cached(max_entries=64)
def dataset_history(dataset_id: str, portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.dataset_history(dataset_id, url or None, portal)


@cached(max_entries=8)
def months_with_dataset_rows(metric: str, portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.months_with_dataset_rows(metric, url or None, portal)


@cached(max_entries=32)
def dataset_month_notes(metric: str, portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.dataset_month_notes(metric, url or None, portal)


@cached(max_entries=32)
def package_standing(
    metric: str, grain: str, portal: str, n: int = 10, package_type: str | None = None, url: str = ""
) -> pd.DataFrame:
    """Packages ranked by a figure as of a date (see opengov.features.usage.queries.package_standing)."""
    return q.package_standing(metric, grain, portal, n, package_type, url=url or None)


@cached(max_entries=16)
def by_dimension(metric: str, grain: str, dimension: str, portal: str, url: str = "") -> pd.DataFrame:
    return q.by_dimension(metric, grain, dimension, portal, url=url or None)


@cached(max_entries=4)
def organizations(url: str = "") -> pd.DataFrame:
    return q.organizations(url or None)


@cached(max_entries=8)
def datasets_by_department(portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.datasets_by_department(url or None, portal)


@cached(max_entries=32)
def net_new_by_department(
    start: dt.date | None = None,
    end: dt.date | None = None,
    slug: str | None = None,
    portal: str | None = None,
    url: str = "",
) -> pd.DataFrame:
    return q.net_new_by_department(start, end, slug, url=url or None, portal=portal)


@cached(max_entries=8)
def cumulative(dimension: str, metric: str = "visits", portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.cumulative(dimension, metric, url=url or None, portal=portal)


@cached(max_entries=8)
def fiscal_totals(portal: str | None = None, url: str = "") -> pd.DataFrame:
    return q.fiscal_totals(url or None, portal)


@cached(max_entries=4)
def source_dates(url: str = "") -> pd.DataFrame:
    return q.source_dates(url or None)


@cached(max_entries=4)
def impact_facts(url: str = "") -> pd.DataFrame:
    """The cited facts of the source documents (the page quotes the usage ones)."""
    return reads.impact_facts(url or None)


@cached(max_entries=32)
def yt_monthly_figure(portal: str, start: pd.Timestamp, end: pd.Timestamp, lang: str, url: str = "") -> Figure | None:
    """open.yukon.ca's Matomo chart of one month range (None when the range has no data), cached like
    `monthly_figure`: built from the cached monthly series, once per filter state."""
    from opengov.features.usage import figures as uv

    series = {mt: monthly(mt, "total", portal=portal, url=url) for mt in uv.YT_MONTHLY_METRICS}
    return uv.yt_monthly_figure(series, start, end, lang)


@cached(max_entries=32)
def yt_top_figure(portal: str, window: str, package_type: str, n: int, lang: str, url: str = "") -> Figure | None:
    """open.yukon.ca's most downloaded records of one window and type filter (None when none has a download)."""
    from opengov.features.usage import figures as uv

    standing = package_standing(
        "downloads", window, portal, n, None if package_type == "all" else package_type, url=url
    )
    rank = standing[standing["list"] == "top"].reset_index(drop=True)
    total = standing[standing["list"] == "total"]
    if rank.empty or total.empty:
        return None
    return uv.yt_top_figure(uv.with_labels(rank, lang), total.iloc[0], window, package_type, lang)


@cached(max_entries=8)
def yt_created_figures(portal: str, lang: str, url: str = "") -> tuple[Figure | None, Figure | None]:
    """open.yukon.ca's open-data datasets created by year, and its records created by year and type."""
    from opengov.features.usage import figures as uv

    created = by_dimension("packages_created", "year", "type", portal, url=url)
    return uv.yt_datasets_created_figure(created, lang), uv.yt_created_figure(created, lang)
