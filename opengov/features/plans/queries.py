"""Action plans read as tidy frames: plans, milestones (with commitment), indicators, status history,
progress reports, coded challenges and the audit trail of a plan's milestones. No Streamlit."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pandas as pd
from sqlalchemy import String, cast, select

from opengov.features.plans import progress
from opengov.store import models as m
from opengov.store import reads
from opengov.store.models_plans import IrmRating, PlanChallenge, PlanProgressReport
from opengov.store.reads import read_frame


def plans(url: str | None = None) -> pd.DataFrame:
    p = m.ActionPlan
    stmt = select(
        p.id,
        p.kind,
        p.title_en,
        p.title_fr,
        p.period_start,
        p.period_end,
        p.status_as_of,
        p.jurisdiction,
        p.level,
        p.source_id,
        p.source_url,
        p.commitments_total,
    ).order_by(p.id)
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
    """Audit rows about the plan's milestones, indicators and status records (code: the milestone or
    indicator code, with the reporting period for a status record), newest first."""
    a, ms, i, r = m.AuditLog, m.Milestone, m.Indicator, PlanProgressReport
    cols = (a.at, a.actor, a.action, a.field, a.old_value, a.new_value, a.note, a.id)
    parts = [
        select(*cols, ms.code.label("code"))
        .join(ms, cast(ms.id, String) == a.entity_id)
        .where(a.entity == "milestones", ms.plan_id == plan_id),
        select(*cols, i.code.label("code"))
        .join(i, cast(i.id, String) == a.entity_id)
        .join(ms, ms.id == i.milestone_id)
        .where(a.entity == "indicators", ms.plan_id == plan_id),
        select(*cols, (r.indicator_code + " " + r.reporting_period).label("code"))
        .join(r, cast(r.id, String) == a.entity_id)
        .where(a.entity == "plan_progress_reports", r.plan_id == plan_id),
    ]
    frames = [read_frame(p.order_by(a.at.desc(), a.id.desc()).limit(limit), url, ["at"]) for p in parts]
    out = pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
    out = out.sort_values(["at", "id"], ascending=False).head(limit).drop(columns="id").reset_index(drop=True)
    return out[["at", "actor", "action", "code", "field", "old_value", "new_value", "note"]]


def commitments(plan_id: str, url: str | None = None) -> pd.DataFrame:
    """A plan's commitments, with the commitment-level status where a source reports only that."""
    c = m.Commitment
    stmt = select(*c.__table__.columns).where(c.plan_id == plan_id).order_by(c.code)
    return read_frame(stmt, url, ["status_as_of", "deadline_date"])


def observations(plan_id: str, url: str | None = None) -> pd.DataFrame:
    """Every status observation of a plan (one per indicator, or milestone, and reporting period), with the
    codes of its milestone and commitment and the source it comes from (shipped file, import or editor)."""
    r, ms, c, src = PlanProgressReport, m.Milestone, m.Commitment, m.Source
    stmt = (
        select(
            r.id,
            r.milestone_id,
            ms.code.label("milestone_code"),
            c.code.label("commitment_code"),
            r.indicator_code,
            r.reporting_period,
            r.period_end,
            r.status,
            r.status_source_term,
            r.progress_en,
            r.progress_fr,
            r.evidence_en,
            r.evidence_fr,
            r.department,
            r.import_file,
            r.imported_at,
            r.imported_by,
            r.source_id,
            src.title_en.label("source_title_en"),
            src.title_fr.label("source_title_fr"),
            r.source_url,
            r.note,
            r.version,
        )
        .join(ms, ms.id == r.milestone_id)
        .outerjoin(c, c.id == ms.commitment_id)
        .outerjoin(src, src.id == r.source_id)
        .where(r.plan_id == plan_id)
        .order_by(r.indicator_code, r.reporting_period)
    )
    return read_frame(stmt, url, ["period_end", "imported_at"])


def irm_ratings(plan_id: str, url: str | None = None) -> pd.DataFrame:
    """The IRM's ratings of a plan's commitments (independent), with the commitment's code when known."""
    i, c = IrmRating, m.Commitment
    stmt = (
        select(*i.__table__.columns, c.code.label("commitment_code"))
        .outerjoin(c, c.id == i.commitment_id)
        .where(i.plan_id == plan_id)
        .order_by(i.irm_id)
    )
    return read_frame(stmt, url)


class PlanView(NamedTuple):
    """What the page, the overview, the brief and the yearly report read of one plan's progress."""

    unit: str  # indicator | milestone | commitment
    items: pd.DataFrame  # one row per unit, milestone-shaped (see opengov.features.plans.progress)
    milestones: pd.DataFrame  # the plan's milestones (tracker plans: a status only when every indicator has one)
    coverage: progress.Coverage


def plan_view(plan_id: str, url: str | None = None) -> PlanView:
    """A plan's items in the unit its statuses are reported for, its milestones and its coverage."""
    ms, ind = milestones(plan_id, url), indicators(plan_id, url)
    unit = progress.plan_unit(ms, ind)
    plan = plans(url).set_index("id").loc[plan_id]
    if unit == "indicator":
        items = progress.indicator_items(ms, ind, observations(plan_id, url))
        ms = progress.rollup_milestones(ms, items)
    elif unit == "milestone":
        items = progress.milestone_items(ms)
    else:
        items = progress.commitment_items(commitments(plan_id, url))
    orgs = reads.organizations(url)
    total = plan["commitments_total"] if unit == "commitment" else None
    items, ms = progress.with_lead_names(items, orgs), progress.with_lead_names(ms, orgs)
    return PlanView(unit, items, ms, progress.coverage(items, unit, total))


PlanStanding = progress.PlanStanding


def standings(ref: dt.date, url: str | None = None) -> list[PlanStanding]:
    """Every plan's standing at `ref`, national plans first."""
    ps = plans(url)
    by_id = ps.set_index("id")
    return [progress.standing(pid, by_id.loc[pid], plan_view(pid, url), ref) for pid in progress.plan_order(ps)]


def status_observations_table(url: str | None = None) -> pd.DataFrame:
    """Every status observation of every plan, flat, for `python -m opengov export table status_observations`:
    plan, commitment, milestone, indicator, reporting period, status (canonical and as written), source (the
    shipped file's title, else the imported file, else "recorded"), its page, evidence, who and when."""
    r, ms, c, src = PlanProgressReport, m.Milestone, m.Commitment, m.Source
    stmt = (
        select(
            r.plan_id.label("plan"),
            c.code.label("commitment"),
            ms.code.label("milestone"),
            r.indicator_code.label("indicator"),
            r.reporting_period,
            r.status,
            r.status_source_term.label("status_as_written"),
            src.title_en.label("source_title"),
            r.source_id,
            r.import_file,
            r.source_url,
            r.evidence_en,
            r.evidence_fr,
            r.progress_en,
            r.progress_fr,
            r.department,
            r.imported_by.label("recorded_by"),
            r.imported_at.label("recorded_at"),
            r.note,
        )
        .join(ms, ms.id == r.milestone_id)
        .outerjoin(c, c.id == ms.commitment_id)
        .outerjoin(src, src.id == r.source_id)
        .order_by(r.plan_id, r.indicator_code, r.reporting_period)
    )
    df = read_frame(stmt, url, ["recorded_at"])
    origin = df["source_title"].where(
        df["source_id"].notna(), df["import_file"].where(df["import_file"] != "", "recorded")
    )
    df.insert(7, "source", origin)
    df["status"] = df["status"].where(df["status"].notna(), "not_reported")
    return df.drop(columns=["source_title", "import_file"])
