"""Charts of the usage page exportable by name outside the app (`python -m opengov export chart usage NAME`):
each builder reads the store through the feature's queries (no Streamlit) and builds the Figure with
the same function the page uses, with the page's default filters."""

from __future__ import annotations

import pandas as pd

from opengov.charts.figure import Figure

# --------------------------------------------------------------------------- exports
# `python -m opengov export chart usage <name>` (see opengov/features/registry.py). Each builder reads the
# store with opengov.features.usage.queries (no Streamlit), applies the page's default filters and builds the
# figure with the same opengov.features.usage.figures function that pages/usage.py calls.


def _defaults(url: str | None) -> dict:
    """The page's default filters: downloads, first portal with usage, every jurisdiction, every
    department, the whole month range."""
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    portal = uv.default_portal(q.portals_with_usage(url))
    start, end = uv.default_range(q.extent(url=url, portal=portal))
    return {
        "metric": "downloads",
        "portal": portal,
        "jurs": uv.JUR,
        "start": start,
        "end": end,
    }


def _export_monthly(lang: str, url: str | None) -> Figure:
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    f = _defaults(url)
    portal_series = q.monthly(f["metric"], "total", portal=f["portal"], url=url)
    jur_series = q.monthly(uv.jur_metric_of(f["metric"]), "jurisdiction", keys=f["jurs"], portal=f["portal"], url=url)
    fig = uv.monthly_figure(portal_series, jur_series, f["metric"], f["start"], f["end"], lang)
    if fig is None:
        raise LookupError("no monthly usage rows in the store")
    return fig


def _export_fiscal(lang: str, url: str | None) -> Figure:
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    fig = uv.fiscal_figure(q.fiscal_totals(url, _defaults(url)["portal"]), lang)
    if fig is None:
        raise LookupError("no fiscal-year totals in the store")
    return fig


def _export_top(lang: str, url: str | None) -> Figure:
    """Default view of the datasets tab: download events, latest month with dataset rows, top 10."""
    from metrics.usage import to_date
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    f = _defaults(url)
    top_src, n = "events", 10
    metric = uv.TOP_SRC[top_src][0]
    months = q.months_with_dataset_rows(metric, url, f["portal"])["month_start"].tolist()
    month = pd.Timestamp(months[-1]) if months else f["start"]
    top = q.dataset_top(metric, to_date(month), to_date(month), n, None, f["portal"], url=url)
    rank, _least, grand = uv.split_top(top)
    if rank.empty:
        raise LookupError("no dataset-level usage rows in the store")
    return uv.top_figure(uv.with_labels(rank, lang), grand, top_src, month, month, lang)


def _export_map(lang: str, url: str | None) -> Figure:
    from opengov.config import data_dir
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q
    from opengov.ingest.shipped import GEOJSON

    reg = q.cumulative("region", url=url, portal=_defaults(url)["portal"])
    if reg.empty:
        raise LookupError("no visits by province or territory in the store")
    return uv.region_figure(reg, data_dir() / GEOJSON, lang)


def _export_countries(lang: str, url: str | None) -> Figure:
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    portal = _defaults(url)["portal"]
    cty = q.cumulative("country", url=url, portal=portal)
    if cty.empty:
        raise LookupError("no visits by country in the store")
    reg = q.cumulative("region", url=url, portal=portal)
    return uv.country_figure(cty, uv.cumulative_span(reg if not reg.empty else cty, lang), lang)


def _export_yt_monthly(lang: str, url: str | None) -> Figure:
    """open.yukon.ca's Matomo visits and pageviews by month, every month of the file."""
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    series = {mt: q.monthly(mt, "total", portal=uv.YT_PORTAL, url=url) for mt in uv.YT_MONTHLY_METRICS}
    start, end = uv.default_range(q.extent(url=url, portal=uv.YT_PORTAL))
    fig = uv.yt_monthly_figure(series, start, end, lang)
    if fig is None:
        raise LookupError("no monthly usage of open.yukon.ca in the store")
    return uv.with_measure(fig, uv.YT_PORTAL, lang)


def _export_yt_top(lang: str, url: str | None) -> Figure:
    """The page's default view: open.yukon.ca's 10 most downloaded records over the portal's longer period."""
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    st = q.package_standing("downloads", "cumulative", uv.YT_PORTAL, 10, url=url)
    rank, total = st[st["list"] == "top"].reset_index(drop=True), st[st["list"] == "total"]
    if rank.empty or total.empty:
        raise LookupError("no downloads by record of open.yukon.ca in the store")
    fig = uv.yt_top_figure(uv.with_labels(rank, lang), total.iloc[0], "cumulative", "all", lang)
    return uv.with_measure(fig, uv.YT_PORTAL, lang)


def _export_yt_created(lang: str, url: str | None) -> Figure:
    """open.yukon.ca's records created by year and type."""
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    fig = uv.yt_created_figure(q.by_dimension("packages_created", "year", "type", uv.YT_PORTAL, url=url), lang)
    if fig is None:
        raise LookupError("no records by year of open.yukon.ca in the store")
    return uv.with_measure(fig, uv.YT_PORTAL, lang)


#: Charts exportable by `python -m opengov export chart usage <name>`.
EXPORTS = {
    ("usage", "monthly"): _export_monthly,
    ("usage", "fiscal-years"): _export_fiscal,
    ("usage", "top-datasets"): _export_top,
    ("usage", "province-map"): _export_map,
    ("usage", "countries"): _export_countries,
    ("usage", "yukon-monthly"): _export_yt_monthly,
    ("usage", "yukon-top-records"): _export_yt_top,
    ("usage", "yukon-records-by-year"): _export_yt_created,
}

#: The page's chart blocks (their `show` key) and the chart each exports as (tests/charts/test_export.py).
BLOCKS = {
    "usage_monthly": "monthly",
    "usage_fy": "fiscal-years",
    "usage_top": "top-datasets",
    "usage_map": "province-map",
    "usage_country": "countries",
    "usage_yt_monthly": "yukon-monthly",
    "usage_yt_top": "yukon-top-records",
    "usage_yt_created": "yukon-records-by-year",
}
