"""The profile page: a link opens the same profile (?jur=yt), both languages, sections that have no
data say so in one line."""

from __future__ import annotations

PAGE = "pages/profile.py"


def _text(at) -> str:
    return " ".join([c.value for c in at.caption] + [m.value for m in at.markdown] + [i.value for i in at.info])


def test_yukon_from_its_link_in_french(run_page) -> None:
    at = run_page(PAGE, "fr", jur="yt")
    assert at.selectbox(key="profile_jur").value == "YT"
    assert at.query_params["jur"] in ("YT", ["YT"])
    text = _text(at)
    assert "Yukon" in text and "Recensement de 2021" in text
    assert "Aucun plan d’action de cette administration" in text  # no plan: one line, what would fill it
    assert any("open.yukon.ca" in m.value for m in at.markdown if m.value.startswith("| "))  # its portals' table
    metrics = {m.label: m.value.replace("\xa0", " ").replace("\u202f", " ") for m in at.metric}
    assert metrics["Fiches versées dans ouvert.canada.ca"] == "1 132"


def test_quebec_in_english_shows_its_plan_and_facts(run_page) -> None:
    at = run_page(PAGE, "en", jur="QC")
    tables = [m.value for m in at.markdown if m.value.startswith("| ")]
    plan = next(x for x in tables if x.startswith("| Plan |"))  # the plans table, a Markdown table
    assert "Québec" in plan.split("\n", 2)[2]
    text = _text(at)
    assert "2019" in text and "Données Québec" in text  # the cited facts, each whole, with its document


def test_an_unknown_code_falls_back_to_canada(run_page) -> None:
    at = run_page(PAGE, "en", jur="atlantis")
    assert at.selectbox(key="profile_jur").value == "CA"
