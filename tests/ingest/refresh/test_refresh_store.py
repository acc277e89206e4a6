"""refresh_portals against a real store (SQLite and PostgreSQL) and real loopback portals."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from opengov.auth import Actor, AuthError
from opengov.ingest.refresh import ANALYTICS_SOURCE_ID, UnknownPortals, portal_status, refresh_portals
from opengov.store import models as m
from opengov.store.db import session_scope
from opengov.store.models_refresh import RefreshAttempt, RefreshRun
from tests.helpers.http_servers import Reply, fixture_bytes
from tests.ingest.refresh.conftest import (
    CKAN_PREFIX,
    CONFIG,
    ODS_PREFIX,
    add_portal,
    ckan_facet_rows,
    ods_facet_rows,
    serve_ckan,
    serve_fault,
    serve_ods,
)

DAY1 = dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)
DAY2 = dt.datetime(2026, 11, 21, 14, 0, tzinfo=dt.UTC)
FAULTS = ("http_503", "html_instead_of_json", "timeout")


def _snapshots(url: str, pid: str) -> list[m.PortalSnapshot]:
    with session_scope(url) as s:
        return list(
            s.scalars(
                select(m.PortalSnapshot)
                .where(m.PortalSnapshot.portal_id == pid, m.PortalSnapshot.origin == "refresh")
                .order_by(m.PortalSnapshot.snapshot_date)
            )
        )


def _facets(url: str, snap_id: int) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(m.SnapshotFacet).where(m.SnapshotFacet.snapshot_id == snap_id))


def _count(url: str, model: type, *where) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def five(store, portals):
    """ckan-a and ods-b healthy; bad-503 / bad-html / bad-timeout healthy CKANs until told to fail."""
    servers = {}
    a = portals()
    state = serve_ckan(a, 1000)
    add_portal(store, "ckan-a", "ckan", a.base + CKAN_PREFIX)
    b = portals()
    serve_ods(b, 197)
    add_portal(store, "ods-b", "opendatasoft", b.base + ODS_PREFIX)
    servers["ckan-a"], servers["ods-b"] = a, b
    for fault in FAULTS:
        srv = portals()
        serve_ckan(srv, 50)
        pid = f"bad-{fault.split('_')[-1]}"
        add_portal(store, pid, "ckan", srv.base + CKAN_PREFIX)
        servers[pid] = srv
    return store, servers, state


IDS = ["ckan-a", "ods-b", "bad-503", "bad-json", "bad-timeout"]


def test_failures_keep_history_and_good_portals_get_facets(five):
    url, servers, _ = five
    first = refresh_portals(url, IDS, client_config=CONFIG, now=DAY1)
    assert first.exit_code == 0 and len(first.succeeded) == 5, [(p.portal_id, p.error_code) for p in first.portals]

    for fault, pid in zip(FAULTS, IDS[2:], strict=True):
        serve_fault(servers[pid], fault)
    seen: list[tuple[int, int, str, bool]] = []
    second = refresh_portals(url, IDS, client_config=CONFIG, now=DAY2, progress=lambda *a: seen.append(a))
    assert second.exit_code == 2 and second.status == "partial"
    assert sorted(x[2] for x in seen) == sorted(IDS) and seen[-1][:2] == (5, 5)
    by_id = {p.portal_id: p for p in second.portals}
    assert {pid: by_id[pid].error_code for pid in IDS[2:]} == dict(zip(IDS[2:], FAULTS, strict=True))
    assert by_id["ckan-a"].dataset_count == 1000 and by_id["ods-b"].dataset_count == 197

    # Good portals: one snapshot per day, each with its facets.
    for pid, rows in (("ckan-a", ckan_facet_rows()), ("ods-b", ods_facet_rows())):
        snaps = _snapshots(url, pid)
        assert [s.snapshot_date for s in snaps] == [DAY1.date(), DAY2.date()]
        assert all(s.ok for s in snaps)
        assert [_facets(url, s.id) for s in snaps] == [rows, rows]
    # Failing portals: the failure is recorded for day 2, day 1's good snapshot is intact.
    for pid, fault in zip(IDS[2:], FAULTS, strict=True):
        day1, day2 = _snapshots(url, pid)
        assert day1.ok and day1.dataset_count == 50 and _facets(url, day1.id) == ckan_facet_rows()
        assert not day2.ok and day2.error_code == fault and day2.error_message and day2.dataset_count is None
        assert day2.taken_at is not None and _facets(url, day2.id) == 0
        assert by_id[pid].last_good_date == DAY1.date() and not by_id[pid].kept_previous
    # Sources rows for the Data & sources page.
    with session_scope(url) as s:
        src = {x.id: x for x in s.scalars(select(m.Source).where(m.Source.kind == "live"))}
    assert src["live:ckan-a"].last_refresh_ok is True and src["live:ckan-a"].cadence == "daily"
    assert src["live:ckan-a"].as_of == DAY2.date()
    assert src["live:bad-503"].last_refresh_ok is False and src["live:bad-503"].last_error.startswith("http_503")
    assert src["live:bad-503"].as_of == DAY1.date()
    # CKAN page-view tracking went to usage_stats.
    assert _count(url, m.UsageStat, m.UsageStat.source_id == "live:ckan-a") == 8  # 2 datasets x 2 metrics x 2 days
    # One audit row and one closed run per run; one attempt per portal per run.
    with session_scope(url) as s:
        audits = list(s.scalars(select(m.AuditLog).where(m.AuditLog.action == "refresh").order_by(m.AuditLog.id)))
        runs = list(s.scalars(select(RefreshRun).order_by(RefreshRun.id)))
    assert [a.actor for a in audits] == ["cli", "cli"]
    assert json.loads(audits[1].note)["failed_ids"] == ["bad-503", "bad-json", "bad-timeout"]
    assert [r.status for r in runs] == ["ok", "partial"] and all(r.finished_at for r in runs)
    assert _count(url, RefreshAttempt) == 10

    status = portal_status(url).set_index("portal_id")
    assert bool(status.loc["bad-503", "last_ok"]) is False and status.loc["bad-503", "error_code"] == "http_503"
    assert status.loc["bad-503", "dataset_count"] == 50  # last good count is still shown
    assert status.loc["ckan-a", "dataset_count"] == 1000


def test_same_day_rerun_updates_in_place_and_never_downgrades_a_good_snapshot(five):
    url, servers, state = five
    ids = ["ckan-a", "bad-503"]
    refresh_portals(url, ids, client_config=CONFIG, now=DAY1)
    state["count"] = 1234
    again = refresh_portals(url, ids, client_config=CONFIG, now=DAY1.replace(hour=18))
    assert again.exit_code == 0
    snaps = _snapshots(url, "ckan-a")
    assert len(snaps) == 1 and snaps[0].dataset_count == 1234  # updated, no duplicate
    assert _facets(url, snaps[0].id) == ckan_facet_rows()  # replaced, not doubled
    assert _count(url, m.UsageStat, m.UsageStat.source_id == "live:ckan-a") == 4

    # A failure later the same day must not overwrite today's good snapshot.
    serve_fault(servers["bad-503"], "http_503")
    third = refresh_portals(url, ["bad-503"], client_config=CONFIG, now=DAY1.replace(hour=20))
    assert third.exit_code == 3 and third.failed[0].kept_previous
    (snap,) = _snapshots(url, "bad-503")
    assert snap.ok and snap.dataset_count == 50 and _facets(url, snap.id) == ckan_facet_rows()
    with session_scope(url) as s:
        last = s.scalars(
            select(RefreshAttempt).where(RefreshAttempt.portal_id == "bad-503").order_by(RefreshAttempt.id.desc())
        ).first()
        assert not last.ok and last.error_code == "http_503" and last.kept_previous
        assert s.get(m.Source, "live:bad-503").last_refresh_ok is False
    # ... and two failures on a day without a good snapshot update one failure row.
    refresh_portals(url, ["bad-503"], client_config=CONFIG, now=DAY2)
    refresh_portals(url, ["bad-503"], client_config=CONFIG, now=DAY2.replace(hour=20))
    snaps = _snapshots(url, "bad-503")
    assert [(s.snapshot_date, s.ok) for s in snaps] == [(DAY1.date(), True), (DAY2.date(), False)]


def test_skipped_portals_are_not_failures_and_unknown_ids_write_nothing(store, portals):
    srv = portals()
    serve_ods(srv)
    add_portal(store, "good", "opendatasoft", srv.base + ODS_PREFIX)
    add_portal(store, "custom-one", "custom", "", "https://example.invalid/")
    add_portal(store, "ckan-no-api", "ckan", "", "not a web address")
    summary = refresh_portals(store, ["good", "custom-one", "ckan-no-api"], client_config=CONFIG, now=DAY1)
    assert summary.exit_code == 0
    assert [(p.portal_id, p.status, p.error_code) for p in summary.portals] == [
        ("good", "ok", ""),
        ("custom-one", "skipped", "platform_unknown"),
        ("ckan-no-api", "skipped", "no_api"),
    ]
    assert _snapshots(store, "custom-one") == []

    runs = _count(store, RefreshRun)
    with pytest.raises(UnknownPortals, match="nope"):
        refresh_portals(store, ["good", "nope"], client_config=CONFIG)
    assert _count(store, RefreshRun) == runs


def test_role_is_checked_server_side(store, portals):
    srv = portals()
    serve_ods(srv)
    add_portal(store, "good", "opendatasoft", srv.base + ODS_PREFIX)
    for actor in (Actor("reader", "viewer"),):
        with pytest.raises(AuthError) as err:
            refresh_portals(store, ["good"], client_config=CONFIG, actor=actor)
        assert err.value.code == "forbidden"
    assert _count(store, RefreshRun) == 0 and _snapshots(store, "good") == [] and srv.hits == []
    assert _count(store, m.AuditLog, m.AuditLog.action == "refresh") == 0
    summary = refresh_portals(store, ["good"], client_config=CONFIG, actor=Actor("ed", "editor"), now=DAY1)
    assert summary.exit_code == 0 and summary.actor == "ed"
    with session_scope(store) as s:
        assert s.scalar(select(m.AuditLog.actor).where(m.AuditLog.action == "refresh")) == "ed"


ANALYTICS_FILES = {
    "opendataportal.siteanalytics.totalmonthlyusage.bilingual.csv": "analytics_monthly_usage_old.csv",
    "opendataportal.siteanalytics.provincialusagebreakdown.bilingual.csv": "analytics_provincial_new.csv",
    "opendataportal.siteanalytics.internationalusagebreakdown.bilingual.csv": "analytics_international_new.csv",
    "opendataportal.siteanalytics.top100datasets.bilingual.csv": "analytics_top100_new.csv",
    "opendataportal.siteanalytics.datasetsbyorg.bilingual.csv": "analytics_datasetsbyorg_new.csv",
}


def _serve_analytics(srv) -> None:
    resources = [
        {"id": f"r{i}", "name": name, "format": "CSV", "url": f"{srv.base}/analytics/{name}"}
        for i, name in enumerate(ANALYTICS_FILES)
    ]
    srv.add("/data/api/3/action/package_show", Reply(body={"success": True, "result": {"resources": resources}}))
    for name, fixture in ANALYTICS_FILES.items():
        srv.add(f"/analytics/{name}", Reply(body=fixture_bytes(fixture), content_type="text/csv"))


def test_federal_analytics_replace_only_on_full_success(store, portals):
    srv = portals()
    serve_ckan(srv, 47792)
    srv.routes["/data/api/3/action/package_search"] = srv.routes.pop(CKAN_PREFIX + "/package_search")
    srv.routes["/data/api/3/action/organization_list"] = srv.routes.pop(CKAN_PREFIX + "/organization_list")
    _serve_analytics(srv)
    add_portal(
        store,
        "canada",
        "ckan",
        srv.base + "/data/api/3/action",
        srv.base + "/data/en/dataset",
        level="federal",
        pt_code="",
    )
    first = refresh_portals(store, ["canada"], client_config=CONFIG, now=DAY1)
    assert first.exit_code == 0 and first.analytics is not None and first.analytics.status == "ok"
    src = ANALYTICS_SOURCE_ID
    rows = _count(store, m.UsageStat, m.UsageStat.source_id == src)
    assert rows == first.analytics.rows > 0
    with session_scope(store) as s:
        june = s.scalar(
            select(m.UsageStat.value).where(
                m.UsageStat.source_id == src,
                m.UsageStat.metric == "visits",
                m.UsageStat.grain == "month",
                m.UsageStat.period_start == dt.date(2023, 6, 1),
            )
        )
        assert june == 246595
        top = s.scalar(
            select(m.UsageStat.dimension_key).where(
                m.UsageStat.source_id == src, m.UsageStat.metric == "downloads", m.UsageStat.rank == 1
            )
        )
        assert top == "90fed587-1364-4f33-a9ee-208181dc0b97"
        assert (
            s.scalar(
                select(func.count())
                .select_from(m.UsageStat)
                .where(
                    m.UsageStat.source_id == src, m.UsageStat.dimension == "region", m.UsageStat.dimension_key == "QC"
                )
            )
            == 1
        )
        assert s.get(m.Source, src).last_refresh_ok is True

    # One CSV now comes back as HTML: the whole analytics refresh is refused, old rows stay.
    srv.add(
        "/analytics/opendataportal.siteanalytics.top100datasets.bilingual.csv",
        Reply(body="<html>oops</html>", content_type="text/html"),
    )
    second = refresh_portals(store, ["canada"], client_config=CONFIG, now=DAY2)
    assert second.analytics.status == "failed" and second.exit_code == 2  # the portal itself was fine
    assert _count(store, m.UsageStat, m.UsageStat.source_id == src) == rows
    with session_scope(store) as s:
        source = s.get(m.Source, src)
        assert source.last_refresh_ok is False and "1 of 5" in source.last_error
        assert source.as_of == DAY1.date()
