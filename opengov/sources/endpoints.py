"""The API address of a portal: the registry's endpoint, or the platform's documented convention.

:func:`api_base` is used when the registry is built (``build_registry``) and when a refresh finds a
portal without an API address (``opengov.ingest.refresh.spec_from_portal``), so an operator who enters
only a home page gets the same address the registry would have.

Conventions (each platform's documentation):

* CKAN: ``{site}/api/3/action`` (Action API v3); the registry's ``…/api/3/action/package_search`` or
  ``…/api/3`` endpoint gives the site, which may sit under a path (``/data``).
* OpenDataSoft: ``{site}/api/explore/v2.1`` (Explore API v2.1; the registry's ``/api`` or ``/api/v2``
  endpoints are older versions of the same API on the same site).
* Socrata: the Discovery API ``{site}/api/catalog/v1`` with ``domains={host}``; Socrata serves it on
  every customer domain (and on ``api.us.socrata.com``).
* ArcGIS Hub: ``{site}/api/search/v1`` (the Hub's OGC API - Records); the registry lists it as its
  ``ogcrecordsapi`` endpoint.

Scheme: ``https`` unless the home page is plain ``http`` on a loopback or test host (the client refuses
scheme-changing redirects, so the address must be right the first time).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["CONVENTIONS", "api_base", "site_of"]

CONVENTIONS: dict[str, str] = {
    "ckan": "/api/3/action",
    "opendatasoft": "/api/explore/v2.1",
    "socrata": "/api/catalog/v1",
    "arcgis_hub": "/api/search/v1",
}

_CKAN_EP = re.compile(r"^(?P<site>https?://[^?#]+?)/api/3(?:/action(?:/[a-z_]+)?)?/?(?:[?#].*)?$", re.I)
_ODS_EP = re.compile(r"^(?P<site>https?://[^/?#]+)/api(?:/.*)?$", re.I)
_HUB_EP = re.compile(r"^(?P<site>https?://[^?#]+?)/api/search/v1/?(?:[?#].*)?$", re.I)


def site_of(homepage: str) -> str:
    """``scheme://host[:port]`` of a home page (``https`` unless it is ``http`` already), or ``""``.

    >>> site_of("http://127.0.0.1:8080/fr/"), site_of("opendata.vancouver.ca"), site_of("not a web address")
    ('http://127.0.0.1:8080', 'https://opendata.vancouver.ca', '')
    """
    value = (homepage or "").strip()
    if not value:
        return ""
    if "//" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    if not host or not re.fullmatch(r"[a-z0-9.-]+|\[[0-9a-f:.]+\]", host):
        return ""
    scheme = "http" if parts.scheme.lower() == "http" else "https"
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def _typed(endpoints: str, kind: str) -> str:
    for part in (endpoints or "").split(" | "):
        key, _, url = part.partition("=")
        if key.strip().lower() == kind and url.strip():
            return url.strip()
    return ""


def api_base(platform: str, homepage: str, registry_endpoint: str = "", endpoints: str = "") -> tuple[str, str]:
    """``(api_base_url, how)`` for `platform`: ``how`` is ``endpoint`` (from the registry's endpoint),
    ``convention`` (from the home page) or ``""`` (no address: unknown platform or no home page).

    >>> api_base("ckan", "https://open.canada.ca", "https://open.canada.ca/data/api/3/action/package_search")
    ('https://open.canada.ca/data/api/3/action', 'endpoint')
    >>> api_base("opendatasoft", "https://opendata.vancouver.ca/")
    ('https://opendata.vancouver.ca/api/explore/v2.1', 'convention')
    >>> api_base("socrata", "https://data.calgary.ca"), api_base("custom", "https://x.ca")
    (('https://data.calgary.ca/api/catalog/v1', 'convention'), ('', ''))
    """
    platform = (platform or "").strip().lower()
    ep = (registry_endpoint or "").strip()
    if platform == "ckan":
        for cand in (ep, _typed(endpoints, "ckan:package-list"), _typed(endpoints, "ckan:package-search")):
            m = _CKAN_EP.match(cand)
            if m:
                return m.group("site").rstrip("/") + CONVENTIONS["ckan"], "endpoint"
    elif platform == "opendatasoft":
        m = _ODS_EP.match(ep)
        if m:
            return m.group("site") + CONVENTIONS["opendatasoft"], "endpoint"
    elif platform == "arcgis_hub":
        m = _HUB_EP.match(_typed(endpoints, "ogcrecordsapi") or ep)
        if m:
            return m.group("site").rstrip("/") + CONVENTIONS["arcgis_hub"], "endpoint"
    if platform not in CONVENTIONS:
        return "", ""
    site = site_of(homepage)
    if not site:
        return "", ""
    return site + CONVENTIONS[platform], "convention"
