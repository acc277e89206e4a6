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

    Raises AuthError (not an editor), EditConflict (someone saved first), KeyError.
    """
    from opengov.editing import apply_edit
    from opengov.store import models as m
    from opengov.store.db import session_scope

    require_role(actor, "editor")
    bad = set(changes) - set(EDITABLE_FIELDS)
    if bad:
        raise KeyError(f"not editable here: {sorted(bad)}")
    if "status" in changes:
        changes = {**changes, "status_as_of": dt.date.today()}
    with session_scope(url or None) as s:
        new_version = apply_edit(s, actor, m.Milestone, milestone_id, expected_version, changes, note=note)
    return new_version


def commit_import(
    url: str, actor: Actor | None, parsed: Any, status_as_of: dt.date | None = None, plan_title: str = ""
) -> Any:
    """Write a previewed import (role checked again here, on the server)."""
    from opengov.features.plans.imports import write_import

    require_role(actor, "editor")
    result = write_import(parsed, actor, url or None, status_as_of=status_as_of, plan_title=plan_title)
    return result
