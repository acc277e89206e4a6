"""Form saves: audited, optimistic concurrency with both values on conflict, refused for viewers
(SQLite + PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from opengov.auth import Actor, AuthError
from opengov.editing import EditConflict
from opengov.features.working_group.imports import ImportRejected, save_form
from opengov.ingest.init import ensure_store
from opengov.store import models as m
from opengov.store.db import session_scope

ED1, ED2 = Actor("ann", "editor"), Actor("bob", "admin")


@pytest.fixture
def url(db_url: str) -> str:
    ensure_store(db_url)
    return db_url


def test_add_meeting_and_edit_agenda_audited(url: str) -> None:
    rid, version = save_form(
        "meetings",
        {
            "held": "yes",
            "meeting_date": dt.date(2023, 9, 12),
            "year": "",
            "month": "",
            "no_meeting_reason_en": "",
            "no_meeting_reason_fr": "",
        },
        ED1,
        url,
    )
    assert (rid, version) == ("2023-09-12", 1)
    rid2, v2 = save_form(
        "agenda",
        {
            "year": 2022,
            "topic_en": "Year in review",
            "topic_fr": "Bilan de l’année.",
            "presenter": "",
            "presenter_jurisdiction": "",
            "status": "done",
            "done_date": dt.date(2022, 12, 13),
        },
        ED1,
        url,
        record_id="AG2022-15",
        expected_version=1,
    )
    assert (rid2, v2) == ("AG2022-15", 2)
    with session_scope(url) as s:
        item = s.get(m.WgAgendaItem, "AG2022-15")
        assert (item.status, item.done_date, item.topic_en) == ("done", dt.date(2022, 12, 13), "Year in review")
        audit = {
            (a.action, a.field, a.old_value, a.new_value)
            for a in s.scalars(select(m.AuditLog).where(m.AuditLog.entity_id == "AG2022-15", m.AuditLog.actor == "ann"))
        }
        assert ("update", "status", "pending", "done") in audit
        assert ("update", "done_date", "", "2022-12-13") in audit
        assert (
            s.scalars(
                select(m.AuditLog).where(m.AuditLog.entity_id == "2023-09-12", m.AuditLog.action == "insert")
            ).first()
            is not None
        )


def test_conflict_keeps_both_values(url: str) -> None:
    base = {
        "year": 2021,
        "rank": 3,
        "kind": "workplan_priority",
        "text_en": "User-centred data portals",
        "text_fr": "Portails de données centrés sur l’utilisateur",
        "status_text_en": "",
    }
    save_form("priorities", {**base, "status_text_fr": "Repris en 2022"}, ED2, url, "P2021-3", 1)
    with pytest.raises(EditConflict) as exc:  # ann started from version 1 too
        save_form("priorities", {**base, "status_text_fr": "Abandonné"}, ED1, url, "P2021-3", 1)
    c = exc.value
    assert (c.expected_version, c.current_version) == (1, 2)
    assert c.current_values["status_text_fr"] == "Repris en 2022"
    assert c.submitted_values["status_text_fr"] == "Abandonné"
    with session_scope(url) as s:
        p = s.get(m.WgPriority, "P2021-3")
        assert (p.status_text_fr, p.version) == ("Repris en 2022", 2)
    # ann chooses to save hers over the current version: allowed, audited
    _, v = save_form("priorities", {**base, "status_text_fr": "Abandonné"}, ED1, url, "P2021-3", c.current_version)
    assert v == 3


def test_viewer_and_anonymous_refused(url: str) -> None:
    vals = {"year": 2023, "text_en": "x", "text_fr": "x"}
    for actor, code in ((Actor("vic", "viewer"), "forbidden"), (None, "not_signed_in")):
        with pytest.raises(AuthError) as exc:
            save_form("priorities", vals, actor, url)
        assert exc.value.code == code
    with session_scope(url) as s:
        assert s.scalars(select(m.WgPriority).where(m.WgPriority.year == 2023)).first() is None
        assert s.scalars(select(m.AuditLog).where(m.AuditLog.actor == "vic")).first() is None


def test_invalid_form_writes_nothing(url: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        save_form("agenda", {"year": 2023, "topic_en": "", "topic_fr": "", "status": "done", "done_date": ""}, ED1, url)
    assert {i.code for i in exc.value.issues} == {"need_text", "need_done_date"}
    with session_scope(url) as s:
        assert s.scalars(select(m.WgAgendaItem).where(m.WgAgendaItem.year == 2023)).first() is None
