"""The action-plans page's two write paths (edit, import). No Streamlit.

Writes never trust the UI: `save_milestone` goes through opengov.editing.apply_edit (role check,
optimistic version, audit rows) and `commit_import` through opengov.features.plans.imports.write_import
(role check, one transaction). Each commit bumps the store's data version (opengov.store.version),
so every cached read shows the write at the next rerun, in every session and process.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from opengov.auth import Actor, require_role

EDITABLE_FIELDS: tuple[str, ...] = ("status", "start_date", "end_date", "actual_end_date", "notes")


class TextRefused(ValueError):
    """A typed text holds a character the store cannot keep (NUL): nothing was written, the form keeps
    what the editor typed. ``fields``: the form's fields at fault (``note`` for the reason)."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(f"NUL character in {', '.join(fields)}")


def _refuse_nul(values: dict[str, Any], note: str) -> None:
    from opengov.ingest.limits import nul_fields

    bad = nul_fields({**values, "note": note})
    if bad:
        raise TextRefused(bad)


def load_milestone(url: str, milestone_id: int) -> dict[str, Any]:
    """The stored editable values and version of one milestone (uncached: an editor's starting point)."""
    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope(url or None) as s:
        row = s.get(m.Milestone, milestone_id)
        if row is None:
            raise KeyError(milestone_id)
        return {"version": row.version, **{f: getattr(row, f) for f in EDITABLE_FIELDS}}


def save_milestone(
    url: str, actor: Actor | None, milestone_id: int, expected_version: int, changes: dict[str, Any], note: str = ""
) -> int:
    """Apply an editor's changes (server-side role check, optimistic version, audit rows).

    Raises AuthError (not an editor), EditConflict (someone saved first), KeyError, TextRefused (a NUL).
    """
    from opengov.editing import apply_edit
    from opengov.store import models as m
    from opengov.store.db import session_scope

    require_role(actor, "editor")
    bad = set(changes) - set(EDITABLE_FIELDS)
    if bad:
        raise KeyError(f"not editable here: {sorted(bad)}")
    _refuse_nul(changes, note)
    if "status" in changes:
        changes = {**changes, "status_as_of": dt.date.today()}
    with session_scope(url or None) as s:
        new_version = apply_edit(s, actor, m.Milestone, milestone_id, expected_version, changes, note=note)
    return new_version


def commit_import(
    url: str,
    actor: Actor | None,
    parsed: Any,
    status_as_of: dt.date | None = None,
    plan_title: str = "",
    progress: Any = None,
) -> Any:
    """Write a previewed import (role checked again here, on the server); ``progress(done, total)`` follows
    the writing and may raise to cancel it (nothing written)."""
    from opengov.features.plans.imports import write_import

    require_role(actor, "editor")
    result = write_import(
        parsed, actor, url or None, status_as_of=status_as_of, plan_title=plan_title, progress=progress
    )
    return result


#: What an editor records for an indicator (or milestone) and reporting period.
STATUS_FIELDS: tuple[str, ...] = ("status", "evidence_en", "evidence_fr")


def load_observation(url: str, milestone_id: int, indicator_code: str, period: str) -> dict[str, Any]:
    """The stored observation for (milestone, indicator, reporting period), with its version; version 0 when
    there is none yet (uncached: an editor's starting point)."""
    from sqlalchemy import select

    from opengov.store.db import session_scope
    from opengov.store.models_plans import PlanProgressReport as R

    with session_scope(url or None) as s:
        row = s.scalar(
            select(R).where(
                R.milestone_id == milestone_id, R.indicator_code == indicator_code, R.reporting_period == period
            )
        )
        if row is None:
            return {"version": 0, "status": None, "evidence_en": "", "evidence_fr": ""}
        return {"version": row.version, **{f: getattr(row, f) for f in STATUS_FIELDS}}


