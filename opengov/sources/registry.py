"""Portal registry: :class:`PortalSpec` (what to fetch), :class:`PortalSnapshot` (what came back).

The registry lives in ``data/portals.csv`` (built by
``python -m opengov.sources.build_registry``); :func:`load_registry` reads it.
:func:`get_adapter` maps a ``platform`` value to its adapter function
``(spec, client) -> PortalSnapshot``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from opengov.sources.http import HttpClient

__all__ = [
    "DEFAULT_REGISTRY_PATH",
    "PortalSnapshot",
    "PortalSpec",
    "SUPPORTED_PLATFORMS",
    "get_adapter",
    "load_registry",
    "utc_now",
]

DEFAULT_REGISTRY_PATH = Path(__file__).resolve().parents[2] / "data" / "portals.csv"
SUPPORTED_PLATFORMS: tuple[str, ...] = ("ckan", "opendatasoft", "socrata", "arcgis_hub")


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


def get_adapter(platform: str) -> Adapter | None:
    """Return the adapter for ``platform`` (``None`` when unsupported, e.g. ``custom``)."""
    platform = (platform or "").strip().lower()
    if platform == "ckan":
        from opengov.sources import ckan

        return ckan.fetch
    if platform == "opendatasoft":
        from opengov.sources import opendatasoft

        return opendatasoft.fetch
    if platform == "socrata":
        from opengov.sources import socrata

        return socrata.fetch
    if platform == "arcgis_hub":
        from opengov.sources import arcgis_hub

        return arcgis_hub.fetch
    return None


def _split_hosts(value: str) -> tuple[str, ...]:
    return tuple(h.strip() for h in (value or "").replace(";", " ").split() if h.strip())


def load_registry(path: str | Path | None = None) -> list[PortalSpec]:
    """Read ``data/portals.csv`` (or ``path``) into :class:`PortalSpec` objects."""
    csv_path = Path(path) if path else DEFAULT_REGISTRY_PATH
    specs: list[PortalSpec] = []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pop = (row.get("population_2011") or "").strip()
            spec = PortalSpec(
                id=row["id"],
                name_en=row["name_en"],
                name_fr=row["name_fr"],
                level=row["level"],
                pt_code=row.get("pt_code", ""),
                platform=row.get("platform", ""),
                api_base_url=row.get("api_base_url", ""),
                homepage=row.get("homepage", ""),
                allowed_hosts=_split_hosts(row.get("allowed_hosts", "")),
                geo_type=row.get("geo_type", ""),
                sgc_code=row.get("sgc_code", ""),
                population_2011=int(pop) if pop.isdigit() else None,
                license_url=row.get("license_url", ""),
                ckan_organization=row.get("ckan_organization", ""),
            )
            specs.append(spec)
    return specs
