"""How stale a source is against its expected cadence."""

from __future__ import annotations

import pandas as pd

CADENCE_DAYS: dict[str, int | None] = {
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "yearly": 366,
    "static": None,
}


def staleness(as_of: pd.Timestamp | None, cadence: str, now: pd.Timestamp) -> tuple[str, int | None]:
    """Badge and age in days: 'current' within one cadence period (plus a grace of half a period),
    'stale' within three periods, else 'outdated'; 'static' for sources not expected to change;
    'unknown' with no date.

    >>> staleness(pd.Timestamp("2026-08-22"), "monthly", pd.Timestamp("2026-09-10"))
    ('current', 19)
    >>> staleness(pd.Timestamp("2026-08-22"), "daily", pd.Timestamp("2026-11-24"))
    ('outdated', 94)
    >>> staleness(pd.Timestamp("2020-03-11"), "static", pd.Timestamp("2026-11-24"))[0]
    'static'
    """
    if as_of is None or pd.isna(as_of):
        return "unknown", None
    if cadence not in CADENCE_DAYS:
        raise KeyError(f"unknown cadence {cadence!r}")
    age_days = int((pd.Timestamp(now).normalize() - pd.Timestamp(as_of).normalize()).days)
    period = CADENCE_DAYS[cadence]
    if period is None:
        return "static", age_days
    if age_days <= period * 1.5:
        return "current", age_days
    if age_days <= period * 3:
        return "stale", age_days
    return "outdated", age_days
