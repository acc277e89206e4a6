"""The jurisdictions page shows the real shipped figures per locale, says "no data" / "not refreshed yet"
instead of zero, keeps its filters and its open section in the URL and labels every chart. Its sections
are tabs of which only the open one is drawn: the content tests open each in turn (?jur_section=)."""

from __future__ import annotations

import pandas as pd

PAGE = "pages/jurisdictions.py"
NBSP = "\u00a0"
SECTIONS = ("level", "pt", "federal", "growth", "freshness", "directory")


def _every_section(run_page, lang: str, **query: str) -> list:
    """The page run once per section (each opened from its link), the default section first."""
    return [run_page(PAGE, lang, **query, **({"jur_section": s} if s != "level" else {})) for s in SECTIONS]


def _all(at) -> list:
    return at if isinstance(at, list) else [at]


def _metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for a in _all(at) for m in a.metric}


def _table(at, column: str) -> pd.DataFrame:
    for df in (d.value for a in _all(at) for d in a.dataframe):
        if column in df.columns:
            return df
    raise AssertionError(f"no table with column {column!r}")


def _text(at) -> str:
    return " ".join(
        [c.value for a in _all(at) for c in a.caption]
        + [m.value for a in _all(at) for m in a.markdown]
        + [i.value for a in _all(at) for i in a.info]
    )


def test_english_real_figures_and_honest_gaps(run_page) -> None:
    at = _every_section(run_page, "en")
    assert at[0].title[0].value == "Datasets by jurisdiction"
    m = _metrics(at)
    assert m["Federal records"] == ("35,847", "75.0% of the catalogue")
    assert m["Provincial records"][0] == "11,660"
    assert m["Municipal records"][0] == "285"
    assert m["open.canada.ca records, latest day"] == ("47,792", "+330 (+0.7%) since Jun 25, 2026")
    assert m["Portals refreshed"][0] == "0 of 139"  # the registry's open-data portals, 2026 and 2020
    assert m["Provinces/territories with a portal"][0] == "10 of 13"
    assert m["Catalogues listed in 2026"][0] == "75"  # the 2026 registry's 75 open-data portals
    text = _text(at)
    assert "Not refreshed yet" in text
    assert "Adapted from Statistics Canada, Boundary Files, 2011 Census" in text
    assert "as of August 22, 2026" in text and "as of June 30, 2023" in text
    assert "agrees with the status in the TBS FreshCheck file for 285 of 285 records" in text
    assert "47,792 on August 22, 2026" in text and "47,195" in text  # raw vs de-dup: said missing
    pt = _table(at, "Province or territory").set_index("Province or territory")
    assert pt.loc["Alberta", "Records federated into open.canada.ca (Jun 30, 2023)"] == "2,665"
    assert pt.loc["Nunavut", "Records federated into open.canada.ca (Jun 30, 2023)"] == "no data"
    assert pt.loc["Ontario", "Own portal datasets"] == "not refreshed yet"
    assert pt.loc["Manitoba", "Own portal in the registry"] == "none in the registry"
    assert pt.loc["Alberta", "Rank"] == "1" and pt.loc["Nunavut", "Rank"] == "–"
    assert not (pt == "0").any().any()  # nothing missing shown as zero


def test_french_formats_and_qualifiers(run_page) -> None:
    at = _every_section(run_page, "fr")
    assert at[0].title[0].value == "Jeux de données par administration"
    m = _metrics(at)
    assert m["Fiches fédérales"][0] == f"35{NBSP}847"
    assert m["Fiches d’ouvert.canada.ca, dernier jour"] == (
        f"47{NBSP}792",
        f"+330 (+0,7{NBSP}%) depuis le 25 juin 2026",
    )
    text = _text(at)
    assert "Statistique Canada" in text and "en date du 22 août 2026" in text
    assert "Pas encore actualisé" in text
    points = _table(at, "Précision")
    values = set(points["Valeur"])
    assert f"> 1{NBSP}200" in values and "≈ 250" in values and f"261{NBSP}077" in values
    assert f"> 200{NBSP}000" in values
    pt = _table(at, "Province ou territoire").set_index("Province ou territoire")
    assert pt.loc["Québec", "Fiches fédérées dans ouvert.canada.ca (30 juin 2023)"] == f"1{NBSP}340"
    assert pt.loc["Nunavut", "Fiches fédérées dans ouvert.canada.ca (30 juin 2023)"] == "aucune donnée"
    directory = _table(at, "Plateforme")
    assert (directory["Plateforme"] == "Inconnue").sum() == 38 and len(directory) == 139
    assert "Plus inscrit depuis 2020" in set(directory["Inscrit"])
    assert "CC BY 4.0" in text and "Common Data Index" in text
    # the French page of a bilingual site, the site's own page otherwise
    home = directory.set_index("Portail")["Page d’accueil"]
    assert home["Canada"].startswith("https://ouvert.canada.ca")
    assert home["Île-du-Prince-Édouard"] == "https://data.princeedwardisland.ca"  # moved since 2020
    assert not home.str.contains("canada.ca/data/en/").any()
    assert at[0].selectbox(key="jurisdictions_pt").proto.placeholder == "Choisissez une option"


