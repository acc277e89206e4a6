"""OpenDataSoft Explore API v2.1 adapter (e.g. City of Vancouver).

``{base}`` = ``https://<domain>/api/explore/v2.1``.

* ``GET {base}/catalog/datasets?limit=0`` → ``total_count`` (v2.1 envelope
  ``{"total_count": N, "results": [...]}``).
* ``GET {base}/catalog/facets`` → ``{"links": [...], "facets": [{"name": "theme",
  "facets": [{"name", "count", "state", "value"}, ...]}, ...]}`` - shape checked
  against the real Vancouver response recorded 2026-08-17 (see
  ``tests/fixtures/http/README.md``). Every facet group is kept (``theme``,
  ``keyword``, ``features``, ``custom.*``…); ``theme`` is always present (``{}``
  when the portal has none).
"""

from __future__ import annotations

from typing import Any

from opengov.sources.http import HttpClient, SourceError, expect_type, require
from opengov.sources.spec import PortalSnapshot, PortalSpec, utc_now

__all__ = ["fetch", "parse_facets"]


def parse_facets(data: Any, *, url: str | None = None) -> dict[str, dict[str, int]]:
    """Turn a ``/catalog/facets`` body into ``{group: {value: count}}``."""
    expect_type(data, dict, "the facets response", url=url)
    groups = require(data, "facets", list, url=url)
    out: dict[str, dict[str, int]] = {}
    for group in groups:
        expect_type(group, dict, "a facet group", url=url)
        name = require(group, "name", str, url=url)
        counts: dict[str, int] = {}
        for item in group.get("facets") or []:
            if not isinstance(item, dict):
                continue
            value = item.get("value", item.get("name"))
            count = item.get("count")
            if isinstance(value, str) and isinstance(count, int) and not isinstance(count, bool):
                counts[value] = count
        out[name] = counts
    out.setdefault("theme", {})
    return out


def fetch(spec: PortalSpec, client: HttpClient) -> PortalSnapshot:
    """Refresh one OpenDataSoft portal."""
    if not spec.api_base_url:
        raise SourceError("No API address is known for this portal.", code="no_api")
    base = spec.api_base_url.rstrip("/")
    ds_url = f"{base}/catalog/datasets"
    data = client.get_json(ds_url, {"limit": 0})
    expect_type(data, dict, "the catalog response", url=ds_url)
    count = require(data, "total_count", int, url=ds_url)
    facets_url = f"{base}/catalog/facets"
    facets = parse_facets(client.get_json(facets_url), url=facets_url)
    return PortalSnapshot(
        portal_id=spec.id,
        fetched_at=utc_now(),
        dataset_count=count,
        organization_count=None,
        facets=facets,
        usage=None,
        raw_meta={"platform": "opendatasoft", "api": "explore/v2.1", "endpoint": ds_url},
    )
