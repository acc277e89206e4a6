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


# The page's figures and cards, made once per data version and language and shared by every session
# (resources: callers only read them). Building them took most of a load's server time: two charts with
# their tables formatted row by row, the cards' arithmetic over the daily and monthly series, the facts.


@cached(max_entries=8, resource=True)
def kpis(window_months: int, basis: str, url: str = ""):
    """The Overview's cards (metrics.overview.overview_kpis) for a window and comparison basis."""
    return q.kpis_of(overview_frames(url=url), window_months, basis)


@cached(max_entries=4, resource=True)
def catalogue_figure(lang: str, url: str = ""):
    """The daily catalogue size chart; None without daily counts."""
    from opengov.features.overview import figures

    daily = overview_frames(url=url)["daily_snapshots"]
    return None if daily.empty else figures.catalogue_size(daily, lang)


@cached(max_entries=4, resource=True)
def downloads_figure(lang: str, url: str = ""):
    """Monthly downloads by jurisdiction; None without them."""
    from opengov.features.overview import figures

    dl = overview_frames(url=url)["downloads_by_jurisdiction"]
    return None if dl.empty else figures.downloads_by_jurisdiction(dl, lang)


@cached(max_entries=4, resource=True)
def fact_cards(lang: str, url: str = "") -> list[str]:
    """The cited facts as Markdown cards, one per document (a statement carrying several figures is one)."""
    from opengov.features.overview import figures

    facts = overview_frames(url=url)["facts"]
    facts = facts.sort_values(["document_date", "id"]).drop_duplicates(subset=[f"statement_{lang}"])
    return figures.fact_cards(facts, lang)


@cached(max_entries=4, resource=True)
def sources(url: str = ""):
    """The store's sources, indexed by id (each figure's source and as-of date)."""
    return overview_frames(url=url)["sources"]