def record_status(
    url: str,
    actor: Actor | None,
    milestone_id: int,
    indicator_code: str,
    period: str,
    expected_version: int,
    values: dict[str, Any],
    note: str = "",
) -> int:
    """Record an editor's status for one reporting period (server-side role check, audit rows, optimistic
    version: `expected_version` 0 means "there was none", and someone else's record in between is a conflict).
    The indicator then shows its latest reported status. Returns the new version.

    Raises AuthError (not an editor), EditConflict (someone recorded first), KeyError, TextRefused (a NUL),
    ValueError (bad period or status)."""
    import re

    from sqlalchemy import select

    from opengov.editing import EditConflict, apply_edit, audit_insert
    from opengov.ingest.status import CANONICAL
    from opengov.store import models as m
    from opengov.store.db import session_scope
    from opengov.store.models_plans import PlanProgressReport as R

    actor = require_role(actor, "editor")
    bad = set(values) - set(STATUS_FIELDS)
    if bad:
        raise KeyError(f"not editable here: {sorted(bad)}")
    _refuse_nul(values, note)
    if values.get("status") is not None and values["status"] not in CANONICAL:
        raise ValueError(f"unknown status {values['status']!r}")
    match = re.fullmatch(r"((?:19|20)\d\d)-(0[1-9]|1[0-2])", period)
    if not match:
        raise ValueError(f"reporting period {period!r} is not YYYY-MM")
    y, mo = int(match.group(1)), int(match.group(2))
    period_end = dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
    with session_scope(url or None) as s:
        ms = s.get(m.Milestone, milestone_id)
        if ms is None:
            raise KeyError(milestone_id)
        ind = None
        if indicator_code:
            ind = s.scalar(
                select(m.Indicator).where(m.Indicator.milestone_id == ms.id, m.Indicator.code == indicator_code)
            )
            if ind is None:
                raise KeyError(indicator_code)
        row = s.scalar(
            select(R).where(R.milestone_id == ms.id, R.indicator_code == indicator_code, R.reporting_period == period)
        )
        if row is None:
            if expected_version != 0:
                raise EditConflict(
                    "plan_progress_reports", f"{indicator_code or ms.code} {period}", expected_version, 0, {}
                )
            row = R(
                plan_id=ms.plan_id,
                milestone_id=ms.id,
                indicator_code=indicator_code,
                reporting_period=period,
                period_end=period_end,
                department=(ind.lead if ind is not None else ms.lead) or "",
                imported_by=actor.username,
                note=note,
                **{f: values.get(f, "" if f != "status" else None) for f in STATUS_FIELDS},
            )
            s.add(row)
            s.flush()
            audit_insert(
                s,
                actor,
                "plan_progress_reports",
                str(row.id),
                {"indicator": indicator_code or ms.code, "reporting_period": period, **values},
                note=note,
            )
            version = row.version
        else:
            if expected_version == 0:
                current = {f: getattr(row, f) for f in STATUS_FIELDS}
                raise EditConflict("plan_progress_reports", str(row.id), 0, row.version, current, dict(values))
            version = apply_edit(s, actor, R, row.id, expected_version, dict(values), note=note)
            s.execute(
                R.__table__.update()
                .where(R.id == row.id)
                .values(imported_by=actor.username, imported_at=m.utcnow(), import_file="", source_id=None)
            )
        s.flush()
        target = ind if ind is not None else ms
        latest = s.scalar(
            select(R.status)
            .where(R.milestone_id == ms.id, R.indicator_code == indicator_code, R.status.is_not(None))
            .order_by(R.reporting_period.desc())
            .limit(1)
        )
        if target.status != latest:
            model = m.Indicator if ind is not None else m.Milestone
            changes: dict[str, Any] = {"status": latest}
            if model is m.Milestone:
                changes["status_as_of"] = period_end
            apply_edit(s, actor, model, target.id, target.version, changes, note=f"{period}: {note}".strip(": "))
    return version
