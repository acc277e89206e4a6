"""The action-plans page with Streamlit's AppTest: reported progress and its coverage in both languages, status
counters that filter, the history with its evidence, the IRM beside the government's status, the view in the
URL, and audited editing (milestones, status records) with conflicts that lose nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from opengov.auth import LOCK_MINUTES, MAX_FAILURES, Actor, AuthError
from opengov.i18n import t
from tests.helpers.apptest import open_data_tables

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sqlalchemy import text

    from opengov.ingest.init import ensure_store
    from opengov.store.db import get_engine

    path = tmp_path_factory.mktemp("plans-template") / "plans.db"
    ensure_store(f"sqlite:///{path}")
    engine = get_engine(f"sqlite:///{path}")
    with engine.connect() as conn:  # the copies take the file alone: nothing may stay in the WAL
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    import shutil

    path = tmp_path / "plans.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    monkeypatch.chdir(REPO)
    return url


def open_page(lang: str, actor: Actor | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
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


def metrics(at: AppTest) -> dict[str, str]:
    return {x.label: x.value for x in at.metric}


#: A column only that table has (AppTest does not expose a dataframe's key).
TABLE_COLUMN = {
    "plans_items": "plans.col.period",
    "plans_overdue": "plans.col.days_overdue",
    "plans_history_table": "plans.col.evidence",
    "plans_irm_table": "plans.col.irm_id",
    "plans_record_conflict_table": "plans.edit.yours",
}


def frame(at: AppTest, key: str, lang: str = "en"):
    """The table `key` of the page: the one with its column in English or French."""
    names = {t(TABLE_COLUMN[key], "en"), t(TABLE_COLUMN[key], "fr")}
    hits = [d.value for d in at.dataframe if names & set(map(str, d.value.columns))]
    if key == "plans_items":  # the overdue and at-risk lists have that column too
        hits = [
            h for h in hits if t("plans.col.days_overdue", "en") not in h and t("plans.col.days_left", "en") not in h
        ]
        hits = [
            h for h in hits if t("plans.col.days_overdue", "fr") not in h and t("plans.col.days_left", "fr") not in h
        ]
    assert hits, f"no table {key} on the page"
    return hits[0]


# --------------------------------------------------------------------------- what a reader sees
@pytest.mark.parametrize(("lang", "period"), [("en", "June 2024"), ("fr", "juin 2024")])
def test_opens_on_the_latest_national_plan_with_its_coverage(db: str, lang: str, period: str) -> None:
    at = open_page(lang)
    assert at.selectbox(key="plans_plan").value == "NAP5"
    options = at.selectbox(key="plans_plan").options  # titles, national plans first, latest first
    assert "2025-2029" in options[0] and "2022-2024" in options[1] and "2018-2020" in options[2]
    assert ("CSIS" if lang == "en" else "SCRS") in options[-1]
    coverage = " ".join(m.value for m in at.markdown)
    assert ("12 of 106 indicators" if lang == "en" else "12 indicateurs sur 106") in coverage
    assert period in coverage
    m = metrics(at)
    assert m[t("plans.kpi.reported", lang)] == "12"
    assert m[t("plans.kpi.overdue", lang)] == "5"  # judged today: reported, not complete, deadline passed
    options = at.pills(key="plans_status_filter").options
    assert f"{t('status.complete', lang)} (6)" in options
    assert f"{t('status.not_reported', lang)} (94)" in options
    assert not at.success  # nothing reported as a success box


def test_plans_are_listed_national_first() -> None:
    import pandas as pd

    from opengov.features.plans.progress import plan_order

    plans = pd.DataFrame(
        {
            "id": ["CSIS-PMOGO", "NAP2", "NAP5", "NAP6", "QC-2021"],
            "kind": ["departmental", "national", "national", "national", "subnational"],
            "period_end": pd.to_datetime(["2020-03-31", "2016-06-30", "2024-12-31", "2029-12-31", "2023-03-31"]),
        }
    )
    assert plan_order(plans) == ["NAP6", "NAP5", "NAP2", "QC-2021", "CSIS-PMOGO"]


def test_a_plan_with_nothing_reported_says_so_and_shows_what_it_has(db: str) -> None:
    at = open_page("fr", plan="NAP6")
    assert at.selectbox(key="plans_plan").value == "NAP6"
    infos = [i.value for i in at.info]
    assert t("plans.coverage.none.indicator", "fr", n="65") in infos
    assert metrics(at)[t("plans.kpi.reported", "fr")] == "0"
    assert not at.success
    items = frame(at, "plans_items")
    assert len(items) == 65  # the indicators and their deadlines are listed
    assert set(items[t("plans.col.status", "fr")]) == {t("status.not_reported", "fr")}


def test_csis_plan_judged_today_then_at_its_status_date(db: str) -> None:
    at = open_page("en", plan="CSIS-PMOGO", section="deadlines")
    assert at.radio(key="plans_ref").value == "today"
    assert metrics(at)["Overdue"] == "15"  # 11 not started and 4 on schedule, all due by March 2020
    late = frame(at, "plans_overdue")
    # the longest overdue milestone was due on 2019-06-30; the page counts days to today
    days = (dt.date.today() - dt.date(2019, 6, 30)).days
    assert late.shape[0] == 15 and late[t("plans.col.days_overdue", "en")].iloc[0] == f"{days:,}"
    at.radio(key="plans_ref").set_value("status_date").run()
    assert metrics(at)["Overdue"] == "0"  # as reported on October 22, 2018
    assert at.query_params["ref"] == "status_date"


def test_status_counters_filter_the_list_and_the_url(db: str) -> None:
    at = open_page("en")
    assert len(frame(at, "plans_items")) == 106
    at.pills(key="plans_status_filter").set_value(["complete"]).run()
    items = frame(at, "plans_items")
    assert len(items) == 6 and set(items["Status"]) == {"Complete"}
    assert at.query_params["status"] == "complete"


def test_full_history_with_evidence_and_source(db: str) -> None:
    at = open_page("en", view="history")
    assert at.radio(key="plans_view").value == "history"
    hist = frame(at, "plans_history_table")
    c0231 = hist[hist["Code"] == "C02.3.1"]
    assert c0231["Status"].tolist() == [
        "Complete",
        "Complete",
        "Substantial progress",
        "Limited progress",
        "Limited progress",
    ]  # 2023-03, 2022-12, 2022-09, 2022-06, 2022-03: latest first
    assert c0231["Source"].str.contains("National Action Plan tracker").all()
    rows_without_status = hist[hist["Status"] == "Not reported"]
    assert len(rows_without_status) == 9  # progress pages captured without their status label: "not reported"
    assert (rows_without_status[t("plans.col.evidence", "en")].str.len() > 20).sum() == 5  # 5 carry evidence text


def test_irm_rating_beside_the_government_status(db: str) -> None:
    at = open_page("fr")
    assert t("plans.irm", "fr") in [h.value for h in at.header]
    irm = frame(at, "plans_irm_table")
    assert irm[t("plans.col.irm_id", "fr")].tolist() == ["CA0074", "CA0076", "CA0078"]
    row = irm[irm[t("plans.col.irm_id", "fr")] == "CA0078"].iloc[0]
    assert row[t("plans.col.irm_results", "fr")] == "Examen du MEI en attente"
    assert row[t("plans.col.own_status", "fr")].startswith("4 indicateurs déclarés sur 38")


def test_a_commitment_plan_shows_milestones_done(db: str) -> None:
    at = open_page("en", plan="QC-2021")
    items = frame(at, "plans_items")
    done = dict(zip(items["Code"], items[t("plans.col.milestones_done", "en")], strict=True))
    assert done["CAQUE0001"] == "4 of 5" and done["CAQUE0004"] == "0 of 2" and done["CAQUE0003"] == "–"
    status = dict(zip(items["Code"], items["Status"], strict=True))
    assert status["CAQUE0001"] == "Not reported"  # 4 of 5 done is not turned into a status
    assert status["CAQUE0004"] == "Not started"


def test_a_link_reopens_the_same_view(db: str) -> None:
    at = open_page("en", plan="CSIS-PMOGO", ref="status_date", risk="120", view="history", status="complete")
    assert at.selectbox(key="plans_plan").value == "CSIS-PMOGO"
    assert at.radio(key="plans_ref").value == "status_date"
    assert at.number_input(key="plans_risk_days").value == 120
    assert at.radio(key="plans_view").value == "history"
    assert at.pills(key="plans_status_filter").value == ["complete"]
    assert at.query_params["plan"] == "CSIS-PMOGO" and at.query_params["risk"] == "120"
    bad = open_page("en", plan="NOPE", risk="x", status="bogus")
    assert bad.selectbox(key="plans_plan").value == "NAP5" and bad.number_input(key="plans_risk_days").value == 90


# --------------------------------------------------------------------------- editing
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


def test_editor_changes_a_milestone_status_and_it_is_audited(db: str) -> None:
    at = open_page("en", Actor("edna", "editor"), plan="CSIS-PMOGO", section="edit")
    options = at.selectbox(key="plans_edit_ms").options
    at.selectbox(key="plans_edit_ms").select_index(
        options.index(next(o for o in options if o.startswith("CSIS-Y5-01")))
    ).run()
    mid = at.selectbox(key="plans_edit_ms").value
    at.selectbox(key=f"plans_edit_status_{mid}").set_value("in_progress")
    at.text_input(key=f"plans_edit_reason_{mid}").input("work began")
    next(b for b in at.button if b.label == t("plans.edit.save", "en")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _status_audit(db, "CSIS-Y5-01") == [("edna", "not_started", "in_progress")]
    assert any("CSIS-Y5-01" in s.value for s in at.success)
    assert any("edna" in d.value.to_string() for d in at.dataframe)


def _observation(url: str, code: str, period: str):
    from opengov.store.db import session_scope
    from opengov.store.models_plans import PlanProgressReport as R

    with session_scope(url) as s:
        r = s.scalar(select(R).where(R.indicator_code == code, R.reporting_period == period))
        return None if r is None else (r.status, r.evidence_en, r.imported_by, r.version, r.source_id)


def _pick_indicator(at: AppTest, code: str) -> None:
    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope() as s:
        iid = s.scalar(
            select(m.Indicator.id).join(m.Milestone).where(m.Milestone.plan_id == "NAP5", m.Indicator.code == code)
        )
    assert any(o.startswith(code) for o in at.selectbox(key="plans_record_item").options)
    at.selectbox(key="plans_record_item").set_value(iid).run()


def test_editor_records_a_status_for_a_reporting_period(db: str) -> None:
    at = open_page("fr", Actor("edna", "editor"), section="edit")
    assert t("plans.record", "fr") in [h.value for h in at.header]
    _pick_indicator(at, "C01.1.1")
    at.selectbox(key="plans_record_period").set_value("2024-09").run()
    iid = at.selectbox(key="plans_record_item").value
    at.selectbox(key=f"plans_record_status_{iid}_2024-09").set_value("complete")
    at.text_area(key=f"plans_record_en_{iid}_2024-09").input("Release 8 of the platform launched.")
    next(b for b in at.button if b.label == t("plans.record.save", "fr")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _observation(db, "C01.1.1", "2024-09") == (
        "complete",
        "Release 8 of the platform launched.",
        "edna",
        1,
        None,
    )
    assert any("C01.1.1" in s.value for s in at.success)
    assert metrics(at)[t("plans.kpi.reported", "fr")] == "13"  # seen at once: 12 -> 13 indicators reported
    at.session_state["plans_section_fr"] = t("plans.tab.list", "fr")  # the list's tab, as a click opens it
    at.run()
    at.radio(key="plans_view").set_value("history").run()
    hist = frame(at, "plans_history_table")
    mine = hist[(hist["Code"] == "C01.1.1") & (hist[t("plans.col.source", "fr")] == "Saisi par edna")]
    assert len(mine) == 1


def test_a_concurrent_record_is_a_conflict_that_keeps_what_the_editor_typed(db: str) -> None:
    from opengov.features.plans import edits

    at = open_page("en", Actor("edna", "editor"), section="edit")
    _pick_indicator(at, "C02.3.1")
    at.selectbox(key="plans_record_period").set_value("2023-03").run()
    iid = at.selectbox(key="plans_record_item").value
    before = _observation(db, "C02.3.1", "2023-03")
    assert before is not None and before[0] == "complete" and before[4] == "nap_status_observations"
    # someone else records the same period first (their version wins the race)
    from opengov.store import models as m
    from opengov.store.db import session_scope

    with session_scope(db) as s:
        ms_id = s.scalar(select(m.Milestone.id).where(m.Milestone.plan_id == "NAP5", m.Milestone.code == "C02.3"))
    edits.record_status(db, Actor("omar", "editor"), ms_id, "C02.3.1", "2023-03", before[3], {"status": "substantial"})
    at.selectbox(key=f"plans_record_status_{iid}_2023-03").set_value("limited")
    at.text_area(key=f"plans_record_en_{iid}_2023-03").input("Mine: still limited.")
    next(b for b in at.button if b.label == t("plans.record.save", "en")).click().run()
    assert t("plans.record.conflict", "en") in [w.value for w in at.warning]
    table = frame(at, "plans_record_conflict_table")
    yours = dict(zip(table["Field"], table[t("plans.edit.yours", "en")], strict=True))
    stored = dict(zip(table["Field"], table[t("plans.edit.stored", "en")], strict=True))
    assert yours["Status"] == "Limited progress" and stored["Status"] == "Substantial progress"
    assert yours[t("plans.record.field.evidence_en", "en")] == "Mine: still limited."
    assert _observation(db, "C02.3.1", "2023-03")[0] == "substantial"  # nothing overwritten yet
    next(b for b in at.button if b.label == t("plans.edit.reapply", "en")).click().run()
    assert _observation(db, "C02.3.1", "2023-03")[:3] == ("limited", "Mine: still limited.", "edna")


def test_sign_in_through_the_sidebar_form(db: str) -> None:
    from opengov.auth import add_user
    from opengov.store.db import session_scope

    with session_scope(db) as s:
        add_user(s, "edgar", "a long enough password", "editor")
    at = open_page("fr", section="edit")
    assert not [x for x in at.text_input if x.key == "auth_username"]  # built when the box is opened
    at.session_state["auth_box"] = True  # the reader opens "Sign in to edit"
    at.run()
    at.text_input(key="auth_username").input("edgar")
    at.text_input(key="auth_password").input("mauvais mot de passe")
    next(b for b in at.button if b.label == t("auth.sign_in", "fr")).click().run()
    refused = t("auth.error.bad_credentials", "fr", attempts=MAX_FAILURES, minutes=LOCK_MINUTES)
    assert refused in [e.value for e in at.error]
    assert "auth_actor" not in at.session_state
    at.text_input(key="auth_password").input("a long enough password")
    next(b for b in at.button if b.label == t("auth.sign_in", "fr")).click().run()
    assert at.session_state["auth_actor"] == Actor("edgar", "editor")
    at.switch_page("pages/plans.py").run()  # AppTest's st.rerun() lands on the default page
    assert [s for s in at.selectbox if s.key == "plans_record_item"]


def test_viewer_has_no_form_and_direct_calls_are_refused(db: str) -> None:
    from opengov.features.plans import edits

    viewer = Actor("vera", "viewer")
    at = open_page("en", viewer, plan="CSIS-PMOGO", section="edit")
    assert not [s for s in at.selectbox if s.key in ("plans_edit_ms", "plans_record_item")]
    assert not [b for b in at.button if b.label in (t("plans.edit.save", "en"), t("plans.import.confirm", "en"))]
    with pytest.raises(AuthError):
        edits.save_milestone(db, viewer, 1, 1, {"status": "complete"})
    with pytest.raises(AuthError):
        edits.record_status(db, viewer, 1, "", "2018-09", 0, {"status": "complete"})
    assert _status_audit(db, "CSIS-Y1-01") == []


def test_only_the_open_section_is_drawn_and_a_choice_in_a_closed_one_is_kept(db: str) -> None:
    at = open_page("en", plan="CSIS-PMOGO")
    assert "section" not in at.query_params  # the default section (the status list) is left out
    assert not at.get("plotly_chart")  # the timeline is in another section, not sent
    at.radio(key="plans_view").set_value("history").run()
    at.session_state["plans_section_en"] = t("plans.tab.deadlines", "en")
    at.run()
    assert at.get("plotly_chart") and at.query_params["section"] in ("deadlines", ["deadlines"])
    assert at.query_params["view"] in ("history", ["history"])  # the closed list's choice stays in the link
    at.session_state["plans_section_en"] = t("plans.tab.list", "en")
    at.run()
    assert at.radio(key="plans_view").value == "history"  # and on screen when its section is back
    fresh = open_page("fr", plan="CSIS-PMOGO", section="deadlines")
    assert fresh.session_state["plans_section_current"] == "deadlines" and fresh.get("plotly_chart")
