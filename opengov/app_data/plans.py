"""Cached loaders of the action-plans page, and its two write paths (edit, import).

Writes never trust the UI: `save_milestone` goes through opengov.editing.apply_edit (role check,
optimistic version, audit rows) and `commit_import` through opengov.imports.milestones.write_import
(role check, one transaction). Both clear this module's caches after a successful write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from opengov.app_data import TTL
from opengov.auth import Actor, require_role
from opengov.queries import plans as q

EDITABLE_FIELDS: tuple[str, ...] = ("status", "start_date", "end_date", "actual_end_date", "notes")


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def plans(url: str = "") -> pd.DataFrame:
    return q.plans(url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def milestones(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.milestones(plan_id, url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def indicators(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.indicators(plan_id, url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def status_history(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.status_history(plan_id, url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def progress_reports(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.progress_reports(plan_id, url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def challenges(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.challenges(plan_id, url or None)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def audit_trail(plan_id: str, url: str = "") -> pd.DataFrame:
    return q.audit_trail(plan_id, url or None)


@st.cache_resource(ttl=TTL, max_entries=32, show_spinner=False)
def timeline_figure(plan_id: str, ref: pd.Timestamp, today: dt.date, lang: str, url: str = "") -> tuple | None:
    """The plan's milestone timeline (Plotly figure, text alternative, table, undated milestones
    count) at the reference date `ref`; None when no milestone is dated. A resource, not data: a
    Plotly figure re-validates every trace when unpickled; the one frozen object is shared by
    sessions and only read (opengov.figures.freeze)."""
    from metrics.milestones import slippage
    from opengov import charts_plans
    from opengov.figures import freeze
    from opengov.i18n import t

    ms = charts_plans.prepare_milestones(milestones(plan_id, url=url), indicators(plan_id, url=url), lang)
    plan = plans(url=url).set_index("id").loc[plan_id]
    tl = charts_plans.timeline_frame(slippage(ms, ref), plan)
    if tl.dropna(subset=["bar_end"]).empty:
        return None
    fig, alt_text, table = charts_plans.milestone_timeline(
        tl, lang, title=t("plans.timeline.title", lang, plan=plan[f"title_{lang}"] or plan_id), today=today, ref=ref)
    return freeze(fig), alt_text, table, int(tl["bar_end"].isna().sum())


def clear() -> None:
    for f in (plans, milestones, indicators, status_history, progress_reports, challenges, audit_trail,
              timeline_figure):
        f.clear()
    from opengov import app_data

    app_data.milestones.clear()
    app_data.action_plans.clear()


def load_milestone(url: str, milestone_id: int) -> dict[str, Any]:
    """The stored editable values and version of one milestone (uncached: an editor's starting point)."""
    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope(url or None) as s:
        row = s.get(m.Milestone, milestone_id)
        if row is None:
            raise KeyError(milestone_id)
        return {"version": row.version, **{f: getattr(row, f) for f in EDITABLE_FIELDS}}


def save_milestone(url: str, actor: Actor | None, milestone_id: int, expected_version: int,
                   changes: dict[str, Any], note: str = "") -> int:
    """Apply an editor's changes (server-side role check, optimistic version, audit rows).

    Raises AuthError (not an editor), EditConflict (someone saved first), KeyError.
    """
    from opengov.editing import apply_edit
    from opengov.store import models as m
    from opengov.store.db import session_scope

    require_role(actor, "editor")
    bad = set(changes) - set(EDITABLE_FIELDS)
    if bad:
        raise KeyError(f"not editable here: {sorted(bad)}")
    if "status" in changes:
        changes = {**changes, "status_as_of": dt.date.today()}
    with session_scope(url or None) as s:
        new_version = apply_edit(s, actor, m.Milestone, milestone_id, expected_version, changes, note=note)
    clear()
    return new_version


def commit_import(url: str, actor: Actor | None, parsed: Any, status_as_of: dt.date | None = None,
                  plan_title: str = "") -> Any:
    """Write a previewed import (role checked again here, on the server)."""
    from opengov.imports.milestones import write_import

    require_role(actor, "editor")
    result = write_import(parsed, actor, url or None, status_as_of=status_as_of, plan_title=plan_title)
    clear()
    return result
