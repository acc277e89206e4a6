"""Refresh live portal data into the store, keeping history, robust to every portal fault.

No Streamlit here. Entry points: :func:`refresh_portals` (CLI ``python -m opengov refresh`` and the
app's Refresh button), :func:`portal_status` (per-portal state for the Data & sources page),
:func:`analytics_usage_rows` + :func:`replace_usage_source` (shared with ``import analytics``).

What a run writes
-----------------
* ``refresh_runs``: one row, opened (``status="running"``) before any fetch and closed at the end.
* Per portal, in ONE transaction as soon as that portal is done (so a crash or ``kill -9`` mid-run
  leaves every portal either fully written or untouched):

  - success: the day's snapshot (``portal_snapshots``, ``origin="refresh"``) is inserted or, on a
    re-run the same day, UPDATED in place (upsert on the unique ``(portal_id, snapshot_date,
    origin)`` constraint - ``INSERT ... ON CONFLICT DO UPDATE`` on SQLite and PostgreSQL, so two
    runs at once cannot create duplicates); its facets are replaced; CKAN page-view tracking, when
    the portal has it, goes to ``usage_stats`` under the portal's ``live:<id>`` source.
  - failure: a snapshot row with ``ok=False``, ``error_code``, ``error_message`` and ``taken_at`` is
    written for the day ONLY if the day has no good snapshot yet (the upsert's ``WHERE
    portal_snapshots.ok = false`` guard). If a good snapshot was already taken today it is left
    untouched and the failure is recorded in ``refresh_attempts`` only (``kept_previous=True``).
    Snapshots of earlier days are never touched, so the last good numbers always survive.
  - always: one ``refresh_attempts`` row (outcome, error, rows written) and the portal's
    ``sources`` row ``live:<portal_id>`` (kind ``live``, cadence ``daily``, ``last_refresh_at``,
    ``last_refresh_ok``, ``last_error``; ``as_of`` = day of the last good snapshot).
* Federal Open Government Analytics (when the run includes the federal portal ``canada``):
  fetched alongside the portals; its usage rows replace those of source ``live_ogp_analytics``
  in one transaction, and ONLY if every CSV resource downloaded and parsed (a partial fetch keeps
  the previous rows and records the failure).
* One ``audit_log`` row per run (actor, action ``refresh``, counts in ``note`` as JSON).

Portals the registry lists without a supported platform or API address are reported as skipped
(``platform_unknown`` / ``no_api``), never as failures. Snapshot dates are UTC days of the run's
start (or of ``now``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from opengov import config
from opengov.auth import Actor, require_role
from opengov.ingest.shipped import REGION_CODES
from opengov.ingest.usage_keys import settle
from opengov.sources.endpoints import api_base
from opengov.sources.http import ClientConfig, HttpClient, SourceError, plain_text
from opengov.sources.registry import SUPPORTED_PLATFORMS, PortalSpec, utc_now
from opengov.sources.runner import PortalResult, default_client_factory, refresh_all
from opengov.store import models as m
from opengov.store.db import get_engine, session_scope
from opengov.store.models_refresh import RefreshAttempt, RefreshRun

__all__ = [
    "ANALYTICS_SOURCE_ID",
    "CLI_ACTOR",
    "DEFAULT_WORKERS",
    "ORIGIN",
    "AnalyticsOutcome",
    "PortalOutcome",
    "RefreshSummary",
    "UnknownPortals",
    "analytics_usage_rows",
    "live_source_id",
    "portal_status",
    "refresh_portals",
    "replace_usage_source",
    "skip_reason",
    "spec_from_portal",
    "upsert_datasets",
]

log = logging.getLogger(__name__)

ORIGIN = "refresh"
DEFAULT_WORKERS = 16
FED_PORTAL = "canada"
ANALYTICS_SOURCE_ID = "live_ogp_analytics"
ANALYTICS_URL = "https://open.canada.ca/data/en/dataset/2916fad5-ebcc-4c86-b0f3-4f619b29f412"
TBS = "Treasury Board of Canada Secretariat / Secrétariat du Conseil du Trésor du Canada"
OGL = "Open Government Licence – Canada / Licence du gouvernement ouvert – Canada"
#: The command line acts as this actor (it runs with the operator's own access to the database).
CLI_ACTOR = Actor("cli", "admin", via="cli")

ProgressCallback = Callable[[int, int, str, bool], None]

_ORG_PATH = re.compile(r"^(?:/(?:en|fr))?/organi[sz]ation/(?P<org>[^/?#]+)/?$")
_CUMULATIVE_START = dt.date(2013, 6, 18)  # launch of the current open.canada.ca analytics series


class UnknownPortals(ValueError):
    """``portal_ids`` named portals that are not in the store's registry."""

    def __init__(self, ids: Sequence[str]) -> None:
        super().__init__("unknown portal id(s): " + ", ".join(ids))
        self.ids = list(ids)


# --------------------------------------------------------------------------- results
@dataclass
class PortalOutcome:
    """What happened to one portal in a run. ``status`` is ``ok``, ``failed`` or ``skipped``."""

    portal_id: str
    name_en: str
    name_fr: str
    status: str
    dataset_count: int | None = None
    duration_s: float = 0.0
    error_code: str = ""
    error_message: str = ""
    kept_previous: bool = False  # today's good snapshot was kept despite this failure
    last_good_date: dt.date | None = None  # newest good snapshot held for this portal (any origin)
    facet_rows: int = 0
    usage_rows: int = 0


