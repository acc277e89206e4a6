"""Audited edits with optimistic concurrency, shared by every editable entity.

`apply_edit` checks the role on the server side, compares the version the editor started from
with the stored one, writes the new values, bumps the version and appends one audit row per
changed field, all in one transaction. A stale version raises `EditConflict` carrying both the
stored values and what the editor typed, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from opengov.auth import Actor, require_role
from opengov.store import models as m


@dataclass
class EditConflict(Exception):
    """Someone saved this record since the editor loaded it."""

    entity: str
    entity_id: str
    expected_version: int
    current_version: int
    current_values: dict[str, Any]
    submitted_values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"{self.entity} {self.entity_id} changed since version {self.expected_version} (now {self.current_version})"
        )


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def apply_edit(
    session: Session,
    actor: Actor | None,
    model: type,
    key: Any,
    expected_version: int,
    changes: dict[str, Any],
    note: str = "",
    role: str = "editor",
) -> int:
    """Apply `changes` to the row `key` of `model` if its version is still `expected_version`.

    Returns the new version. Raises AuthError (role), KeyError (no such row or field),
    EditConflict (stale version). The caller commits (or uses session_scope).
    """
    actor = require_role(actor, role)
    row = session.get(model, key)
    if row is None:
        raise KeyError(f"{model.__tablename__} {key!r} not found")
    for f in changes:
        if f in ("id", "version") or not hasattr(model, f):
            raise KeyError(f"field {f!r} cannot be edited")
    old = {f: getattr(row, f) for f in changes}
    real = {f: v for f, v in changes.items() if old[f] != v}
    if row.version != expected_version:
        raise EditConflict(
            model.__tablename__,
            str(key),
            expected_version,
            row.version,
            {f: getattr(row, f) for f in changes},
            dict(changes),
        )
    if not real:
        return row.version
    pk = model.__mapper__.primary_key[0]
    # Compare-and-set in SQL, so two replicas cannot both win the same version.
    res = session.execute(
        update(model)
        .where(pk == key, model.version == expected_version)
        .values(**real, version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if res.rowcount != 1:
        session.rollback()
        fresh = session.get(model, key)
        session.refresh(fresh)
        raise EditConflict(
            model.__tablename__,
            str(key),
            expected_version,
            fresh.version,
            {f: getattr(fresh, f) for f in changes},
            dict(changes),
        )
    for f, v in real.items():
        session.add(
            m.AuditLog(
                actor=actor.username,
                action="update",
                entity=model.__tablename__,
                entity_id=str(key),
                field=f,
                old_value=_text(old[f]),
                new_value=_text(v),
                note=note,
            )
        )
    if "status" in real and model in (m.Milestone, m.Indicator):
        session.add(
            m.StatusHistory(
                entity="milestone" if model is m.Milestone else "indicator",
                entity_id=int(key),
                status=real["status"],
                as_of=dt.date.today(),
                actor=actor.username,
                note=note,
            )
        )
    session.expire(row)
    return expected_version + 1


def audit_insert(
    session: Session,
    actor: Actor | None,
    entity: str,
    entity_id: str,
    values: dict[str, Any],
    note: str = "",
    role: str = "editor",
) -> None:
    """Record the creation of a row (one audit row per field)."""
    actor = require_role(actor, role)
    for f, v in values.items():
        session.add(
            m.AuditLog(
                actor=actor.username,
                action="insert",
                entity=entity,
                entity_id=entity_id,
                field=f,
                new_value=_text(v),
                note=note,
            )
        )
