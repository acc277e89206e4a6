"""The frames behind the Overview and the executive brief."""

from __future__ import annotations

import datetime as dt

from opengov.features.plans import queries as plans_queries
from opengov.features.plans.progress import PlanStanding
from opengov.features.usage.queries import rows as usage_rows
from opengov.store import reads as queries

FEDERAL_PORTAL = "canada"


def overview_frames(url: str | None = None) -> dict[str, object]:
    snaps = queries.snapshots(FEDERAL_PORTAL, url)
    return {
        "daily_snapshots": snaps[snaps["origin"] == "ogp_packages_daily"].reset_index(drop=True),
        "jurisdiction_facets": queries.snapshot_facets("jurisdiction", "ogp_packages_daily", url=url),
        "downloads_by_jurisdiction": usage_rows("downloads", "month", "jurisdiction", url),
        "fy_downloads": usage_rows("downloads", "fiscal_year", url=url),
        "fy_visits": usage_rows("visits", "fiscal_year", url=url),
        "portals": queries.portals(url),
        "facts": queries.impact_facts(url),
        "sources": queries.sources(url).set_index("id"),
    }


def plan_standings(ref: dt.date, url: str | None = None) -> list[PlanStanding]:
    """Every action plan's standing at `ref` (the plans page's own figures), national plans first."""
    return plans_queries.standings(ref, url)


def national_progress(standings: list[PlanStanding]) -> PlanStanding | None:
    """The latest national plan with reported statuses (standings are ordered latest first), else None."""
    return next((s for s in standings if s.kind == "national" and s.coverage.reported), None)


def plan_source_ids(url: str | None = None) -> tuple[str, ...]:
    """The sources of the plans' figures: each plan's own source and those of its status reports."""
    from sqlalchemy import select, union

    from opengov.store import models as m
    from opengov.store.models_plans import PlanProgressReport

    stmt = union(
        select(m.ActionPlan.source_id).where(m.ActionPlan.source_id.is_not(None)),
        select(PlanProgressReport.source_id).where(PlanProgressReport.source_id.is_not(None)),
    )
    frame = queries.read_frame(stmt, url)
    return tuple(sorted(str(v) for v in frame.iloc[:, 0].dropna()))


def kpis_of(frames: dict, window_months: int, basis: str):
    """The Overview's cards (metrics.overview.overview_kpis) from its frames: the page's and the brief's."""
    from metrics.overview import overview_kpis

    return overview_kpis(
        frames["daily_snapshots"],
        frames["jurisdiction_facets"],
        frames["downloads_by_jurisdiction"],
        frames["fy_downloads"],
        frames["fy_visits"],
        frames["portals"],
        window_months=window_months,
        basis=basis,
    )
