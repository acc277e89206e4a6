"""SQLAlchemy 2 models: the whole schema of OpenGov Impact.

One store serves every page: portals and their snapshots, usage statistics, action plans
(plans -> commitments -> milestones -> indicators, with status history), the working group's
meetings, agenda items and priorities, sources with provenance, users and an append-only
audit log. Nothing here is specific to SQLite or PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import true

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# --------------------------------------------------------------------------- provenance
class Source(Base):
    """A data source: a shipped file, a seed document or a live portal endpoint."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # shipped_file | seed | live
    title_en: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(Text, default="")
    as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    cadence: Mapped[str] = mapped_column(String(20), default="static")
    file_name: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_refresh_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_refresh_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


# --------------------------------------------------------------------------- portals
class Portal(Base):
    __tablename__ = "portals"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_fr: Mapped[str] = mapped_column(Text)
    #: federal | provincial | territorial | regional | municipal | other (not a government: academic,
    #: civil society, business), from the 2026 registry's owner type (see opengov.sources.build_registry)
    level: Mapped[str] = mapped_column(String(20), index=True)
    pt_code: Mapped[str] = mapped_column(String(2), default="")
    sgc_code: Mapped[str] = mapped_column(String(10), default="")
    geo_type: Mapped[str] = mapped_column(String(40), default="")
    population_2011: Mapped[int | None] = mapped_column(Integer, nullable=True)
    platform: Mapped[str] = mapped_column(String(30), default="")  # empty = unknown
    api_base_url: Mapped[str] = mapped_column(Text, default="")
    homepage: Mapped[str] = mapped_column(Text, default="")
    license_url: Mapped[str] = mapped_column(Text, default="")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)
    # 0008: the registry of 2026 merged with the 2020 list
    #: the registry's catalogue type: "Open data portal", "Geoportal", "Scientific data repository", ...
    catalog_type: Mapped[str] = mapped_column(String(40), default="Open data portal")
    owner_type: Mapped[str] = mapped_column(String(40), default="")
    owner_name: Mapped[str] = mapped_column(Text, default="")
    #: where the registry lists it: "2026" (2026 registry only), "2026+2020" (both), "2020" (not listed since 2020)
    listing: Mapped[str] = mapped_column(String(20), default="")
    #: which source each field came from: "field=origin;field=origin" (cdi2026, list2020, derived, operator)
    field_sources: Mapped[str] = mapped_column(Text, default="")
    registry_uid: Mapped[str] = mapped_column(String(40), default="")
    #: fields an operator set (``import portals``): a shipped registry never writes over them
    operator_fields: Mapped[str] = mapped_column(Text, default="")


class Population(Base):
    """A census population count of a province, territory or the country (for per-capita figures)."""

    __tablename__ = "populations"
    geo_code: Mapped[str] = mapped_column(String(10), primary_key=True)  # pt_code ("YT") or "CA"
    census_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    population: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)


class PortalSnapshot(Base):
    """One observation of a portal's catalogue: from a refresh run or from shipped data."""

    __tablename__ = "portal_snapshots"
    __table_args__ = (UniqueConstraint("portal_id", "snapshot_date", "origin", name="uq_snapshot_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    portal_id: Mapped[str] = mapped_column(ForeignKey("portals.id"), index=True)
    snapshot_date: Mapped[dt.date] = mapped_column(Date)
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    origin: Mapped[str] = mapped_column(String(80))  # 'refresh' or a source id
    ok: Mapped[bool] = mapped_column(Boolean, default=True)
    dataset_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    resource_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    organization_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_code: Mapped[str] = mapped_column(String(40), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)


class SnapshotFacet(Base):
    __tablename__ = "snapshot_facets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("portal_snapshots.id", ondelete="CASCADE"), index=True)
    facet: Mapped[str] = mapped_column(String(40))  # jurisdiction | organization | res_format | freshness ...
    value: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer)


class DatasetCountPoint(Base):
    """A dated, sourced historical count (qualifier kept: exact / more_than / approx)."""

    __tablename__ = "dataset_count_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    portal_label: Mapped[str] = mapped_column(Text)
    portal_id: Mapped[str | None] = mapped_column(ForeignKey("portals.id"), nullable=True)
    level: Mapped[str] = mapped_column(Text)
    jurisdiction: Mapped[str] = mapped_column(Text)
    as_of: Mapped[dt.date] = mapped_column(Date)
    as_of_text: Mapped[str] = mapped_column(String(40), default="")
    date_precision: Mapped[str] = mapped_column(String(10))
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_type: Mapped[str] = mapped_column(Text, default="")
    trust: Mapped[str] = mapped_column(String(20), default="")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)


