"""Two portals in one store: every query of the usage page reads one portal's rows, so a figure of
open.canada.ca (GA4 / Adobe Analytics) never includes open.yukon.ca's (Matomo), and the other way round;
each source names its analytics tool."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from opengov.features.usage import figures as uv
from opengov.features.usage import queries as q
from opengov.ingest.shipped import SHIPPED, yt_dataset_id

DATA = Path(__file__).resolve().parents[3] / "data"
CA, YT = "canada", "yt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path_factory.mktemp('two-portals') / 's.db'}"
    ensure_store(url)
    return url


def _csv(path: str) -> list[dict[str, str]]:
    with (DATA / path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_both_portals_have_usage_and_overlapping_months(store: str) -> None:
    assert q.portals_with_usage(store)["portal_id"].tolist() == [CA, YT]
    # both portals have monthly visits for July 2022 - June 2023: the case where a sum would be wrong
    ca = q.monthly("visits", portal=CA, url=store)
    yt = q.monthly("visits", portal=YT, url=store)
    both = set(ca["month_start"]) & set(yt["month_start"])
    assert len(both) == 12


def test_monthly_visits_are_each_portals_own(store: str) -> None:
    ca_file = {
        f"{int(r['year']):04d}-{int(r['month']):02d}": float(r["visits"])
        for r in _csv("research/ogp_monthly_visits_downloads_2022-07_2023-06.csv")
    }
    yt_file = {
        r["month"]: float(r["visits"])
        for r in _csv(
            "research/ytgov_ckan_open_government_portal_metrics/matomo_visits_and_pageviews_open_government_portal.csv"
        )
    }
    for portal, expected in ((CA, ca_file), (YT, yt_file)):
        got = q.monthly("visits", portal=portal, url=store)
        assert dict(zip(got["month_start"].dt.strftime("%Y-%m"), got["value_count"], strict=True)) == expected
        assert set(got["source_id"]) == ({"ogp_monthly_usage_2022_2023"} if portal == CA else {"yt_matomo_monthly"})
    # the same month, two values, never their sum
    jan = pd.Timestamp("2023-01-01")
    ca_jan = q.monthly("visits", portal=CA, url=store).set_index("month_start").at[jan, "value_count"]
    yt_jan = q.monthly("visits", portal=YT, url=store).set_index("month_start").at[jan, "value_count"]
    assert (ca_jan, yt_jan) == (ca_file["2023-01"], yt_file["2023-01"]) == (ca_jan, 3379)


def test_every_portal_filtered_query_keeps_to_its_portal(store: str) -> None:
    # open.canada.ca's figures: none of open.yukon.ca's rows
    assert q.monthly("pageviews", portal=CA, url=store).empty
    assert q.package_standing("downloads", "cumulative", CA, url=store)["value_count"].isna().all()
    assert q.by_dimension("packages_created", "year", "type", CA, url=store).empty
    top = q.dataset_top("downloads", dt.date(2023, 6, 1), dt.date(2023, 6, 1), 25, portal=CA, url=store)
    assert not top["dataset_id"].dropna().str.startswith("yt:").any() and len(top[top["list"] == "top"]) == 25
    assert not q.cumulative("dataset", "downloads", url=store, portal=CA).shape[0]
    assert set(q.extent(url=store, portal=CA)["metric"]) >= {"downloads", "visits"}
    assert "pageviews" not in set(q.extent(url=store, portal=CA)["metric"])
    # open.yukon.ca's figures: none of open.canada.ca's
    ext = q.extent(url=store, portal=YT)
    assert set(ext["metric"]) == {"visits", "pageviews"} and str(ext["first"].min().date()) == "2021-01-01"
    for frame in (
        q.monthly("downloads", portal=YT, url=store),
        q.monthly("downloads", "jurisdiction", portal=YT, url=store),
        q.daily("download_events", portal=YT, url=store),
        q.fiscal_totals(store, YT),
        q.datasets_by_department(store, YT),
        q.net_new_by_department(url=store, portal=YT),
        q.cumulative("region", url=store, portal=YT),
        q.cumulative("country", url=store, portal=YT),
        q.months_with_dataset_rows("download_events", store, YT),
        q.rows("downloads", "fiscal_year", url=store, portal=YT),
    ):
        assert frame.empty
    assert not q.fiscal_totals(store, CA).empty and not q.datasets_by_department(store, CA).empty
    assert len(q.months_with_dataset_rows("download_events", store, CA)) == 9


def test_yukon_top_packages_per_window(store: str) -> None:
    pkgs = _csv("research/ytgov_ckan_open_government_portal_metrics/packages_by_visits_and_downloads.csv")
    for grain, col in (("cumulative", "downloads"), ("last_90_days", "download_90_days")):
        st = q.package_standing("downloads", grain, YT, 10, url=store)
        top, total = st[st["list"] == "top"], st[st["list"] == "total"].iloc[0]
        expected = sorted((-int(r[col]), yt_dataset_id(r["name"])) for r in pkgs if int(r[col]) > 0)[:10]
        assert list(zip(-top["value_count"].astype(int), top["dataset_id"], strict=True)) == expected
        assert total["value_count"] == sum(int(r[col]) for r in pkgs)
        assert total["packages_count"] == len(pkgs) == 3778
        assert total["datasets_count"] == sum(1 for r in pkgs if int(r[col]) > 0)
        assert top["title_en"].notna().all()
    first = q.package_standing("downloads", "cumulative", YT, 1, url=store).iloc[0]
    assert (first["title_en"], first["value_count"]) == ("Hunting Permits", 117)
    data_only = q.package_standing("downloads", "last_90_days", YT, 25, "data", url=store)
    assert data_only[data_only["list"] == "top"]["note"].str.startswith("type=data;").all()
    assert data_only[data_only["list"] == "total"].iloc[0]["packages_count"] == 477


def test_each_source_names_its_analytics_tool() -> None:
    usage_sources = {s.id for s in SHIPPED if s.id.startswith(("ogp_", "yt_"))} - {
        "ogp_municipal_freshness",
        "ogp_plans_summary",
    }
    assert usage_sources <= set(uv.ANALYTICS_TOOL)
    assert {uv.ANALYTICS_TOOL[s] for s in ("yt_matomo_monthly", "yt_packages_usage")} == {("matomo",)}
    assert not any("matomo" in uv.ANALYTICS_TOOL[s] for s in usage_sources if s.startswith("ogp_"))
    assert uv.measured_by(YT, ("yt_matomo_monthly",), "en") == "**open.yukon.ca** · measured with Matomo."
    assert uv.measured_by(CA, ("ogp_visits_by_jurisdiction",), "fr") == (
        "**ouvert.canada.ca** · mesuré avec Google Analytics 4, puis Adobe Analytics."
    )
    assert "CKAN" in uv.measured_by(YT, ("yt_packages_by_year",), "en")
    assert uv.breaks_for(YT) == () and uv.breaks_for(CA)


def test_portal_queries_on_both_databases(db_url: str) -> None:
    """The portal-filtered queries give the same answers on SQLite and PostgreSQL."""
    from opengov.ingest.init import ensure_store

    ensure_store(db_url)
    st = q.package_standing("downloads", "last_90_days", YT, 3, "data", url=db_url)
    assert st["value_count"].tolist() == [52, 24, 12, 159]
    assert st["list"].tolist() == ["top", "top", "top", "total"]
    assert st.iloc[-1]["packages_count"] == 477 and st.iloc[-1]["datasets_count"] == 40
    created = q.by_dimension("packages_created", "year", "type", YT, url=db_url)
    assert len(created) == 41 and created["value_count"].sum() == 3778
    assert q.months_with_dataset_rows("download_events", db_url, YT).empty
    assert len(q.months_with_dataset_rows("download_events", db_url, CA)) == 9
    assert q.extent(url=db_url, portal=YT)["first"].min() == pd.Timestamp("2021-01-01")
    assert q.fiscal_totals(db_url, YT).empty and q.datasets_by_department(db_url, YT).empty
