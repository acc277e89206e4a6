"""The action-plans page's import: previewed, then written in the background with its progress on the
page and a Cancel button that writes nothing (issue 21), in both languages (AppTest, SQLite)."""

from __future__ import annotations

import csv
import io
import time

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from opengov.auth import Actor
from opengov.i18n import t
from opengov.store import models as m
from opengov.store.db import session_scope
from tests.app.test_plans_page import db, open_page, template  # noqa: F401 - the page's store fixtures

EDITOR = Actor("ann", "editor")


def _plan_csv(rows: int) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Reference", "Milestone", "Start date", "End date", "Status"])
    for i in range(rows):
        w.writerow([f"R{i % 400}", f"Milestone {i}", "2024-01-15", f"2025-{i % 12 + 1:02d}-28", "In progress"])
    return buf.getvalue().encode("utf-8")


def _milestones(url: str, plan: str) -> int:
    with session_scope(url) as s:
        return int(s.scalar(select(func.count()).select_from(m.Milestone).where(m.Milestone.plan_id == plan)) or 0)


def _upload(at: AppTest, data: bytes, plan: str) -> AppTest:
    at.text_input(key="plans_import_plan").set_value(plan)
    at.file_uploader(key="plans_import_file").set_value(("table.csv", data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="plans_import_confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _until_done(at: AppTest, limit_s: float = 180) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + limit_s
    while "plans_import_job" in at.session_state and time.monotonic() < deadline:
        seen += [p.proto.text for p in at.get("progress")]
        time.sleep(0.3)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return seen


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_import_shows_progress_then_its_counts(db: str, lang: str) -> None:  # noqa: F811
    at = _upload(open_page(lang, EDITOR, section="edit"), _plan_csv(20_000), f"BIG-{lang}")
    seen = _until_done(at)
    assert seen, "a progress bar while the import runs"
    done = [s.value for s in at.success if "BIG" in s.value]
    assert done and "20" in done[0], [s.value for s in at.success]
    assert _milestones(db, f"BIG-{lang}") == 20_000


def test_cancel_writes_nothing(db: str) -> None:  # noqa: F811
    at = _upload(open_page("fr", EDITOR, section="edit"), _plan_csv(40_000), "BIG-CANCEL")
    assert "plans_import_job" in at.session_state, "the import runs in the background"
    at.button(key="plans_import_job_cancel").click().run()
    _until_done(at)
    assert t("job.cancelled", "fr") in [i.value for i in at.info]
    assert _milestones(db, "BIG-CANCEL") == 0
    with session_scope(db) as s:
        assert s.get(m.ActionPlan, "BIG-CANCEL") is None
