"""Refresh from the registry: endpoints derived by each platform's convention (loopback servers), a
portal's absurd answers recorded as its error, and one usage value per figure when a refresh returns
months the shipped data holds."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from opengov.features.usage import queries as uq
from opengov.ingest.refresh import refresh_portals
from opengov.sources.endpoints import api_base
from opengov.store import models as m
from opengov.store.db import session_scope
from opengov.store.models_refresh import RefreshAttempt
from tests.helpers.http_servers import Reply
from tests.ingest.refresh.conftest import CONFIG, add_portal, serve_ckan, serve_ods
from tests.ingest.refresh.test_refresh_store import _serve_analytics

DAY1 = dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)
DAY2 = dt.datetime(2026, 11, 21, 14, 0, tzinfo=dt.UTC)


def _serve(platform: str, srv) -> str:
    """Serve `platform` at its conventional address on `srv`; returns the path the refresh must call."""
    if platform == "ckan":
        serve_ckan(srv, 321)
        return "/api/3/action/package_search"
    if platform == "opendatasoft":
        serve_ods(srv, 321)
        return "/api/explore/v2.1/catalog/datasets"
    if platform == "socrata":
        srv.add("/api/catalog/v1", Reply(body={"resultSetSize": 321, "results": []}))
        return "/api/catalog/v1"
    srv.add("/api/search/v1/collections/dataset/items", Reply(body={"numberMatched": 321, "features": []}))
    return "/api/search/v1/collections/dataset/items"


@pytest.mark.parametrize("platform", ["ckan", "opendatasoft", "socrata", "arcgis_hub"])
def test_endpoint_derived_from_the_home_page_by_the_platform_convention(store, portals, platform):
    srv = portals()
    path = _serve(platform, srv)
    add_portal(store, "home-only", platform, "", srv.base + "/fr/accueil")
    summary = refresh_portals(store, ["home-only"], client_config=CONFIG, now=DAY1)
    (out,) = summary.portals
    assert out.status == "ok" and out.dataset_count == 321, (out.error_code, out.error_message)
    assert srv.count(path) >= 1
    if platform == "socrata":
        assert srv.queries(path)[0]["domains"] == ["127.0.0.1"]


def test_registry_endpoints_give_the_api_of_each_platform():
    assert api_base("ckan", "https://x.ca", "https://x.ca/data/api/3/action/package_search") == (
        "https://x.ca/data/api/3/action",
        "endpoint",
    )
    assert api_base("ckan", "https://x.ca", "http://x.ca/api/3")[0] == "http://x.ca/api/3/action"
    assert api_base("opendatasoft", "https://y.ca", "https://y.ca/api/v2/catalog")[0] == "https://y.ca/api/explore/v2.1"
    hub = "ogcrecordsapi=https://z.ca/api/search/v1 | rss=https://z.ca/api/feed/rss/2.0"
    assert api_base("arcgis_hub", "https://z.ca/", "https://z.ca/api/feed/dcat-us/1.1.json", hub) == (
        "https://z.ca/api/search/v1",
        "endpoint",
    )
    assert api_base("dkan", "https://w.ca") == ("", "")  # no convention known: no address, no guessing


@pytest.mark.parametrize(
    "count, code",
    [
        (-5, "implausible_count"),
        (10**30, "implausible_count"),
        ("12", "implausible_count"),
        (True, "implausible_count"),
    ],
)
def test_absurd_counts_are_the_portals_error_and_keep_the_last_good_snapshot(store, portals, count, code):
    srv = portals()
    state = serve_ckan(srv, 1234)
    add_portal(store, "odd", "ckan", srv.base + "/api/3/action")
    assert refresh_portals(store, ["odd"], client_config=CONFIG, now=DAY1).exit_code == 0
    state["count"] = count
    summary = refresh_portals(store, ["odd"], client_config=CONFIG, now=DAY2)
    (out,) = summary.portals
    assert out.status == "failed" and out.error_code in (code, "bad_shape"), out.error_code
    with session_scope(store) as s:
        good = s.scalars(select(m.PortalSnapshot).where(m.PortalSnapshot.portal_id == "odd", m.PortalSnapshot.ok)).all()
        assert [g.dataset_count for g in good] == [1234]
        attempt = s.scalars(select(RefreshAttempt).order_by(RefreshAttempt.id.desc())).first()
        assert attempt.portal_id == "odd" and not attempt.ok


def test_a_fall_of_more_than_half_is_suspicious_not_the_new_count(store, portals):
    srv = portals()
    state = serve_ckan(srv, 1234)
    add_portal(store, "fall", "ckan", srv.base + "/api/3/action")
    refresh_portals(store, ["fall"], client_config=CONFIG, now=DAY1)
    state["count"] = 0
    (out,) = refresh_portals(store, ["fall"], client_config=CONFIG, now=DAY2).portals
    assert out.error_code == "suspicious_drop" and "1234" in out.error_message
    with session_scope(store) as s:
        snaps = s.scalars(
            select(m.PortalSnapshot)
            .where(m.PortalSnapshot.portal_id == "fall")
            .order_by(m.PortalSnapshot.snapshot_date)
        ).all()
        assert [(x.ok, x.dataset_count, x.error_code) for x in snaps] == [
            (True, 1234, ""),
            (False, None, "suspicious_drop"),
        ]


def test_a_refresh_returning_shipped_months_gives_one_value_per_figure(store, portals):
    """The live analytics hold June 2023 visits, which a shipped file holds too: one of them is current,
    the other is kept apart with its source, and the monthly series does not sum them."""
    shipped_june = uq.monthly("visits", url=store)
    shipped_june = shipped_june.loc[shipped_june["month_start"] == "2023-06-01", "value_count"]
    assert len(shipped_june) == 1
    srv = portals()
    serve_ckan(srv, 47792)
    srv.routes["/data/api/3/action/package_search"] = srv.routes.pop("/api/3/action/package_search")
    srv.routes["/data/api/3/action/organization_list"] = srv.routes.pop("/api/3/action/organization_list")
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
    assert refresh_portals(store, ["canada"], client_config=CONFIG, now=DAY1).analytics.status == "ok"
    monthly = uq.monthly("visits", url=store)
    june = monthly.loc[monthly["month_start"] == "2023-06-01"]
    assert june["value_count"].tolist() == [246595]  # the live value, once: not shipped + live
    with session_scope(store) as s:
        rows = s.execute(
            select(m.UsageStat.source_id, m.UsageStat.is_current, m.UsageStat.value).where(
                m.UsageStat.portal_id == "canada",
                m.UsageStat.metric == "visits",
                m.UsageStat.grain == "month",
                m.UsageStat.dimension == "total",
                m.UsageStat.period_start == dt.date(2023, 6, 1),
            )
        ).all()
    assert len(rows) == 2 and sum(1 for r in rows if r.is_current) == 1
    assert {r.source_id for r in rows if not r.is_current} == {"ogp_monthly_usage_2022_2023"}
    # months the live file does not hold still come from the shipped file
    assert len(monthly) >= 12


def test_a_killed_run_reads_interrupted_not_running_for_ever(store):
    from opengov.ingest.refresh import mark_interrupted_runs, recent_runs
    from opengov.store.models_refresh import RefreshRun

    with session_scope(store) as s:
        s.add(RefreshRun(actor="cli", status="running", started_at=DAY1 - dt.timedelta(hours=3)))
        s.add(RefreshRun(actor="cli", status="running", started_at=dt.datetime.now(dt.UTC)))  # a live one
    runs = recent_runs(store)
    assert sorted(runs["status"]) == ["interrupted", "running"]
    assert mark_interrupted_runs(store) == 0  # idempotent


def test_the_run_deadline_stops_portals_not_yet_started(portals):
    from opengov.sources.registry import PortalSpec
    from opengov.sources.runner import default_client_factory, refresh_all

    server = portals()
    server.add("/ok/collections/dataset/items", Reply(body={"numberMatched": 3, "features": []}))
    specs = [
        PortalSpec(f"p{i}", "P", "P", "municipal", "ON", "arcgis_hub", server.base + "/ok", server.base + "/")
        for i in range(3)
    ]
    results = refresh_all(specs, default_client_factory(CONFIG), max_workers=1, run_deadline_s=0.0)
    assert [r.error_code for r in results] == ["run_deadline"] * 3 and server.count(
        "/ok/collections/dataset/items"
    ) == 0


def test_a_portals_escape_codes_never_reach_the_terminal_or_the_store(store, portals, capsys):
    srv = portals()
    srv.add(
        "/api/3/action/package_search",
        Reply(status=500, body={"success": False, "error": {"message": "boom\x1b[2J\x1b]0;pwned\x07 \x1b[31mred\x9b"}}),
    )
    add_portal(store, "esc", "ckan", srv.base + "/api/3/action")
    (out,) = refresh_portals(store, ["esc"], client_config=CONFIG, now=DAY1).portals
    assert out.status == "failed" and "boom" in out.error_message
    assert not any(ch in out.error_message for ch in "\x1b\x07\x9b")
    with session_scope(store) as s:
        stored = s.scalars(select(RefreshAttempt.error_message).where(RefreshAttempt.portal_id == "esc")).one()
    assert not any(ch in stored for ch in "\x1b\x07\x9b")


def test_a_bad_optional_tracking_summary_never_fails_the_portal(store, portals):
    srv = portals()
    state = serve_ckan(srv, 500)
    original = srv.routes["/api/3/action/package_search"]

    def search(path, query):
        if query.get("rows") == ["0"]:
            return original(path, query)
        return Reply(
            body={
                "success": True,
                "result": {
                    "count": state["count"],
                    "results": [
                        {"id": "d1", "name": "one", "title": "One", "tracking_summary": {"total": "lots", "recent": 1}},
                        {"id": "d2", "name": "two", "title": "Two", "tracking_summary": {"total": 10**30}},
                        {"id": "d3", "name": "three", "title": "Three", "tracking_summary": {"total": 7, "recent": 2}},
                    ],
                },
            }
        )

    srv.add_handler("/api/3/action/package_search", search)
    add_portal(store, "track", "ckan", srv.base + "/api/3/action")
    (out,) = refresh_portals(store, ["track"], client_config=CONFIG, now=DAY1).portals
    assert out.status == "ok" and out.dataset_count == 500
    with session_scope(store) as s:
        keys = set(s.scalars(select(m.UsageStat.dimension_key).where(m.UsageStat.source_id == "live:track")))
    assert keys == {"d3"}  # the packages with bad values are skipped, the portal is not failed


def test_a_count_below_its_own_organisation_facets_is_implausible(store, portals):
    srv = portals()
    body = {
        "success": True,
        "result": {
            "count": 2,
            "results": [],
            "search_facets": {
                "organization": {"items": [{"name": "a", "count": 9000}, {"name": "b\x00\x1b[1m", "count": 999}]},
                "res_format": {"items": []},
                "jurisdiction": {"items": []},
            },
        },
    }
    srv.add("/api/3/action/package_search", Reply(body=body))
    srv.add("/api/3/action/organization_list", Reply(body={"success": True, "result": ["a", "b"]}))
    add_portal(store, "incoherent", "ckan", srv.base + "/api/3/action")
    (out,) = refresh_portals(store, ["incoherent"], client_config=CONFIG, now=DAY1).portals
    assert out.status == "failed" and out.error_code == "implausible_count"
    assert "9999" in out.error_message and "2" in out.error_message
