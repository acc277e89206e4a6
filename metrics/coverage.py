"""Which jurisdictions publish open data through a portal."""

from __future__ import annotations

import pandas as pd

PROVINCES_TERRITORIES: tuple[str, ...] = ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU")


#: The registry's catalogue types counted as portals by default (geoportals and research repositories apart).
DEFAULT_CATALOG_TYPES: tuple[str, ...] = ("Open data portal",)


def registry_portals(
    portals: pd.DataFrame,
    catalog_types: tuple[str, ...] | None = DEFAULT_CATALOG_TYPES,
    include_unlisted: bool = False,
) -> pd.DataFrame:
    """The registry rows of the chosen catalogue types (``None``: all), without the portals not listed since
    2020 unless `include_unlisted`. Rows without a catalogue type or listing count as open-data portals.

    >>> f = pd.DataFrame({"catalog_type": ["Open data portal", "Geoportal", "Open data portal"],
    ...                   "listing": ["2026", "2026", "2020"]})
    >>> len(registry_portals(f)), len(registry_portals(f, None)), len(registry_portals(f, include_unlisted=True))
    (1, 2, 2)
    """
    out = portals
    if catalog_types is not None and "catalog_type" in out:
        out = out[out["catalog_type"].fillna("Open data portal").replace("", "Open data portal").isin(catalog_types)]
    if not include_unlisted and "listing" in out:
        out = out[out["listing"].fillna("") != "2020"]
    return out


def jurisdiction_coverage(
    portals: pd.DataFrame,
    catalog_types: tuple[str, ...] | None = DEFAULT_CATALOG_TYPES,
    include_unlisted: bool = False,
) -> dict[str, object]:
    """Federal portal present, provinces/territories whose government has its own portal, municipal portals,
    among the registry rows of `catalog_types` (see :func:`registry_portals`).

    >>> f = pd.DataFrame({"level": ["federal", "provincial", "territorial", "municipal", "municipal"],
    ...                   "pt_code": ["", "ON", "YT", "ON", "QC"]})
    >>> r = jurisdiction_coverage(f)
    >>> (r["federal"], r["pt_with_portal_count"], r["pt_total_count"], r["municipal_portal_count"])
    (True, 2, 13, 2)
    """
    if not {"level", "pt_code"} <= set(portals.columns):
        raise KeyError("portals need 'level' and 'pt_code'")
    portals = registry_portals(portals, catalog_types, include_unlisted)
    pt = portals[portals["level"].isin(["provincial", "territorial"])]
    codes = sorted(set(pt["pt_code"]) & set(PROVINCES_TERRITORIES))
    return {
        "federal": bool((portals["level"] == "federal").any()),
        "pt_with_portal": codes,
        "pt_with_portal_count": len(codes),
        "pt_without_portal": [c for c in PROVINCES_TERRITORIES if c not in codes],
        "pt_total_count": len(PROVINCES_TERRITORIES),
        "municipal_portal_count": int((portals["level"] == "municipal").sum()),
    }
