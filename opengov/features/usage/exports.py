"""Charts of the usage page exportable by name outside the app (`python -m opengov export chart usage NAME`):
each builder reads the store through the feature's queries (no Streamlit) and builds the Figure with
the same function the page uses, with the page's default filters."""

from __future__ import annotations

import pandas as pd

from opengov.charts.figure import Figure
from opengov.features.usage.figures import JUR_METRICS

#: the metrics of the by-jurisdiction tab, one chart each
_JUR_METRICS = tuple(jm for jm, *_ in JUR_METRICS)

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


def _export_yt_datasets_created(lang: str, url: str | None) -> Figure:
    """open.yukon.ca's open-data datasets created by year."""
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    by_year = q.by_dimension("packages_created", "year", "type", uv.YT_PORTAL, url=url)
    fig = uv.yt_datasets_created_figure(by_year, lang)
    if fig is None:
        raise LookupError("no datasets by year of open.yukon.ca in the store")
    return uv.with_measure(fig, uv.YT_PORTAL, lang)


def _export_daily(lang: str, url: str | None) -> Figure:
    """Daily download events within the page's default months."""
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q
    from opengov.store.reads import sources

    f = _defaults(url)
    days = q.daily("download_events", portal=f["portal"], url=url)
    shown = days[(days["day"] >= f["start"]) & (days["day"] < f["end"] + pd.offsets.MonthBegin(1))]
    if shown.empty:
        raise LookupError("no daily download events in the default months")
    return uv.daily_figure(shown, sources(url).set_index("id"), lang)


def _export_departments(lang: str, url: str | None) -> Figure:
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    by_dept = q.datasets_by_department(url, _defaults(url)["portal"])
    if by_dept.empty:
        raise LookupError("no datasets by department in the store")
    return uv.dept_figure(by_dept, lang)


def _export_net_new(lang: str, url: str | None) -> Figure:
    """Net new datasets by department over the page's default months."""
    from metrics.usage import to_date
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    f = _defaults(url)
    nn = q.net_new_by_department(to_date(f["start"]), to_date(f["end"]), None, url=url, portal=f["portal"])
    if nn.empty:
        raise LookupError("no net new datasets in the default months")
    ext = q.extent(url=url, portal=f["portal"])
    nn_ext = ext[ext["metric"] == "net_new_datasets"]
    span = uv.span(max(f["start"], nn_ext["first"].min()), min(f["end"], nn_ext["last"].max()), lang)
    return uv.net_new_figure(nn, span, lang)


def _jurisdiction_builder(jm: str):
    def build(lang: str, url: str | None) -> Figure:
        """Monthly `jm` by jurisdiction (every jurisdiction, the page's default months)."""
        from opengov.features.usage import figures as uv
        from opengov.features.usage import queries as q

        f = _defaults(url)
        df = q.monthly(jm, "jurisdiction", keys=f["jurs"], portal=f["portal"], by_key=True, url=url)
        fig = uv.jurisdiction_figure(df, jm, f["start"], f["end"], lang) if not df.empty else None
        if fig is None:
            raise LookupError(f"no {jm} by jurisdiction in the default months")
        return fig

    return build


def _export_history(lang: str, url: str | None) -> Figure:
    """The monthly history of the page's default dataset: the first of the default top 10."""
    from metrics.usage import to_date
    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q

    f = _defaults(url)

    metric = uv.TOP_SRC["events"][0]
    months = q.months_with_dataset_rows(metric, url, f["portal"])["month_start"].tolist()
    month = pd.Timestamp(months[-1]) if months else f["start"]
    rank, _least, _grand = uv.split_top(
        q.dataset_top(metric, to_date(month), to_date(month), 10, None, f["portal"], url=url)
    )
    if rank.empty:
        raise LookupError("no dataset-level usage rows in the store")
    rank = uv.with_labels(rank, lang)
    ds = rank["dataset_id"].iloc[0]
    hist = q.dataset_history(ds, url, f["portal"])
    if len(hist) < 2:
        raise LookupError("the default dataset has no monthly history")
    return uv.history_figure(hist, rank["label"].iloc[0], lang)


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
    ("usage", "yukon-datasets-by-year"): _export_yt_datasets_created,
    ("usage", "daily"): _export_daily,
    ("usage", "departments"): _export_departments,
    ("usage", "net-new-datasets"): _export_net_new,
    ("usage", "dataset-history"): _export_history,
    **{("usage", f"jurisdiction-{jm.replace('_', '-')}"): _jurisdiction_builder(jm) for jm in _JUR_METRICS},
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
    "usage_yt_datasets_created": "yukon-datasets-by-year",
    "usage_daily": "daily",
    "usage_dept": "departments",
    "usage_net_new": "net-new-datasets",
    "usage_history": "dataset-history",
    **{f"usage_jur_{jm}": f"jurisdiction-{jm.replace('_', '-')}" for jm in _JUR_METRICS},
}
