"""Item 7 of issue 21: long imports are written in row batches without giving up all-or-nothing: a bad
last row of a large file writes nothing, a kill -9 in the middle writes nothing, an editor's save made
during the import is kept (with the import's rows), and a file over the stated size limit is refused
with that limit. (How fast is in benchmarks/bench_imports.py: these tests check correctness only.)"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opengov.auth import Actor
from opengov.cli import main
from opengov.features.working_group.imports import ImportRejected, import_file, save_form
from opengov.store import models as m
from opengov.store.db import session_scope
from tests.helpers.browser import REPO_ROOT

HEADER = ["meeting_id", "meeting_date", "held", "activity_kind", "activity_en", "activity_fr", "presenter"]
EDITOR = Actor("edna", "editor")


def _meetings(path: Path, n: int, *, bad_last: bool = False, repeat_activity: bool = False) -> Path:
    start = dt.date(2001, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            day = (start + dt.timedelta(days=i % 20_000)).isoformat()
            if bad_last and i == n - 1:
                day = "2031-01-15garbage"
            w.writerow([f"L{i:06d}", day, "yes", "presentation", f"Update {i}", f"Mise à jour {i}", "Québec"])
            if repeat_activity and i % 2 == 0:  # the same activity again: added once
                w.writerow([f"L{i:06d}", day, "yes", "presentation", f"Update {i}", f"Mise à jour {i}", "Québec"])
    return path


def _counts(url: str) -> tuple[int, int, int]:
    with session_scope(url) as s:
        return (
            s.scalar(select(func.count()).select_from(m.WgMeeting)),
            s.scalar(select(func.count()).select_from(m.WgActivity)),
            s.scalar(select(func.count()).select_from(m.AuditLog)),
        )


def test_a_large_file_with_a_bad_last_row_writes_nothing(store: str, tmp_path: Path) -> None:
    before = _counts(store)
    path = _meetings(tmp_path / "m.csv", 12_000, bad_last=True)
    with pytest.raises(ImportRejected) as info:
        import_file("meetings", path.read_bytes(), path.name, EDITOR, store)
    assert [(i.line, i.code) for i in info.value.issues] == [(12_001, "bad_date")]
    assert _counts(store) == before


def test_a_large_file_imports_whole_with_one_audit_row_per_new_row(store: str, tmp_path: Path) -> None:
    before = _counts(store)
    path = _meetings(tmp_path / "m.csv", 12_000, repeat_activity=True)
    res = import_file("meetings", path.read_bytes(), path.name, EDITOR, store)
    assert (res.rows, res.inserted, res.updated, res.unchanged) == (12_000, 12_000, 0, 0)
    assert _counts(store) == (before[0] + 12_000, before[1] + 12_000, before[2] + 24_000)
    with session_scope(store) as s:
        act = s.get(m.WgActivity, "L000007-01")
        assert (act.meeting_id, act.text_fr, act.presenter_fr) == ("L000007", "Mise à jour 7", "Québec")
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.entity_id == "L000007")).one()
        assert (audit.actor, audit.action, audit.field) == ("edna", "insert", "*")
        assert json.loads(audit.new_value)["meeting_date"] == "2001-01-08"
    # the same file again: every meeting is already there, unchanged; no activity twice
    res = import_file("meetings", path.read_bytes(), path.name, EDITOR, store)
    assert (res.inserted, res.updated, res.unchanged) == (0, 0, 12_000)
    assert _counts(store)[:2] == (before[0] + 12_000, before[1] + 12_000)


def test_an_editor_saves_during_a_long_import(sqlite_cli_store: str, tmp_path: Path) -> None:
    url = sqlite_cli_store
    before = _counts(url)
    path = _meetings(tmp_path / "m.csv", 60_000)
    done: list[object] = []

    def run() -> None:
        done.append(import_file("meetings", path.read_bytes(), path.name, EDITOR, url))

    worker = threading.Thread(target=run)
    worker.start()
    saved = []
    n = 0
    while worker.is_alive() or not saved:
        n += 1
        values = {"meeting_date": dt.date(1999, 1, 1) + dt.timedelta(days=n), "held": "yes", "activity_en": f"S{n}"}
        saved.append(save_form("meetings", values, Actor("otto", "editor"), url)[0])
        time.sleep(0.2)
    worker.join()
    assert done and done[0].inserted == 60_000  # type: ignore[attr-defined]
    meetings = _counts(url)[0]
    assert meetings == before[0] + 60_000 + len(saved)  # nothing lost on either side


def test_kill_9_during_a_long_import_writes_nothing(sqlite_cli_store: str, tmp_path: Path) -> None:
    url = sqlite_cli_store
    before = _counts(url)
    path = _meetings(tmp_path / "m.csv", 150_000)
    env = {**os.environ, "OPENGOV_DATABASE_URL": url, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "opengov", "import", "meetings", str(path)], cwd=REPO_ROOT, env=env)
    time.sleep(4.0)  # reading and staging the rows
    assert child.poll() is None, "the import should still be running"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert _counts(url) == before
    assert main(["import", "meetings", str(_meetings(tmp_path / "small.csv", 10))]) == 0  # the store still works


def test_a_file_over_the_size_limit_is_refused_with_the_limit(sqlite_cli_store: str, tmp_path: Path, capsys) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as f:
        f.write(",".join(HEADER) + "\n")
        f.write(("x" * 1023 + "\n") * (51 * 1024))
    assert main(["import", "meetings", str(big)]) == 1
    err = capsys.readouterr().err
    assert "an import takes at most 50 MB and 200,000 data rows" in err
    analytics = tmp_path / "monthly.csv"
    with analytics.open("w", encoding="utf-8") as f:
        f.write("year_annee,month_mois,visits_visites,downloads_telechargements\n")
        f.write(("2023,6,1,1" + " " * 1013 + "\n") * (51 * 1024))
    assert main(["import", "analytics", str(analytics)]) == 1
    assert "an import takes at most 50 MB and 200,000 rows" in capsys.readouterr().err
