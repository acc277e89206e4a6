"""The store on SQLite and on a real PostgreSQL server: init, idempotence, concurrency, audit, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from opengov.ingest.init import ensure_store
from opengov.ingest.shipped import SHIPPED, ShippedDataError
from opengov.store import models as m
from opengov.store.db import StoreError, get_engine, session_scope

REPO = Path(__file__).resolve().parents[2]


def _count(url: str, model: type) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_init_loads_every_shipped_source_and_is_idempotent(db_url: str) -> None:
    loaded = ensure_store(db_url)
    assert set(loaded) == {src.id for src in SHIPPED}
    counts = {
        model: _count(db_url, model)
        for model in (
            m.UsageStat,
            m.PortalSnapshot,
            m.SnapshotFacet,
            m.Milestone,
            m.Indicator,
            m.WgMeeting,
            m.Portal,
            m.ImpactFact,
            m.AuditLog,
        )
    }
    assert ensure_store(db_url) == {}  # second run loads nothing
    assert {model: _count(db_url, model) for model in counts} == counts


def test_shipped_figures_arrive_intact(db_url: str) -> None:
    ensure_store(db_url)
    with session_scope(db_url) as s:
        last = s.scalars(
            select(m.PortalSnapshot)
            .where(m.PortalSnapshot.origin == "ogp_packages_daily")
            .order_by(m.PortalSnapshot.snapshot_date.desc())
        ).first()
        assert (str(last.snapshot_date), last.dataset_count) == ("2026-08-22", 47792)
        facets = {
            f.value: f.count
            for f in s.scalars(
                select(m.SnapshotFacet).where(
                    m.SnapshotFacet.snapshot_id == last.id, m.SnapshotFacet.facet == "jurisdiction"
                )
            )
        }
        assert facets == {"federal": 35847, "provincial": 11660, "municipal": 285}
        # NAP counts from the official tracker schema: NAP4 56/135, NAP5 19/106, NAP6 19/65
        for plan, n_ms, n_ind in (("NAP4", 56, 135), ("NAP5", 19, 106), ("NAP6", 19, 65)):
            ms = s.scalar(select(func.count()).select_from(m.Milestone).where(m.Milestone.plan_id == plan))
            ind = s.scalar(
                select(func.count()).select_from(m.Indicator).join(m.Milestone).where(m.Milestone.plan_id == plan)
            )
            assert (plan, ms, ind) == (plan, n_ms, n_ind)
        csis = s.scalars(select(m.Milestone).where(m.Milestone.plan_id == "CSIS-PMOGO")).all()
        assert len(csis) == 48
        assert {st: sum(1 for x in csis if x.status == st) for st in ("complete", "not_started", "on_track")} == {
            "complete": 33,
            "not_started": 11,
            "on_track": 4,
        }
        fy = s.scalars(
            select(m.UsageStat).where(m.UsageStat.metric == "downloads", m.UsageStat.grain == "fiscal_year")
        ).all()
        assert sorted(int(x.value) for x in fy) == [810861, 895700, 1250429]


def test_audit_log_is_append_only_in_the_database(db_url: str) -> None:
    ensure_store(db_url)
    with session_scope(db_url) as s:
        s.add(m.AuditLog(actor="t", action="x", entity="e", entity_id="1"))
    engine = get_engine(db_url)
    for stmt in ("UPDATE audit_log SET actor = 'evil'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(stmt))
    assert _count(db_url, m.AuditLog) >= 1


def test_unknown_migration_state_is_a_clear_error(db_url: str) -> None:
    ensure_store(db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(StoreError) as err:
        ensure_store(db_url)
    assert err.value.code == "unknown_revision"


def test_corrupt_sqlite_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as err:
        ensure_store(f"sqlite:///{bad}")
    assert err.value.code == "db_unreachable"


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as err:
        ensure_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert err.value.code == "db_unreachable"


def test_missing_shipped_file_is_reported_and_nothing_is_loaded(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(REPO / "data"), str(data)], check=True)
    (data / "research" / "ogp_fiscal_year_totals_from_corporate_report.csv").unlink()
    env = {**os.environ, "OPENGOV_DATA_DIR": str(data), "OPENGOV_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    proc = subprocess.run([sys.executable, "-m", "opengov", "init"], cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.returncode == 3
    assert "ogp_fiscal_year_totals_from_corporate_report.csv: file is missing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_corrupt_shipped_file_names_the_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-r", str(REPO / "data"), str(data)], check=True)
    f = data / "research" / "ogp_monthly_visits_downloads_2022-07_2023-06.csv"
    lines = f.read_text().splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[2], "lots")
    f.write_text("\n".join(lines) + "\n")
    from opengov.ingest.init import ensure_store as ens

    os.environ["OPENGOV_DATA_DIR"] = str(data)
    try:
        with pytest.raises(ShippedDataError) as err:
            ens(f"sqlite:///{tmp_path / 'y.db'}")
    finally:
        del os.environ["OPENGOV_DATA_DIR"]
    assert err.value.line == 4 and "'visits'" in err.value.reason
    with session_scope(f"sqlite:///{tmp_path / 'y.db'}") as s:  # all-or-nothing: nothing was loaded
        assert s.scalar(select(func.count()).select_from(m.Source)) == 0


def test_two_processes_initialising_a_fresh_database_at_once(db_url: str, tmp_path: Path) -> None:
    code = "from opengov.ingest.init import ensure_store; import sys; ensure_store(sys.argv[1]); print('ok')"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, db_url], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    # exactly one copy of the data
    assert _count(db_url, m.Milestone) == 48 + 56 + 19 + 19
    with session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(m.Source)) == len(SHIPPED)
