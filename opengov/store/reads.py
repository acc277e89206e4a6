"""Read the store into tidy pandas frames. No Streamlit here; the app caches these at its boundary."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Selectable, select
from sqlalchemy.orm import InstrumentedAttribute

from opengov.store import models as m
from opengov.store.db import get_engine


def read_frame(stmt: Selectable, url: str | None = None, parse_dates: list[str] | None = None) -> pd.DataFrame:
    """Run a SELECT on the store and return its rows as a frame (`parse_dates` columns as datetimes)."""
    with get_engine(url).connect() as conn:
        df = pd.read_sql(stmt, conn)
    for col in parse_dates or []:
        if col in df:
            df[col] = pd.to_datetime(df[col])
    return df


def snapshots(portal_id: str | None = None, url: str | None = None) -> pd.DataFrame:
    s = m.PortalSnapshot
    stmt = select(
        s.id,
        s.portal_id,
        s.snapshot_date,
        s.taken_at,
        s.origin,
        s.ok,
        s.dataset_count,
        s.resource_count,
        s.organization_count,
        s.error_code,
        s.error_message,
        s.source_id,
    )
    if portal_id:
        stmt = stmt.where(s.portal_id == portal_id)
    return read_frame(stmt.order_by(s.snapshot_date), url, ["snapshot_date"])


def snapshot_facets(
    facet: str, origin: str | None = None, portal_id: str | None = None, url: str | None = None
) -> pd.DataFrame:
    """Facet counts joined to their snapshot date: snapshot_date, value, count."""
    s, f = m.PortalSnapshot, m.SnapshotFacet
    stmt = (
        select(s.snapshot_date, s.portal_id, s.origin, f.value, f.count)
        .join(f, f.snapshot_id == s.id)
        .where(f.facet == facet)
    )
    if origin:
        stmt = stmt.where(s.origin == origin)
    if portal_id:
        stmt = stmt.where(s.portal_id == portal_id)
    return read_frame(stmt.order_by(s.snapshot_date, f.value), url, ["snapshot_date"])


def table(
    model: type[m.Base], url: str | None = None, order_by: InstrumentedAttribute[Any] | None = None
) -> pd.DataFrame:
    stmt = select(*model.__table__.columns)
    if order_by is not None:
        stmt = stmt.order_by(order_by)
    return read_frame(stmt, url)


def sources(url: str | None = None) -> pd.DataFrame:
    return table(m.Source, url, m.Source.id)


def portals(url: str | None = None) -> pd.DataFrame:
    return table(m.Portal, url, m.Portal.id)


def populations(url: str | None = None) -> pd.DataFrame:
    """Census populations: geo_code (``CA`` or a province/territory code), census_year, population, source_id."""
    return table(m.Population, url, m.Population.geo_code)


def milestones(plan_id: str | None = None, url: str | None = None) -> pd.DataFrame:
    ms, p = m.Milestone, m.ActionPlan
    stmt = select(
        *ms.__table__.columns,
        p.title_en.label("plan_title_en"),
        p.title_fr.label("plan_title_fr"),
        p.kind.label("plan_kind"),
    ).join(p, p.id == ms.plan_id)
    if plan_id:
        stmt = stmt.where(ms.plan_id == plan_id)
    return read_frame(stmt.order_by(ms.plan_id, ms.id), url, ["start_date", "end_date", "status_as_of"])


def action_plans(url: str | None = None) -> pd.DataFrame:
    return table(m.ActionPlan, url, m.ActionPlan.id)


def impact_facts(url: str | None = None) -> pd.DataFrame:
    return table(m.ImpactFact, url, m.ImpactFact.id)


def counts_timeline(url: str | None = None) -> pd.DataFrame:
    df = table(m.DatasetCountPoint, url, m.DatasetCountPoint.as_of)
    df["as_of"] = pd.to_datetime(df["as_of"])
    return df


def organizations(url: str | None = None) -> pd.DataFrame:
    return table(m.Organization, url, m.Organization.slug)


def datasets(url: str | None = None) -> pd.DataFrame:
    return table(m.Dataset, url, m.Dataset.id)
