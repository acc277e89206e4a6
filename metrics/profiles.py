"""A jurisdiction against the other jurisdictions of its level: the comparable figures of a profile."""

from __future__ import annotations

import pandas as pd

__all__ = ["level_comparison"]


def level_comparison(values: pd.Series, code: str) -> dict[str, object]:
    """`code`'s value against the median of `values` (indexed by jurisdiction code, one level): `value`,
    `median`, `peers_count` (jurisdictions with a value), `rank` (1 = highest; ties share a rank) and
    `above_median` (None when `code` has no value). Missing values are left out, never read as 0.

    >>> v = pd.Series({"YT": 2813.7, "NT": 323.8, "NU": float("nan")})
    >>> r = level_comparison(v, "NT")
    >>> (r["value"], r["median"], r["peers_count"], r["rank"], r["above_median"])
    (323.8, 1568.75, 2, 2, False)
    >>> level_comparison(v, "NU")["value"] is None
    True
    """
    known = pd.to_numeric(values, errors="coerce").dropna()
    value = known.get(code)
    median = float(known.median()) if not known.empty else None
    rank = int(known.rank(ascending=False, method="min")[code]) if value is not None else None
    return {
        "value": None if value is None else float(value),
        "median": median,
        "peers_count": len(known),
        "rank": rank,
        "above_median": None if value is None or median is None else bool(value > median),
    }
