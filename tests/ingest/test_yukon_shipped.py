"""open.yukon.ca's own metrics (Government of Yukon, Matomo and CKAN) load whole, under portal `yt`, idempotently,
and the summary files that are views of one CKAN listing must add up to it."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opengov.ingest.init import ensure_store
from opengov.ingest.shipped import YT_DIR, YT_PORTAL, ShippedDataError
from opengov.store import models as m
from opengov.store.db import session_scope

DATA = Path(__file__).resolve().parents[2] / "data"
YT = DATA / YT_DIR


def _file_rows(name: str) -> int:
    with (YT / name).open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def _usage_rows(s, source_id: str) -> int:
    return s.scalar(select(func.count()).select_from(m.UsageStat).where(m.UsageStat.source_id == source_id))


def test_yukon_files_load_whole_under_portal_yt_and_idempotently(db_url: str) -> None:
    loaded = ensure_store(db_url)
    files = {
        "yt_matomo_monthly": "matomo_visits_and_pageviews_open_government_portal.csv",
        "yt_packages_usage": "packages_by_visits_and_downloads.csv",
        "yt_packages_by_type": "packages_by_type.csv",
        "yt_packages_by_year": "packages_by_type_by_year.csv",
    }
    assert {sid: loaded[sid] for sid in files} == {sid: _file_rows(f) for sid, f in files.items()}
    assert [loaded[sid] for sid in files] == [65, 3778, 4, 41]
    with session_scope(db_url) as s:
        # one row per month and metric (visits, pageviews, actions); four per package (two metrics, two windows)
        assert [_usage_rows(s, sid) for sid in files] == [65 * 3, 3778 * 4, 4, 41]
        yt_rows = s.scalars(select(m.UsageStat).where(m.UsageStat.source_id.like("yt_%"))).all()
        assert {r.portal_id for r in yt_rows} == {YT_PORTAL}
        assert s.scalar(select(func.count()).select_from(m.UsageStat).where(m.UsageStat.portal_id == YT_PORTAL)) == len(
            yt_rows
        )
        grains = {(r.metric, r.grain, r.dimension) for r in yt_rows}
        assert grains == {
            ("visits", "month", "total"),
            ("pageviews", "month", "total"),
            ("actions", "month", "total"),
            ("visits", "cumulative", "dataset"),
            ("visits", "last_90_days", "dataset"),
            ("downloads", "cumulative", "dataset"),
            ("downloads", "last_90_days", "dataset"),
            ("packages", "snapshot", "type"),
            ("packages_created", "year", "type"),
        }
        # the figures as in the files
        may = next(
            r for r in yt_rows if r.metric == "visits" and r.grain == "month" and str(r.period_start) == "2026-05-01"
        )
        assert may.value == 4462
        hunting = {(r.metric, r.grain): r.value for r in yt_rows if r.dimension_key == "yt:hunting-permits"}
        assert hunting == {
            ("visits", "cumulative"): 110,
            ("visits", "last_90_days"): 163,
            ("downloads", "cumulative"): 117,
            ("downloads", "last_90_days"): 238,
        }
        by_type = {r.dimension_key: r.value for r in yt_rows if r.metric == "packages"}
        assert by_type == {"access-requests": 689, "data": 477, "information": 2436, "pia-summaries": 176}
        # titles: one per package, under an id no open.canada.ca id (a UUID) can take, short enough for the column
        titles = s.scalars(select(m.Dataset).where(m.Dataset.id.like(f"{YT_PORTAL}:%"))).all()
        assert len(titles) == 3778 and max(len(d.id) for d in titles) <= 64
        assert s.get(m.Dataset, "yt:hunting-permits").title_en == "Hunting Permits"
        portal = s.get(m.Portal, YT_PORTAL)
        assert (portal.level, portal.pt_code, portal.platform) == ("territorial", "YT", "ckan")
    counts = {}
    with session_scope(db_url) as s:
        counts = {sid: _usage_rows(s, sid) for sid in files}
        n_datasets = s.scalar(select(func.count()).select_from(m.Dataset))
    assert ensure_store(db_url) == {}  # a second init loads nothing
    with session_scope(db_url) as s:
        assert {sid: _usage_rows(s, sid) for sid in files} == counts
        assert s.scalar(select(func.count()).select_from(m.Dataset)) == n_datasets


@pytest.mark.parametrize(
    "name",
    ["open_data_datasets_by_year.csv", "packages_by_type_by_org.csv", "packages_by_type_by_year_by_org.csv"],
)
def test_yukon_views_of_one_listing_must_add_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(DATA), str(data)], check=True)
    f = data / YT_DIR / name
    lines = f.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[-2] = str(int(cells[-2]) + 1)  # one package more than the main file counts
    lines[1] = ",".join(cells)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("OPENGOV_DATA_DIR", str(data))
    with pytest.raises(ShippedDataError) as err:
        ensure_store(f"sqlite:///{tmp_path / 'y.db'}")
    assert err.value.file.endswith(name) and "add up" in err.value.reason
