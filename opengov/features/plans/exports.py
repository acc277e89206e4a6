"""Charts of the plans page exportable by name outside the app (`python -m opengov export chart plans NAME`):
each builder reads the store through the feature's queries (no Streamlit) and builds the figure with
the same function the page uses, with the page's default filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opengov.charts.figure import Figure
from opengov.features.plans.figures import (
    burnup_frame,
    milestone_burnup,
    plan_timeline,
    prepare_milestones,
    progress_by_group,
    progress_groupings,
)


# --------------------------------------------------------------------------- export (no Streamlit)
def _default_plan(lang: str, url: str | None, unit: str | None = None) -> tuple[pd.Series, object, pd.DataFrame]:
    """The page's default plan (the latest national plan with a reported status), or the first plan reported
    per `unit` when given; its row, view and prepared items."""
    from opengov.features.plans import queries as q
    from opengov.features.plans.progress import default_plan

    plans = q.plans(url)
    if plans.empty:
        raise LookupError("no action plan in the store")
    standings = q.standings(dt.date.today(), url)
    if unit is None:
        plan_id = default_plan(standings)
    else:
        plan_id = next((s.plan_id for s in standings if s.unit == unit), "")
        if not plan_id:
            raise LookupError(f"no plan is reported per {unit}")
    view = q.plan_view(plan_id, url)
    return plans.set_index("id").loc[plan_id], view, prepare_milestones(view.items, None, lang)


def _export_timeline(lang: str, url: str | None) -> Figure:
    from opengov.features.plans import queries as q

    plan, view, _ = _default_plan(lang, url)
    today = dt.date.today()
    fig, _ = plan_timeline(view, plan, q.indicators(plan.name, url), pd.Timestamp(today), today, lang)
    if fig is None:
        raise LookupError("the default plan has no dated row")
    return fig


def _export_progress(lang: str, url: str | None) -> Figure:
    plan, view, items = _default_plan(lang, url)
    groupings = progress_groupings(items) if view.unit == "milestone" else ["commitment_code"]
    if not groupings:
        raise LookupError("the default plan's items have no year, reference or commitment")
    return progress_by_group(items, groupings[0], lang, plan=plan, unit=view.unit)


def _export_burnup(lang: str, url: str | None) -> Figure:
    """The burn-up of the first plan reported per milestone (the page draws it for those plans only)."""
    from opengov.features.plans import queries as q

    plan, _, items = _default_plan(lang, url, unit="milestone")
    return milestone_burnup(burnup_frame(items, q.status_history(plan.name, url)), lang, plan=plan, ms=items)


def _export_challenges(lang: str, url: str | None) -> Figure:
    """The default plan's coded challenges by its first dimension (the page's default: by commitment)."""
    from opengov.features.plans import queries as q
    from opengov.features.plans.figures import CHALLENGE_DIMENSIONS, challenges_by
    from opengov.features.plans.progress import default_plan

    ch = q.challenges(default_plan(q.standings(dt.date.today(), url)), url)
    if ch.empty:
        raise LookupError("the default plan has no coded challenge")
    return challenges_by(ch, CHALLENGE_DIMENSIONS[0], lang)


#: Charts exportable by `python -m opengov export chart plans <name>` (see opengov/features/registry.py).
EXPORTS = {
    ("plans", "progress"): _export_progress,
    ("plans", "burnup"): _export_burnup,
    ("plans", "timeline"): _export_timeline,
    ("plans", "challenges"): _export_challenges,
}

#: The page's chart blocks (their `show` key) and the chart each exports as (tests/charts/test_export.py).
BLOCKS = {
    "plans_progress": "progress",
    "plans_burnup": "burnup",
    "plans_gantt": "timeline",
    "plans_challenges": "challenges",
}
