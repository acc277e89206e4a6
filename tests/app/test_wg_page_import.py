"""The working-group page's import runs in the background with its progress on the page and a Cancel
button that writes nothing (issue 21), in both languages (AppTest, a real SQLite store)."""

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
from tests.app.test_wg_page import PAGE, signed_in, store  # noqa: F401 - the page's store fixture

HEADER = ["meeting_id", "meeting_date", "held", "activity_kind", "activity_en", "activity_fr", "presenter"]


def _meetings_csv(rows: int) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    for i in range(rows):
        day = f"{1901 + i // 300:04d}-{i // 25 % 12 + 1:02d}-{i % 25 + 1:02d}"
        w.writerow([f"J{i:06d}", day, "yes", "presentation", f"Update {i}", f"Mise à jour {i}", "Québec"])
    return buf.getvalue().encode("utf-8")


def _meetings(url: str) -> int:
    with session_scope(url) as s:
        return int(s.scalar(select(func.count()).select_from(m.WgMeeting)) or 0)


def _page(lang: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    signed_in(monkeypatch, Actor("ann", "editor"))
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["wg_section"] = "edit"  # the import is in the editing section
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, data: bytes) -> AppTest:
    at.selectbox(key="working_group_imp_kind").set_value("meetings")
    at.file_uploader(key="working_group_imp_file").set_value(("meetings.csv", data, "text/csv")).run()
    at.button(key="working_group_imp_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _until_done(at: AppTest, seen: list[str], limit_s: float = 180) -> AppTest:
    deadline = time.monotonic() + limit_s
    while "working_group_imp_job" in at.session_state and time.monotonic() < deadline:
        seen += [p.proto.text for p in at.get("progress")]
        time.sleep(0.3)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_import_shows_progress_then_its_counts(store: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    before = _meetings(store)
    at = _upload(_page(lang, monkeypatch), _meetings_csv(30_000))
    seen: list[str] = []
    _until_done(at, seen)
    assert seen, "a progress bar while the import runs"
    words = t("job.checking", lang).split()[0]
    assert any(words in s or t("job.progress", lang, done="", total="", rate="", left="").split()[0] in s for s in seen)
    done = [s.value for s in at.success]
    assert any("30" in s for s in done), done  # "30 000 lignes" / "30,000 rows"
    assert _meetings(store) == before + 30_000


def test_cancel_writes_nothing(store: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    before = _meetings(store)
    at = _upload(_page("fr", monkeypatch), _meetings_csv(60_000))
    assert "working_group_imp_job" in at.session_state, "the import runs in the background"
    at.button(key="working_group_imp_job_cancel").click().run()
    _until_done(at, [])
    assert [i.value for i in at.info if i.value == t("job.cancelled", "fr")], [i.value for i in at.info]
    assert _meetings(store) == before