# --------------------------------------------------------------------------- usage
class Organization(Base):
    __tablename__ = "organizations"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_fr: Mapped[str] = mapped_column(Text)


class Dataset(Base):
    __tablename__ = "datasets"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_en: Mapped[str] = mapped_column(Text, default="")
    title_fr: Mapped[str] = mapped_column(Text, default="")
    organization_en: Mapped[str] = mapped_column(Text, default="")
    organization_fr: Mapped[str] = mapped_column(Text, default="")


class UsageStat(Base):
    """Long table of usage measurements.

    metric: visits | downloads | dataset_page_visits | open_maps_views | download_events |
    net_new_datasets ...; grain: day | month | fiscal_year | fytd | cumulative;
    dimension: total | dataset | department | region | country | jurisdiction.
    """

    __tablename__ = "usage_stats"
    __table_args__ = (
        Index("ix_usage_lookup", "metric", "dimension", "period_start"),
        Index("ix_usage_series", "metric", "grain", "dimension", "period_start", "dimension_key", "value"),  # 0002
        Index("ix_usage_key", "dimension", "dimension_key", "metric", "grain", "period_start"),  # 0002
        UniqueConstraint("source_id", "metric", "grain", "period_start", "dimension", "dimension_key", name="uq_usage"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    portal_id: Mapped[str | None] = mapped_column(ForeignKey("portals.id"), nullable=True)
    metric: Mapped[str] = mapped_column(String(40))
    grain: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(20), default="total")
    dimension_key: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    #: 0008: one current value per (portal, metric, grain, period, dimension, key); the rows of other
    #: sources for the same figure are kept apart (False) with their provenance, never summed
    #: (opengov.ingest.usage_keys.settle)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


# --------------------------------------------------------------------------- action plans
class StatusTerm(Base):
    """Maps a source's own status term to the one canonical vocabulary."""

    __tablename__ = "status_terms"
    __table_args__ = (UniqueConstraint("scheme", "term", name="uq_status_term"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scheme: Mapped[str] = mapped_column(String(30))  # plan_fr | plan_en | nap_code | irm
    term: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))


class ActionPlan(Base):
    __tablename__ = "action_plans"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # national | departmental | subnational
    title_en: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    period_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status_as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)
    # revision 0007: the government whose plan it is (CA = federal, else a province or territory code)
    jurisdiction: Mapped[str] = mapped_column(String(20), default="CA", server_default="CA")
    level: Mapped[str] = mapped_column(String(20), default="federal", server_default="federal")
    source_url: Mapped[str] = mapped_column(Text, default="", server_default="")
    commitments_total: Mapped[int | None] = mapped_column(Integer, nullable=True)  # as the plan itself counts them


