"""Platform adapters against loopback servers serving real(-shaped) bodies."""

from __future__ import annotations

import json

import pytest

from opengov.sources import arcgis_hub, ckan, opendatasoft, socrata
from opengov.sources.http import ApiError, BadShape, HtmlInsteadOfJson
from opengov.sources.registry import PortalSpec
from tests.sources.conftest import Reply, fixture_bytes, fixture_json


def _spec(server, platform: str, api_path: str, **kw) -> PortalSpec:
    return PortalSpec(
        id=f"test-{platform}",
        name_en="Test",
        name_fr="Test",
        level="municipal",
        pt_code="BC",
        platform=platform,
        api_base_url=server.base + api_path,
        homepage=kw.pop("homepage", server.base + "/"),
        allowed_hosts=(server.host,),
        **kw,
    )


def _client(make_client, spec):
    return make_client(list(spec.effective_allowed_hosts()))


# ---------------------------------------------------------------- CKAN
def test_ckan_happy_path_open_canada_shape(server, make_client):
    server.add(
        "/data/api/3/action/package_search",
        Reply(body=fixture_bytes("ckan_open_canada_package_search_facets.json")),
        Reply(
            body={
                "success": True,
                "result": {
                    "count": 47792,
                    "results": [
                        {"id": "d1", "name": "tfwp", "title": "TFWP", "tracking_summary": {"total": 900, "recent": 40}},
                        {"id": "d2", "name": "pr", "title": "PR", "tracking_summary": {"total": 500, "recent": 12}},
                    ],
                },
            }
        ),
    )
    server.add(
        "/data/api/3/action/organization_list", Reply(body=fixture_bytes("ckan_open_canada_organization_list.json"))
    )
    spec = _spec(server, "ckan", "/data/api/3/action")
    snap = ckan.fetch(spec, _client(make_client, spec))
    assert snap.dataset_count == 47792
    assert snap.organization_count == 113
    assert snap.facets["jurisdiction"] == {"federal": 35847, "provincial": 11660, "municipal": 285}
    assert snap.facets["organization"]["aafc-aac"] == 342
    assert sum(snap.facets["organization"].values()) == 37927
    assert snap.usage is not None and list(snap.usage["views_total"]) == [900, 500]
    assert snap.fetched_at.tzinfo is not None
    q = server.queries("/data/api/3/action/package_search")[0]
    assert json.loads(q["facet.field"][0]) == ["organization", "res_format", "jurisdiction"]
    assert q["facet.limit"] == ["-1"] and q["rows"] == ["0"]


def test_ckan_without_jurisdiction_and_without_tracking(server, make_client):
    body = fixture_json("ckan_open_canada_package_search_facets.json")
    del body["result"]["search_facets"]["jurisdiction"]
    del body["result"]["facets"]["jurisdiction"]
    body["result"]["count"] = 3121
    server.add(
        "/api/3/action/package_search",
        Reply(body=body),
        Reply(body={"success": True, "result": {"count": 3121, "results": [{"id": "x", "name": "x"}]}}),
    )
    server.add("/api/3/action/organization_list", Reply(body={"success": True, "result": ["a", "b"]}))
    spec = _spec(server, "ckan", "/api/3/action")
    snap = ckan.fetch(spec, _client(make_client, spec))
    assert snap.dataset_count == 3121
    assert snap.facets["jurisdiction"] == {}
    assert snap.organization_count == 2
    assert snap.usage is None


def test_ckan_tracking_failure_does_not_fail_portal(server, make_client):
    server.add(
        "/api/3/action/package_search",
        Reply(body=fixture_bytes("ckan_open_canada_package_search_facets.json")),
        Reply(body="<html>oops</html>", content_type="text/html"),
    )
    server.add("/api/3/action/organization_list", Reply(body={"success": True, "result": []}))
    spec = _spec(server, "ckan", "/api/3/action")
    snap = ckan.fetch(spec, _client(make_client, spec))
    assert snap.usage is None and snap.raw_meta["tracking_error"] == "html_instead_of_json"


def test_ckan_organization_filter_for_shared_portal(server, make_client):
    server.add(
        "/api/3/action/package_search", Reply(body={"success": True, "result": {"count": 7, "search_facets": {}}})
    )
    spec = _spec(server, "ckan", "/api/3/action", ckan_organization="town-of-lincoln")
    snap = ckan.fetch(spec, _client(make_client, spec), include_tracking=False)
    assert snap.dataset_count == 7 and snap.organization_count is None
    assert server.queries("/api/3/action/package_search")[0]["fq"] == ["organization:town-of-lincoln"]
    assert server.count("/api/3/action/organization_list") == 0


