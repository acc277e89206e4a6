"""The jurisdictions page shows the real shipped figures per locale, says "no data" / "not refreshed yet"
instead of zero, keeps its filters in the URL and labels every chart."""

from __future__ import annotations

import pandas as pd

PAGE = "pages/jurisdictions.py"
NBSP = "\u00a0"


def _metrics(at) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def _table(at, column: str) -> pd.DataFrame:
    for df in (d.value for d in at.dataframe):
        if column in df.columns:
            return df
    raise AssertionError(f"no table with column {column!r}: {[list(d.value.columns) for d in at.dataframe]}")


def _text(at) -> str:
    return " ".join([c.value for c in at.caption] + [m.value for m in at.markdown] + [i.value for i in at.info])


def test_english_real_figures_and_honest_gaps(run_page) -> None:
    at = run_page(PAGE, "en")
    assert at.title[0].value == "Datasets by jurisdiction"
    m = _metrics(at)
    assert m["Federal records"] == ("35,847", "75.0% of the catalogue")
    assert m["Provincial records"][0] == "11,660"
    assert m["Municipal records"][0] == "285"
    assert m["open.canada.ca records, latest day"] == ("47,792", "+330 (+0.7%) since Jun 25, 2026")
    assert m["Portals refreshed"][0] == "0 of 124"  # the 2020 list's 123 and open.yukon.ca (yt, added by hand)
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
    at = run_page(PAGE, "fr")
    assert at.title[0].value == "Jeux de données par administration"
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
    assert (directory["Plateforme"] == "Inconnue").sum() == 75 and len(directory) == 124
    # the French page of a bilingual site, the site's own page otherwise
    home = directory.set_index("Portail")["Page d’accueil"]
    assert home["Canada"] == "http://ouvert.canada.ca/data/fr/dataset"
    assert home["Île-du-Prince-Édouard"].startswith("https://www.princeedwardisland.ca/fr/")
    assert home["Nouveau-Brunswick"] == "http://www.snb.ca/geonb1/f/DC/catalogue-F.asp"
    assert not home.str.contains("canada.ca/data/en/").any()
    assert at.selectbox(key="jurisdictions_pt").proto.placeholder == "Choisissez une option"


def test_per_capita_view_from_the_url_uses_2011_population(run_page) -> None:
    at = run_page(PAGE, "en", jur_view="per_capita")
    assert at.radio(key="jurisdictions_view").value == "per_capita"
    assert "2011 Census population" in _text(at)
    pt = _table(at, "Province or territory").set_index("Province or territory")
    col = next(c for c in pt.columns if c.startswith("Per 100,000 residents"))
    assert pt.loc["Alberta", col] == "73.1"  # 2,665 / 3,645,257 * 100,000
    assert pt.loc["Prince Edward Island", col] == "99.1" and pt.loc["Prince Edward Island", "Rank"] == "1"
    assert pt.loc["Manitoba", col] == "no data"  # population missing: NaN, not 0
    fr = run_page(PAGE, "fr", jur_view="per_capita")
    assert "Recensement de 2011" in _text(fr)


def test_invalid_url_values_fall_back_to_defaults(run_page) -> None:
    at = run_page(PAGE, "en", jur_view="bogus", jur_level="galactic", jur_pt="XX", jur_basis="nope")
    assert at.radio(key="jurisdictions_view").value == "total"
    assert at.selectbox(key="jurisdictions_level").value == "all"
    assert at.selectbox(key="jurisdictions_pt").value == "all"
    assert at.radio(key="jurisdictions_basis").value == "federated"  # nothing refreshed yet


def test_filters_narrow_the_directory_and_own_portal_basis_says_no_data(run_page) -> None:
    at = run_page(PAGE, "en", jur_level="municipal", jur_pt="ON", jur_basis="portal")
    directory = _table(at, "Platform")
    assert len(directory) == 48 and set(directory["Level"]) == {"Municipal"}
    assert set(directory["Last successful refresh"]) == {"never refreshed"}
    assert "48 of 124 portals shown." in _text(at)
    pt = _table(at, "Province or territory")
    assert (pt["Rank"] == "–").all()  # no own-portal count anywhere yet
    (map_,) = at.get("plotly_chart")
    assert "no province or territory has a figure yet" in map_.proto.alt


def test_map_alt_text_summarises_the_figures(run_page) -> None:
    at = run_page(PAGE, "fr")
    (map_,) = at.get("plotly_chart")
    assert "12 sur 13" in map_.proto.alt and f"Alberta (2{NBSP}665)" in map_.proto.alt
    assert "Terre-Neuve-et-Labrador (86)" in map_.proto.alt and "Nunavut" in map_.proto.alt
    assert "Statistique Canada" in " ".join(c.value for c in at.caption)


def test_switching_the_view_widget_reruns(run_page) -> None:
    at = run_page(PAGE, "fr")
    at.radio(key="jurisdictions_view").set_value("per_capita").run()
    assert not at.exception
    assert at.query_params["jur_view"] in ("per_capita", ["per_capita"])
