"""Cached reads and figures of the jurisdictions page (opengov.cache: keyed by the data version, `url` in every key)."""

from __future__ import annotations

import json

import pandas as pd

from opengov import config
from opengov.cache import cached
from opengov.charts.figure import Figure
from opengov.features.jurisdictions import queries as q
from opengov.ingest import shipped as loaders
from opengov.store import reads


@cached(max_entries=4)
def portals(url: str = "") -> pd.DataFrame:
    return reads.portals(url or None)


@cached(max_entries=4)
def populations(url: str = "") -> pd.DataFrame:
    return reads.populations(url or None)


@cached(max_entries=4)
def own_catalogue_counts(url: str = "") -> pd.DataFrame:
    return q.own_catalogue_counts(url or None)


@cached(max_entries=4)
def sources(url: str = "") -> pd.DataFrame:
    return reads.sources(url or None)


@cached(max_entries=4)
def all_snapshots(url: str = "") -> pd.DataFrame:
    return q.all_snapshots(url or None)


@cached(max_entries=4)
def refresh_snapshots(url: str = "") -> pd.DataFrame:
    return q.refresh_snapshots(url or None)


@cached(max_entries=4)
def organization_counts(url: str = "") -> pd.DataFrame:
    return q.organization_counts(url or None)


@cached(max_entries=4)
def organizations(url: str = "") -> pd.DataFrame:
    return q.organizations(url or None)


@cached(max_entries=8)
def daily_facets(facet: str, url: str = "") -> pd.DataFrame:
    return q.daily_facets(facet, url or None)


@cached(max_entries=4)
def count_points(url: str = "") -> pd.DataFrame:
    return q.count_points(url or None)


@cached(max_entries=4)
def municipal_freshness(url: str = "") -> pd.DataFrame:
    """`url` only keys the cache like every loader; the file is read from the data folder."""
    return q.municipal_freshness(config.data_dir())


@cached(max_entries=2)
def provinces_geojson(url: str = "") -> dict:
    """The StatCan 2011 province/territory boundaries (shipped GeoJSON)."""
    with open(config.data_dir() / loaders.GEOJSON, encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------- figures
# Built from the loaders above and cached with them (same ttl): a filter change redraws only the
# figures it changes, and a page load builds none. A write anywhere changes the data version, and so every key.


def _pt_frames(url: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from metrics.jurisdictions import latest_successful

    return portals(url=url), latest_successful(all_snapshots(url=url)), organization_counts(url=url)


@cached(max_entries=4)
def page_metrics(url: str = "") -> dict[str, object]:
    """The page's derived frames, computed once per store read (metrics/ on the cached frames): latest
    successful count per portal, refresh status per portal, the summary by level, the historical count
    points and the growth of the federal daily count."""
    from metrics.freshness import portal_refresh_status
    from metrics.jurisdictions import count_points as points
    from metrics.jurisdictions import growth, latest_successful, level_summary

    ports, snaps = portals(url=url), all_snapshots(url=url)
    latest = latest_successful(snaps)
    ogp_daily = snaps[(snaps["origin"] == "ogp_packages_daily") & snaps["ok"].astype(bool)]
    return {
        "latest": latest,
        "refresh": portal_refresh_status(ports, snaps),
        "levels": level_summary(ports, latest),
        "points": points(count_points(url=url)),
        "growth": growth(ogp_daily, "snapshot_date", "dataset_count"),
    }


@cached(max_entries=4)
def default_basis(url: str = "") -> str:
    """'portal' once a province or territory portal has been refreshed, else 'federated'."""
    from opengov.features.jurisdictions import figures as cj

    return cj.default_basis(*_pt_frames(url), populations(url=url))


@cached(max_entries=16)
def pt_figures(view: str, basis: str, lang: str, url: str = ""):
    """charts_jurisdictions.PtFigures of one view, basis and language."""
    from opengov.features.jurisdictions import figures as cj

    return cj.PtFigures(*_pt_frames(url), lang, view=view, basis=basis, populations=populations(url=url))


@cached(max_entries=16, resource=True)
def pt_map(view: str, basis: str, lang: str, url: str = "") -> Figure:
    """The province/territory map (a Figure over a Plotly figure). Cached as a resource, not as
    data: a Plotly figure re-validates every trace when it is unpickled, which is what the cache is
    meant to save. The one object is shared by sessions and only read (opengov.charts.frozen.freeze)."""
    from opengov.charts.frozen import freeze
    from opengov.features.jurisdictions import figures as cj

    fig = cj.pt_map(
        *_pt_frames(url), provinces_geojson(url=url), lang, view=view, basis=basis, populations=populations(url=url)
    )
    return fig.replace(chart=freeze(fig.chart))


@cached(max_entries=64)
def pt_ranking(view: str, basis: str, highlight: str | None, lang: str, url: str = "") -> Figure:
    """The province/territory ranking."""
    from opengov.features.jurisdictions import figures as cj

    return cj.pt_ranking(
        *_pt_frames(url), lang, view=view, basis=basis, highlight=highlight, populations=populations(url=url)
    )


@cached(max_entries=4)
def federal_figure(lang: str, url: str = "") -> Figure | None:
    """open.canada.ca records by jurisdiction field, day by day; None without shipped facets."""
    from opengov.features.jurisdictions import figures as cj

    daily = daily_facets("jurisdiction", url=url)
    if daily.empty:
        return None
    return cj.federal_by_jurisdiction(daily, lang)


@cached(max_entries=16)
def points_figure(level: str, lang: str, url: str = "") -> Figure | None:
    """Dated historical counts of one level filter; None when the level has none."""
    from metrics.jurisdictions import count_points as points
    from opengov.features.jurisdictions import figures as cj

    pts = cj.points_for_level(points(count_points(url=url)), level)
    if pts.empty:
        return None
    return cj.historical_points(pts, lang)


@cached(max_entries=4)
def org_shares_figure(lang: str, url: str = "") -> Figure | None:
    """The organisations with the most records; None without counts."""
    from opengov.features.jurisdictions import figures as cj

    return cj.org_shares_figure(organization_counts(url=url), organizations(url=url), lang)


@cached(max_entries=4)
def fresh_daily_figure(lang: str, url: str = "") -> Figure | None:
    """Records by freshness status, day by day, as of the last day; None without facets."""
    from opengov.features.jurisdictions import figures as cj

    return cj.fresh_daily_figure(daily_facets("freshness", url=url), lang)


@cached(max_entries=4)
def municipal_fresh_figure(lang: str, url: str = "") -> Figure | None:
    """Municipal records by computed freshness status, as of the file's date, with the agreement note
    as definition. A file that cannot be read raises (OSError, KeyError, ValueError), uncached."""
    from opengov.features.jurisdictions import figures as cj

    return cj.municipal_fresh_figure(municipal_freshness(url=url), lang)
