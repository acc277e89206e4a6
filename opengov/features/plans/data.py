"""Cached reads and figures of the action-plans page (opengov.cache: keyed by the data version).

Its writes are in opengov.features.plans.edits; a write bumps the data version, so these reads are
read anew at the next rerun everywhere, with nothing to clear."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandas as pd

from opengov.cache import cached
from opengov.charts.figure import Figure
from opengov.features.plans import progress
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


@cached(max_entries=4)
def plan_order(url: str = "") -> list[str]:
    """Plan ids in the page's order: national plans first, latest first."""
    return progress.plan_order(plans(url=url))


class PlanState(NamedTuple):
    """A plan's items in `lang` at a reference date: their displayed state, and what is overdue or at risk,
    with the page's tables of them."""

    items: pd.DataFrame  # prepare_milestones(...) of the plan's items: state, title, deadline window
    overdue: pd.DataFrame
    at_risk: pd.DataFrame
    past_due_unreported: int
    table: pd.DataFrame  # figures.items_table: one row per item, same index as `items`
    irm: pd.DataFrame  # figures.irm_table (empty when the IRM rated none of the plan's commitments)


@cached(max_entries=64)
def plan_state(plan_id: str, lang: str, ref: pd.Timestamp, risk_days: int, url: str = "") -> PlanState:
    """The plan's items judged at `ref` with an at-risk window of `risk_days` (cached: a rerun that changes
    neither reads nothing anew)."""
    from metrics.milestones import at_risk_list, overdue_list, past_due_unreported
    from opengov.features.plans import figures as charts_plans

    view = plan_view(plan_id, url=url)
    items = charts_plans.prepare_milestones(view.items, None, lang)
    irm = irm_ratings(plan_id, url=url)
    return PlanState(
        items,
        overdue_list(items, ref),
        at_risk_list(items, ref, int(risk_days)),
        past_due_unreported(items, ref),
        charts_plans.items_table(items, view.unit, lang),
        charts_plans.irm_table(irm, items, view.unit, lang) if not irm.empty else pd.DataFrame(),
    )


@cached(max_entries=32, resource=True)
def progress_figure(plan_id: str, by: str, lang: str, url: str = "") -> Figure:
    """The plan's items by `by` and status (commitments labelled with their title for a tracker plan).
    A resource: one chart object shared by sessions and only read."""
    from opengov.features.plans import figures as charts_plans

    view = plan_view(plan_id, url=url)
    items = plan_state(plan_id, lang, pd.Timestamp(dt.date.today()), 90, url=url).items
    if by == "commitment_code" and view.unit == "indicator":  # "C01 Climate change and …": code and title
        other = "fr" if lang == "en" else "en"
        title = items[f"commitment_{lang}"].where(
            items[f"commitment_{lang}"].astype(bool), items[f"commitment_{other}"]
        )
        items = items.assign(commitment_code=items["commitment_code"] + " " + title)  # whole: nothing cut short
    plan = plans(url=url).set_index("id").loc[plan_id]
    return charts_plans.progress_by_group(items, by, lang, plan=plan, unit=view.unit)


@cached(max_entries=16, resource=True)
def burnup_figure(plan_id: str, lang: str, url: str = "") -> Figure | None:
    """The burn-up of a plan reported per milestone; None when nothing is dated. A shared, read-only resource."""
    from opengov.features.plans import figures as charts_plans

    items = plan_state(plan_id, lang, pd.Timestamp(dt.date.today()), 90, url=url).items
    bu = charts_plans.burnup_frame(items, status_history(plan_id, url=url))
    if bu.empty:
        return None
    plan = plans(url=url).set_index("id").loc[plan_id]
    return charts_plans.milestone_burnup(bu, lang, plan=plan, ms=items)
