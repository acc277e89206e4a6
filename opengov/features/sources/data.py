"""Cached reads of the Data & sources page (opengov.cache: keyed by the data version)."""

from __future__ import annotations

import pandas as pd

from opengov.cache import cached
from opengov.features.sources import queries as q


@cached(max_entries=4)
def sources(url: str = "") -> pd.DataFrame:
    return q.sources(url or None)
