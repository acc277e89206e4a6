"""Cached loaders of the working-group page (the cache boundary; every loader takes the store URL)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opengov import queries
from opengov.app_data import TTL
from opengov.queries import working_group as q


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def meetings(url: str = "") -> pd.DataFrame:
    return q.meetings(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def activities(url: str = "") -> pd.DataFrame:
    return q.activities(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def agenda(url: str = "") -> pd.DataFrame:
    return q.agenda(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def priorities(url: str = "") -> pd.DataFrame:
    return q.priorities(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def projects(url: str = "") -> pd.DataFrame:
    return q.projects(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def data_as_of(url: str = "") -> pd.Timestamp | None:
    return q.data_as_of(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def wg_sources(url: str = "") -> pd.DataFrame:
    return q.wg_sources(url or None)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def all_milestones(url: str = "") -> pd.DataFrame:
    return queries.milestones(None, url or None)


def clear() -> None:
    """Forget the cached working-group frames (after an edit or an import)."""
    for fn in (meetings, activities, agenda, priorities, projects, data_as_of, all_milestones):
        fn.clear()
