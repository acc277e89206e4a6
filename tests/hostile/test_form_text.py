"""A NUL character typed (or sent) into a form is refused with the field's name, on SQLite and on
PostgreSQL alike (PostgreSQL cannot store it at all), and nothing is written (issue 21)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from opengov.auth import Actor
from opengov.features.plans import edits
from opengov.features.working_group.imports import ImportRejected, save_form
from opengov.i18n import t
from opengov.store import models as m
from opengov.store.db import session_scope

EDITOR = Actor("edna", "editor")


def _audit_rows(url: str) -> int:
    with session_scope(url) as s:
        return int(s.scalar(select(func.count()).select_from(m.AuditLog)) or 0)


def test_meeting_form_with_a_nul_is_refused_by_field(store: str) -> None:
    before = _audit_rows(store)
    values = {"meeting_date": dt.date(2024, 3, 5), "held": "yes", "activity_en": "Open\x00data update"}
    with pytest.raises(ImportRejected) as exc:
        save_form("meetings", values, EDITOR, store)
    codes = [(i.code, i.params.get("col")) for i in exc.value.issues]
    assert codes == [("nul_char", "activity_en")]
    assert "NUL" in exc.value.issues[0].message("en") and "NUL" in exc.value.issues[0].message("fr")
    assert _audit_rows(store) == before
    with session_scope(store) as s:
        assert s.get(m.WgMeeting, "2024-03-05") is None


def test_milestone_edit_and_status_record_with_a_nul_are_refused(store: str) -> None:
    with session_scope(store) as s:
        ms = s.scalars(select(m.Milestone).order_by(m.Milestone.id)).first()
        assert ms is not None
        mid, version, notes = ms.id, ms.version, ms.notes
    before = _audit_rows(store)
    with pytest.raises(edits.TextRefused) as exc:
        edits.save_milestone(store, EDITOR, mid, version, {"notes": "a\x00b"}, note="fine")
    assert exc.value.fields == ["notes"]
    with pytest.raises(edits.TextRefused) as exc:
        edits.save_milestone(store, EDITOR, mid, version, {"notes": "ok"}, note="why\x00")
    assert exc.value.fields == ["note"]
    with pytest.raises(edits.TextRefused) as exc:
        edits.record_status(store, EDITOR, mid, "", "2024-06", 0, {"status": "complete", "evidence_fr": "x\x00"})
    assert exc.value.fields == ["evidence_fr"]
    assert _audit_rows(store) == before
    with session_scope(store) as s:
        again = s.get(m.Milestone, mid)
        assert again is not None and (again.version, again.notes) == (version, notes)
    # the page's message names the field in the page's language
    assert "NUL" in t("plans.edit.nul", "fr", fields="Notes") and "Notes" in t("plans.edit.nul", "en", fields="Notes")
