"""Cached loaders of the usage page (the cache boundary: ttl and max_entries set, `url` in every key)."""

from __future__ import annotations

import datetime as dt
import importlib

import pandas as pd
import streamlit as st

from opengov.app_data import TTL
from opengov.queries import _frame  # noqa: F401  (makes sure the package is initialised first)

q = importlib.import_module("opengov.queries.usage")


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def rows(metric: str, grain: str = "month", dimension: str = "total", url: str = "") -> pd.DataFrame:
    """Rows of one metric (see opengov.queries.usage.rows)."""
    return q.rows(metric, grain, dimension, url or None)




@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def monthly(metric: str, dimension: str = "total", keys: tuple[str, ...] | None = None,
            start: dt.date | None = None, end: dt.date | None = None, portal: str | None = None,
            by_key: bool = False, url: str = "") -> pd.DataFrame:
    return q.monthly(metric, dimension, keys, start, end, portal, by_key, url=url or None)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def monthly_figure(metric: str, keys: tuple[str, ...], portal: str, start: pd.Timestamp, end: pd.Timestamp,
                   lang: str, url: str = "") -> tuple | None:
    """The "over time" figure (chart, text alternative, table) of one filter state, built from the
    two cached series above. Every page load and most reruns show it unchanged, and building it
    (Altair layers, rolling averages, a bilingual table) was half of the page's server time, on the
    critical path of the page load: it is cached with the loaders it is made from (same ttl)."""
    from opengov import usage_view as uv

    portal_series = monthly(metric, "total", portal=portal, url=url)
    jur_series = monthly(uv.jur_metric_of(metric), "jurisdiction", keys=keys, portal=portal, url=url)
    return uv.monthly_figure(portal_series, jur_series, metric, start, end, lang)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def daily(metric: str, start: dt.date | None = None, end: dt.date | None = None, portal: str | None = None,
          url: str = "") -> pd.DataFrame:
    return q.daily(metric, start, end, portal, url=url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def extent(url: str = "") -> pd.DataFrame:
    return q.extent(url=url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def portals_with_usage(url: str = "") -> pd.DataFrame:
    return q.portals_with_usage(url or None)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def dataset_top(metric: str, start: dt.date, end: dt.date, n: int = 10, organization_en: str | None = None,
                portal: str | None = None, url: str = "") -> pd.DataFrame:
    """Top list, least-used list and total in one query (see opengov.queries.usage.dataset_top)."""
    return q.dataset_top(metric, start, end, n, organization_en, portal, url=url or None)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def dataset_history(dataset_id: str, url: str = "") -> pd.DataFrame:
    return q.dataset_history(dataset_id, url or None)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def months_with_dataset_rows(metric: str, url: str = "") -> pd.DataFrame:
    return q.months_with_dataset_rows(metric, url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def organizations(url: str = "") -> pd.DataFrame:
    return q.organizations(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def datasets_by_department(url: str = "") -> pd.DataFrame:
    return q.datasets_by_department(url or None)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def net_new_by_department(start: dt.date | None = None, end: dt.date | None = None, slug: str | None = None,
                          url: str = "") -> pd.DataFrame:
    return q.net_new_by_department(start, end, slug, url=url or None)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def cumulative(dimension: str, metric: str = "visits", url: str = "") -> pd.DataFrame:
    return q.cumulative(dimension, metric, url=url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def fiscal_totals(url: str = "") -> pd.DataFrame:
    return q.fiscal_totals(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def source_dates(url: str = "") -> pd.DataFrame:
    return q.source_dates(url or None)
