"""Counts by jurisdiction: latest successful counts, provinces/territories, per capita, rankings, qualifiers."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.jurisdictions import (
    FEDERATED_ORGS,
    count_points,
    growth,
    latest_successful,
    level_summary,
    organization_shares,
    per_100k,
    provinces_territories,
    rank_desc,
)


def _snaps(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["portal_id", "origin", "snapshot_date", "ok", "dataset_count"]).assign(
        snapshot_date=lambda d: pd.to_datetime(d["snapshot_date"])
    )


def test_latest_successful_skips_failed_and_other_origins() -> None:
    s = _snaps(
        [
            ("on", "refresh", "2026-09-01", True, 3000),
            ("on", "refresh", "2026-09-02", False, None),  # failed: ignored
            ("on", "refresh", "2026-09-03", True, None),  # no count: ignored
            ("canada", "ogp_packages_daily", "2026-08-22", True, 47792),  # shipped, not a refresh
            ("bc", "refresh", "2026-09-05", False, None),
        ]
    )
    r = latest_successful(s)
    assert r["portal_id"].tolist() == ["on"]
    assert r["dataset_count"].tolist() == [3000]
    assert r["snapshot_date"].tolist() == [pd.Timestamp("2026-09-01")]


def test_latest_successful_with_no_snapshot() -> None:
    r = latest_successful(_snaps([]))
    assert r.empty and list(r.columns) == ["portal_id", "snapshot_date", "dataset_count"]
    assert latest_successful(_snaps([("on", "refresh", "2026-09-02", False, None)])).empty


def test_per_capita_is_nan_not_zero_when_population_is_missing() -> None:
    r = per_100k(pd.Series([2665, 139, 1132, None, 10]), pd.Series([3_645_257, 140_204, None, 1000, 0]))
    assert r.iloc[0] == pytest.approx(2665 / 3_645_257 * 100_000)  # 73.108...
    assert round(r.iloc[0], 1) == 73.1 and round(r.iloc[1], 1) == 99.1
    assert r.iloc[2:].isna().all()


def test_rank_ties_share_the_best_rank_and_missing_come_last() -> None:
    f = pd.DataFrame(
        {"name": ["Yukon", "Alberta", "Nunavut", "Ontario", "Quebec"], "v": [100.0, 300.0, None, 100.0, 50.0]}
    )
    r = rank_desc(f, "v", "name")
    assert r["name"].tolist() == ["Alberta", "Ontario", "Yukon", "Quebec", "Nunavut"]
    assert r["rank"].tolist() == [1, 2, 2, 4, pd.NA]
    assert f["v"].isna().sum() == 1 and "rank" not in f  # input untouched


def test_provinces_territories_from_the_shipped_store(tmp_path) -> None:
    from opengov.features.jurisdictions import queries as q
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path / 's.db'}"
    ensure_store(url)
    portals = q.portals(url)
    orgs = q.organization_counts(url)
    r = provinces_territories(portals, latest_successful(q.all_snapshots(url)), orgs).set_index("pt_code")
    assert len(r) == 13
    assert r["portal_datasets_count"].isna().all()  # not refreshed yet: no data, never 0
    assert r.loc["AB", "federated_datasets_count"] == 2665 and r.loc["QC", "federated_datasets_count"] == 1340
    assert r.loc["YT", "federated_datasets_count"] == 1132 and r.loc["NT", "federated_datasets_count"] == 133
    assert pd.isna(r.loc["NU", "federated_datasets_count"])  # no Nunavut organisation
    assert r["federated_datasets_count"].sum() == sum(orgs.set_index("value").loc[list(FEDERATED_ORGS), "count"])
    assert r.loc["ON", "population_2011"] == 12_851_821 and pd.isna(r.loc["MB", "population_2011"])
    assert r.loc["MB", "portal_id"] is None and r.loc["ON", "portal_id"] == "on"


def test_provinces_territories_use_the_latest_refresh() -> None:
    portals = pd.DataFrame(
        {
            "id": ["on", "qc"],
            "level": ["provincial", "provincial"],
            "pt_code": ["ON", "QC"],
            "population_2011": [12_851_821, 7_903_001],
        }
    )
    latest = latest_successful(
        _snaps(
            [
                ("on", "refresh", "2026-09-01", True, 2500),
                ("on", "refresh", "2026-10-01", True, 2600),
                ("qc", "refresh", "2026-10-01", False, None),
            ]
        )
    )
    r = provinces_territories(portals, latest, pd.DataFrame({"value": [], "count": []})).set_index("pt_code")
    assert r.loc["ON", "portal_datasets_count"] == 2600
    assert r.loc["ON", "portal_as_of"] == pd.Timestamp("2026-10-01")
    assert pd.isna(r.loc["QC", "portal_datasets_count"])
    assert r["federated_datasets_count"].isna().all()


def test_level_summary_keeps_missing_as_nan() -> None:
    portals = pd.DataFrame(
        {"id": ["canada", "on", "toronto", "ottawa"], "level": ["federal", "provincial", "municipal", "municipal"]}
    )
    latest = latest_successful(
        _snaps([("toronto", "refresh", "2026-09-01", True, 295), ("ottawa", "refresh", "2026-09-01", True, 5)])
    )
    r = level_summary(portals, latest).set_index("level")
    assert r.loc["municipal", "datasets_count"] == 300 and r.loc["municipal", "refreshed_count"] == 2
    assert r.loc["municipal", "portals_count"] == 2
    assert pd.isna(r.loc["federal", "datasets_count"]) and r.loc["federal", "refreshed_count"] == 0


def test_count_points_keep_qualifiers_and_split_series() -> None:
    f = pd.DataFrame(
        {
            "portal_label": ["City of Edmonton", "data.gc.ca", "data.gc.ca", "City of Edmonton", "City of Edmonton"],
            "metric": ["datasets", "datasets_listed", "datasets_listed", "portal_visits", "datasets"],
            "value": [1200.0, 261077.0, 11680.0, 848142.0, 12.0],
            "qualifier": ["more_than", "exact", "exact", "exact", "approx"],
            "as_of": pd.to_datetime(["2021-03-18", "2011-03-18", "2012-03-01", "2012-01-01", "2010-01-01"]),
        }
    )
    r = count_points(f)
    assert "portal_visits" not in set(r["metric"])  # not a count of records
    assert r["qualifier"].tolist() == ["approx", "exact", "exact", "more_than"]
    assert r["qualifier_prefix"].tolist() == ["≈ ", "", "", "> "]
    assert r["series"].nunique() == 2
    with pytest.raises(ValueError):
        count_points(f.assign(qualifier="about"))


def test_count_points_from_the_shipped_timeline_preserve_every_qualifier() -> None:
    from opengov import config
    from opengov.ingest.shipped import SHIPPED, read_csv_rows

    src = next(s for s in SHIPPED if s.id == "counts_timeline")
    rows = pd.DataFrame(read_csv_rows(config.data_dir() / src.file, src.required))
    pts = count_points(
        rows.rename(columns={"portal": "portal_label", "value_qualifier": "qualifier"}).assign(
            value=lambda d: d["value"].astype(float), as_of=pd.Timestamp("2020-01-01")
        )
    )
    edmonton = pts[(pts["portal_label"] == "City of Edmonton")].set_index("value")
    assert edmonton.loc[1200.0, "qualifier_prefix"] == "> " and edmonton.loc[12.0, "qualifier_prefix"] == "≈ "
    assert (pts["qualifier"] == "more_than").sum() >= 4


def test_growth_by_hand() -> None:
    g = growth(
        pd.DataFrame({"d": pd.to_datetime(["2026-08-22", "2026-06-25", "2026-07-01"]), "v": [47792, 47462, None]}),
        "d",
        "v",
    )
    assert (g["first_value"], g["last_value"], g["change_abs"], g["points_count"]) == (47462, 47792, 330, 2)
    assert g["change_pct"] == pytest.approx(330 / 47462 * 100)
    assert growth(pd.DataFrame({"d": [], "v": []}), "d", "v") is None
    assert growth(pd.DataFrame({"d": pd.to_datetime(["2026-01-01"]), "v": [0]}), "d", "v")["change_pct"] is None


def test_organization_shares_names_and_kinds() -> None:
    counts = pd.DataFrame({"value": ["nrcan-rncan", "ab", "unknown-org"], "count": [10054, 2665, 1]})
    orgs = pd.DataFrame(
        {
            "slug": ["nrcan-rncan", "ab"],
            "name_en": ["Natural Resources Canada", "Government of Alberta"],
            "name_fr": ["Ressources naturelles Canada", "Gouvernement de l'Alberta"],
        }
    )
    r = organization_shares(counts, orgs)
    assert r["slug"].tolist() == ["nrcan-rncan", "ab", "unknown-org"]
    assert r["kind"].tolist() == ["federal", "pt_government", "federal"]
    assert r.loc[2, "name_fr"] == "unknown-org"  # unnamed: its slug, not blank
    assert r["share_pct"].sum() == pytest.approx(100.0)
