"""Signed-in editing of a milestone in the real app (headless Chromium), and no edit controls for readers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.browser import REPO_ROOT, format_violations, run_axe, wait_for_app_idle

pytestmark = pytest.mark.browser

EDITOR, PASSWORD = "browser-editor", "a browser test password"


@pytest.fixture(scope="module")
def editor_account(app_server: str, app_server_db_url: str) -> str:
    """An editor account in the running app's store, made with the real command line."""
    res = subprocess.run(
        [sys.executable, "-m", "opengov", "users", "add", EDITOR, "--role", "editor", "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "OPENGOV_DATABASE_URL": app_server_db_url},
        timeout=180,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    return EDITOR


def _open(new_page: Callable[..., Any], url: str) -> Any:
    page = new_page("en-CA")
    page.goto(url)
    wait_for_app_idle(page, timeout_ms=90_000)
    return page


def _status(app_server_db_url: str, code: str) -> tuple[str | None, int]:
    from sqlalchemy import select

    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope(app_server_db_url) as s:
        ms = s.scalar(select(m.Milestone).where(m.Milestone.code == code))
        return ms.status, ms.version


def _set_status(page: Any, label: str) -> None:
    box = page.locator('[data-testid="stForm"]').locator('[data-testid="stSelectbox"]').first
    box.scroll_into_view_if_needed()
    box.locator("input").click()
    box.locator("input").fill(label)
    page.get_by_role("option", name=label, exact=True).click()


def test_anonymous_reader_has_no_edit_controls(app_server: str, new_page: Callable[..., Any]) -> None:
    page = _open(new_page, f"{app_server}/plans?lang=en&section=edit")
    assert page.locator("h1").all_inner_texts() == ["Action plans"]
    assert page.get_by_text("Status reported for 12 of 106 indicators").count() == 1  # the default plan: NAP5
    assert page.locator('[data-testid="stForm"]').filter(has_text="Save changes").count() == 0
    assert page.get_by_role("button", name="Save changes").count() == 0
    assert page.get_by_role("button", name="Confirm import").count() == 0
    assert page.get_by_text("Editors sign in (sidebar)").count() == 1


def test_editor_signs_in_and_changes_a_status(
    app_server: str, app_server_db_url: str, editor_account: str, new_page: Callable[..., Any]
) -> None:
    page = _open(new_page, f"{app_server}/plans?lang=en&plan=CSIS-PMOGO&section=edit")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Sign in to edit").click()
    sidebar.get_by_role("textbox", name="User name").fill(editor_account)
    sidebar.get_by_role("textbox", name="Password").fill(PASSWORD)
    sidebar.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as {editor_account}").wait_for(timeout=60_000)
    wait_for_app_idle(page, timeout_ms=90_000)

    before, version = _status(app_server_db_url, "CSIS-Y1-01")
    assert before == "complete"
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=60_000)
    violations = run_axe(page)
    assert violations == [], format_violations(violations)

    _set_status(page, "Delayed")
    form.get_by_label("Reason for the change (kept in the audit trail)").fill("browser test")
    form.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved: CSIS-Y1-01").wait_for(timeout=60_000)
    wait_for_app_idle(page, timeout_ms=90_000)
    assert _status(app_server_db_url, "CSIS-Y1-01") == ("delayed", version + 1)
    audit = page.locator('[data-testid="stDataFrame"]').last
    assert audit.is_visible()

    # Put it back through the same form (also audited), so other browser tests see the shipped data.
    _set_status(page, "Complete")
    form.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved: CSIS-Y1-01").wait_for(timeout=60_000)
    wait_for_app_idle(page, timeout_ms=90_000)
    assert _status(app_server_db_url, "CSIS-Y1-01") == ("complete", version + 2)

    from sqlalchemy import select

    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope(app_server_db_url) as s:
        rows = s.scalars(
            select(m.AuditLog)
            .where(m.AuditLog.actor == editor_account, m.AuditLog.field == "status")
            .order_by(m.AuditLog.id)
        ).all()
        assert [(r.old_value, r.new_value) for r in rows] == [("complete", "delayed"), ("delayed", "complete")]
        assert rows[0].note == "browser test"


def test_record_status_form_in_french_is_accessible(
    app_server: str, editor_account: str, new_page: Callable[..., Any]
) -> None:
    """The default plan (a tracker plan) offers the status-record form to a signed-in editor: no axe violation."""
    page = _open(new_page, f"{app_server}/plans?lang=fr&section=edit")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Connexion pour modifier").click()
    sidebar.get_by_role("textbox", name="Nom d’utilisateur").fill(editor_account)
    sidebar.get_by_role("textbox", name="Mot de passe").fill(PASSWORD)
    sidebar.get_by_role("button", name="Se connecter").click()
    page.get_by_text(f"Connecté en tant que {editor_account}", exact=False).wait_for(timeout=120_000)
    wait_for_app_idle(page, timeout_ms=120_000)
    page.get_by_role("heading", name="Saisir un état").wait_for(timeout=120_000)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Enregistrer")
    form.wait_for(timeout=120_000)
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