@dataclass
class AnalyticsOutcome:
    """The federal analytics fetch: ``ok`` only when every CSV resource was read."""

    status: str  # ok | failed
    rows: int = 0
    resources: int = 0
    resources_failed: int = 0
    error_code: str = ""
    error_message: str = ""
    duration_s: float = 0.0


@dataclass
class RefreshSummary:
    """Everything a caller needs to report a run."""

    run_id: int
    actor: str
    started_at: dt.datetime
    finished_at: dt.datetime
    snapshot_date: dt.date
    portals: list[PortalOutcome] = field(default_factory=list)
    analytics: AnalyticsOutcome | None = None

    @property
    def succeeded(self) -> list[PortalOutcome]:
        return [p for p in self.portals if p.status == "ok"]

    @property
    def failed(self) -> list[PortalOutcome]:
        return [p for p in self.portals if p.status == "failed"]

    @property
    def skipped(self) -> list[PortalOutcome]:
        return [p for p in self.portals if p.status == "skipped"]

    @property
    def attempted(self) -> int:
        """Portals actually fetched (skipped ones excluded) plus the analytics fetch, if run."""
        return len(self.succeeded) + len(self.failed) + (self.analytics is not None)

    @property
    def failures(self) -> int:
        return len(self.failed) + (self.analytics is not None and self.analytics.status != "ok")

    @property
    def status(self) -> str:
        """``ok`` (nothing failed), ``failed`` (everything attempted failed) or ``partial``."""
        if self.failures == 0:
            return "ok"
        return "failed" if self.failures == self.attempted else "partial"

    @property
    def exit_code(self) -> int:
        """0 = every attempted fetch succeeded, 2 = some failed, 3 = all failed."""
        return {"ok": 0, "partial": 2, "failed": 3}[self.status]


# --------------------------------------------------------------------------- registry -> specs
def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def ckan_organization_of(portal: m.Portal) -> str:
    """Slug of the CKAN organisation a portal is, on a CKAN shared with others ("" if the whole site).

    The store keeps no separate column: as in ``build_registry``, the homepage of such a portal is
    the organisation page on the same host as the API (``…/organization/<slug>``).
    """
    if (portal.platform or "").lower() != "ckan" or not portal.homepage or not portal.api_base_url:
        return ""
    if _host(portal.homepage) != _host(portal.api_base_url):
        return ""
    match = _ORG_PATH.match(urlsplit(portal.homepage).path or "")
    return match.group("org") if match else ""


def _skip(platform: str | None, api_base_url: str | None, homepage: str | None) -> str | None:
    platform = (platform or "").strip().lower()
    if platform not in SUPPORTED_PLATFORMS:
        return "platform_unknown"
    if platform == "socrata":  # the Discovery API has a documented default address; the domain is needed
        return None if _host(homepage or "") else "no_api"
    return None if _api_address(platform, api_base_url, homepage) else "no_api"


def _api_address(platform: str, api_base_url: str | None, homepage: str | None) -> str:
    """The portal's API address, or the platform's convention from its home page (opengov.sources.endpoints)."""
    return (api_base_url or "").strip() or api_base(platform, homepage or "")[0]


def skip_reason(portal: m.Portal) -> str | None:
    """``platform_unknown`` / ``no_api`` when the portal cannot be refreshed, else ``None``."""
    return _skip(portal.platform, portal.api_base_url, portal.homepage)


def spec_from_portal(portal: m.Portal) -> PortalSpec:
    """Build the adapter's :class:`PortalSpec` from a ``portals`` row."""
    return PortalSpec(
        id=portal.id,
        name_en=portal.name_en,
        name_fr=portal.name_fr,
        level=portal.level,
        pt_code=portal.pt_code or "",
        platform=(portal.platform or "").strip().lower(),
        api_base_url=_api_address((portal.platform or "").strip().lower(), portal.api_base_url, portal.homepage),
        homepage=(portal.homepage or "").strip(),
        geo_type=portal.geo_type or "",
        sgc_code=portal.sgc_code or "",
        population_2011=portal.population_2011,
        license_url=portal.license_url or "",
        ckan_organization=ckan_organization_of(portal),
    )


#: The whole time the federal analytics download may take (all its CSV files).
ANALYTICS_DEADLINE_S = 300.0

#: The catalogue types a refresh of "all portals" reads by default (the registry's own types).
DEFAULT_CATALOG_TYPES: tuple[str, ...] = ("Open data portal",)

