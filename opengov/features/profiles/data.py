"""Cached reads of the profile page (opengov.cache: keyed by the data version, `url` in every key)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from opengov.cache import cached
from opengov.charts.figure import Figure
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


@dataclass(frozen=True)
class ProfileView:
    """What the profile page shows of one jurisdiction in one language, made once per data version and
    shared by every session (a resource: callers only read it)."""

    data: q.ProfileData
    name: str
    sources: pd.DataFrame
    portals_table: pd.DataFrame
    history: Figure | None
    comparison: str
    growth: str
    usage: tuple[tuple[str, Figure], ...]  # (portal id, its monthly visits)
    plans_table: pd.DataFrame
    wg_table: pd.DataFrame
    facts_table: pd.DataFrame


@cached(max_entries=32, resource=True)
def view(code: str, today: dt.date, lang: str, url: str = "") -> ProfileView:
    """The profile page's figures and tables for `code` in `lang` (building them took most of a load's
    server time: the count history's series, the tables formatted row by row)."""
    from opengov.features.profiles import figures as pf

    p = profile(code, today, url=url)
    usage = tuple((pid, f) for pid in p.own_usage if (f := pf.own_usage_figure(p, pid, lang)) is not None)
    return ProfileView(
        data=p,
        name=pf.name_of(p, lang),
        sources=p.sources.set_index("id"),
        portals_table=pf.portals_table(p, lang) if not p.portals.empty else pd.DataFrame(),
        history=pf.count_history_figure(p, lang),
        comparison=pf.comparison_text(p, comparable_rates(url=url), lang),
        growth=pf.growth_text(p, lang),
        usage=usage,
        plans_table=pf.plans_table(p, lang) if p.plans else pd.DataFrame(),
        wg_table=pf.wg_table(p, lang),
        facts_table=pf.facts_table(p, lang),
    )