class Commitment(Base):
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_commitment_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("action_plans.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    title_en: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    # revision 0007: a commitment-level status where a source reports only that (NAP2, NAP3, Québec, Ontario)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)  # canonical, None = not reported
    status_source_term: Mapped[str] = mapped_column(Text, default="", server_default="")
    status_as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status_period: Mapped[str] = mapped_column(String(40), default="", server_default="")  # as the source says it
    milestones_done: Mapped[int | None] = mapped_column(Integer, nullable=True)
    milestones_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lead: Mapped[str] = mapped_column(Text, default="", server_default="")
    deadline_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    deadline_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source_url: Mapped[str] = mapped_column(Text, default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)


class Milestone(Base):
    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_milestone_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("action_plans.id"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"), nullable=True)
    code: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(20), default="")
    title_en: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    year_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    year_label_en: Mapped[str] = mapped_column(Text, default="")
    year_label_fr: Mapped[str] = mapped_column(Text, default="")
    start_text: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end_text: Mapped[str] = mapped_column(Text, default="")
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    actual_end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # revision 0003_plans
    deadline_en: Mapped[str] = mapped_column(Text, default="")
    deadline_fr: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)  # canonical, None = not reported
    status_source_term: Mapped[str] = mapped_column(Text, default="")
    status_as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    seed_line: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("milestone_id", "code", name="uq_indicator_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    text_en: Mapped[str] = mapped_column(Text)
    text_fr: Mapped[str] = mapped_column(Text)
    deadline_en: Mapped[str] = mapped_column(Text, default="")
    deadline_fr: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class StatusHistory(Base):
    __tablename__ = "status_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(20))  # milestone | indicator
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


# --------------------------------------------------------------------------- working group
class WgMeeting(Base):
    __tablename__ = "wg_meetings"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    month: Mapped[int] = mapped_column(Integer)
    meeting_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    held: Mapped[bool] = mapped_column(Boolean)
    no_meeting_reason_en: Mapped[str] = mapped_column(Text, default="")
    no_meeting_reason_fr: Mapped[str] = mapped_column(Text, default="")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class WgActivity(Base):
    __tablename__ = "wg_activities"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("wg_meetings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text_en: Mapped[str] = mapped_column(Text)
    text_fr: Mapped[str] = mapped_column(Text)
    presenter_fr: Mapped[str] = mapped_column(Text, default="")
    presenter_jurisdiction: Mapped[str] = mapped_column(String(20), default="")


class WgAgendaItem(Base):
    __tablename__ = "wg_agenda_items"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    topic_en: Mapped[str] = mapped_column(Text)
    topic_fr: Mapped[str] = mapped_column(Text)
    presenter_fr: Mapped[str] = mapped_column(Text, default="")
    presenter_jurisdiction: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20))  # done | pending
    done_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class WgPriority(Base):
    __tablename__ = "wg_priorities"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    text_en: Mapped[str] = mapped_column(Text)
    text_fr: Mapped[str] = mapped_column(Text)
    status_text_en: Mapped[str] = mapped_column(Text, default="")
    status_text_fr: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class WgProject(Base):
    __tablename__ = "wg_projects"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title_en: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text)
    rationale_en: Mapped[str] = mapped_column(Text, default="")
    rationale_fr: Mapped[str] = mapped_column(Text, default="")
    activities_en: Mapped[str] = mapped_column(Text, default="")
    activities_fr: Mapped[str] = mapped_column(Text, default="")


# --------------------------------------------------------------------------- impact facts
class ImpactFact(Base):
    __tablename__ = "impact_facts"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    seed_file: Mapped[str] = mapped_column(Text)
    document_en: Mapped[str] = mapped_column(Text)
    document_fr: Mapped[str] = mapped_column(Text)
    document_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    document_date_precision: Mapped[str] = mapped_column(String(10), default="")
    subject_jurisdiction: Mapped[str] = mapped_column(String(20), default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(20), default="")
    qualifier: Mapped[str] = mapped_column(String(20), default="exact")
    statement_en: Mapped[str] = mapped_column(Text)
    statement_fr: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")
    seed_line: Mapped[int | None] = mapped_column(Integer, nullable=True)


# --------------------------------------------------------------------------- people and audit
class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(10))  # viewer | editor | admin
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AuditLog(Base):
    """Append-only: database triggers refuse UPDATE and DELETE (see the migration)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(30))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class AppMeta(Base):
    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