def test_per_capita_view_from_the_url_uses_2021_census_for_all_with_records(run_page) -> None:
    at = run_page(PAGE, "en", jur_view="per_capita", jur_section="pt")
    assert at.radio(key="jurisdictions_view").value == "per_capita"
    assert "2021 Census" in _text(at)
    pt = _table(at, "Province or territory").set_index("Province or territory")
    col = next(c for c in pt.columns if c.startswith("Per 100,000 residents"))
    assert pt.loc["Alberta", col] == "62.5"  # 2,665 / 4,262,635 * 100,000
    assert pt.loc["Yukon", col] == "2,813.7" and pt.loc["Yukon", "Rank"] == "1"  # 1,132 / 40,232
    assert pt.loc["Manitoba", col] == "16.9" and pt.loc["Saskatchewan", col] == "36.6"
    assert pt.loc["Nunavut", col] == "no data"  # no federated records: NaN, not 0
    assert (pt["Census year"] == "2021").all()
    assert (pt[col] != "no data").sum() == 12  # every province and territory with records
    fr = run_page(PAGE, "fr", jur_view="per_capita", jur_section="pt")
    assert "Recensement de 2021" in _text(fr)


def test_invalid_url_values_fall_back_to_defaults(run_page) -> None:
    at = run_page(PAGE, "en", jur_view="bogus", jur_level="galactic", jur_pt="XX", jur_basis="nope")
    assert at.radio(key="jurisdictions_view").value == "total"
    assert at.selectbox(key="jurisdictions_level").value == "all"
    assert at.selectbox(key="jurisdictions_pt").value == "all"
    assert at.radio(key="jurisdictions_basis").value == "federated"  # nothing refreshed yet


def test_filters_narrow_the_directory_and_own_portal_basis_says_no_data(run_page) -> None:
    at = _every_section(run_page, "en", jur_level="municipal", jur_pt="ON", jur_basis="portal")
    directory = _table(at, "Platform")
    assert len(directory) == 35 and set(directory["Level"]) == {"Municipal"}
    assert set(directory["Last successful refresh"]) == {"never refreshed"}
    assert "35 of 139 portals shown." in _text(at)
    pt = _table(at, "Province or territory")
    assert (pt["Rank"] == "–").all()  # no own-portal count anywhere yet
    (map_,) = at[SECTIONS.index("pt")].get("plotly_chart")
    assert "no province or territory has a figure yet" in map_.proto.alt


def test_map_alt_text_summarises_the_figures(run_page) -> None:
    at = run_page(PAGE, "fr", jur_section="pt")
    (map_,) = at.get("plotly_chart")
    assert "12 sur 13" in map_.proto.alt and f"Alberta (2{NBSP}665)" in map_.proto.alt
    assert "Terre-Neuve-et-Labrador (86)" in map_.proto.alt and "Nunavut" in map_.proto.alt
    assert "Statistique Canada" in " ".join(c.value for c in at.caption)


def test_switching_the_view_widget_reruns(run_page) -> None:
    at = run_page(PAGE, "fr")
    at.radio(key="jurisdictions_view").set_value("per_capita").run()
    assert not at.exception
    assert at.query_params["jur_view"] in ("per_capita", ["per_capita"])


def test_only_the_open_section_is_drawn_and_it_is_in_the_link(run_page) -> None:
    at = run_page(PAGE, "en")
    assert [h.value for h in at.header] == ["Datasets by level of government"]  # one section, not six
    assert not at.get("plotly_chart") and "jur_section" not in at.query_params  # the default is left out
    at.session_state["jurisdictions_section_en"] = "Provinces and territories"
    at.run()
    assert [h.value for h in at.header] == ["Provinces and territories"] and at.get("plotly_chart")
    assert at.query_params["jur_section"] in ("pt", ["pt"])
    # a language switch keeps the open section
    at.sidebar.radio(key="app_lang_radio").set_value("fr").run()
    assert not at.exception and [h.value for h in at.header] == ["Provinces et territoires"]
    # a link opens its section in a fresh session; an unknown one falls back to the default
    assert [h.value for h in run_page(PAGE, "fr", jur_section="directory").header] == ["Répertoire des portails"]
    assert [h.value for h in run_page(PAGE, "en", jur_section="nope").header] == ["Datasets by level of government"]
