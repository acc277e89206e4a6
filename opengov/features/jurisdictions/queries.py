"""Queries behind the jurisdictions page: refresh snapshots, organisation counts, the historical count
points and the shipped municipal freshness records. No Streamlit here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import select

from opengov import config
from opengov.store import models as m
from opengov.store.reads import counts_timeline, organizations, portals, read_frame, snapshot_facets, snapshots

MUNICIPAL_FRESHNESS_FILE = "research/ogp_catalog_municipal_packages_freshness_2026-08-22.csv"
FED_PORTAL = "canada"
ORG_SOURCE = "ogp_departments_2023_06"
DAILY_SOURCE = "ogp_packages_daily"

__all__ = [
    "all_snapshots",
    "organization_counts",
    "daily_facets",
    "count_points",
    "municipal_freshness",
    "portals",
    "counts_timeline",
    "organizations",
    "provinces_geojson",
]


def all_snapshots(url: str | None = None) -> pd.DataFrame:
    """Every portal snapshot (refresh runs and shipped ones): id, portal_id, snapshot_date, origin, ok, counts."""
    return snapshots(None, url)


def organization_counts(url: str | None = None) -> pd.DataFrame:
    """Records per organisation on open.canada.ca at the shipped 2023-06-30 snapshot: snapshot_date, value, count."""
    return snapshot_facets("organization", ORG_SOURCE, FED_PORTAL, url=url)


def daily_facets(facet: str, url: str | None = None) -> pd.DataFrame:
    """A facet ('jurisdiction' or 'freshness') of the daily open.canada.ca snapshots: snapshot_date, value, count."""
    return snapshot_facets(facet, DAILY_SOURCE, FED_PORTAL, url=url)


def count_points(url: str | None = None) -> pd.DataFrame:
    """The dated historical count points (dataset_count_points) with their qualifiers and sources."""
    return counts_timeline(url)


def own_catalogue_counts(url: str | None = None) -> pd.DataFrame:
    """A portal's own published count of its records by type (shipped for open.yukon.ca's CKAN):
    portal_id, type, records_count, as_of."""
    u = m.UsageStat
    stmt = select(
        u.portal_id, u.dimension_key.label("type"), u.value.label("records_count"), u.period_end.label("as_of")
    ).where(u.metric == "packages", u.grain == "snapshot", u.dimension == "type", u.is_current.is_(True))
    return read_frame(stmt.order_by(u.portal_id, u.dimension_key), url, ["as_of"])


def refresh_snapshots(url: str | None = None) -> pd.DataFrame:
    """Snapshots taken by refresh runs only (origin 'refresh'), successful or not."""
    s = m.PortalSnapshot
    stmt = (
        select(
            s.id,
            s.portal_id,
            s.snapshot_date,
            s.taken_at,
            s.origin,
            s.ok,
            s.dataset_count,
            s.error_code,
            s.error_message,
        )
        .where(s.origin == "refresh")
        .order_by(s.portal_id, s.snapshot_date)
    )
    return read_frame(stmt, url, ["snapshot_date"])


_MF_COLUMNS = (
    "as_of_date",
    "package_id",
    "owner_org",
    "organization_title",
    "jurisdiction",
    "title",
    "metadata_created",
    "metadata_modified",
    "frequency",
    "n_resources",
    "resource_formats",
    "expected_update_date",
    "days_until_expected_update",
    "freshness_status",
)


def municipal_freshness(data_dir: Path | None = None) -> pd.DataFrame:
    """The 285 municipal records of open.canada.ca with their declared frequency and FreshCheck status
    (shipped file, read directly: its loader in opengov.ingest.shipped is a no-op). Typed: dates as datetimes
    (timezone-naive), counts as nullable integers; blank cells stay missing.

    Raises FileNotFoundError / KeyError when the file is missing or lacks a column.
    """
    path = (data_dir or config.data_dir()) / MUNICIPAL_FRESHNESS_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in _MF_COLUMNS if c not in df.columns]
    if missing:
        raise KeyError(f"{path.name}: missing column(s) {missing}")
    df = df.replace({"": None})
    for col in ("as_of_date", "metadata_created", "metadata_modified", "expected_update_date"):
        df[col] = pd.to_datetime(df[col], format="ISO8601")
    for col in ("n_resources", "days_until_expected_update"):
        df[col] = pd.to_numeric(df[col]).astype("Int64")
    df["frequency"] = df["frequency"].fillna("unknown")
    df["freshness_status"] = df["freshness_status"].fillna("unknown")
    return df


def provinces_geojson(data_dir: Path | None = None) -> dict:
    """The StatCan 2011 province/territory boundaries (shipped GeoJSON), read directly."""
    import json

    from opengov.ingest import shipped as loaders

    with open((data_dir or config.data_dir()) / loaders.GEOJSON, encoding="utf-8") as fh:
        return json.load(fh)
