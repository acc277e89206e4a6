"""Cached loaders of the jurisdictions page (the cache boundary: ttl and max_entries set, `url` in every key)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from opengov import config, loaders
from opengov.app_data import TTL
from opengov.queries import jurisdictions as q


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def all_snapshots(url: str = "") -> pd.DataFrame:
    return q.all_snapshots(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def refresh_snapshots(url: str = "") -> pd.DataFrame:
    return q.refresh_snapshots(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def organization_counts(url: str = "") -> pd.DataFrame:
    return q.organization_counts(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def organizations(url: str = "") -> pd.DataFrame:
    return q.organizations(url or None)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def daily_facets(facet: str, url: str = "") -> pd.DataFrame:
    return q.daily_facets(facet, url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def count_points(url: str = "") -> pd.DataFrame:
    return q.count_points(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def municipal_freshness(url: str = "") -> pd.DataFrame:
    """`url` only keys the cache like every loader; the file is read from the data folder."""
    return q.municipal_freshness(config.data_dir())


@st.cache_data(ttl=TTL, max_entries=2, show_spinner=False)
def provinces_geojson(url: str = "") -> dict:
    """The StatCan 2011 province/territory boundaries (shipped GeoJSON)."""
    with open(config.data_dir() / loaders.GEOJSON, encoding="utf-8") as fh:
        return json.load(fh)