def test_ckan_success_false(server, make_client):
    server.add(
        "/api/3/action/package_search",
        Reply(
            body={
                "help": "x",
                "success": False,
                "error": {"__type": "Search Query Error", "message": "Invalid search query"},
            }
        ),
    )
    spec = _spec(server, "ckan", "/api/3/action")
    with pytest.raises(ApiError) as ei:
        ckan.fetch(spec, _client(make_client, spec))
    assert ei.value.code == "api_error" and "Invalid search query" in ei.value.message


def test_ckan_bad_shape(server, make_client):
    server.add("/api/3/action/package_search", Reply(body={"success": True, "result": {"count": "many"}}))
    spec = _spec(server, "ckan", "/api/3/action")
    with pytest.raises(BadShape):
        ckan.fetch(spec, _client(make_client, spec))


# ---------------------------------------------------------------- OpenDataSoft
def test_ods_vancouver_real_responses(server, make_client):
    server.add(
        "/api/explore/v2.1/catalog/datasets",
        Reply(body=fixture_bytes("ods_vancouver_catalog_datasets_limit0_derived.json")),
    )
    server.add(
        "/api/explore/v2.1/catalog/facets",
        Reply(body=fixture_bytes("ods_vancouver_catalog_facets_v2.1_2026-08-17.json")),
    )
    spec = _spec(server, "opendatasoft", "/api/explore/v2.1")
    snap = opendatasoft.fetch(spec, _client(make_client, spec))
    assert snap.dataset_count == 197
    assert snap.facets["theme"]["Streets and transportation"] == 49
    assert snap.facets["theme"]["Government and finance"] == 44
    assert len(snap.facets["theme"]) == 12
    assert "keyword" in snap.facets
    assert server.queries("/api/explore/v2.1/catalog/datasets")[0]["limit"] == ["0"]


def test_ods_real_error_envelope(server, make_client):
    server.add(
        "/api/explore/v2.1/catalog/datasets",
        Reply(404, fixture_bytes("ods_vancouver_error_not_found_example_v2.1_2026-08-17.json")),
    )
    spec = _spec(server, "opendatasoft", "/api/explore/v2.1")
    with pytest.raises(Exception) as ei:
        opendatasoft.fetch(spec, _client(make_client, spec))
    assert ei.value.code == "http_404" and "does not exist" in ei.value.message


# ---------------------------------------------------------------- Socrata
def test_socrata_discovery(server, make_client):
    # Shape per the public Discovery API docs (no recorded response exists); count illustrative.
    server.add("/api/catalog/v1", Reply(body={"results": [], "resultSetSize": 412, "timings": {"serviceMillis": 12}}))
    spec = _spec(server, "socrata", "/api/catalog/v1", homepage="https://data.novascotia.ca/")
    spec = PortalSpec(**{**spec.__dict__, "allowed_hosts": (server.host,)})
    snap = socrata.fetch(spec, _client(make_client, spec))
    assert snap.dataset_count == 412
    q = server.queries("/api/catalog/v1")[0]
    assert q["domains"] == ["data.novascotia.ca"] and q["limit"] == ["0"]


def test_socrata_html_instead_of_json(server, make_client):
    server.add("/api/catalog/v1", Reply(body="<!doctype html><title>Socrata</title>", content_type="text/html"))
    spec = _spec(server, "socrata", "/api/catalog/v1", homepage="https://data.winnipeg.ca/")
    with pytest.raises(HtmlInsteadOfJson):
        socrata.fetch(spec, _client(make_client, spec))


# ---------------------------------------------------------------- ArcGIS Hub
def test_arcgis_hub_search(server, make_client):
    # Shape per hub.js IOgcItemsResponse (no recorded response exists); count illustrative.
    server.add(
        "/api/search/v1/collections/dataset/items",
        Reply(
            body={
                "type": "FeatureCollection",
                "features": [],
                "timestamp": "2026-08-20T00:00:00Z",
                "numberMatched": 58,
                "numberReturned": 1,
                "links": [],
            },
            content_type="application/geo+json",
        ),
    )
    spec = _spec(server, "arcgis_hub", "/api/search/v1")
    snap = arcgis_hub.fetch(spec, _client(make_client, spec))
    assert snap.dataset_count == 58


def test_arcgis_hub_missing_number_matched(server, make_client):
    server.add("/api/search/v1/collections/dataset/items", Reply(body={"type": "FeatureCollection", "features": []}))
    spec = _spec(server, "arcgis_hub", "/api/search/v1")
    with pytest.raises(BadShape, match="numberMatched"):
        arcgis_hub.fetch(spec, _client(make_client, spec))
