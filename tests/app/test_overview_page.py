"""The Overview shows the real shipped figures, formatted for en_CA / fr_CA, with sources."""

from __future__ import annotations

NBSP = "\u00a0"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_in_english_shows_real_figures(run_page) -> None:
    at = run_page("pages/overview.py", "en")
    m = _metrics(at)
    assert m["Datasets (all records)"] == "47,792"
    assert m["Federal records"] == "35,847" and m["Provincial records"] == "11,660"
    assert m["Downloads, FY 2025-26"] == "810,861"
    # national progress: the 2022-2024 plan's 106 indicators, 12 with a reported status
    assert m["Complete"] == "6" and m["Substantial progress"] == "4" and m["Not reported"] == "94"
    # overdue today across plans: NAP5 5, Québec 1, Ontario 3, the CSIS plan 15 (judged today, not in 2018)
    assert m["Overdue today, all plans"] == "24"
    captions = " ".join(c.value for c in at.caption)
    assert "as of August 22, 2026" in captions
    assert "Statistics Canada" not in captions  # no map on this page
    # the fiscal 2025-26 visit jump is flagged as a measurement change
    assert "change of measurement" in captions


def test_overview_in_french_uses_french_formats(run_page) -> None:
    at = run_page("pages/overview.py", "fr")
    m = _metrics(at)
    assert m["Jeux de données (total)"] == f"47{NBSP}792"
    assert m["Téléchargements, EF 2025-2026"] == f"810{NBSP}861"
    captions = " ".join(c.value for c in at.caption)
    assert "en date du 22 août 2026" in captions
    # a fall is shown as a fall (red, down arrow) and keeps its true minus sign like every number
    fy = next(x for x in at.metric if x.label == "Téléchargements, EF 2025-2026")
    assert fy.proto.delta.startswith("\u2212")
    assert fy.proto.direction == fy.proto.DOWN and fy.proto.color == fy.proto.RED
    assert any(q.value.startswith("> Plus de 150 entreprises") or "150" in q.value for q in at.markdown)


def test_overview_window_comes_from_the_url(run_page) -> None:
    at = run_page("pages/overview.py", "en", window="6")
    assert at.selectbox(key="overview_window").value == "6"
    assert "Downloads, last 6 months" in _metrics(at)
    bad = run_page("pages/overview.py", "en", window="999")
    assert bad.selectbox(key="overview_window").value == "12"


def test_overview_window_names_its_comparison_and_its_arrow_follows_the_sign(run_page, loaded_store_url) -> None:
    from metrics.overview import overview_kpis
    from opengov.features.overview.queries import overview_frames

    fr = overview_frames(loaded_store_url)
    args = [
        fr[k]
        for k in (
            "daily_snapshots",
            "jurisdiction_facets",
            "downloads_by_jurisdiction",
            "fy_downloads",
            "fy_visits",
            "portals",
        )
    ]
    cases = (("year_before", "vs the same 6 months a year before"), ("consecutive", "vs the 6 months just before"))
    for basis, words in cases:
        w = overview_kpis(*args, window_months=6, basis=basis).downloads_window
        at = run_page("pages/overview.py", "en", open_tables=False, window="6", compare=basis)
        assert at.selectbox(key="overview_compare").value == basis
        card = next(x for x in at.metric if x.label == "Downloads, last 6 months")
        assert words in card.proto.delta
        # the compared months are named on the card, a year before the current ones (or just before them)
        months_back = 12 if basis == "year_before" else 6
        gap = (w.current_start.year - w.previous_start.year) * 12 + w.current_start.month - w.previous_start.month
        assert gap == months_back
        assert w.previous_start.strftime("%B %Y") in card.proto.delta
        want = card.proto.DOWN if w.change_abs < 0 else card.proto.UP
        assert card.proto.direction == want
        assert card.proto.color == (card.proto.RED if w.change_abs < 0 else card.proto.GREEN)
    bad = run_page("pages/overview.py", "fr", open_tables=False, compare="nope")
    assert bad.selectbox(key="overview_compare").value == "year_before"
    card = next(x for x in bad.metric if x.label == "Téléchargements, 12 derniers mois")
    assert "par rapport aux mêmes 12 mois un an plus tôt" in card.proto.delta


def test_sources_page_lists_every_source_with_licence_and_staleness(run_page) -> None:
    from opengov.ingest.shipped import SHIPPED

    at = run_page("pages/sources.py", "fr")
    df = at.dataframe[0].value
    assert len(df) == len(SHIPPED)
    assert {"Source", "Licence", "En date du", "Fraîcheur"} <= set(df.columns)
    assert df["Fraîcheur"].str.contains("Périmée|À jour|Vieillissante|Fixe").all()
    text = " ".join(x.value for x in at.markdown)
    assert "Passage à GA4, juillet 2023" in text and "Statistique Canada" in text
    seeds = run_page("pages/sources.py", "en", kind="seed")
    assert len(seeds.dataframe[0].value) == sum(1 for s in SHIPPED if s.file.startswith("seeds/"))


def test_overview_quotes_every_cited_fact_once_with_its_document(run_page, loaded_store_url) -> None:
    """The cited facts: one card per source document, each statement quoted whole and once (a
    statement carrying several figures is one fact), the document named in French on the French page."""
    from opengov.features.overview.data import overview_frames

    facts = overview_frames(url=loaded_store_url)["facts"]
    at = run_page("pages/overview.py", "fr", open_tables=False)
    cards = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert len(cards) == facts["document_fr"].nunique() >= 3
    text = "\n".join(cards)
    for statement in facts["statement_fr"].unique():
        first_words = statement.split(" (")[0][:60].replace("!", "\\!")
        assert text.count(first_words) == 1, statement
    for document in facts["document_fr"].unique():
        assert f"— {document.split(' (')[0]}" in text
    assert all(":small[— " in card for card in cards)
