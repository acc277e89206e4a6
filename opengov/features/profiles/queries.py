"""What a jurisdiction's profile reads: the other features' queries, sliced by one jurisdiction.

The profile adds no figure of its own: each number is read from the query the page it comes from uses
(jurisdictions, usage, plans, working group), so a profile and those pages always agree (a test compares
them). No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

import pandas as pd
from sqlalchemy import select

from metrics.coverage import PROVINCES_TERRITORIES, registry_portals
from metrics.jurisdictions import FEDERATED_ORGS, per_100k, provinces_territories
from opengov.features.jurisdictions import queries as jq
from opengov.features.plans import queries as pq
from opengov.features.usage import queries as uq
from opengov.features.working_group import queries as wq
from opengov.store import models as m
from opengov.store import reads
from opengov.store.reads import read_frame

__all__ = ["COUNTRY", "Jurisdiction", "ProfileData", "jurisdictions", "profile", "comparable_rates"]

COUNTRY = "CA"
TERRITORIES = ("YT", "NT", "NU")
FED_PORTAL = "canada"


class Jurisdiction(NamedTuple):
    """A government with a profile: ``code`` is ``CA``, a province or territory code, or a portal id."""

    code: str
    kind: str  # country | provincial | territorial | municipal | regional
    name_en: str
    name_fr: str
    pt_code: str  # the province or territory it is in ("" for Canada)


class ProfileData(NamedTuple):
    """One jurisdiction's frames, each as its own page reads it."""

    jurisdiction: Jurisdiction
    portals: pd.DataFrame  # its catalogues in the registry (every type; the page groups them)
    snapshots: pd.DataFrame  # successful counts of its portals (refreshes and shipped snapshots)
    count_points: pd.DataFrame  # dated historical counts of its portals
    federated: float | None  # records its government publishes on open.canada.ca (org facet, 2023-06-30)
    federated_as_of: pd.Timestamp | None
    population: float | None
    population_year: int | None
    own_usage: dict[str, pd.DataFrame]  # portal id -> monthly visits of its own portal
    own_catalogue: pd.DataFrame  # its own portal's records by type (open.yukon.ca), when shipped
    plans: list[pq.PlanStanding]
    irm: pd.DataFrame
    wg_activities: pd.DataFrame
    wg_agenda: pd.DataFrame
    facts: pd.DataFrame
    sources: pd.DataFrame


def _wg_code(j: Jurisdiction) -> str:
    """The working group's code of a jurisdiction (its files say ``federal`` for Canada)."""
    return "federal" if j.code == COUNTRY else j.code


def jurisdictions(url: str | None = None) -> list[Jurisdiction]:
    """Canada, the 13 provinces and territories, then each municipality or region with an open-data portal
    in the registry (2026 or 2020), by province and name."""
    from opengov.sources.build_registry import NAME_EN, NAME_FR, SGC_BY_PT

    out = [Jurisdiction(COUNTRY, "country", "Canada", "Canada", "")]
    for c in PROVINCES_TERRITORIES:
        kind = "territorial" if c in TERRITORIES else "provincial"
        out.append(Jurisdiction(c, kind, NAME_EN[c], NAME_FR[SGC_BY_PT[c]], c))
    ports = registry_portals(reads.portals(url), include_unlisted=True)
    local = ports[ports["level"].isin(["municipal", "regional"])].sort_values(["pt_code", "name_en"])
    for r in local.itertuples():
        out.append(Jurisdiction(r.id, r.level, r.name_en, r.name_fr, r.pt_code or ""))
    return out


def _portals_of(j: Jurisdiction, ports: pd.DataFrame) -> pd.DataFrame:
    if j.kind == "country":
        return ports[ports["level"] == "federal"]
    if j.kind in ("provincial", "territorial"):
        return ports[(ports["pt_code"] == j.code) & ports["level"].isin(["provincial", "territorial"])]
    return ports[ports["id"] == j.code]


def comparable_rates(url: str | None = None) -> pd.DataFrame:
    """Records federated into open.canada.ca per 100,000 people, per province and territory, as the
    jurisdictions page computes them: pt_code, level, federated_datasets_count, population, rate_per_100k."""
    from metrics.jurisdictions import latest_successful

    pt = provinces_territories(
        reads.portals(url),
        latest_successful(jq.all_snapshots(url)),
        jq.organization_counts(url),
        reads.populations(url),
    )
    pt["level"] = pt["pt_code"].map(lambda c: "territorial" if c in TERRITORIES else "provincial")
    pt["rate_per_100k"] = per_100k(pt["federated_datasets_count"], pt["population"])
    return pt[["pt_code", "level", "federated_datasets_count", "population", "population_year", "rate_per_100k"]]


