"""The Figure: what every chart block shows and every export reads.

A feature's figure function turns frames into one `Figure`: the chart (Altair, or Plotly for the
maps and the timeline), its text alternative, its data as a table, the ids of the store's sources
the data came from (taken from the data's `source_id` column where it has one), the metric's
definition, an attribution that must travel with the chart, and the typed table that downloads
carry. `opengov.ui.blocks.show(figure, ...)` renders it with one call; the command-line exports and
the reports read the same object, so a page and its exports cannot drift.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Figure:
    """One chart with everything a reader needs to quote it.

    >>> f = Figure(chart=None, alt_text="Downloads rose.", table=pd.DataFrame({"n": [1]}),
    ...            source_ids=("ogp_fiscal_totals",))
    >>> f.data.equals(f.table), f.source_ids
    (True, ('ogp_fiscal_totals',))
    """

    chart: Any
    alt_text: str
    table: pd.DataFrame
    source_ids: tuple[str, ...] = ()
    definition: str | None = None
    attribution: str | None = None
    #: the typed data the downloads carry (plain numbers, ISO dates); `table` when None
    export_table: pd.DataFrame | None = None
    #: the source as the page names it, when it is not the title of the source ids (a plan's title)
    source_label: str | None = None
    #: the date the data is as of, when the data says it more precisely than its sources' as-of date
    as_of: dt.date | pd.Timestamp | str | None = None
    #: the chart's title in files (the chart's own title when None)
    title: str | None = None
    #: notes shown on screen with the chart (a series break) that its files carry too
    caveats: tuple[str, ...] = ()
    #: an Altair twin of a Plotly chart (map, timeline) that its PNG/SVG/PDF files are drawn from
    static: Any = None

    @property
    def data(self) -> pd.DataFrame:
        """The table the downloads carry."""
        return self.table if self.export_table is None else self.export_table

    @property
    def is_plotly(self) -> bool:
        """A Plotly figure (map, timeline) rather than an Altair chart (without importing Plotly)."""
        return any(c.__module__.startswith("plotly.") for c in type(self.chart).__mro__)

    def replace(self, **changes: Any) -> Figure:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def source(self, lang: str, sources: pd.DataFrame | None) -> tuple[str, Any]:
        """The source line's text and as-of date in `lang`, from the store's `sources` frame (indexed
        by id): each source's title, joined; the latest as-of date of the sources unless the figure
        knows its own.

        >>> src = pd.DataFrame({"title_en": ["A", "B"], "title_fr": ["A fr", "B fr"],
        ...                     "as_of": [dt.date(2024, 1, 31), dt.date(2024, 3, 31)]}, index=["a", "b"])
        >>> Figure(None, "", pd.DataFrame(), source_ids=("a", "b")).source("fr", src)
        ('A fr; B fr', datetime.date(2024, 3, 31))
        """
        known = [s for s in self.source_ids if sources is not None and s in sources.index]
        label = self.source_label
        if label is None:
            titles = [str(sources.at[s, f"title_{lang}"]) for s in known] if sources is not None else []
            label = "; ".join(dict.fromkeys(titles)) or ", ".join(self.source_ids)
        as_of = self.as_of
        if as_of is None and known and sources is not None:
            dates = [d for d in (sources.at[s, "as_of"] for s in known) if d is not None and not pd.isna(d)]
            as_of = max(dates) if dates else None
        return label, as_of

    def licences(self, sources: pd.DataFrame | None) -> tuple[str, ...]:
        """The licences of the figure's sources (the store's `sources.licence`), distinct, in order.

        >>> src = pd.DataFrame({"licence": ["OGL-Canada", "CC BY 4.0", "OGL-Canada"]}, index=["a", "b", "c"])
        >>> Figure(None, "", pd.DataFrame(), source_ids=("a", "b", "c", "z")).licences(src)
        ('OGL-Canada', 'CC BY 4.0')
        """
        if sources is None or "licence" not in sources:
            return ()
        found = [sources.at[s, "licence"] for s in self.source_ids if s in sources.index]
        return tuple(dict.fromkeys(str(v) for v in found if isinstance(v, str) and v.strip()))


def source_ids_of(*frames: pd.DataFrame | None, column: str = "source_id") -> tuple[str, ...]:
    """The distinct source ids in the frames' `column`, in first-seen order.

    >>> source_ids_of(pd.DataFrame({"source_id": ["b", "a", "b"]}), None)
    ('b', 'a')
    """
    seen: dict[str, None] = {}
    for frame in frames:
        if frame is not None and column in frame:
            for value in frame[column].dropna():
                seen.setdefault(str(value), None)
    return tuple(seen)


def ids(*values: str | Iterable[str]) -> tuple[str, ...]:
    """Source ids as a tuple, flattening iterables and dropping duplicates.

    >>> ids("a", ["b", "a"])
    ('a', 'b')
    """
    out: dict[str, None] = {}
    for v in values:
        for s in [v] if isinstance(v, str) else v:
            out.setdefault(s, None)
    return tuple(out)
