"""The working group's tables as tidy frames (no Streamlit): meetings, activities, agenda, priorities,
proposed projects, the as-of date of the working-group data and the milestones/plans for progress."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from opengov.store import models as m
from opengov.store.reads import read_frame

WG_SOURCES: tuple[str, ...] = (
    "seed_wg_meetings",
    "seed_wg_activities",
    "seed_wg_agenda",
    "seed_wg_priorities",
    "seed_wg_projects",
)
WG_TABLES: tuple[str, ...] = ("wg_meetings", "wg_activities", "wg_agenda_items", "wg_priorities", "wg_projects")


def meetings(url: str | None = None) -> pd.DataFrame:
    """id, year, month, meeting_date, held, no_meeting_reason_en/fr, source_id, version; by year, month."""
    w = m.WgMeeting
    stmt = select(*w.__table__.columns).order_by(w.year, w.month, w.meeting_date, w.id)
    df = read_frame(stmt, url, ["meeting_date"])
    df["held"] = df["held"].astype(bool)
    return df


def activities(url: str | None = None) -> pd.DataFrame:
    """Each activity with its meeting's year and date."""
    a, w = m.WgActivity, m.WgMeeting
    stmt = (
        select(*a.__table__.columns, w.year, w.month, w.meeting_date)
        .join(w, w.id == a.meeting_id)
        .order_by(w.meeting_date, a.id)
    )
    return read_frame(stmt, url, ["meeting_date"])


def agenda(url: str | None = None) -> pd.DataFrame:
    a = m.WgAgendaItem
    return read_frame(select(*a.__table__.columns).order_by(a.year, a.id), url, ["done_date"])


def priorities(url: str | None = None) -> pd.DataFrame:
    p = m.WgPriority
    return read_frame(select(*p.__table__.columns).order_by(p.year, p.kind.desc(), p.rank, p.id), url)


def projects(url: str | None = None) -> pd.DataFrame:
    p = m.WgProject
    return read_frame(select(*p.__table__.columns).order_by(p.id), url)


def data_as_of(url: str | None = None) -> pd.Timestamp | None:
    """The later of the working-group sources' as-of date and the last audited edit of a WG table."""
    s = m.Source
    a = m.AuditLog
    dates = read_frame(select(func.max(s.as_of).label("d")).where(s.id.in_(WG_SOURCES)), url)
    edits = read_frame(select(func.max(a.at).label("d")).where(a.entity.in_(WG_TABLES)), url)
    vals = [pd.Timestamp(v) for v in (dates["d"].iloc[0], edits["d"].iloc[0]) if v is not None and pd.notna(v)]
    vals = [v.tz_localize(None) if v.tzinfo else v for v in vals]
    return max(vals).normalize() if vals else None


def wg_sources(url: str | None = None) -> pd.DataFrame:
    """Provenance rows of the working-group seed files: id, title_en/fr, publisher, licence, as_of, url."""
    s = m.Source
    stmt = (
        select(s.id, s.title_en, s.title_fr, s.publisher, s.licence, s.as_of, s.url)
        .where(s.id.in_(WG_SOURCES))
        .order_by(s.id)
    )
    return read_frame(stmt, url, ["as_of"])


def plan_progress_items(url: str | None = None) -> pd.DataFrame:
    """Every plan's items as the plans page counts them (opengov.features.plans.queries.plan_view: indicators,
    milestones or commitments, each plan in the unit its statuses are reported for), with plan_id, status and
    status_as_of: the yearly report reads the same progress figures as the plans page and the Overview."""
    from opengov.features.plans import queries as plans_q

    frames = []
    for pid in plans_q.plans(url)["id"]:
        items = plans_q.plan_view(pid, url).items
        frames.append(
            pd.DataFrame(
                {"plan_id": pid, "status": items["status"], "status_as_of": pd.to_datetime(items["status_as_of"])}
            )
        )
    cols = ["plan_id", "status", "status_as_of"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)
