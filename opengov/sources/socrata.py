"""Socrata Discovery API adapter (Nova Scotia, Winnipeg, Calgary, Edmonton …).

``GET {base}?domains={domain}&only=dataset&limit=0`` → ``resultSetSize``.

``{base}`` is the spec's ``api_base_url`` - by Socrata's documented convention
``https://api.us.socrata.com/api/catalog/v1`` for North-American domains
(``api.eu.socrata.com`` elsewhere); tests point it at 127.0.0.1. The domain is
the host of the portal's homepage (e.g. ``data.novascotia.ca``).

NOTE: no real recorded Discovery API response was available (see
``/work/shared/research/data/PROVENANCE.md`` §F); the response shape
``{"results": [...], "resultSetSize": N, "timings": {...}}`` follows the public
Discovery API documentation (socratadiscovery.docs.apiary.io) and is
re-checked here with :func:`require` so a change fails loudly (``bad_shape``).
"""

from __future__ import annotations

from opengov.sources.http import HttpClient, SourceError, expect_type, require
from opengov.sources.spec import PortalSnapshot, PortalSpec, utc_now

__all__ = ["DEFAULT_DISCOVERY_BASE", "fetch"]

DEFAULT_DISCOVERY_BASE = "https://api.us.socrata.com/api/catalog/v1"


def fetch(spec: PortalSpec, client: HttpClient) -> PortalSnapshot:
    """Refresh one Socrata domain via the Discovery API."""
    base = (spec.api_base_url or DEFAULT_DISCOVERY_BASE).rstrip("/")
    domain = spec.homepage_host
    if not domain:
        raise SourceError("The portal's Socrata domain is unknown (no homepage).", code="no_api")
    data = client.get_json(base, {"domains": domain, "only": "dataset", "limit": 0})
    expect_type(data, dict, "the Discovery API response", url=base)
    count = require(data, "resultSetSize", int, url=base)
    return PortalSnapshot(
        portal_id=spec.id,
        fetched_at=utc_now(),
        dataset_count=count,
        organization_count=None,
        facets={},
        usage=None,
        raw_meta={"platform": "socrata", "api": "discovery/v1", "domain": domain, "endpoint": base},
    )