#: The largest dataset count a portal may report (open.canada.ca, the largest Canadian catalogue, has
#: held at most about 270,000 records): above it the answer is absurd, not a count.
MAX_PLAUSIBLE_COUNT = 5_000_000
#: A fall of more than this share from the last good count is suspicious, not stored as the new count.
MAX_PLAUSIBLE_DROP = 0.5


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def implausible(snap: Any, last_good: int | None = None) -> tuple[str, str] | None:
    """``(error_code, message)`` when a portal's answer is not a plausible count, else ``None``.

    Negative, non-integer or above ``MAX_PLAUSIBLE_COUNT`` (dataset, organisation or facet counts);
    organisation facets totalling more than the datasets (each dataset has one publisher); a fall of more
    than ``MAX_PLAUSIBLE_DROP`` from the last good count.

    >>> from opengov.sources.spec import PortalSnapshot, utc_now
    >>> implausible(PortalSnapshot("x", utc_now(), 2**62))[0]
    'implausible_count'
    >>> implausible(PortalSnapshot("x", utc_now(), 0), last_good=1234)[0]
    'suspicious_drop'
    >>> implausible(PortalSnapshot("x", utc_now(), 900), last_good=1234) is None
    True
    """
    count = snap.dataset_count
    if not _is_count(count) or count < 0 or count > MAX_PLAUSIBLE_COUNT:
        return "implausible_count", f"The portal reported {str(count)[:40]!s} datasets: not a plausible count."
    if snap.organization_count is not None and (
        not _is_count(snap.organization_count) or not 0 <= snap.organization_count <= MAX_PLAUSIBLE_COUNT
    ):
        return "implausible_count", f"The portal reported {str(snap.organization_count)[:40]} organisations."
    for facet, counts in (snap.facets or {}).items():
        bad = [v for v in counts.values() if not _is_count(v) or not 0 <= v <= MAX_PLAUSIBLE_COUNT]
        if bad:
            return "implausible_count", f"The {facet} facet has a count of {str(bad[0])[:40]}."
    orgs = (snap.facets or {}).get("organization")
    if orgs and sum(orgs.values()) > count:
        return (
            "implausible_count",
            f"Its organisations total {sum(orgs.values())} datasets, more than the {count} it reports.",
        )
    if last_good and count < last_good * (1 - MAX_PLAUSIBLE_DROP):
        return (
            "suspicious_drop",
            f"The portal reported {count} datasets, down {1 - count / last_good:.0%} from {last_good}; "
            "the last good count is kept until a later refresh confirms it.",
        )
    return None


def _last_good_count(session: Session, portal_id: str, day: dt.date) -> int | None:
    s = m.PortalSnapshot
    return session.scalar(
        select(s.dataset_count)
        .where(s.portal_id == portal_id, s.ok.is_(True), s.origin == ORIGIN, s.snapshot_date <= day)
        .order_by(s.snapshot_date.desc())
        .limit(1)
    )


def live_source_id(portal_id: str) -> str:
    return f"live:{portal_id}"


# --------------------------------------------------------------------------- SQL helpers
def _dialect_insert(session: Session, table: Table) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported stores
        raise NotImplementedError(f"upsert not implemented for {name}")
    return dialect_insert(table)


