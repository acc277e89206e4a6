"""The frames behind the Overview and the executive brief."""

from __future__ import annotations

import pandas as pd

from opengov.features.usage.queries import rows as usage_rows
from opengov.store import reads as queries

CSIS_PLAN = "CSIS-PMOGO"
FEDERAL_PORTAL = "canada"


def overview_frames(url: str | None = None) -> dict[str, object]:
    snaps = queries.snapshots(FEDERAL_PORTAL, url)
    plans = queries.action_plans(url).set_index("id")
    as_of = plans.loc[CSIS_PLAN, "status_as_of"] if CSIS_PLAN in plans.index else None
    return {
        "daily_snapshots": snaps[snaps["origin"] == "ogp_packages_daily"].reset_index(drop=True),
        "jurisdiction_facets": queries.snapshot_facets("jurisdiction", "ogp_packages_daily", url=url),
        "downloads_by_jurisdiction": usage_rows("downloads", "month", "jurisdiction", url),
        "fy_downloads": usage_rows("downloads", "fiscal_year", url=url),
        "fy_visits": usage_rows("visits", "fiscal_year", url=url),
        "milestones": queries.milestones(CSIS_PLAN, url),
        "milestones_as_of": pd.Timestamp(as_of) if as_of is not None and pd.notna(as_of) else None,
        "plan_title_en": plans.loc[CSIS_PLAN, "title_en"] if CSIS_PLAN in plans.index else "",
        "plan_title_fr": plans.loc[CSIS_PLAN, "title_fr"] if CSIS_PLAN in plans.index else "",
        "portals": queries.portals(url),
        "facts": queries.impact_facts(url),
        "sources": queries.sources(url).set_index("id"),
    }
