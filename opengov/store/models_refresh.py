"""Tables of the live portal refresh (revision 0004_refresh).

* ``refresh_runs``: one row per run of :func:`opengov.ingest.refresh.refresh_portals` (CLI, cron or the
  app's Refresh button). Inserted with ``status="running"`` in its own transaction when the run
  starts and closed (``ok`` / ``partial`` / ``failed``) when it ends, so a run killed mid-way stays
  visible as ``running`` with no ``finished_at``.
* ``refresh_attempts``: one row per portal (``target="portal"``) or analytics fetch
  (``target="analytics"``) per run, written in the SAME transaction as that portal's snapshot,
  facets and usage rows. It is where failures are kept when they must not touch a snapshot:
  a portal that fails after a good snapshot was already taken today leaves that snapshot
  untouched (``kept_previous=True``) and the failure lives here only. ``facet_rows`` /
  ``usage_rows`` record how many rows that transaction wrote, which makes the store checkable
  (every refresh snapshot has exactly the facets its last successful attempt wrote).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from opengov.store.models import Base, utcnow


class RefreshRun(Base):
    __tablename__ = "refresh_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    actor: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | ok | partial | failed
    portals_requested: Mapped[int] = mapped_column(Integer, default=0)
    portals_ok: Mapped[int] = mapped_column(Integer, default=0)
    portals_failed: Mapped[int] = mapped_column(Integer, default=0)
    portals_skipped: Mapped[int] = mapped_column(Integer, default=0)
    analytics_status: Mapped[str] = mapped_column(String(20), default="")  # "" (not run) | ok | failed
    note: Mapped[str] = mapped_column(Text, default="")


class RefreshAttempt(Base):
    __tablename__ = "refresh_attempts"
    __table_args__ = (Index("ix_refresh_attempts_portal_time", "portal_id", "finished_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("refresh_runs.id"), index=True)
    target: Mapped[str] = mapped_column(String(20), default="portal")  # portal | analytics
    portal_id: Mapped[str | None] = mapped_column(ForeignKey("portals.id"), nullable=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    error_code: Mapped[str] = mapped_column(String(40), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    dataset_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_snapshots.id", ondelete="SET NULL"), nullable=True
    )
    kept_previous: Mapped[bool] = mapped_column(Boolean, default=False)
    facet_rows: Mapped[int] = mapped_column(Integer, default=0)
    usage_rows: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
