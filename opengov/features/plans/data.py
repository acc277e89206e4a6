"""Cached reads and figures of the action-plans page (opengov.cache: keyed by the data version).

Its writes are in opengov.features.plans.edits; a write bumps the data version, so these reads are
read anew at the next rerun everywhere, with nothing to clear."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandas as pd

from opengov.cache import cached
from opengov.charts.figure import Figure
from opengov.features.plans import queries as q


class Timeline(NamedTuple):
    """The plan's milestone timeline and the number of its milestones without a planned end (not on it)."""

    figure: Figure
    undated: int


@cached(max_entries=4)
def plans(url: str = "") -> pd.DataFrame:
    return q.plans(url or None)


@cached(max_entries=16)
def milestones(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.milestones(plan_id, url or None)


@cached(max_entries=16)
def indicators(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.indicators(plan_id, url or None)


@cached(max_entries=16)
def status_history(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.status_history(plan_id, url or None)


@cached(max_entries=16)
def progress_reports(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.progress_reports(plan_id, url or None)


@cached(max_entries=16)
def challenges(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.challenges(plan_id, url or None)


@cached(max_entries=16)
def audit_trail(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.audit_trail(plan_id, url or None)


@cached(max_entries=32, resource=True)
def timeline_figure(plan_id: str, ref: pd.Timestamp, today: dt.date, lang: str, url: str = "") -> Timeline | None:
    """The plan's timeline (a Figure over a Plotly figure), grouped by commitment, and the number of its rows
    without a planned end, at the reference date `ref`; None when no row is dated. Rows are milestones (a
    tracker plan's milestone has a status only when every indicator has one) or, for a plan reported per
    commitment, commitments. A resource, not data: a Plotly figure re-validates every trace when unpickled;
    the one frozen object is shared by sessions and only read (opengov.charts.frozen.freeze)."""
    from opengov.charts.frozen import freeze
    from opengov.features.plans import figures as charts_plans

    view = plan_view(plan_id, url=url)
    plan = plans(url=url).set_index("id").loc[plan_id]
    fig, undated = charts_plans.plan_timeline(view, plan, indicators(plan_id, url=url), ref, today, lang)
    if fig is None:
        return None
    return Timeline(fig.replace(chart=freeze(fig.chart)), undated)


@cached(max_entries=16)
def commitments(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.commitments(plan_id, url or None)


@cached(max_entries=16)
def observations(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.observations(plan_id, url or None)


@cached(max_entries=16)
def irm_ratings(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.irm_ratings(plan_id, url or None)


PlanView = q.PlanView
PlanStanding = q.PlanStanding


@cached(max_entries=16)
def plan_view(plan_id: str, url: str = "") -> q.PlanView:
    """A plan's items in its reporting unit, its milestones and its coverage (cached per data version)."""
    return q.plan_view(plan_id, url or None)


@cached(max_entries=8)
def standings(ref: dt.date, url: str = "") -> list[q.PlanStanding]:
    """Every plan's standing at `ref`, national plans first (the overview, brief and report read the same)."""
    return q.standings(ref, url or None)