def _upsert(
    session: Session,
    table: Table,
    values: dict[str, Any],
    keys: Sequence[str],
    update_cols: Iterable[str] | None = None,
    where: Any = None,
) -> None:
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET update_cols [WHERE where]`` (or DO NOTHING)."""
    stmt = _dialect_insert(session, table).values(**values)
    cols = list(update_cols) if update_cols is not None else []
    if cols:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys), set_={c: stmt.excluded[c] for c in cols}, where=where
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(stmt)


def _clip(text: str | None, n: int) -> str:
    return (text or "")[:n]


def _ensure_source(session: Session, source_id: str, **values: Any) -> None:
    """Create a ``sources`` row if missing (race-free), then set ``values`` on it."""
    base = {
        "id": source_id,
        "kind": values.get("kind", "live"),
        "title_en": values.get("title_en", source_id),
        "title_fr": values.get("title_fr", source_id),
    }
    _upsert(session, m.Source.__table__, base, ["id"])
    if values:
        session.execute(update(m.Source).where(m.Source.id == source_id).values(**values))


def _live_source_values(portal: m.Portal) -> dict[str, Any]:
    return {
        "kind": "live",
        "title_en": f"Live catalogue count: {portal.name_en}",
        "title_fr": f"Nombre de jeux du catalogue en direct : {portal.name_fr or portal.name_en}",
        "publisher": portal.name_en if portal.name_en == portal.name_fr else f"{portal.name_en} / {portal.name_fr}",
        "url": portal.api_base_url or portal.homepage or "",
        "licence": portal.license_url or "",
        "cadence": "daily",
    }


# --------------------------------------------------------------------------- writing one portal
def _tracking_rows(usage: pd.DataFrame, source_id: str, portal_id: str, day: dt.date) -> list[dict[str, Any]]:
    """CKAN ``tracking_summary`` → usage rows (all-time total and the recent 14-day window)."""
    rows: list[dict[str, Any]] = []
    frame = usage.dropna(subset=["dataset_id"]).drop_duplicates("dataset_id")
    for metric, col, grain, start in (
        ("page_views_total", "views_total", "cumulative", day),
        ("page_views_recent", "views_recent", "recent_14d", day - dt.timedelta(days=13)),
    ):
        ranked = frame.sort_values(col, ascending=False, kind="stable").reset_index(drop=True)
        for i, r in ranked.iterrows():
            rows.append(
                {
                    "source_id": source_id,
                    "portal_id": portal_id,
                    "metric": metric,
                    "grain": grain,
                    "period_start": start,
                    "period_end": day,
                    "dimension": "dataset",
                    "dimension_key": _clip(str(r["dataset_id"]), 200),
                    "value": float(r[col]),
                    "rank": i + 1,
                    "note": "CKAN tracking_summary",
                }
            )
    return rows


def _write_portal(
    session: Session, run_id: int, portal: m.Portal, res: PortalResult, day: dt.date, taken_at: dt.datetime
) -> PortalOutcome:
    """Store one portal's result (caller commits: one transaction per portal)."""
    snaps = m.PortalSnapshot.__table__
    sid = live_source_id(portal.id)
    _ensure_source(session, sid, **_live_source_values(portal))
    key = {"portal_id": portal.id, "snapshot_date": day, "origin": ORIGIN}
    ok = res.ok and res.snapshot is not None
    if ok:
        problem = implausible(res.snapshot, _last_good_count(session, portal.id, day))
        if problem:  # recorded as this portal's error; the last good snapshot stays the one shown
            res = dataclasses.replace(res, ok=False, error_code=problem[0], error_message=problem[1])
            ok = False
    outcome = PortalOutcome(
        portal.id,
        portal.name_en,
        portal.name_fr,
        "ok" if ok else "failed",
        duration_s=res.duration_s,
        error_code="" if ok else (res.error_code or "internal_error"),
        error_message="" if ok else (res.error_message or ""),
    )
    if ok:
        snap = res.snapshot
        values = {
            **key,
            "taken_at": taken_at,
            "ok": True,
            "dataset_count": snap.dataset_count,
            "organization_count": snap.organization_count,
            "resource_count": None,
            "error_code": "",
            "error_message": "",
            "source_id": sid,
        }
        _upsert(session, snaps, values, list(key), [c for c in values if c not in key])
        snap_id = session.scalar(select(snaps.c.id).filter_by(**key))
        session.execute(delete(m.SnapshotFacet).where(m.SnapshotFacet.snapshot_id == snap_id))
        facet_rows = [
            {"snapshot_id": snap_id, "facet": _clip(facet, 40), "value": plain_text(value, 1000), "count": int(count)}
            for facet, counts in sorted(snap.facets.items())
            for value, count in sorted(counts.items())
        ]
        if facet_rows:
            session.execute(insert(m.SnapshotFacet), facet_rows)
        usage_rows: list[dict[str, Any]] = []
        if snap.usage is not None and not snap.usage.empty and "dataset_id" in snap.usage:
            session.execute(delete(m.UsageStat).where(m.UsageStat.source_id == sid, m.UsageStat.period_end == day))
            usage_rows = _tracking_rows(snap.usage, sid, portal.id, day)
            if usage_rows:
                session.execute(insert(m.UsageStat), usage_rows)
            settle(session, sid if usage_rows else None)
        outcome.dataset_count = snap.dataset_count
        outcome.facet_rows, outcome.usage_rows = len(facet_rows), len(usage_rows)
        outcome.last_good_date = day
        session.execute(
            update(m.Source)
            .where(m.Source.id == sid)
            .values(
                last_refresh_at=taken_at,
                last_refresh_ok=True,
                last_error="",
                as_of=day,
                rows_loaded=1 + len(facet_rows) + len(usage_rows),
                loaded_at=taken_at,
            )
        )
    else:
        code = _clip(outcome.error_code, 40)
        values = {
            **key,
            "taken_at": taken_at,
            "ok": False,
            "dataset_count": None,
            "organization_count": None,
            "resource_count": None,
            "error_code": code,
            "error_message": res.error_message or "",
            "source_id": sid,
        }
        # Never overwrite a good snapshot of the same day: the update only applies to a failed row.
        _upsert(session, snaps, values, list(key), [c for c in values if c not in key], where=snaps.c.ok.is_(False))
        row = session.execute(select(snaps.c.id, snaps.c.ok).filter_by(**key)).one()
        snap_id = row.id
        outcome.kept_previous = bool(row.ok)
        outcome.last_good_date = session.scalar(
            select(func.max(snaps.c.snapshot_date)).where(snaps.c.portal_id == portal.id, snaps.c.ok.is_(True))
        )
        session.execute(
            update(m.Source)
            .where(m.Source.id == sid)
            .values(
                last_refresh_at=taken_at, last_refresh_ok=False, last_error=f"{code}: {res.error_message or ''}".strip()
            )
        )
    session.add(
        RefreshAttempt(
            run_id=run_id,
            target="portal",
            portal_id=portal.id,
            ok=outcome.status == "ok",
            error_code=_clip(outcome.error_code, 40),
            error_message=outcome.error_message,
            dataset_count=outcome.dataset_count,
            snapshot_id=snap_id,
            kept_previous=outcome.kept_previous,
            facet_rows=outcome.facet_rows,
            usage_rows=outcome.usage_rows,
            started_at=res.started_at,
            finished_at=res.finished_at,
            duration_s=res.duration_s,
        )
    )
    return outcome


def _record_failed_write(url: str | None, run_id: int, portal_id: str, res: PortalResult, message: str) -> None:
    """The attempt row of a portal whose result could not be written (its own transaction)."""
    try:
        with session_scope(url) as s:
            s.add(
                RefreshAttempt(
                    run_id=run_id,
                    target="portal",
                    portal_id=portal_id,
                    ok=False,
                    error_code="store_error",
                    error_message=message,
                    kept_previous=True,
                    started_at=res.started_at,
                    finished_at=res.finished_at,
                    duration_s=res.duration_s,
                )
            )
    except Exception:  # noqa: BLE001 - the store itself is gone: the run's summary still says it
        log.exception("could not record the failed write of %s", portal_id)


