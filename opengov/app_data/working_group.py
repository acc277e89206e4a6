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


def wg_data(url: str = ""):
    """The page's frames as one opengov.reports.yearly.WgData (each frame from its cached loader)."""
    from opengov import app_data
    from opengov.reports import yearly

    return yearly.WgData(meetings=meetings(url=url), activities=activities(url=url), agenda=agenda(url=url),
                         priorities=priorities(url=url), projects=projects(url=url),
                         milestones=all_milestones(url=url), plans=app_data.action_plans(url=url),
                         sources=wg_sources(url=url), as_of=data_as_of(url=url))


# Figures and year counts, cached with the frames they are made from (same ttl): choosing a year
# again, or another section's widget, no longer recomputes them (it was most of a rerun).
@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def year_summary(year: int, url: str = "") -> dict[str, object]:
    """metrics.working_group.year_summary of one year."""
    from metrics import working_group as wg

    return wg.year_summary(meetings(url=url), activities(url=url), agenda(url=url), year)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def compare_years(year_a: int, year_b: int, url: str = "") -> pd.DataFrame:
    """metrics.working_group.compare_years of two years."""
    from metrics import working_group as wg

    return wg.compare_years(meetings(url=url), activities(url=url), agenda(url=url), year_a, year_b)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def months_figure(year: int, lang: str, url: str = "") -> tuple:
    """The year's month strip (chart, text alternative, table)."""
    from opengov import charts_wg

    chart, alt_text, table = charts_wg.meetings_per_month(wg_data(url), year, lang)
    return chart, alt_text, table


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def participation_figure(year: int, lang: str, url: str = "") -> tuple | None:
    """Contributions per jurisdiction in the year (chart, text alternative, table); None when nobody
    is named."""
    from opengov import charts_wg

    block = charts_wg.participation(wg_data(url), year, lang)
    return block


def clear() -> None:
    """Forget the cached working-group frames and figures (after an edit or an import)."""
    for fn in (meetings, activities, agenda, priorities, projects, data_as_of, all_milestones, wg_sources,
               year_summary, compare_years, months_figure, participation_figure):
        fn.clear()
