"""Tables of the action-plan tracker that the core schema does not have (revision 0003_plans).

* ``plan_progress_reports``: one row per reporting period and indicator (or milestone), as in the
  official NAP tracker (primary key reporting_period + indicators): status, progress, evidence.
* ``plan_challenges``: the coded challenges (funding, resources, priorities, approvals, dependencies,
  other) reported for a milestone/indicator in a period, with the department.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from opengov.store.models import Base, utcnow


class PlanProgressReport(Base):
    __tablename__ = "plan_progress_reports"
    __table_args__ = (
        UniqueConstraint("milestone_id", "indicator_code", "reporting_period", name="uq_progress_period"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("action_plans.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40), default="")  # "" = the milestone itself
    reporting_period: Mapped[str] = mapped_column(String(10))  # "2019-03"
    period_end: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)  # None = not reported that period
    status_source_term: Mapped[str] = mapped_column(Text, default="")
    progress_en: Mapped[str] = mapped_column(Text, default="")
    progress_fr: Mapped[str] = mapped_column(Text, default="")
    evidence_en: Mapped[str] = mapped_column(Text, default="")
    evidence_fr: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(Text, default="")
    import_file: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(80), default="")
    # revision 0007: where a shipped observation comes from, its note, and a version for concurrent edits
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True, index=True)
    source_url: Mapped[str] = mapped_column(Text, default="", server_default="")
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class IrmRating(Base):
    """The Independent Reporting Mechanism's assessment of one OGP commitment (revision 0007), beside the
    government's own status: `plan_id` / `commitment_id` say which plan commitment it rates, when known."""

    __tablename__ = "irm_ratings"
    __table_args__ = (UniqueConstraint("irm_id", name="uq_irm_ratings_irm_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    irm_id: Mapped[str] = mapped_column(String(20))  # CA0031, ONT0001 ...
    member: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    action_plan: Mapped[str] = mapped_column(Text)
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("action_plans.id"), nullable=True, index=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"), nullable=True)
    reports: Mapped[str] = mapped_column(Text, default="")
    early_results: Mapped[str] = mapped_column(String(40), default="")  # the IRM's "Did it open government?"
    starred: Mapped[str] = mapped_column(String(10), default="")
    verifiable: Mapped[str] = mapped_column(String(10), default="")
    relevance: Mapped[str] = mapped_column(Text, default="")
    ambition: Mapped[str] = mapped_column(String(20), default="")
    completion: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    source_id: Mapped[str | None] = mapped_column(ForeignKey("sources.id"), nullable=True)


class PlanChallenge(Base):
    __tablename__ = "plan_challenges"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("action_plans.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(40), default="")
    reporting_period: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(20))  # funding | resources | priorities | approvals | dependencies | other
    department: Mapped[str] = mapped_column(Text, default="")
    detail_en: Mapped[str] = mapped_column(Text, default="")
    detail_fr: Mapped[str] = mapped_column(Text, default="")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("plan_progress_reports.id"), nullable=True, index=True)
