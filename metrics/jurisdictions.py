"""Dataset counts by jurisdiction: latest successful counts per portal, provinces and territories,
per-capita rates, rankings with ties, and dated historical points with their qualifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.coverage import PROVINCES_TERRITORIES

#: open.canada.ca organisations that are provincial/territorial governments (2023-06-30 'organization' facet).
FEDERATED_ORGS: dict[str, str] = {
    "nl-tnl": "NL",
    "pei-ipe": "PE",
    "ns-ne": "NS",
    "nb": "NB",
    "qc": "QC",
    "on": "ON",
    "mb": "MB",
    "sk": "SK",
    "ab": "AB",
    "bc-cb": "BC",
    "yk": "YT",
    "nwt-tno": "NT",
}
#: Metrics of the historical timeline that count catalogue records (others: resources, visits ...).
COUNT_METRICS: tuple[str, ...] = ("datasets", "datasets_listed", "general_datasets", "packages", "package_search_count")
QUALIFIER_PREFIX: dict[str, str] = {"exact": "", "more_than": "> ", "approx": "≈ "}
PER = 100_000


def latest_successful(snapshots: pd.DataFrame, origin: str = "refresh") -> pd.DataFrame:
    """Latest successful count per portal among the snapshots of `origin`: portal_id, snapshot_date,
    dataset_count. Failed snapshots (ok False) and snapshots without a count are ignored.

    >>> s = pd.DataFrame({"portal_id": ["a", "a", "a", "b"], "origin": ["refresh"] * 4,
    ...                   "snapshot_date": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-01-05"]),
    ...                   "ok": [True, True, False, False], "dataset_count": [10, 12, None, None]})
    >>> r = latest_successful(s)
    >>> r["portal_id"].tolist(), r["dataset_count"].tolist(), str(r["snapshot_date"].iloc[0].date())
    (['a'], [12], '2026-02-01')
    """
    cols = ["portal_id", "snapshot_date", "dataset_count"]
    if snapshots.empty:
        return pd.DataFrame(
            {
                "portal_id": pd.Series(dtype="object"),
                "snapshot_date": pd.Series(dtype="datetime64[ns]"),
                "dataset_count": pd.Series(dtype="Int64"),
            }
        )
    s = snapshots[(snapshots["origin"] == origin) & snapshots["ok"].astype(bool) & snapshots["dataset_count"].notna()]
    s = s.assign(snapshot_date=pd.to_datetime(s["snapshot_date"])).sort_values(
        ["portal_id", "snapshot_date"], kind="stable"
    )
    out = s.groupby("portal_id", as_index=False).tail(1)[cols].reset_index(drop=True)
    out["dataset_count"] = out["dataset_count"].astype("Int64")
    return out


def per_100k(count: pd.Series, population: pd.Series) -> pd.Series:
    """Count per 100,000 residents; NaN (never 0) when the count or the population is missing or zero.

    >>> per_100k(pd.Series([50, 50, None]), pd.Series([1_000_000, None, 10])).tolist()
    [5.0, nan, nan]
    """
    c = pd.to_numeric(count, errors="coerce").astype(float)
    p = pd.to_numeric(population, errors="coerce").astype(float).where(lambda x: x > 0)
    return c / p * PER


def rank_desc(df: pd.DataFrame, value_col: str, name_col: str) -> pd.DataFrame:
    """Rank by `value_col`, largest first; ties share the best rank ('1, 2, 2, 4'); rows without a value
    have no rank and come last; ties and missing rows are ordered by `name_col`.

    >>> f = pd.DataFrame({"n": ["b", "a", "c", "d"], "v": [5.0, 5.0, None, 9.0]})
    >>> r = rank_desc(f, "v", "n")
    >>> r["n"].tolist(), r["rank"].tolist()
    (['d', 'a', 'b', 'c'], [1, 2, 2, <NA>])
    """
    out = df.copy()
    out["rank"] = out[value_col].rank(method="min", ascending=False).astype("Int64")
    out["_missing"] = out[value_col].isna()
    out = out.sort_values(["_missing", value_col, name_col], ascending=[True, False, True], kind="stable")
    return out.drop(columns="_missing").reset_index(drop=True)


def provinces_territories(
    portals: pd.DataFrame,
    latest: pd.DataFrame,
    org_counts: pd.DataFrame,
    populations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per province/territory (13): `pt_code`, `portal_id` (its government's own open-data portal in
    the registry, else None), `population` and `population_year` (the latest census in `populations`:
    geo_code, census_year, population; else the registry row's `population_2011` with year 2011; else NaN),
    `portal_datasets_count` and `portal_as_of` (its latest successful refresh, else NaN/NaT),
    `federated_datasets_count` (records of its government organisation on open.canada.ca in `org_counts`:
    columns value, count; NaN if none).

    The own portal is an open-data portal of that level: the one whose id is the code (``yt``) first.

    >>> p = pd.DataFrame({"id": ["on", "canada"], "level": ["provincial", "federal"], "pt_code": ["ON", ""],
    ...                   "population_2011": [12851821, 33476688]})
    >>> lt = pd.DataFrame({"portal_id": ["on"], "snapshot_date": pd.to_datetime(["2026-09-01"]),
    ...                    "dataset_count": [3000]})
    >>> o = pd.DataFrame({"value": ["on", "yk", "tbs-sct"], "count": [832, 1132, 900]})
    >>> pop = pd.DataFrame({"geo_code": ["YT"], "census_year": [2021], "population": [40232]})
    >>> r = provinces_territories(p, lt, o, pop).set_index("pt_code")
    >>> float(r.loc["ON", "portal_datasets_count"]), float(r.loc["YT", "federated_datasets_count"])
    (3000.0, 1132.0)
    >>> float(r.loc["YT", "population"]), int(r.loc["YT", "population_year"]), int(r.loc["ON", "population_year"])
    (40232.0, 2021, 2011)
    >>> bool(pd.isna(r.loc["NU", "federated_datasets_count"])), bool(pd.isna(r.loc["NU", "population"]))
    (True, True)
    """
    pt = portals[portals["level"].isin(["provincial", "territorial"])].copy()
    odp = pt["catalog_type"].eq("Open data portal") if "catalog_type" in pt else pd.Series(True, index=pt.index)
    pt = pt[odp | pt["id"].eq(pt["pt_code"].str.lower())]
    pt["_own"] = (~pt["id"].eq(pt["pt_code"].str.lower())).astype(int)
    pt["_not_odp"] = (~odp.loc[pt.index]).astype(int)
    pt = pt.sort_values(["_not_odp", "_own", "id"], kind="stable").drop_duplicates("pt_code")
    pt = pt[["pt_code", "id", "population_2011"]].rename(columns={"id": "portal_id"})
    out = pd.DataFrame({"pt_code": list(PROVINCES_TERRITORIES)}).merge(pt, on="pt_code", how="left")
    lt = latest.rename(columns={"snapshot_date": "portal_as_of", "dataset_count": "portal_datasets_count"})
    out = out.merge(lt, on="portal_id", how="left")
    fed = org_counts[org_counts["value"].isin(FEDERATED_ORGS)]
    fed = pd.DataFrame({"pt_code": fed["value"].map(FEDERATED_ORGS), "federated_datasets_count": fed["count"]})
    out = out.merge(fed.groupby("pt_code", as_index=False)["federated_datasets_count"].sum(), on="pt_code", how="left")
    for col in ("population_2011", "portal_datasets_count", "federated_datasets_count"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    out["population"] = out["population_2011"]
    out["population_year"] = np.where(out["population_2011"].notna(), 2011.0, np.nan)
    if populations is not None and not populations.empty:
        latest_pop = populations.sort_values("census_year").drop_duplicates("geo_code", keep="last")
        by = latest_pop.set_index("geo_code")
        has = out["pt_code"].isin(by.index)
        out.loc[has, "population"] = out.loc[has, "pt_code"].map(by["population"]).astype(float)
        out.loc[has, "population_year"] = out.loc[has, "pt_code"].map(by["census_year"]).astype(float)
    out["population_year"] = out["population_year"].astype("Int64")
    out["portal_as_of"] = pd.to_datetime(out["portal_as_of"])
    out["portal_id"] = out["portal_id"].astype(object).where(out["portal_id"].notna(), None)
    return out


def level_summary(portals: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """Per level: `portals_count`, `refreshed_count` (portals with a successful count) and
    `datasets_count` (sum of their latest counts; NaN, not 0, when none is refreshed).

    >>> p = pd.DataFrame({"id": ["a", "b", "c"], "level": ["municipal", "municipal", "federal"]})
    >>> lt = pd.DataFrame({"portal_id": ["a"], "snapshot_date": pd.to_datetime(["2026-01-01"]), "dataset_count": [7]})
    >>> r = level_summary(p, lt).set_index("level")
    >>> (int(r.loc["municipal", "datasets_count"]), int(r.loc["municipal", "refreshed_count"]),
    ...  pd.isna(r.loc["federal", "datasets_count"]))
    (7, 1, True)
    """
    m = portals[["id", "level"]].merge(latest, left_on="id", right_on="portal_id", how="left")
    m["dataset_count"] = pd.to_numeric(m["dataset_count"], errors="coerce").astype(float)
    g = m.groupby("level", as_index=False).agg(
        portals_count=("id", "size"),
        refreshed_count=("dataset_count", "count"),
        datasets_count=("dataset_count", lambda s: s.sum(min_count=1)),
    )
    return g


def count_points(points: pd.DataFrame) -> pd.DataFrame:
    """Historical points that count catalogue records, with a `series` key (portal + metric: points of one
    series share a counting method) and the qualifier prefix kept in `qualifier_prefix`.

    >>> f = pd.DataFrame({"portal_label": ["A", "A", "B"], "metric": ["datasets", "resources", "datasets"],
    ...                   "value": [1200.0, 5.0, 11680.0], "qualifier": ["more_than", "exact", "approx"],
    ...                   "as_of": pd.to_datetime(["2021-03-18", "2021-03-18", "2012-03-01"])})
    >>> r = count_points(f)
    >>> r["series"].tolist(), r["qualifier_prefix"].tolist()
    (['B · datasets', 'A · datasets'], ['≈ ', '> '])
    """
    out = points[points["metric"].isin(COUNT_METRICS)].copy()
    unknown = set(out["qualifier"]) - set(QUALIFIER_PREFIX)
    if unknown:
        raise ValueError(f"unknown qualifier(s): {sorted(unknown)}")
    out["series"] = out["portal_label"] + " · " + out["metric"]
    out["qualifier_prefix"] = out["qualifier"].map(QUALIFIER_PREFIX)
    return out.sort_values(["as_of", "portal_label"], kind="stable").reset_index(drop=True)


def growth(series: pd.DataFrame, date_col: str, value_col: str) -> dict[str, object] | None:
    """First and last observation of one series and the change between them (abs and percent).

    >>> g = growth(pd.DataFrame({"d": pd.to_datetime(["2026-06-25", "2026-08-22"]), "v": [47462, 47792]}), "d", "v")
    >>> g["change_abs"], round(g["change_pct"], 2)
    (330.0, 0.7)
    """
    s = series[[date_col, value_col]].dropna().sort_values(date_col)
    if s.empty:
        return None
    first, last = s.iloc[0], s.iloc[-1]
    fv, lv = float(first[value_col]), float(last[value_col])
    return {
        "first_date": pd.Timestamp(first[date_col]),
        "first_value": fv,
        "last_date": pd.Timestamp(last[date_col]),
        "last_value": lv,
        "change_abs": lv - fv,
        "change_pct": None if fv == 0 else (lv - fv) / fv * 100.0,
        "points_count": int(len(s)),
    }


def organization_shares(org_counts: pd.DataFrame, organizations: pd.DataFrame) -> pd.DataFrame:
    """Records per organisation with names (`name_en`, `name_fr`), `share_pct` and a `kind` of
    'pt_government' for the federated provincial/territorial organisations, else 'federal'; largest first.

    >>> c = pd.DataFrame({"value": ["on", "tbs-sct"], "count": [1, 3]})
    >>> o = pd.DataFrame({"slug": ["on", "tbs-sct"], "name_en": ["Ontario", "TBS"], "name_fr": ["Ontario", "SCT"]})
    >>> r = organization_shares(c, o)
    >>> r["slug"].tolist(), r["share_pct"].tolist(), r["kind"].tolist()
    (['tbs-sct', 'on'], [75.0, 25.0], ['federal', 'pt_government'])
    """
    out = org_counts[["value", "count"]].rename(columns={"value": "slug", "count": "datasets_count"})
    out = out.merge(organizations[["slug", "name_en", "name_fr"]], on="slug", how="left")
    out["name_en"] = out["name_en"].fillna(out["slug"])
    out["name_fr"] = out["name_fr"].fillna(out["slug"])
    total = out["datasets_count"].sum()
    out["share_pct"] = out["datasets_count"] / total * 100.0 if total else np.nan
    out["kind"] = np.where(out["slug"].isin(FEDERATED_ORGS), "pt_government", "federal")
    return out.sort_values(["datasets_count", "slug"], ascending=[False, True], kind="stable").reset_index(drop=True)