# --------------------------------------------------------------------------- analytics
def _org_slug(url: str) -> str:
    match = re.search(r"/organi[sz]ation/([^/?#]+)", url or "")
    return match.group(1) if match else ""


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def analytics_usage_rows(
    layout: str,
    frame: pd.DataFrame,
    *,
    source_id: str,
    as_of: dt.date,
    resource_name: str = "",
    portal_id: str = FED_PORTAL,
) -> list[dict[str, Any]]:
    """Map one parsed analytics table (see :mod:`opengov.sources.analytics`) to ``usage_stats`` rows.

    ============================  ===============================================================
    layout                        rows (metric / grain / dimension)
    ============================  ===============================================================
    monthly_usage                 visits and downloads / month / total
    dataset_downloads             downloads (``info_downloads`` for Open Information files) / month / dataset
    dataset_visits                dataset_page_visits / month / dataset
    open_maps_views               open_maps_views / month / dataset
    datasets_by_department        datasets / day (``as_of``) / department (organisation slug)
    datasets_by_department_month  net_new_datasets / month / department (``_long``: slug from the link)
    visits_by_province            visits / cumulative / region (province code)
    visits_by_country             visits / cumulative / country
    ============================  ===============================================================
    """
    out: list[dict[str, Any]] = []

    def add(
        metric: str, grain: str, start: dt.date, end: dt.date, value: float, dimension: str = "total", key: str = ""
    ) -> None:
        out.append(
            {
                "source_id": source_id,
                "portal_id": portal_id,
                "metric": metric,
                "grain": grain,
                "period_start": start,
                "period_end": end,
                "dimension": dimension,
                "dimension_key": _clip(key, 200),
                "value": float(value),
                "rank": None,
                "note": "",
            }
        )

    records = frame.to_dict("records")
    if layout == "monthly_usage":
        for r in records:
            start, end = _month_bounds(int(r["year"]), int(r["month"]))
            add("visits", "month", start, end, r["visits"])
            add("downloads", "month", start, end, r["downloads"])
    elif layout in ("dataset_downloads", "dataset_visits", "open_maps_views"):
        hint = resource_name.lower()
        if layout == "dataset_visits":
            metric, col = "dataset_page_visits", "visits"
        elif layout == "open_maps_views":
            metric, col = "open_maps_views", "pageviews"
        else:
            metric, col = ("info_downloads" if "info" in hint else "downloads"), "downloads"
        for r in records:
            start, end = _month_bounds(int(r["year"]), int(r["month"]))
            add(metric, "month", start, end, r[col], "dataset", str(r["dataset_id"]))
    elif layout == "datasets_by_department":
        for r in records:
            add(
                "datasets",
                "day",
                as_of,
                as_of,
                r["datasets"],
                "department",
                _org_slug(r.get("url_en", "")) or r["department_en"],
            )
    elif layout == "datasets_by_department_month":
        for r in records:
            if r["period"] == "prior" or str(r["department"]).strip().lower() == "total":
                continue
            year, month = (int(x) for x in str(r["period"]).split("-"))
            start, end = _month_bounds(year, month)
            add("net_new_datasets", "month", start, end, r["datasets"], "department", str(r["department"]))
    elif layout == "datasets_by_department_month_long":
        for r in records:
            start, end = _month_bounds(int(r["year"]), int(r["month"]))
            add(
                "net_new_datasets",
                "month",
                start,
                end,
                r["datasets"],
                "department",
                _org_slug(r.get("link", "")) or str(r["department"]),
            )
    elif layout == "visits_by_province":
        for r in records:
            code = REGION_CODES.get(r["region_en"], "unknown" if "nknown" in r["region_en"] else r["region_en"])
            add("visits", "cumulative", _CUMULATIVE_START, as_of, r["visits"], "region", code)
    elif layout == "visits_by_country":
        for r in records:
            add("visits", "cumulative", _CUMULATIVE_START, as_of, r["visits"], "country", r["country_en"])
    else:
        raise ValueError(f"no usage mapping for analytics layout {layout!r}")
    return out


