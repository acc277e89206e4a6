"""Which jurisdictions publish open data through a portal."""

from __future__ import annotations

import pandas as pd

PROVINCES_TERRITORIES: tuple[str, ...] = ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU")


def jurisdiction_coverage(portals: pd.DataFrame) -> dict[str, object]:
    """Federal portal present, provinces/territories with their own portal, municipal portals.

    >>> f = pd.DataFrame({"level": ["federal", "provincial", "territorial", "municipal", "municipal"],
    ...                   "pt_code": ["", "ON", "YT", "ON", "QC"]})
    >>> r = jurisdiction_coverage(f)
    >>> (r["federal"], r["pt_with_portal_count"], r["pt_total_count"], r["municipal_portal_count"])
    (True, 2, 13, 2)
    """
    if not {"level", "pt_code"} <= set(portals.columns):
        raise KeyError("portals need 'level' and 'pt_code'")
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
