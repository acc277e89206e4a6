"""Charts of the plans page exportable by name outside the app (`python -m opengov export chart plans NAME`):
each builder reads the store through the feature's queries (no Streamlit) and builds the figure with
the same function the page uses, with the page's default filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opengov.charts.figure import Figure
from opengov.features.plans.figures import (
    burnup_frame,
    default_plan,
    milestone_burnup,
    milestone_timeline,
    prepare_milestones,
    progress_by_group,
    progress_groupings,
    status_date,
    timeline_frame,
)


# --------------------------------------------------------------------------- export (no Streamlit)
def _default_plan_frames(lang: str, url: str | None) -> tuple[pd.Series, pd.DataFrame]:
    """The page's default plan (CSIS-PMOGO) and its prepared milestones."""
    from opengov.features.plans import queries as q

    plans = q.plans(url)
    if plans.empty:
        raise LookupError("no action plan in the store")
    plan_id = default_plan(plans)
    plan = plans.set_index("id").loc[plan_id]
    ms = prepare_milestones(q.milestones(plan_id, url), q.indicators(plan_id, url), lang)
    return plan, ms


def _export_timeline(lang: str, url: str | None) -> Figure:
    from metrics.milestones import slippage

    plan, ms = _default_plan_frames(lang, url)
    today = dt.date.today()
    sd = status_date(plan, ms)
    ref = pd.Timestamp(sd) if pd.notna(sd) else pd.Timestamp(today)  # the page's default reference date
    tl = timeline_frame(slippage(ms, ref), plan)
    return milestone_timeline(tl, lang, plan=plan, today=today, ref=ref)


def _export_progress(lang: str, url: str | None) -> Figure:
    plan, ms = _default_plan_frames(lang, url)
    groupings = progress_groupings(ms)
    if not groupings:
        raise LookupError("the default plan's milestones have no year, reference or commitment")
    return progress_by_group(ms, groupings[0], lang, plan=plan)


def _export_burnup(lang: str, url: str | None) -> Figure:
    from opengov.features.plans import queries as q

    plan, ms = _default_plan_frames(lang, url)
    return milestone_burnup(burnup_frame(ms, q.status_history(plan.name, url)), lang, plan=plan, ms=ms)


#: Charts exportable by `python -m opengov export chart plans <name>` (see opengov/features/registry.py).
EXPORTS = {
    ("plans", "progress"): _export_progress,
    ("plans", "burnup"): _export_burnup,
    ("plans", "timeline"): _export_timeline,
}
