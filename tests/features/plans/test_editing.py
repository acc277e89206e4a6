"""Audited editing of milestones on the real store: conflicts, races, refusals, append-only audit."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from opengov.auth import Actor, AuthError
from opengov.editing import EditConflict, apply_edit
from opengov.features.plans import edits
from opengov.store import models as m
from opengov.store.db import session_scope

ALICE = Actor("alice", "editor")
BOB = Actor("bob", "editor")
VIEWER = Actor("victor", "viewer")


def _milestone(url: str, code: str = "CSIS-Y5-01") -> tuple[int, int, str | None]:
    with session_scope(url) as s:
        ms = s.scalar(select(m.Milestone).where(m.Milestone.code == code))
        return ms.id, ms.version, ms.status


def _audit_count(url: str) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(m.AuditLog))


def test_second_editor_gets_both_values(store: str) -> None:
    mid, version, status = _milestone(store)
    assert status == "not_started"
    edits.save_milestone(store, ALICE, mid, version, {"status": "in_progress"}, note="started")
    with pytest.raises(EditConflict) as info:
        edits.save_milestone(store, BOB, mid, version, {"status": "complete", "notes": "done by Bob"})
    exc = info.value
    assert exc.current_values["status"] == "in_progress"  # stored (Alice's)
    assert exc.submitted_values["status"] == "complete"  # typed (Bob's), kept
    assert exc.submitted_values["notes"] == "done by Bob"
    assert exc.current_version == version + 1
    # Bob re-applies on the latest version: nothing is lost.
    edits.save_milestone(store, BOB, mid, exc.current_version, {"status": "complete", "notes": "done by Bob"})
    with session_scope(store) as s:
        ms = s.get(m.Milestone, mid)
        assert (ms.status, ms.notes, ms.version) == ("complete", "done by Bob", version + 2)
        rows = s.scalars(
            select(m.AuditLog)
            .where(m.AuditLog.entity == "milestones", m.AuditLog.entity_id == str(mid), m.AuditLog.field == "status")
            .order_by(m.AuditLog.id)
        ).all()
        assert [(r.actor, r.old_value, r.new_value) for r in rows] == [
            ("alice", "not_started", "in_progress"),
            ("bob", "in_progress", "complete"),
        ]
        assert rows[0].note == "started" and rows[0].at is not None
        hist = s.scalars(
            select(m.StatusHistory).where(m.StatusHistory.entity_id == mid).order_by(m.StatusHistory.id)
        ).all()
        assert [h.status for h in hist] == ["not_started", "in_progress", "complete"]


def test_true_race_exactly_one_wins(store: str) -> None:
    mid, version, _ = _milestone(store, "CSIS-Y5-02")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def edit(actor: Actor, status: str) -> None:
        try:
            with session_scope(store) as s:
                s.get(m.Milestone, mid)  # both read the same version
                barrier.wait(timeout=10)
                apply_edit(s, actor, m.Milestone, mid, version, {"status": status})
            results[actor.username] = "won"
        except EditConflict:
            results[actor.username] = "conflict"
        except Exception as exc:  # noqa: BLE001 - a lock timeout would be a failure worth seeing
            results[actor.username] = f"error {type(exc).__name__}: {exc}"

    threads = [
        threading.Thread(target=edit, args=(ALICE, "in_progress")),
        threading.Thread(target=edit, args=(BOB, "delayed")),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sorted(results.values()) == ["conflict", "won"], results
    with session_scope(store) as s:
        assert s.get(m.Milestone, mid).version == version + 1
        n = s.scalar(
            select(func.count())
            .select_from(m.AuditLog)
            .where(m.AuditLog.entity_id == str(mid), m.AuditLog.field == "status")
        )
        assert n == 1


@pytest.mark.parametrize("actor", [VIEWER, None], ids=["viewer", "anonymous"])
def test_unauthorised_write_refused_and_nothing_written(store: str, actor: Actor | None) -> None:
    mid, version, status = _milestone(store)
    before = _audit_count(store)
    with pytest.raises(AuthError):
        edits.save_milestone(store, actor, mid, version, {"status": "complete"})
    with pytest.raises(AuthError):  # the shared core refuses too, whatever the caller
        with session_scope(store) as s:
            apply_edit(s, actor, m.Milestone, mid, version, {"status": "complete"})
    assert _milestone(store) == (mid, version, status)
    assert _audit_count(store) == before


def test_only_editable_fields(store: str) -> None:
    mid, version, _ = _milestone(store)
    with pytest.raises(KeyError):
        edits.save_milestone(store, ALICE, mid, version, {"plan_id": "NAP4"})


def test_audit_log_is_append_only(store: str) -> None:
    mid, version, _ = _milestone(store)
    edits.save_milestone(store, ALICE, mid, version, {"notes": "x"})
    for stmt in ("UPDATE audit_log SET new_value = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            with session_scope(store) as s:
                s.execute(text(stmt))
    with session_scope(store) as s:
        assert s.scalar(select(func.count()).select_from(m.AuditLog).where(m.AuditLog.new_value == "forged")) == 0
        assert s.scalar(select(func.count()).select_from(m.AuditLog).where(m.AuditLog.new_value == "x")) == 1
