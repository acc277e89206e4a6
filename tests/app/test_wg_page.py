"""The working-group page in both languages (AppTest), read-only and as a signed-in editor.

The page file is run directly: the store is prepared first (app.py's start-up), the language comes
from ?lang=. (Through app.py, AppTest loses the requested page on ensure_frame's first-run rerun when
url_path differs from the file name; the generic suite covers the frame.)
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opengov.auth import Actor
from opengov.i18n import t
from tests.helpers.apptest import open_data_tables

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "pages" / "working_group.py"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path / 'wg_page.db'}"
    ensure_store(url)
    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    monkeypatch.chdir(REPO)
    return url


def signed_in(monkeypatch: pytest.MonkeyPatch, actor: Actor | None) -> None:
    fake = types.ModuleType("opengov.ui.auth")
    fake.current_actor = lambda: actor  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "opengov.ui.auth", fake)


def run(lang: str, section: str | None = None) -> AppTest:
    """The page, on its default section (the year at a glance) or on `section` (?wg_section=)."""
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.query_params["lang"] = lang
    if section:
        at.query_params["wg_section"] = section
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    open_data_tables(at)
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_review_in_language(store: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, None)
    at = run(lang)
    assert [x.value for x in at.title] == [t("page.wg.title", lang)]
    headers = [h.value for h in at.header]
    for key in (
        "wg.section.meetings",
        "wg.section.participation",
        "wg.section.agenda",
        "wg.section.priorities",
        "wg.section.projects",
    ):
        assert t(key, lang) in headers
    assert t("wg.section.compare", lang) not in headers  # another section: not drawn until opened
    for section in ("compare", "report", "edit"):
        assert [h.value for h in run(lang, section).header] == [t(f"wg.section.{section}", lang)]
    year = at.selectbox(key="working_group_year")
    assert year.options == ["2021", "2022"] and year.value == "2022"
    k = metrics(at)
    assert k[t("wg.kpi.meetings_held", lang)] == "7"
    assert k[t("wg.kpi.months_not_held", lang)] == "1"
    assert k[t("wg.kpi.jurisdictions", lang)] == "6"
    assert k[t("wg.kpi.topics_done", lang)] == "4"
    captions = " ".join(c.value for c in at.caption)
    assert ("31 juillet 2022" if lang == "fr" else "July 31, 2022") in captions
    assert ("4 mois non couverts par les données" if lang == "fr" else "4 months not covered by the data") in captions
    tables = [d.value for d in at.dataframe]
    months = next(df for df in tables if t("wg.col.reason", lang) in df.columns)
    assert len(months) == 12
    assert months[t("wg.col.state", lang)].tolist().count(t("wg.state.no_record", lang)) == 4
    edit = run(lang, "edit")
    assert [i.value for i in edit.info] == [t("wg.edit.sign_in", lang)]  # no edit controls when not signed in
    assert not any(b.label == t("wg.edit.save", lang) for b in edit.button)

    at.selectbox(key="working_group_year").set_value("2021").run()
    assert not at.exception
    k = metrics(at)
    assert k[t("wg.kpi.meetings_held", lang)] == "8"
    assert k[t("wg.kpi.months_not_held", lang)] == "4"
    assert k[t("wg.kpi.presentations", lang)] == "9"
    dates = " ".join(" ".join(map(str, d.value.to_numpy().ravel())) for d in at.dataframe)
    at.session_state[f"working_group_section_{lang}"] = t("wg.tab.compare", lang)  # the tab, as a click opens it
    at.run()
    assert at.selectbox(key="working_group_year").value == "2021"  # the year stays
    cmp_table = next(d.value for d in at.dataframe if t("wg.compare.measure", lang) in d.value.columns)
    row = cmp_table.set_index(t("wg.compare.measure", lang)).loc[t("wg.measure.meetings_held_count", lang)]
    assert row["2021"] == "8" and row["2022"] == "7"
    assert ("12 janvier 2021" if lang == "fr" else "January 12, 2021") in dates
    assert ("Territoires du Nord-Ouest" if lang == "fr" else "Northwest Territories") in dates


def test_viewer_sees_no_edit_controls(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    signed_in(monkeypatch, Actor("vic", "viewer"))
    at = run("en", "edit")
    assert t("wg.edit.viewer", "en", role="viewer") in [i.value for i in at.info]
    assert not any(s.key == "working_group_edit_what" for s in at.selectbox)


def test_editor_adds_priority_and_sees_conflict(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from opengov.features.working_group.imports import save_form
    from opengov.store import models as m
    from opengov.store.db import session_scope

    signed_in(monkeypatch, Actor("ann", "editor"))
    at = run("fr", "edit")
    at.selectbox(key="working_group_edit_what").set_value("priorities").run()
    at.text_area(key="working_group_f_priorities_new_0_ten").input("Publish a data inventory")
    at.text_area(key="working_group_f_priorities_new_0_tfr").input("Publier un répertoire de données")
    next(b for b in at.button if b.label == t("wg.edit.save", "fr")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("P2022-01" in s.value for s in at.success), [s.value for s in at.success]
    with session_scope(store) as s:
        p = s.get(m.WgPriority, "P2022-01")
        assert (p.text_fr, p.kind, p.rank) == ("Publier un répertoire de données", "priority", 1)
        assert s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity_id == "P2022-01", m.AuditLog.actor == "ann")
        ).first()

    # ann opens PF-1 (version 1); bob saves it meanwhile; ann's save shows both values and keeps hers
    at.selectbox(key="working_group_edit_record_priorities").set_value("PF-1").run()
    key = "working_group_f_priorities_PF-1_1_sfr"
    at.text_area(key=key).input("Poursuivi en 2023 (Ann)")
    save_form(
        "priorities",
        {
            "year": 2022,
            "rank": 1,
            "kind": "proposed_project",
            "text_en": "develop and maintain user-centred open data portals;",
            "text_fr": "élaborer et maintenir des portails de données ouverts centrés sur l’utilisateur;",
            "status_text_fr": "Poursuivi en 2023 (Bob)",
        },
        Actor("bob", "editor"),
        store,
        "PF-1",
        1,
    )
    next(b for b in at.button if b.label == t("wg.edit.save", "fr")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("version 1, maintenant 2" in w.value for w in at.warning), [w.value for w in at.warning]
    conflict = next(d.value for d in at.dataframe if t("wg.edit.conflict.mine", "fr") in d.value.columns)
    row = conflict.set_index(t("wg.edit.conflict.field", "fr")).loc[t("wg.field.status_text_fr", "fr")]
    assert row[t("wg.edit.conflict.theirs", "fr")] == "Poursuivi en 2023 (Bob)"
    assert row[t("wg.edit.conflict.mine", "fr")] == "Poursuivi en 2023 (Ann)"
    assert at.text_area(key=key).value == "Poursuivi en 2023 (Ann)"  # nothing typed is lost
    with session_scope(store) as s:
        assert s.get(m.WgPriority, "PF-1").status_text_fr == "Poursuivi en 2023 (Bob)"
    at.button(key="working_group_conflict_overwrite").click().run()
    assert not at.exception
    with session_scope(store) as s:
        p = s.get(m.WgPriority, "PF-1")
        assert (p.status_text_fr, p.version) == ("Poursuivi en 2023 (Ann)", 3)


def test_year_comparison_arrows_follow_the_sign(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """2021 -> 2022: meetings fell 8 -> 7, so that card points down ("↓ −1 vs 2021"), never up; a rise
    points up and no change has no arrow, all grey (the comparison is not a judgement)."""
    from opengov.features.working_group import data as wgd

    signed_in(monkeypatch, None)
    at = run("en", "compare")
    cards = [m for m in at.metric if m.label.endswith(" · 2022")]
    assert len(cards) == 4
    cmp_ = wgd.compare_years(2021, 2022, url=store).set_index("measure")["change_count"]
    assert cmp_["meetings_held_count"] < 0
    seen = set()
    for card in cards:
        measure = next(m for m in cmp_.index if card.label == f"{t(f'wg.measure.{m}', 'en')} · 2022")
        change = cmp_[measure]
        want = card.proto.DOWN if change < 0 else card.proto.UP if change > 0 else card.proto.NONE
        assert card.proto.direction == want, (card.label, card.proto.delta)
        assert card.proto.delta.startswith("\u2212" if change < 0 else "+" if change > 0 else "0 ")
        assert card.proto.color == card.proto.GRAY
        seen.add(want)
    assert card.proto.DOWN in seen


def test_kpi_arrow_follows_the_sign_of_any_delta() -> None:
    def script() -> None:
        from opengov.ui.blocks import kpi

        kpi("fall", "7", delta="\u22121 vs 2021", delta_color="off")
        kpi("rise", "4", delta="+4 vs 2021", delta_color="off")
        kpi("same", "7", delta="0 vs 2021", delta_color="off")
        kpi("fall pct", "1", delta="\u221215,0\u00a0% (\u221264\u00a0223)")
        kpi("same pct", "1", delta="0,0\u00a0% (0)")
        kpi("rise pct", "1", delta="+0.5% (+12)")

    at = AppTest.from_function(script).run()
    assert not at.exception
    p = {m.label: m.proto for m in at.metric}
    d = p["fall"]
    assert [p[k].direction for k in ("fall", "rise", "same", "fall pct", "same pct", "rise pct")] == [
        d.DOWN,
        d.UP,
        d.NONE,
        d.DOWN,
        d.NONE,
        d.UP,
    ]
    assert [p[k].color for k in ("fall", "same", "fall pct", "same pct", "rise pct")] == [
        d.GRAY,
        d.GRAY,
        d.RED,
        d.GRAY,
        d.GREEN,
    ]
