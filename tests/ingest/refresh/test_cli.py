"""The command line: refresh exit codes (subprocess), import portals / analytics, export table, kill -9."""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

from opengov.cli import main
from opengov.ingest.refresh import refresh_portals
from opengov.store import models as m
from opengov.store.db import get_engine, session_scope
from opengov.store.models_refresh import RefreshAttempt, RefreshRun
from tests.helpers.browser import REPO_ROOT
from tests.helpers.http_servers import FIXTURES
from tests.ingest.refresh.conftest import (
    CKAN_PREFIX,
    CONFIG,
    ODS_PREFIX,
    ods_facet_rows,
    serve_ckan,
    serve_fault,
    serve_ods,
)

HEADER = ["id", "name_en", "name_fr", "level", "pt_code", "platform", "api_base_url", "homepage"]


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "OPENGOV_DATABASE_URL": url, "PYTHONPATH": str(REPO_ROOT)}


def _run(url: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opengov", *args, "--retries", "0", "--timeout", "2"],
        cwd=REPO_ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def cli_url(sqlite_store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENGOV_DATABASE_URL", sqlite_store)
    return sqlite_store


def _count(url: str, model: type, *where) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


# --------------------------------------------------------------------------- import portals
def test_import_portals_then_refresh_exit_codes(cli_url, portals, tmp_path, capsys):
    good, bad = portals(), portals()
    serve_ods(good)
    serve_ckan(bad)
    serve_fault(bad, "http_503")
    rows = [
        [
            "loop-good",
            "Loop Good",
            "Boucle bonne",
            "municipal",
            "BC",
            "opendatasoft",
            good.base + ODS_PREFIX,
            good.base + "/",
        ],
        ["loop-bad", "Loop Bad", "Boucle mauvaise", "provincial", "QC", "ckan", bad.base + CKAN_PREFIX, bad.base + "/"],
        ["loop-custom", "Custom", "Sur mesure", "territorial", "YT", "custom", "", "https://example.invalid/"],
    ]
    assert main(["import", "portals", str(_csv(tmp_path / "p.csv", rows))]) == 0
    assert "3 added, 0 updated" in capsys.readouterr().out
    # Re-import updates in place.
    rows[0][1] = "Loop Good (renamed)"
    assert main(["import", "portals", str(_csv(tmp_path / "p.csv", rows))]) == 0
    assert "0 added, 3 updated" in capsys.readouterr().out
    with session_scope(cli_url) as s:
        assert s.get(m.Portal, "loop-good").name_en == "Loop Good (renamed)"

    # Exit codes, from a real subprocess as cron runs it.
    ok = _run(cli_url, "refresh", "--portal", "loop-good", "--portal", "loop-custom")
    assert ok.returncode == 0, ok.stderr
    assert "loop-good" in ok.stdout and "skipped: platform unknown" in ok.stdout
    assert "1/1 " in ok.stderr and "loop-good ok" in ok.stderr  # progress works without a TTY
    some = _run(cli_url, "refresh", "--portal", "loop-good", "--portal", "loop-bad", "--workers", "2")
    assert some.returncode == 2, some.stderr
    assert "http_503" in some.stdout
    allbad = _run(cli_url, "refresh", "--portal", "loop-bad")
    assert allbad.returncode == 3
    assert main(["refresh", "--portal", "no-such-portal"]) == 1
    assert "unknown portal id(s): no-such-portal" in capsys.readouterr().err
    assert _count(cli_url, RefreshRun) == 3


def test_import_portals_bad_file_names_line_and_reason_and_writes_nothing(cli_url, tmp_path, capsys):
    before = _count(cli_url, m.Portal)
    rows = [
        ["ok-one", "Fine", "Bien", "municipal", "ON", "ckan", "https://a.example/api/3/action", "https://a.example/"],
        ["Bad Id", "X", "X", "municipal", "ON", "", "", ""],
        ["two", "X", "X", "county", "ON", "", "", ""],
        ["three", "X", "X", "provincial", "YT", "ckna", "ftp://x", ""],
        ["ok-one", "Dup", "Dup", "federal", "", "", "", ""],
    ]
    assert main(["import", "portals", str(_csv(tmp_path / "bad.csv", rows))]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "line 3: id 'Bad Id'" in err
    assert "line 4: level 'county' must be one of" in err
    assert "line 5: pt_code 'YT' is not a province code" in err
    assert "line 5: platform 'ckna' must be empty or one of" in err
    assert "line 5: api_base_url must be an http:// or https:// address" in err
    assert "line 6: id 'ok-one' is already used on line 2" in err
    assert _count(cli_url, m.Portal) == before
    with session_scope(cli_url) as s:
        assert s.get(m.Portal, "ok-one") is None and s.get(m.Source, "import:portals") is None

    assert main(["import", "portals", str(_csv(tmp_path / "h.csv", [["x"]], ["id", "name_en"]))]) == 1
    assert "line 1: missing column(s): name_fr, level" in capsys.readouterr().err
    (tmp_path / "latin1.csv").write_bytes(",".join(HEADER).encode() + b"\nx,Qu\xe9bec,Qu\xe9bec,municipal,QC,,,\n")
    assert main(["import", "portals", str(tmp_path / "latin1.csv")]) == 1
    assert "line 2: not valid UTF-8" in capsys.readouterr().err


# --------------------------------------------------------------------------- import analytics
@pytest.mark.parametrize("fixture", ["analytics_monthly_usage_old.csv", "analytics_monthly_usage_new.csv"])
def test_import_analytics_old_and_new_headers(cli_url, tmp_path, capsys, fixture):
    path = tmp_path / fixture
    path.write_bytes((FIXTURES / fixture).read_bytes())
    assert main(["import", "analytics", str(path)]) == 0
    assert "layout monthly_usage, 24 usage rows under source import:monthly_usage" in capsys.readouterr().out
    with session_scope(cli_url) as s:
        june = s.scalar(
            select(m.UsageStat.value).where(
                m.UsageStat.source_id == "import:monthly_usage",
                m.UsageStat.metric == "downloads",
                m.UsageStat.period_start == pd.Timestamp("2023-06-01").date(),
            )
        )
        assert june == 106948
    assert main(["import", "analytics", str(path)]) == 0  # re-import replaces, no duplicates
    assert _count(cli_url, m.UsageStat, m.UsageStat.source_id == "import:monthly_usage") == 24


def test_import_analytics_top100_and_bad_files(cli_url, tmp_path, capsys):
    top = tmp_path / "top100.csv"
    top.write_bytes((FIXTURES / "analytics_top100_new.csv").read_bytes())
    assert main(["import", "analytics", str(top)]) == 0
    capsys.readouterr()
    before = _count(cli_url, m.UsageStat)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "year_annee,month_mois,visits_visites,downloads_telechargements\n2023,6,10,20\n2023,13,1,2\n", encoding="utf-8"
    )
    assert main(["import", "analytics", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv, line 3: month 13 is outside 1-12" in err and "nothing was written" in err
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    assert main(["import", "analytics", str(unknown)]) == 1
    assert "unknown.csv, line 1: unrecognised header" in capsys.readouterr().err
    assert _count(cli_url, m.UsageStat) == before
    with session_scope(cli_url) as s:
        assert s.get(m.Source, "import:monthly_usage") is None


# --------------------------------------------------------------------------- export table
def test_export_table_csv_and_xlsx_round_trip_with_formulas(cli_url, tmp_path, capsys):
    rows = [["evil", '=HYPERLINK("http://x")', "@Montréal – Québec", "municipal", "QC", "", "", ""]]
    assert main(["import", "portals", str(_csv(tmp_path / "p.csv", rows))]) == 0
    out_csv, out_xlsx = tmp_path / "portals.csv", tmp_path / "portals.xlsx"
    assert main(["export", "table", "portals", "--out", str(out_csv)]) == 0
    assert main(["export", "table", "portals", "--out", str(out_xlsx)]) == 0
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(out_csv, encoding="utf-8-sig", keep_default_na=False)
    evil = df[df["id"] == "evil"].iloc[0]
    assert evil["name_en"] == '\'=HYPERLINK("http://x")' and evil["name_fr"] == "'@Montréal – Québec"
    assert len(df) == _count(cli_url, m.Portal)
    ws = openpyxl.load_workbook(out_xlsx)["portals"]
    header = [c.value for c in ws[1]]
    assert ws["A1"].font.b and "name_en" in header
    values = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert values["evil"][header.index("name_en")] == '\'=HYPERLINK("http://x")'
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert values["canada"][header.index("population_2011")] == 33476688  # numbers stay numbers

    assert main(["export", "table", "audit", "--out", str(tmp_path / "audit.xlsx")]) == 0  # tz-aware datetimes
    assert main(["export", "table", "nope", "--out", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert "unknown table 'nope'" in err and "portals, snapshots, usage, milestones, meetings, audit" in err
    assert main(["export", "table", "usage", "--out", str(tmp_path / "x.json")]) == 1


# --------------------------------------------------------------------------- kill -9
def test_kill_9_mid_run_leaves_a_consistent_store(cli_url, portals, tmp_path):
    ids = [f"slow-{i}" for i in range(6)]
    rows = []
    for pid in ids:
        srv = portals()
        serve_ods(srv, delay=0.5)  # two calls per portal: ~1 s each
        rows.append([pid, pid, pid, "municipal", "ON", "opendatasoft", srv.base + ODS_PREFIX, srv.base + "/"])
    assert main(["import", "portals", str(_csv(tmp_path / "slow.csv", rows))]) == 0
    args = [sys.executable, "-m", "opengov", "refresh", "--workers", "2"]
    for pid in ids:
        args += ["--portal", pid]
    proc = subprocess.Popen(
        args, cwd=REPO_ROOT, env=_env(cli_url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _count(cli_url, RefreshAttempt) < 2:
            time.sleep(0.02)
        assert _count(cli_url, RefreshAttempt) >= 2, "the refresh did not start"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    get_engine(cli_url).dispose()
    path = cli_url.split("///", 1)[1]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    written = _count(cli_url, RefreshAttempt)
    assert 2 <= written < len(ids)  # killed mid-run
    _assert_consistent(cli_url, ids)
    with session_scope(cli_url) as s:
        (run,) = s.scalars(select(RefreshRun)).all()
        assert run.status == "running" and run.finished_at is None  # visibly interrupted

    again = refresh_portals(cli_url, ids, client_config=dataclasses.replace(CONFIG, read_timeout=5), max_workers=6)
    assert again.exit_code == 0
    _assert_consistent(cli_url, ids, complete=True)


def _assert_consistent(url: str, ids: list[str], complete: bool = False) -> None:
    """Every refresh snapshot has all its facets or none (failed); no duplicates; attempts match."""
    expected = ods_facet_rows()
    with session_scope(url) as s:
        snaps = list(s.scalars(select(m.PortalSnapshot).where(m.PortalSnapshot.portal_id.in_(ids))))
        for snap in snaps:
            n = s.scalar(
                select(func.count()).select_from(m.SnapshotFacet).where(m.SnapshotFacet.snapshot_id == snap.id)
            )
            assert n == (expected if snap.ok else 0), (snap.portal_id, n)
            attempt = s.scalars(
                select(RefreshAttempt).where(RefreshAttempt.snapshot_id == snap.id).order_by(RefreshAttempt.id.desc())
            ).first()
            assert attempt is not None and attempt.facet_rows == n
        keys = [(x.portal_id, x.snapshot_date, x.origin) for x in snaps]
        assert len(keys) == len(set(keys))
        if complete:
            assert sorted(x.portal_id for x in snaps if x.ok) == sorted(ids)


# --------------------------------------------------------------------------- registry export, operator edits
CDI_EXPORT = REPO_ROOT / "data" / "research" / "cdi_dataportals_registry_canada_2026-08-22.csv"


def test_import_portals_accepts_the_registry_export_keeping_ids_by_host(cli_url, tmp_path, capsys):
    with CDI_EXPORT.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames
        recs = [r for r in reader if r["id"] in ("openyukonca", "opendatavancouverca", "datacalgaryca")]
    recs[0] = {**recs[0]}
    newer = tmp_path / "registry-export.csv"
    with newer.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(recs)
    assert main(["import", "portals", str(newer)]) == 0
    out = capsys.readouterr().out
    assert "3 updated" in out or "updated" in out
    with session_scope(cli_url) as s:
        yt = s.get(m.Portal, "yt")  # same host as the shipped row: its id is kept
        assert yt is not None and yt.platform == "ckan" and yt.source_id == "import:portals"
        assert "platform" in yt.operator_fields.split(",")
        van = s.get(m.Portal, "vancouver-bc")
        assert van.platform == "opendatasoft" and van.api_base_url.endswith("/api/explore/v2.1")


def test_import_portals_refuses_a_registry_row_with_an_unknown_province_code(cli_url, tmp_path, capsys):
    with CDI_EXPORT.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = reader.fieldnames
        recs = [next(reader), next(reader)]
    recs[1]["subregion_id"] = "CA-ZZ"
    bad = tmp_path / "registry-export.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(recs)
    before = _count(cli_url, m.Portal)
    assert main(["import", "portals", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "CA-ZZ" in err and "nothing was written" in err
    assert _count(cli_url, m.Portal) == before


def test_operator_edits_outlive_a_new_release_of_the_registry(cli_url, tmp_path, capsys):
    """`init` after a release (portals.csv changed) writes over shipped fields only, never the operator's."""
    from opengov.ingest.shipped import load_shipped

    edited = _csv(
        tmp_path / "edit.csv",
        [
            [
                "yt",
                "Yukon (edited)",
                "Yukon (modifié)",
                "territorial",
                "YT",
                "ckan",
                "https://open.yukon.ca/api/3/action",
                "https://open.yukon.ca/",
            ]
        ],
    )
    assert main(["import", "portals", str(edited)]) == 0
    with session_scope(cli_url) as s:
        s.get(m.Source, "portals").sha256 = "a previous release"  # the shipped file "changed"
    with session_scope(cli_url) as s:
        assert "portals" in load_shipped(s)
    with session_scope(cli_url) as s:
        yt = s.get(m.Portal, "yt")
        assert yt.name_en == "Yukon (edited)" and yt.name_fr == "Yukon (modifié)"
        assert "name_en=operator" in yt.field_sources
        bc = s.get(m.Portal, "bc")  # not edited: the release's values
        assert bc.name_en == "British Columbia" and "operator" not in bc.field_sources


# --------------------------------------------------------------------------- import analytics: shipped layouts
def _shipped_file(source_id: str) -> Path:
    from opengov.ingest.shipped import SHIPPED

    return REPO_ROOT / "data" / next(s.file for s in SHIPPED if s.id == source_id)


@pytest.mark.parametrize("source_id", __import__("opengov.commands.refresh", fromlist=["x"]).SHIPPED_USAGE_LAYOUTS)
def test_import_analytics_takes_every_shipped_layout_and_never_sums_it_with_the_shipped_rows(
    cli_url, capsys, source_id
):
    path = _shipped_file(source_id)
    with session_scope(cli_url) as s:
        before = dict(
            s.execute(
                select(m.UsageStat.metric, func.sum(m.UsageStat.value))
                .where(m.UsageStat.is_current.is_(True))
                .group_by(m.UsageStat.metric)
            ).all()
        )
    assert main(["import", "analytics", str(path)]) == 0, capsys.readouterr().err
    assert f"layout {source_id}" in capsys.readouterr().out
    with session_scope(cli_url) as s:
        after = dict(
            s.execute(
                select(m.UsageStat.metric, func.sum(m.UsageStat.value))
                .where(m.UsageStat.is_current.is_(True))
                .group_by(m.UsageStat.metric)
            ).all()
        )
        imported = s.scalar(select(func.count()).where(m.UsageStat.source_id == f"import:{source_id}"))
        shipped_current = s.scalar(
            select(func.count()).where(m.UsageStat.source_id == source_id, m.UsageStat.is_current.is_(True))
        )
    assert imported > 0 and shipped_current == 0  # the import is current; the shipped rows are kept apart
    assert after == pytest.approx(before)  # the same figures once, never twice


def test_a_newer_release_of_a_shipped_file_replaces_its_months(cli_url, tmp_path, capsys):
    from opengov.features.usage import queries as uq

    rows = list(csv.DictReader(_shipped_file("ogp_monthly_usage_2022_2023").open(encoding="utf-8")))
    newer = [dict(r) for r in rows]
    june = next(r for r in newer if r["year"] == "2023" and r["month"] == "6")
    june["visits"] = "250000"  # a revised figure
    newer.append({**june, "year": "2023", "month": "7", "visits": "240000", "downloads": "100000"})
    path = tmp_path / "monthly-newer.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(newer)
    assert main(["import", "analytics", str(path)]) == 0, capsys.readouterr().err
    visits = uq.monthly("visits", url=cli_url).set_index("month_start")["value_count"]
    assert visits[pd.Timestamp("2023-06-01")] == 250000  # replaced, not added to 246,595
    assert visits[pd.Timestamp("2023-07-01")] == 240000


def test_a_bad_row_in_a_shipped_layout_is_refused_with_its_line(cli_url, tmp_path, capsys):
    rows = list(csv.DictReader(_shipped_file("ogp_monthly_usage_2022_2023").open(encoding="utf-8")))
    rows[3]["visits"] = "lots"
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    before = _count(cli_url, m.UsageStat)
    assert main(["import", "analytics", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "line 5" in err
    assert _count(cli_url, m.UsageStat) == before