def profile(code: str, url: str | None = None, today: dt.date | None = None) -> ProfileData:
    """The profile of `code` (``CA``, a province or territory code, or a municipal portal id).

    Raises KeyError for an unknown code."""
    by_code = {j.code: j for j in jurisdictions(url)}
    j = by_code[code]
    ports = _portals_of(j, reads.portals(url))
    ids = set(ports["id"])
    snaps = jq.all_snapshots(url)
    snaps = snaps[snaps["portal_id"].isin(ids) & snaps["ok"].astype(bool) & snaps["dataset_count"].notna()]
    points = jq.count_points(url)
    points = points[points["portal_id"].isin(ids) | points.apply(lambda r: _point_is_of(r, j), axis=1)]
    federated = federated_as_of = population = population_year = None
    if j.kind in ("provincial", "territorial"):
        rates = comparable_rates(url).set_index("pt_code")
        row = rates.loc[j.code]
        federated = None if pd.isna(row["federated_datasets_count"]) else float(row["federated_datasets_count"])
        population = None if pd.isna(row["population"]) else float(row["population"])
        population_year = None if pd.isna(row["population_year"]) else int(row["population_year"])
        orgs = jq.organization_counts(url)
        federated_as_of = orgs["snapshot_date"].max() if not orgs.empty else None
    elif j.kind == "country":
        pops = reads.populations(url)
        ca = pops[pops["geo_code"] == COUNTRY].sort_values("census_year")
        if not ca.empty:
            population, population_year = float(ca["population"].iloc[-1]), int(ca["census_year"].iloc[-1])
    with_usage = set(uq.portals_with_usage(url)["portal_id"])
    own_usage = {
        pid: uq.monthly("visits", "total", portal=pid, url=url)
        for pid in sorted(ids & with_usage)
        if pid != FED_PORTAL or j.kind == "country"
    }
    own_catalogue = pd.concat(
        [_catalogue_by_type(pid, url) for pid in sorted(ids)] or [pd.DataFrame()], ignore_index=True
    )
    wg_code = _wg_code(j)
    acts, agenda = wq.activities(url), wq.agenda(url)
    facts = reads.impact_facts(url)
    plans = [p for p in pq.standings(today or dt.date.today(), url) if _plan_jurisdiction(p.plan_id, url) == j.code]
    irm = pd.concat([pq.irm_ratings(p.plan_id, url) for p in plans] or [pd.DataFrame()], ignore_index=True)
    return ProfileData(
        jurisdiction=j,
        portals=ports,
        snapshots=snaps,
        count_points=points,
        federated=federated,
        federated_as_of=federated_as_of,
        population=population,
        population_year=population_year,
        own_usage=own_usage,
        own_catalogue=own_catalogue,
        plans=plans,
        irm=irm,
        wg_activities=acts[acts["presenter_jurisdiction"] == wg_code],
        wg_agenda=agenda[agenda["presenter_jurisdiction"] == wg_code],
        facts=facts[facts["subject_jurisdiction"] == j.code] if "subject_jurisdiction" in facts else facts.iloc[0:0],
        sources=reads.sources(url),
    )


def _point_is_of(row: pd.Series, j: Jurisdiction) -> bool:
    """A historical count point of `j` by the timeline's own jurisdiction label ("Quebec", "Toronto ON",
    "Canada" at the federal level)."""
    label, level = str(row.get("jurisdiction") or ""), str(row.get("level") or "")
    if j.kind == "country":
        return label == "Canada" and level == "federal"
    if j.kind in ("provincial", "territorial"):
        return label == j.name_en and level == j.kind
    place = re.sub(r"\s*\([^)]*\)\s*$", "", j.name_en)
    return level == "municipal" and label == f"{place} {j.pt_code}"


def _plan_jurisdiction(plan_id: str, url: str | None) -> str:
    plans = pq.plans(url).set_index("id")
    return str(plans.loc[plan_id, "jurisdiction"]) if plan_id in plans.index else ""


def _catalogue_by_type(portal_id: str, url: str | None) -> pd.DataFrame:
    """A portal's own count of records by type (shipped for open.yukon.ca): portal_id, type, records_count,
    as_of. Empty when the store has none."""
    u = m.UsageStat
    stmt = select(
        u.portal_id, u.dimension_key.label("type"), u.value.label("records_count"), u.period_end.label("as_of")
    ).where(
        u.metric == "packages",
        u.grain == "snapshot",
        u.dimension == "type",
        u.portal_id == portal_id,
        u.is_current.is_(True),
    )
    return read_frame(stmt.order_by(u.value.desc()), url, ["as_of"])


def federated_org(pt_code: str) -> str | None:
    """The open.canada.ca organisation of a province's or territory's government (None if it has none)."""
    return next((org for org, pt in FEDERATED_ORGS.items() if pt == pt_code), None)
