"""The app's data-loading boundary: the only place with st.cache_data (ttl and max_entries set)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opengov import config, queries
from opengov.store.init import ensure_store

TTL = int(config.get("OPENGOV_CACHE_TTL"))


@st.cache_resource(show_spinner=False, max_entries=4)
def store_ready(url: str) -> dict[str, int]:
    """Create/migrate the store and load shipped data once per process (idempotent, locked)."""
    return ensure_store(url)


def _url() -> str:
    return config.database_url()


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def snapshots(portal_id: str | None = None, url: str = "") -> pd.DataFrame:
    return queries.snapshots(portal_id, url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def snapshot_facets(facet: str, origin: str | None = None, url: str = "") -> pd.DataFrame:
    return queries.snapshot_facets(facet, origin, url=url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def sources(url: str = "") -> pd.DataFrame:
    return queries.sources(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def portals(url: str = "") -> pd.DataFrame:
    return queries.portals(url or None)


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def milestones(plan_id: str | None = None, url: str = "") -> pd.DataFrame:
    return queries.milestones(plan_id, url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def action_plans(url: str = "") -> pd.DataFrame:
    return queries.action_plans(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def impact_facts(url: str = "") -> pd.DataFrame:
    return queries.impact_facts(url or None)


def url() -> str:
    """The store URL of this process (part of every cache key)."""
    return _url()


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def overview_frames(url: str = "") -> dict[str, object]:
    from opengov.queries.overview import overview_frames as _frames

    return _frames(url or None)
