"""Cached reads of the profile page (opengov.cache: keyed by the data version, `url` in every key)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from opengov.cache import cached
from opengov.features.profiles import queries as q


@cached(max_entries=4)
def jurisdictions(url: str = "") -> list[q.Jurisdiction]:
    return q.jurisdictions(url or None)


@cached(max_entries=32)
def profile(code: str, today: dt.date, url: str = "") -> q.ProfileData:
    """One jurisdiction's profile as of `today` (the plans' overdue items are judged that day)."""
    return q.profile(code, url or None, today)


@cached(max_entries=4)
def comparable_rates(url: str = "") -> pd.DataFrame:
    return q.comparable_rates(url or None)
