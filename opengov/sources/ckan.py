"""CKAN action-API adapter (open.canada.ca, BC, Ottawa, Guelph, Regina …).

Calls (``{base}`` = ``…/api/3/action``):

1. ``package_search?rows=0&facet=true&facet.field=["organization","res_format","jurisdiction"]&facet.limit=-1``
   → ``result.count`` and ``result.search_facets`` (falls back to ``result.facets``).
   ``jurisdiction`` is an open.canada.ca (ckanext-canada) field; elsewhere the
   facet is simply absent and comes back as ``{}``.
2. ``organization_list`` → number of organisations (skipped when the portal is
   one organisation of a shared CKAN, i.e. ``spec.ckan_organization`` is set).
3. Optional, tolerant: ``package_search?rows=N&sort=views_recent desc`` and read
   each package's ``tracking_summary`` ({total, recent}) when the portal has
   CKAN page-view tracking enabled. Absent or failing → ``usage=None``.

Every response must carry ``"success": true`` (else :class:`ApiError`).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from opengov.sources.http import ApiError, BadShape, HttpClient, SourceError, expect_type, require
from opengov.sources.spec import PortalSnapshot, PortalSpec, utc_now

__all__ = ["FACET_FIELDS", "fetch", "parse_package_search"]

FACET_FIELDS: tuple[str, ...] = ("organization", "res_format", "jurisdiction")


def _action_url(spec: PortalSpec, action: str) -> str:
    if not spec.api_base_url:
        raise SourceError("No API address is known for this portal.", code="no_api")
    return spec.api_base_url.rstrip("/") + "/" + action


def _call(client: HttpClient, spec: PortalSpec, action: str, params: dict[str, Any]) -> Any:
    """Call a CKAN action and return ``result`` after checking ``success``."""
    url = _action_url(spec, action)
    # CKAN reports validation/authorisation errors as 4xx + {"success": false};
    # the client turns those into HttpStatusError carrying CKAN's error message.
    data = client.get_json(url, params)
    expect_type(data, dict, f"the {action} response", url=url)
    success = data.get("success")
    if success is not True:
        err = data.get("error")
        detail = ""
        if isinstance(err, dict):
            detail = str(err.get("message") or err.get("__type") or "")[:200]
        raise ApiError(f"CKAN {action} reported a failure{': ' + detail if detail else '.'}", url=url)
    return require(data, "result", url=url)


def _facet_counts(result: dict[str, Any], field: str, url: str) -> dict[str, int]:
    search_facets = result.get("search_facets")
    if isinstance(search_facets, dict) and field in search_facets:
        block = search_facets[field]
        items = require(block, "items", list, url=url) if isinstance(block, dict) else []
        counts: dict[str, int] = {}
        for item in items:
            expect_type(item, dict, f"a '{field}' facet item", url=url)
            name = item.get("name")
            count = item.get("count")
            if isinstance(name, str) and isinstance(count, int) and not isinstance(count, bool):
                counts[name] = counts.get(name, 0) + count
        return counts
    facets = result.get("facets")
    if isinstance(facets, dict) and isinstance(facets.get(field), dict):
        return {str(k): int(v) for k, v in facets[field].items() if isinstance(v, int) and not isinstance(v, bool)}
    return {}


def parse_package_search(result: Any, *, url: str | None = None) -> tuple[int, dict[str, dict[str, int]]]:
    """Return ``(count, facets)`` from a ``package_search`` ``result`` object."""
    expect_type(result, dict, "'result'", url=url)
    count = require(result, "count", int, url=url)
    if count < 0:
        raise BadShape("Unexpected response: negative dataset count.", url=url)
    facets = {f: _facet_counts(result, f, url or "") for f in FACET_FIELDS}
    return count, facets


def _views(value: Any) -> int | None:
    """A page-view count of ``tracking_summary``: a whole number from 0 to 10^12 (missing = 0), else None.

    >>> _views(12), _views(None), _views("12"), _views(-1), _views(True), _views(10**30)
    (12, 0, None, None, None, None)
    """
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**12:
        return None
    return value


def _tracking_usage(client: HttpClient, spec: PortalSpec, rows: int, fq: str | None) -> pd.DataFrame | None:
    params: dict[str, Any] = {"rows": rows, "sort": "views_recent desc"}
    if fq:
        params["fq"] = fq
    result = _call(client, spec, "package_search", params)
    records = []
    for pkg in result.get("results") or []:
        if not isinstance(pkg, dict):
            continue
        ts = pkg.get("tracking_summary")
        if not isinstance(ts, dict) or not isinstance(pkg.get("id"), str):
            continue
        total, recent = _views(ts.get("total")), _views(ts.get("recent"))
        if total is None or recent is None:  # an optional extra with a bad value: that package is skipped
            continue
        records.append(
            {
                "dataset_id": pkg["id"][:200],
                "name": str(pkg.get("name") or "")[:200],
                "title": str(pkg.get("title") or "")[:500],
                "views_total": total,
                "views_recent": recent,
            }
        )
    if not records:
        return None
    return pd.DataFrame.from_records(records)


def fetch(
    spec: PortalSpec,
    client: HttpClient,
    *,
    include_tracking: bool = True,
    tracking_rows: int = 20,
) -> PortalSnapshot:
    """Refresh one CKAN portal (see module docstring for the calls made)."""
    fq = f"organization:{spec.ckan_organization}" if spec.ckan_organization else None
    params: dict[str, Any] = {
        "rows": 0,
        "facet": "true",
        "facet.field": json.dumps(list(FACET_FIELDS)),
        "facet.limit": -1,
    }
    if fq:
        params["fq"] = fq
    url = _action_url(spec, "package_search")
    result = _call(client, spec, "package_search", params)
    count, facets = parse_package_search(result, url=url)

    org_count: int | None
    if spec.ckan_organization:
        org_count = None
    else:
        orgs = _call(client, spec, "organization_list", {})
        expect_type(orgs, list, "'result' of organization_list", url=_action_url(spec, "organization_list"))
        org_count = len(orgs)

    meta: dict[str, Any] = {"platform": "ckan", "endpoint": url, "filter": fq}
    usage = None
    if include_tracking:
        try:
            usage = _tracking_usage(client, spec, tracking_rows, fq)
        except SourceError as exc:  # optional extra: never fails the portal
            meta["tracking_error"] = exc.code
        except (TypeError, ValueError, AttributeError) as exc:  # a malformed optional extra, likewise
            meta["tracking_error"] = f"bad_shape: {type(exc).__name__}"
    meta["tracking"] = usage is not None
    return PortalSnapshot(
        portal_id=spec.id,
        fetched_at=utc_now(),
        dataset_count=count,
        organization_count=org_count,
        facets=facets,
        usage=usage,
        raw_meta=meta,
    )
