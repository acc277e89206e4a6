"""Portal registry: :class:`PortalSpec` (what to fetch), :class:`PortalSnapshot` (what came back).

The registry lives in ``data/portals.csv`` (built by
``python -m opengov.sources.build_registry``); :func:`load_registry` reads it.
:func:`get_adapter` maps a ``platform`` value to its adapter function
``(spec, client) -> PortalSnapshot``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from opengov.sources import arcgis_hub, ckan, opendatasoft, socrata
from opengov.sources.spec import Adapter, PortalSnapshot, PortalSpec, utc_now

__all__ = [
    "Adapter",
    "DEFAULT_REGISTRY_PATH",
    "PortalSnapshot",
    "PortalSpec",
    "SUPPORTED_PLATFORMS",
    "get_adapter",
    "load_registry",
    "utc_now",
]

DEFAULT_REGISTRY_PATH = Path(__file__).resolve().parents[2] / "data" / "portals.csv"


ADAPTERS: dict[str, Adapter] = {
    "ckan": ckan.fetch,
    "opendatasoft": opendatasoft.fetch,
    "socrata": socrata.fetch,
    "arcgis_hub": arcgis_hub.fetch,
}


SUPPORTED_PLATFORMS: tuple[str, ...] = tuple(ADAPTERS)


def get_adapter(platform: str) -> Adapter | None:
    """Return the adapter for ``platform`` (``None`` when unsupported, e.g. ``custom``)."""
    return ADAPTERS.get((platform or "").strip().lower())


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
