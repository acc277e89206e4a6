"""Cached reads of the Overview (opengov.cache: keyed by the data version, `url` in every key)."""

from __future__ import annotations

import datetime as dt

from opengov.cache import cached
from opengov.features.overview import queries as q


@cached(max_entries=4)
def overview_frames(url: str = "") -> dict[str, object]:
    """The frames behind the Overview (the executive brief reads the same, kept in its own in-process memo)."""
    return q.overview_frames(url or None)


@cached(max_entries=4)
def plan_standings(ref: dt.date, url: str = "") -> list[q.PlanStanding]:
    """Every action plan's standing at `ref` (the plans page's own figures)."""
    return q.plan_standings(ref, url or None)
