"""ArcGIS Hub adapter (Hub Search API, OGC API - Records).

``{base}`` = ``https://<hub-site>/api/search/v1`` (documented at
https://developers.arcgis.com/hub/services/search/).

``GET {base}/collections/dataset/items?limit=1`` → ``numberMatched``.

The items response is a GeoJSON ``FeatureCollection`` with ``features``,
``timestamp``, ``numberMatched``, ``numberReturned`` and ``links`` (field names
as in Esri's own client, hub.js ``IOgcItemsResponse``). ASSUMPTION: we ask for
``limit=1`` rather than ``limit=0`` because OGC API paging defines ``limit`` with
a minimum of 1; ``numberMatched`` does not depend on it. No real recorded Hub
response was available (PROVENANCE.md §F), so the test fixture is hand-built to
that documented shape.
"""

from __future__ import annotations

from opengov.sources.http import HttpClient, SourceError, expect_type, require
from opengov.sources.spec import PortalSnapshot, PortalSpec, utc_now

__all__ = ["fetch"]


def fetch(spec: PortalSpec, client: HttpClient) -> PortalSnapshot:
    """Refresh one ArcGIS Hub site."""
    if not spec.api_base_url:
        raise SourceError("No API address is known for this portal.", code="no_api")
    url = spec.api_base_url.rstrip("/") + "/collections/dataset/items"
    data = client.get_json(url, {"limit": 1})
    expect_type(data, dict, "the Hub search response", url=url)
    count = require(data, "numberMatched", int, url=url)
    return PortalSnapshot(
        portal_id=spec.id,
        fetched_at=utc_now(),
        dataset_count=count,
        organization_count=None,
        facets={},
        usage=None,
        raw_meta={"platform": "arcgis_hub", "api": "search/v1", "endpoint": url},
    )
