"""Cached reads and figures of the working-group page (opengov.cache: keyed by the data version, `url` in every key)."""

from __future__ import annotations

import pandas as pd

from opengov.cache import cached
from opengov.charts.figure import Figure
from opengov.features.working_group import queries as q
from opengov.store import reads


@cached(max_entries=4)
def meetings(url: str = "") -> pd.DataFrame:
    return q.meetings(url or None)


@cached(max_entries=4)
def activities(url: str = "") -> pd.DataFrame:
    return q.activities(url or None)


@cached(max_entries=4)
def agenda(url: str = "") -> pd.DataFrame:
    return q.agenda(url or None)


@cached(max_entries=4)
def priorities(url: str = "") -> pd.DataFrame:
    return q.priorities(url or None)


@cached(max_entries=4)
def projects(url: str = "") -> pd.DataFrame:
    return q.projects(url or None)


@cached(max_entries=4)
def data_as_of(url: str = "") -> pd.Timestamp | None:
    return q.data_as_of(url or None)


@cached(max_entries=4)
def wg_sources(url: str = "") -> pd.DataFrame:
    return q.wg_sources(url or None)


@cached(max_entries=4)
def all_milestones(url: str = "") -> pd.DataFrame:
    """Every plan's items with a status, as the plans page counts them (queries.plan_progress_items)."""
    return q.plan_progress_items(url or None)


@cached(max_entries=4)
def action_plans(url: str = "") -> pd.DataFrame:
    return reads.action_plans(url or None)


@cached(max_entries=4, resource=True)
def wg_data(url: str = ""):
    """The page's frames as one opengov.features.working_group.report.WgData (each frame from its cached
    loader), assembled once per data version and shared by sessions (a resource: callers only read it;
    unpickling the seven frames, every plan's items among them, took a fifth of a load's server time)."""
    from opengov.features.working_group import report as yearly

    return yearly.WgData(
        meetings=meetings(url=url),
        activities=activities(url=url),
        agenda=agenda(url=url),
        priorities=priorities(url=url),
        projects=projects(url=url),
        milestones=all_milestones(url=url),
        plans=action_plans(url=url),
        sources=wg_sources(url=url),
        as_of=data_as_of(url=url),
    )


# Figures and year counts, cached with the frames they are made from (same ttl): choosing a year
# again, or another section's widget, no longer recomputes them (it was most of a rerun).
@cached(max_entries=32)
def year_summary(year: int, url: str = "") -> dict[str, object]:
    """metrics.working_group.year_summary of one year."""
    from metrics import working_group as wg

    return wg.year_summary(meetings(url=url), activities(url=url), agenda(url=url), year)


@cached(max_entries=32)
def compare_years(year_a: int, year_b: int, url: str = "") -> pd.DataFrame:
    """metrics.working_group.compare_years of two years."""
    from metrics import working_group as wg

    return wg.compare_years(meetings(url=url), activities(url=url), agenda(url=url), year_a, year_b)


@cached(max_entries=32, resource=True)
def months_figure(year: int, lang: str, url: str = "") -> Figure:
    """The year's month strip."""
    from opengov.features.working_group import figures as charts_wg

    return charts_wg.meetings_per_month(wg_data(url), year, lang)


@cached(max_entries=32, resource=True)
def participation_figure(year: int, lang: str, url: str = "") -> Figure | None:
    """Contributions per jurisdiction in the year; None when nobody is named."""
    from opengov.features.working_group import figures as charts_wg

    return charts_wg.participation(wg_data(url), year, lang)
