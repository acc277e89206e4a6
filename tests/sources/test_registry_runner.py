"""Registry build and the concurrent runner."""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path

from opengov.sources.build_registry import build_rows
from opengov.sources.http import HttpClient
from opengov.sources.registry import PortalSpec, load_registry
from opengov.sources.runner import default_client_factory, refresh_all
from tests.sources.conftest import FAST, Reply

SRC = Path(__file__).resolve().parents[2] / "data" / "research" / "canada_open_data_catalogs_list_2020.csv"
PORTALS = Path(__file__).resolve().parents[2] / "data" / "portals.csv"
#: Rows of portals.csv that are not from the 2020 list (added by hand, see data/PROVENANCE.md)
ADDED_BY_HAND = {"yt"}


def test_build_registry_rules():
    rows = {r["id"]: r for r in build_rows(SRC)}
    assert len(rows) == 123
    assert rows["canada"]["level"] == "federal" and rows["canada"]["pt_code"] == ""
    assert rows["canada"]["api_base_url"] == "https://open.canada.ca/data/api/3/action"
    assert rows["bc"]["name_fr"] == "Colombie-Britannique" and rows["bc"]["level"] == "provincial"
    assert rows["nl"]["name_fr"] == "Terre-Neuve-et-Labrador"
    assert rows["toronto-on"]["pt_code"] == "ON" and rows["toronto-on"]["level"] == "municipal"
    assert rows["halifax-ns"]["geo_type"] == "Regional municipality" and rows["halifax-ns"]["level"] == "municipal"
    assert rows["whitehorse-yt"]["pt_code"] == "YT" and rows["yellowknife-nt"]["pt_code"] == "NT"
    # blank Software stays unknown even for *.opendata.arcgis.com
    assert rows["markham-on"]["platform"] == "" and rows["markham-on"]["api_base_url"] == ""
    assert rows["calgary-ab"]["platform"] == "socrata"
    assert rows["fort-erie-on"]["ckan_organization"] == "town-of-fort-erie"
    # Quebec's WordPress front page is not a CKAN route: no guessed API
    assert rows["qc"]["platform"] == "ckan" and rows["qc"]["api_base_url"] == ""
    assert rows["greater-sudbury-on"]["name_fr"] == "Grand Sudbury (Ont.)"
    assert sum(1 for r in rows.values() if r["platform"] == "") == 75


def test_committed_registry_matches_builder_and_loads():
    with PORTALS.open(encoding="utf-8", newline="") as fh:
        committed = list(csv.DictReader(fh))
    assert [r for r in committed if r["id"] not in ADDED_BY_HAND] == build_rows(SRC)
    assert {r["id"] for r in committed} >= ADDED_BY_HAND
    specs = load_registry(PORTALS)
    canada = next(s for s in specs if s.id == "canada")
    assert canada.effective_allowed_hosts() == ("open.canada.ca",)


def _spec(i: int, server, path: str) -> PortalSpec:
    return PortalSpec(
        f"p{i}",
        f"P{i}",
        f"P{i}",
        "municipal",
        "ON",
        "arcgis_hub",
        server.base + path,
        server.base + "/",
        (server.host,),
    )


def test_one_failing_portal_never_stops_others(server):
    server.add("/ok/collections/dataset/items", Reply(body={"numberMatched": 5, "features": []}))
    server.add("/bad/collections/dataset/items", Reply(body="<html>gone</html>", content_type="text/html"))
    server.add("/slow/collections/dataset/items", Reply(body={"numberMatched": 1}, delay=2.0))
    specs = [
        _spec(0, server, "/ok"),
        _spec(1, server, "/bad"),
        _spec(2, server, "/slow"),
        _spec(3, server, "/ok"),
        PortalSpec("x", "X", "X", "municipal", "ON", "custom", "", "https://example.ca/"),
    ]
    seen: list[tuple[int, int, str, bool]] = []
    cfg = FAST.__class__(**{**FAST.__dict__, "read_timeout": 0.3, "total_retries": 0})
    results = refresh_all(specs, default_client_factory(cfg), max_workers=4, progress=lambda *a: seen.append(a))
    assert [r.portal_id for r in results] == ["p0", "p1", "p2", "p3", "x"]
    by = {r.portal_id: r for r in results}
    assert by["p0"].ok and by["p0"].snapshot.dataset_count == 5 and by["p3"].ok
    assert by["p1"].error_code == "html_instead_of_json"
    assert by["p2"].error_code == "timeout"
    assert by["x"].error_code == "unsupported_platform"
    assert all(r.finished_at >= r.started_at and r.duration_s >= 0 for r in results)
    assert [s[0] for s in seen] == [1, 2, 3, 4, 5] and all(s[1] == 5 for s in seen)


def test_adapter_crash_becomes_internal_error(server):
    def boom(spec, client):
        raise ZeroDivisionError

    results = refresh_all([_spec(0, server, "/x")], default_client_factory(FAST), adapter_resolver=lambda p: boom)
    assert results[0].error_code == "internal_error" and not results[0].ok


def test_concurrency_is_bounded(server):
    server.add("/c/collections/dataset/items", Reply(body={"numberMatched": 1}, delay=0.2))
    specs = [_spec(i, server, "/c") for i in range(10)]
    t0 = time.monotonic()
    results = refresh_all(specs, default_client_factory(FAST), max_workers=3)
    assert all(r.ok for r in results)
    assert 2 <= server.max_in_flight <= 3
    assert time.monotonic() - t0 >= 0.2 * 4 - 0.05  # ceil(10/3) waves


def test_client_factory_called_per_portal_and_clients_closed(server):
    server.add("/ok/collections/dataset/items", Reply(body={"numberMatched": 2}))
    made: list[HttpClient] = []
    lock = threading.Lock()

    def factory(spec):
        c = HttpClient(FAST, allowed_hosts=spec.effective_allowed_hosts())
        with lock:
            made.append(c)
        return c

    refresh_all([_spec(i, server, "/ok") for i in range(4)], factory, max_workers=2)
    assert len(made) == 4