def _dedupe_and_rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the first row per unique usage key; rank per-dataset rows by value within their month."""
    seen: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        k = (r["metric"], r["grain"], r["period_start"], r["dimension"], r["dimension_key"])
        seen.setdefault(k, r)
    unique = list(seen.values())
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in unique:
        if r["dimension"] == "dataset":
            groups.setdefault((r["metric"], r["grain"], r["period_start"]), []).append(r)
    for members in groups.values():
        for i, r in enumerate(sorted(members, key=lambda x: -x["value"]), start=1):
            r["rank"] = i
    return unique


def replace_usage_source(
    session: Session, source_id: str, rows: list[dict[str, Any]], source_values: dict[str, Any]
) -> int:
    """Replace every ``usage_stats`` row of ``source_id`` with ``rows`` (caller's transaction).

    Rows are de-duplicated on the usage unique key and per-dataset rows ranked by value.
    Returns the number of rows written.
    """
    rows = _dedupe_and_rank([{**r, "source_id": source_id} for r in rows])
    _ensure_source(session, source_id, **source_values)
    session.execute(delete(m.UsageStat).where(m.UsageStat.source_id == source_id))
    if rows:
        session.execute(insert(m.UsageStat), rows)
    settle(session, source_id if rows else None)  # one current value per figure across sources
    return len(rows)


def _run_analytics(spec: PortalSpec, config: ClientConfig | None, box: dict[str, Any]) -> None:
    from opengov.sources.analytics import fetch_analytics

    t0 = utc_now()
    # the analytics are several CSV files of a few MB each: their own, longer deadline
    base = config or ClientConfig()
    cfg = dataclasses.replace(
        base, deadline_s=None if base.deadline_s is None else max(base.deadline_s, ANALYTICS_DEADLINE_S)
    )
    try:
        with HttpClient(cfg, allowed_hosts=spec.effective_allowed_hosts()) as client:
            box["bundle"] = fetch_analytics(spec, client)
    except SourceError as exc:
        box["error"] = (exc.code, exc.message)
    except Exception as exc:
        log.exception("analytics fetch crashed")
        box["error"] = ("internal_error", f"Unexpected error ({type(exc).__name__}).")
    box["duration_s"] = (utc_now() - t0).total_seconds()


def _store_analytics(
    url: str | None, run_id: int, box: dict[str, Any], day: dt.date, taken_at: dt.datetime
) -> AnalyticsOutcome:
    bundle = box.get("bundle")
    outcome = AnalyticsOutcome("failed", duration_s=box.get("duration_s", 0.0))
    if bundle is None:
        outcome.error_code, outcome.error_message = box.get("error", ("internal_error", "No result."))
    else:
        outcome.resources = len(bundle.resources)
        outcome.resources_failed = len(bundle.errors)
        if not bundle.resources:
            outcome.error_code, outcome.error_message = "bad_shape", "The analytics dataset lists no CSV resource."
        elif bundle.errors:
            first = bundle.errors[0]
            outcome.error_code = first.error_code or "bad_csv"
            outcome.error_message = (
                f"{len(bundle.errors)} of {len(bundle.resources)} resource(s) failed; "
                f"first: {first.name}: {first.error_message}"
            )
        else:
            outcome.status = "ok"
    try:
        with session_scope(url) as s:
            meta = {
                "kind": "live",
                "title_en": "Open Government Analytics (live refresh)",
                "title_fr": "Analytique du gouvernement ouvert (actualisation en direct)",
                "publisher": TBS,
                "url": ANALYTICS_URL,
                "licence": OGL,
                "cadence": "monthly",
            }
            if outcome.status == "ok":
                has_long = any(r.layout == "datasets_by_department_month_long" for r in bundle.resources)
                rows: list[dict[str, Any]] = []
                for res in bundle.resources:
                    if res.layout == "datasets_by_department_month" and has_long:
                        continue  # the long file carries the organisation slugs: use it alone
                    rows += analytics_usage_rows(
                        res.layout,
                        res.frame,
                        source_id=ANALYTICS_SOURCE_ID,
                        as_of=day,
                        resource_name=f"{res.name} {res.url}",
                    )
                upsert_datasets(s, (r.frame for r in bundle.resources))
                outcome.rows = replace_usage_source(s, ANALYTICS_SOURCE_ID, rows, meta)
                s.execute(
                    update(m.Source)
                    .where(m.Source.id == ANALYTICS_SOURCE_ID)
                    .values(
                        last_refresh_at=taken_at,
                        last_refresh_ok=True,
                        last_error="",
                        as_of=day,
                        rows_loaded=outcome.rows,
                        loaded_at=taken_at,
                    )
                )
            else:
                _ensure_source(s, ANALYTICS_SOURCE_ID, **meta)
                s.execute(
                    update(m.Source)
                    .where(m.Source.id == ANALYTICS_SOURCE_ID)
                    .values(
                        last_refresh_at=taken_at,
                        last_refresh_ok=False,
                        last_error=f"{outcome.error_code}: {outcome.error_message}",
                    )
                )
            s.add(
                RefreshAttempt(
                    run_id=run_id,
                    target="analytics",
                    portal_id=None,
                    ok=outcome.status == "ok",
                    error_code=_clip(outcome.error_code, 40),
                    error_message=outcome.error_message,
                    usage_rows=outcome.rows,
                    started_at=taken_at,
                    finished_at=utc_now(),
                    duration_s=outcome.duration_s,
                )
            )
    except SQLAlchemyError as exc:
        log.exception("could not store the analytics")
        outcome = AnalyticsOutcome(
            "failed", error_code="store_error", error_message=str(exc)[:300], duration_s=outcome.duration_s
        )
    return outcome


def upsert_datasets(session: Session, frames: Iterable[pd.DataFrame | None]) -> int:
    """Add datasets named in analytics tables (``dataset_id`` + titles) to ``datasets``; keep existing rows.

    Returns the number of datasets added.
    """
    titles: dict[str, dict[str, str]] = {}
    for frame in frames:
        if frame is None or "dataset_id" not in frame or "title_en" not in frame:
            continue
        for r in frame.to_dict("records"):
            ds = str(r["dataset_id"]).strip()[:64]
            if ds and ds not in titles:
                titles[ds] = {
                    "id": ds,
                    "title_en": r.get("title_en", ""),
                    "title_fr": r.get("title_fr", ""),
                    "organization_en": r.get("department_en", r.get("org_name", "")),
                    "organization_fr": r.get("department_fr", r.get("org_name", "")),
                }
    if not titles:
        return 0
    existing: set[str] = set()
    ids = list(titles)
    for i in range(0, len(ids), 500):
        existing |= set(session.scalars(select(m.Dataset.id).where(m.Dataset.id.in_(ids[i : i + 500]))))
    new = [v for k, v in titles.items() if k not in existing]
    if new:
        stmt = _dialect_insert(session, m.Dataset.__table__).on_conflict_do_nothing(index_elements=["id"])
        session.execute(stmt, new)
    return len(new)


# --------------------------------------------------------------------------- the run
#: A run still "running" after this long was killed or crashed (no run lasts longer: each portal has its
#: deadline, the run its own): it is marked "interrupted" when the next run opens or the runs are read.
STALE_RUN_AFTER = dt.timedelta(hours=1)
#: The whole time a run may fetch: portals not started by then are recorded as skipped for it.
RUN_DEADLINE_S = 15 * 60.0


def mark_interrupted_runs(url: str | None, now: dt.datetime | None = None) -> int:
    """Mark runs left "running" for longer than ``STALE_RUN_AFTER`` as "interrupted"; returns how many."""
    cutoff = (now or utc_now()) - STALE_RUN_AFTER
    with session_scope(url) as s:
        res = s.execute(
            update(RefreshRun)
            .where(RefreshRun.status == "running", RefreshRun.started_at < cutoff)
            .values(status="interrupted", note="interrupted: the run stopped before its end (killed or crashed)")
        )
        return int(res.rowcount or 0)


def _open_run(url: str | None, actor: str, requested: int) -> int:
    mark_interrupted_runs(url)
    with session_scope(url) as s:
        run = RefreshRun(actor=actor, status="running", portals_requested=requested, started_at=utc_now())
        s.add(run)
        s.flush()
        return run.id


def _fail_run(url: str | None, run_id: int, exc: BaseException) -> None:
    try:
        with session_scope(url) as s:
            s.execute(
                update(RefreshRun)
                .where(RefreshRun.id == run_id)
                .values(status="failed", finished_at=utc_now(), note=_clip(f"stopped: {type(exc).__name__}", 200))
            )
    except Exception:  # noqa: BLE001 - the store is gone too: the next run marks this one interrupted
        log.exception("could not close refresh run %s", run_id)


def _close_run(url: str | None, summary: RefreshSummary) -> None:
    note = {
        "requested": len(summary.portals),
        "ok": len(summary.succeeded),
        "failed": len(summary.failed),
        "skipped": len(summary.skipped),
        "analytics": summary.analytics.status if summary.analytics else "",
        "analytics_rows": summary.analytics.rows if summary.analytics else 0,
        "failed_ids": [p.portal_id for p in summary.failed][:50],
        "snapshot_date": summary.snapshot_date.isoformat(),
    }
    with session_scope(url) as s:
        s.execute(
            update(RefreshRun)
            .where(RefreshRun.id == summary.run_id)
            .values(
                finished_at=summary.finished_at,
                status=summary.status,
                portals_ok=note["ok"],
                portals_failed=note["failed"],
                portals_skipped=note["skipped"],
                analytics_status=note["analytics"],
                note=json.dumps(note),
            )
        )
        s.add(
            m.AuditLog(
                actor=summary.actor,
                action="refresh",
                entity="refresh_run",
                entity_id=str(summary.run_id),
                field="status",
                new_value=summary.status,
                note=json.dumps(note),
            )
        )


def refresh_portals(
    url: str | None = None,
    portal_ids: Sequence[str] | None = None,
    max_workers: int = DEFAULT_WORKERS,
    progress: ProgressCallback | None = None,
    client_config: ClientConfig | None = None,
    now: dt.datetime | None = None,
    *,
    actor: Actor | None = None,
    include_analytics: bool | None = None,
    catalog_types: Sequence[str] | None = DEFAULT_CATALOG_TYPES,
    run_deadline_s: float | None = RUN_DEADLINE_S,
) -> RefreshSummary:
    """Refresh the registry's portals (all, or ``portal_ids``) and store the results.

    Args:
        url: store URL (default: the configured one).
        portal_ids: only these portals, in this order (unknown ids raise :class:`UnknownPortals`
            before anything is written).
        max_workers: size of the fetch pool (writes happen one portal at a time in this thread).
        progress: ``progress(done, total, portal_id, ok)`` after each fetched portal.
        client_config: HTTP limits (tests use short timeouts).
        now: the run's time (tests); the snapshot day is its UTC date. Default: now.
        actor: who asks. ``None`` = the command line (recorded as ``cli``); any other actor must be an
            editor or admin (checked here, whatever the UI showed) - else :class:`AuthError`,
            and nothing is written.
        include_analytics: fetch the federal analytics too; default: when the run includes ``canada``.
        catalog_types: without ``portal_ids``, the registry's catalogue types refreshed (default: open-data
            portals; the registry's 435 geoportals and research repositories only when asked; ``None``: all).
        run_deadline_s: the whole time the run may fetch; portals not started by then fail with
            ``run_deadline`` (each portal also has its own deadline, ``ClientConfig.deadline_s``).

    Returns:
        A :class:`RefreshSummary` (``exit_code`` 0 / 2 / 3).
    """
    who = CLI_ACTOR if actor is None else require_role(actor, "editor")
    url = url or config.database_url()
    started = utc_now()
    now_utc = now.astimezone(dt.UTC) if now is not None and now.tzinfo else now
    day = (now_utc or started).date()
    get_engine(url)  # fail early (StoreError/OperationalError) before opening a run
    with session_scope(url) as s:
        everything = {p.id: p for p in s.scalars(select(m.Portal).order_by(m.Portal.id))}
        for p in everything.values():
            s.expunge(p)
    if portal_ids:
        wanted = list(dict.fromkeys(portal_ids))
        unknown = [p for p in wanted if p not in everything]
        if unknown:
            raise UnknownPortals(unknown)
        portals = [everything[p] for p in wanted]
    else:
        portals = [p for p in everything.values() if catalog_types is None or (p.catalog_type or "") in catalog_types]
    outcomes: dict[str, PortalOutcome] = {}
    specs: list[PortalSpec] = []
    for p in portals:
        reason = skip_reason(p)
        if reason:
            outcomes[p.id] = PortalOutcome(
                p.id,
                p.name_en,
                p.name_fr,
                "skipped",
                error_code=reason,
                error_message="platform unknown" if reason == "platform_unknown" else "no API address",
            )
        else:
            specs.append(spec_from_portal(p))
    fed = next((sp for sp in specs if sp.id == FED_PORTAL), None)
    if fed is None and include_analytics and FED_PORTAL in everything and skip_reason(everything[FED_PORTAL]) is None:
        fed = spec_from_portal(everything[FED_PORTAL])
    if include_analytics is None:
        include_analytics = fed is not None
    include_analytics = bool(include_analytics and fed is not None and fed.platform == "ckan")
    run_id = _open_run(url, who.username, len(portals))

    box: dict[str, Any] = {}
    thread: threading.Thread | None = None
    if include_analytics and fed is not None:
        thread = threading.Thread(target=_run_analytics, args=(fed, client_config, box), name="analytics", daemon=True)
        thread.start()

    def on_result(res: PortalResult) -> None:
        portal = everything[res.portal_id]
        taken_at = now_utc or res.finished_at
        try:
            with session_scope(url) as s:
                outcomes[res.portal_id] = _write_portal(s, run_id, portal, res, day, taken_at)
        except Exception as exc:  # noqa: BLE001 - one portal's write never ends the run (OverflowError…)
            log.exception("could not store the refresh of %s", res.portal_id)
            message = _clip(f"{type(exc).__name__}: {getattr(exc, 'orig', exc)}", 300)
            outcomes[res.portal_id] = PortalOutcome(
                portal.id,
                portal.name_en,
                portal.name_fr,
                "failed",
                duration_s=res.duration_s,
                error_code="store_error",
                error_message=message,
            )
            _record_failed_write(url, run_id, portal.id, res, message)

    try:
        refresh_all(
            specs,
            default_client_factory(client_config),
            max_workers=max_workers,
            progress=progress,
            on_result=on_result,
            run_deadline_s=run_deadline_s,
        )
        analytics: AnalyticsOutcome | None = None
        if thread is not None:
            thread.join()
            analytics = _store_analytics(url, run_id, box, day, now_utc or utc_now())
    except BaseException as exc:  # the run ends here: say so in its row, then let it propagate
        _fail_run(url, run_id, exc)
        raise
    summary = RefreshSummary(
        run_id=run_id,
        actor=who.username,
        started_at=started,
        finished_at=utc_now(),
        snapshot_date=day,
        portals=[outcomes[p.id] for p in portals],
        analytics=analytics,
    )
    _close_run(url, summary)
    return summary


# --------------------------------------------------------------------------- reading
def portal_status(url: str | None = None) -> pd.DataFrame:
    """One row per portal the refresh can reach or has reached.

    Columns: portal_id, name_en, name_fr, level, platform, last_attempt_at, last_ok, error_code,
    error_message, last_good_date, last_good_at, dataset_count (of the last good refresh snapshot).
    """
    engine = get_engine(url or config.database_url())
    snaps = m.PortalSnapshot
    with engine.connect() as conn:
        portals = pd.read_sql(
            select(
                m.Portal.id.label("portal_id"),
                m.Portal.name_en,
                m.Portal.name_fr,
                m.Portal.level,
                m.Portal.platform,
                m.Portal.api_base_url,
                m.Portal.homepage,
            ).order_by(m.Portal.id),
            conn,
        )
        last_attempt = (
            select(RefreshAttempt.portal_id, func.max(RefreshAttempt.id).label("aid"))
            .where(RefreshAttempt.target == "portal")
            .group_by(RefreshAttempt.portal_id)
            .subquery()
        )
        attempts = pd.read_sql(
            select(
                RefreshAttempt.portal_id,
                RefreshAttempt.finished_at.label("last_attempt_at"),
                RefreshAttempt.ok.label("last_ok"),
                RefreshAttempt.error_code,
                RefreshAttempt.error_message,
            ).join(last_attempt, last_attempt.c.aid == RefreshAttempt.id),
            conn,
        )
        last_good = (
            select(snaps.portal_id, func.max(snaps.snapshot_date).label("d"))
            .where(snaps.origin == ORIGIN, snaps.ok.is_(True))
            .group_by(snaps.portal_id)
            .subquery()
        )
        good = pd.read_sql(
            select(
                snaps.portal_id,
                snaps.snapshot_date.label("last_good_date"),
                snaps.taken_at.label("last_good_at"),
                snaps.dataset_count,
            )
            .join(last_good, (last_good.c.portal_id == snaps.portal_id) & (last_good.c.d == snaps.snapshot_date))
            .where(snaps.origin == ORIGIN),
            conn,
        )
    portals["refreshable"] = [_skip(r.platform, r.api_base_url, r.homepage) is None for r in portals.itertuples()]
    out = portals.merge(attempts, on="portal_id", how="left").merge(good, on="portal_id", how="left")
    out = out[out["refreshable"] | out["last_attempt_at"].notna()].reset_index(drop=True)
    for col in ("last_attempt_at", "last_good_at"):
        out[col] = pd.to_datetime(out[col], utc=True)
    out["last_good_date"] = pd.to_datetime(out["last_good_date"])
    return out.drop(columns=["api_base_url", "homepage"])


def recent_runs(url: str | None = None, limit: int = 10) -> pd.DataFrame:
    """The newest ``limit`` runs (id, started_at, finished_at, actor, status, counts); a run killed or
    crashed long ago reads "interrupted", not "running"."""
    mark_interrupted_runs(url or config.database_url())
    with get_engine(url or config.database_url()).connect() as conn:
        return pd.read_sql(select(*RefreshRun.__table__.columns).order_by(RefreshRun.id.desc()).limit(limit), conn)
