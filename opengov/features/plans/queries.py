"""Action plans read as tidy frames: plans, milestones (with commitment), indicators, status history,
progress reports, coded challenges and the audit trail of a plan's milestones. No Streamlit."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import String, cast, select

from opengov.store import models as m
from opengov.store.models_plans import PlanChallenge, PlanProgressReport
from opengov.store.reads import read_frame


def plans(url: str | None = None) -> pd.DataFrame:
    p = m.ActionPlan
    stmt = select(p.id, p.kind, p.title_en, p.title_fr, p.period_start, p.period_end, p.status_as_of).order_by(p.id)
    return read_frame(stmt, url, ["period_start", "period_end", "status_as_of"])


def milestones(plan_id: str, url: str | None = None) -> pd.DataFrame:
    """One row per milestone of a plan, with its commitment's code and titles."""
    ms, c = m.Milestone, m.Commitment
    stmt = (
        select(
            *ms.__table__.columns,
            c.code.label("commitment_code"),
            c.title_en.label("commitment_en"),
            c.title_fr.label("commitment_fr"),
        )
        .outerjoin(c, c.id == ms.commitment_id)
        .where(ms.plan_id == plan_id)
        .order_by(ms.id)
    )
    return read_frame(stmt, url, ["start_date", "end_date", "actual_end_date", "status_as_of"])


def indicators(plan_id: str, url: str | None = None) -> pd.DataFrame:
    i, ms = m.Indicator, m.Milestone
    stmt = (
        select(
            i.id,
            i.milestone_id,
            ms.code.label("milestone_code"),
            i.code,
            i.text_en,
            i.text_fr,
            i.deadline_en,
            i.deadline_fr,
            i.lead,
            i.status,
            i.version,
        )
        .join(ms, ms.id == i.milestone_id)
        .where(ms.plan_id == plan_id)
        .order_by(i.id)
    )
    return read_frame(stmt, url)


def status_history(plan_id: str, url: str | None = None) -> pd.DataFrame:
    h, ms = m.StatusHistory, m.Milestone
    stmt = (
        select(h.entity_id.label("milestone_id"), ms.code, h.status, h.as_of, h.recorded_at, h.actor, h.note)
        .join(ms, ms.id == h.entity_id)
        .where(h.entity == "milestone", ms.plan_id == plan_id)
        .order_by(h.entity_id, h.recorded_at, h.id)
    )
    return read_frame(stmt, url, ["as_of", "recorded_at"])


def progress_reports(plan_id: str, url: str | None = None) -> pd.DataFrame:
    r = PlanProgressReport
    stmt = select(*r.__table__.columns).where(r.plan_id == plan_id).order_by(r.reporting_period, r.indicator_code)
    return read_frame(stmt, url, ["period_end", "imported_at"])


def challenges(plan_id: str, url: str | None = None) -> pd.DataFrame:
    ch, ms, c = PlanChallenge, m.Milestone, m.Commitment
    stmt = (
        select(
            ch.id,
            ch.milestone_id,
            ms.code.label("milestone_code"),
            c.code.label("commitment_code"),
            ch.indicator_code,
            ch.reporting_period,
            ch.code,
            ch.department,
            ch.detail_en,
            ch.detail_fr,
        )
        .join(ms, ms.id == ch.milestone_id)
        .outerjoin(c, c.id == ms.commitment_id)
        .where(ch.plan_id == plan_id)
        .order_by(ch.reporting_period, ch.id)
    )
    return read_frame(stmt, url)


def audit_trail(plan_id: str, url: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Audit rows about the plan's milestones, newest first."""
    a, ms = m.AuditLog, m.Milestone
    stmt = (
        select(a.at, a.actor, a.action, ms.code, a.field, a.old_value, a.new_value, a.note)
        .join(ms, cast(ms.id, String) == a.entity_id)
        .where(a.entity == "milestones", ms.plan_id == plan_id)
        .order_by(a.at.desc(), a.id.desc())
        .limit(limit)
    )
    return read_frame(stmt, url, ["at"])
