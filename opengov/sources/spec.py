"""What a refresh fetches (:class:`PortalSpec`) and what comes back (:class:`PortalSnapshot`).

The adapters (ckan, opendatasoft, socrata, arcgis_hub) and the registry both import these; the
registry imports the adapters, so the types live here and no import goes in a circle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from opengov.sources.http import HttpClient

__all__ = ["Adapter", "PortalSnapshot", "PortalSpec", "utc_now"]


def utc_now() -> datetime:
    """Timezone-aware current UTC time."""
    return datetime.now(UTC)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@dataclass(frozen=True)
class PortalSpec:
    """One open-data catalogue to refresh.

    ``allowed_hosts`` bounds where the client may go (initial URL and redirect
    targets). Entries are host names (default port of the scheme) or ``host:port``.
    When empty, :meth:`effective_allowed_hosts` derives it from ``api_base_url``
    and ``homepage``.
    """

    id: str
    name_en: str
    name_fr: str
    level: str
    pt_code: str
    platform: str
    api_base_url: str
    homepage: str
    allowed_hosts: tuple[str, ...] = ()
    geo_type: str = ""
    sgc_code: str = ""
    population_2011: int | None = None
    license_url: str = ""
    ckan_organization: str = ""

    def effective_allowed_hosts(self) -> tuple[str, ...]:
        """``allowed_hosts`` if set, else the API host and the homepage host."""
        if self.allowed_hosts:
            return self.allowed_hosts
        hosts: list[str] = []
        for url in (self.api_base_url, self.homepage):
            parts = urlsplit(url) if url else None
            if not parts or not parts.hostname:
                continue
            host = parts.hostname.lower()
            entry = f"{host}:{parts.port}" if parts.port else host
            if entry not in hosts:
                hosts.append(entry)
        return tuple(hosts)

    @property
    def homepage_host(self) -> str:
        """Host name of :attr:`homepage` (e.g. the Socrata domain)."""
        return _host(self.homepage)


@dataclass
class PortalSnapshot:
    """Counts read from one portal at one moment.

    Attributes:
        portal_id: :attr:`PortalSpec.id`.
        fetched_at: UTC time the fetch finished.
        dataset_count: number of datasets the catalogue reports.
        organization_count: number of publishing organisations (``None`` if the API has no notion).
        facets: ``{"organization": {"tbs-sct": 12, ...}, "res_format": {...}, ...}``.
        usage: optional per-dataset usage table (e.g. CKAN ``tracking_summary``).
        raw_meta: small JSON-able dict (endpoints called, API versions, warnings).
    """

    portal_id: str
    fetched_at: datetime
    dataset_count: int
    organization_count: int | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    usage: pd.DataFrame | None = None
    raw_meta: dict[str, Any] = field(default_factory=dict)


Adapter = Callable[["PortalSpec", "HttpClient"], PortalSnapshot]
