"""The frames behind the Data & sources page (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from opengov.store import reads


def sources(url: str | None = None) -> pd.DataFrame:
    """Every source of the store (id, names, publisher, licence, as-of date, cadence, ...)."""
    return reads.sources(url)
