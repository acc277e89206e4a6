"""The action-plans page with Streamlit's AppTest: content in both languages, and audited editing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from opengov.auth import Actor, AuthError
from opengov.i18n import t
from tests.helpers.apptest import open_data_tables

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    monkeypatch.chdir(REPO)
    ensure_store(url)
    return url


def open_page(lang: str, actor: Actor | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["lang"] = lang
    if actor is not None:
        at.session_state["auth_actor"] = actor
    at.run()
    at.switch_page("pages/plans.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_data_tables(at)
    assert not at.exception, [e.value for e in at.exception]
    assert t("page.plans.title", lang) in [x.value for x in at.title]
    return at


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("fr", {"Terminé": "33", "Pas commencé": "11", "Respect de l’échéancier": "4"}),
        ("en", {"Complete": "33", "Not started": "11", "On track": "4"}),
    ],
)
def test_csis_counts_in_both_languages(db: str, lang: str, labels: dict[str, str]) -> None:
    at = open_page(lang)
    assert at.selectbox(key="plans_plan").value == "CSIS-PMOGO"
    metrics = {x.label: x.value for x in at.metric}
    for label, value in labels.items():
        assert metrics[label] == value
    assert metrics[t("plans.kpi.overdue", lang)] == "0"  # as of the status date, 2018-10-22
    text = " ".join(c.value for c in at.caption)
    assert t("plans.status_as_of", lang, date="22 octobre 2018" if lang == "fr" else "October 22, 2018") in text
    headers = [h.value for h in at.header]
    for key in (
        "plans.timeline",
        "plans.overdue",
        "plans.at_risk",
        "plans.progress",
        "plans.burnup",
        "plans.history",
        "plans.challenges",
    ):
        assert t(key, lang) in headers
    assert t("plans.challenges.empty", lang) in [i.value for i in at.info]
    # No edit controls for an anonymous reader.
    assert not [s for s in at.selectbox if s.key == "plans_edit_ms"]
    assert t("plans.edit.sign_in", lang) in text


def test_today_reference_makes_not_started_overdue(db: str) -> None:
    at = open_page("en")
    at.radio(key="plans_ref").set_value("today").run()
    metrics = {x.label: x.value for x in at.metric}
    assert metrics["Overdue"] == "15"  # 11 not started and 4 on schedule, all due by March 2020, none reported done


@pytest.mark.parametrize("plan", ["NAP4", "NAP5", "NAP6"])
def test_nap_plans_are_not_reported(db: str, plan: str) -> None:
    at = open_page("fr")
    at.selectbox(key="plans_plan").set_value(plan).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {x.label: x.value for x in at.metric}
    assert set(metrics) == {"Non déclaré", "En retard"} and metrics["En retard"] == "0"
    assert t("plans.not_reported_note", "fr") in [i.value for i in at.info]


def _status_audit(url: str, code: str) -> list[tuple[str, str, str]]:
    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope(url) as s:
        ms = s.scalar(select(m.Milestone).where(m.Milestone.code == code))
        rows = s.scalars(
            select(m.AuditLog).where(
                m.AuditLog.entity == "milestones", m.AuditLog.entity_id == str(ms.id), m.AuditLog.field == "status"
            )
        ).all()
        return [(r.actor, r.old_value, r.new_value) for r in rows]


def test_editor_changes_a_status_and_it_is_audited(db: str) -> None:
    at = open_page("en", Actor("edna", "editor"))
    at.selectbox(key="plans_edit_ms").select_index(
        [o for o in at.selectbox(key="plans_edit_ms").options].index(
            next(o for o in at.selectbox(key="plans_edit_ms").options if o.startswith("CSIS-Y5-01"))
        )
    ).run()
    mid = at.selectbox(key="plans_edit_ms").value
    at.selectbox(key=f"plans_edit_status_{mid}").set_value("in_progress")
    at.text_input(key=f"plans_edit_reason_{mid}").input("work began")
    next(b for b in at.button if b.label == t("plans.edit.save", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status_audit(db, "CSIS-Y5-01") == [("edna", "not_started", "in_progress")]
    assert any("CSIS-Y5-01" in s.value for s in at.success)
    assert any("edna" in d.value.to_string() for d in at.dataframe)


def test_sign_in_through_the_sidebar_form(db: str) -> None:
    from opengov.auth import add_user
    from opengov.store.db import session_scope

    with session_scope(db) as s:
        add_user(s, "edgar", "a long enough password", "editor")
    at = open_page("fr")
    assert not [x for x in at.text_input if x.key == "auth_username"]  # built when the box is opened
    at.session_state["auth_box"] = True  # the reader opens "Sign in to edit"
    at.run()
    at.text_input(key="auth_username").input("edgar")
    at.text_input(key="auth_password").input("mauvais mot de passe")
    next(b for b in at.button if b.label == t("auth.sign_in", "fr")).click().run()
    assert t("auth.error.bad_credentials", "fr") in [e.value for e in at.error]
    assert "auth_actor" not in at.session_state
    at.text_input(key="auth_password").input("a long enough password")
    next(b for b in at.button if b.label == t("auth.sign_in", "fr")).click().run()
    assert at.session_state["auth_actor"] == Actor("edgar", "editor")
    at.switch_page("pages/plans.py").run()  # AppTest's st.rerun() lands on the default page
    assert [s for s in at.selectbox if s.key == "plans_edit_ms"]


def test_viewer_has_no_form_and_direct_call_is_refused(db: str) -> None:
    from opengov.features.plans import edits

    viewer = Actor("vera", "viewer")
    at = open_page("en", viewer)
    assert not [s for s in at.selectbox if s.key == "plans_edit_ms"]
    assert not [b for b in at.button if b.label == t("plans.edit.save", "en")]
    assert not [b for b in at.button if b.label == t("plans.import.confirm", "en")]
    with pytest.raises(AuthError):
        edits.save_milestone(db, viewer, 1, 1, {"status": "complete"})
    assert _status_audit(db, "CSIS-Y1-01") == []
