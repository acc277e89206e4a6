"""The pages' Download popovers: every chart block a page renders offers PNG, SVG, PDF, CSV and XLSX in the UI
language (the map included, drawn without a browser) and is registered for `python -m opengov export chart`."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LABELS = {
    "en": ["Chart as PNG image", "Chart as SVG", "Chart as PDF", "Data as CSV", "Data as Excel (XLSX)"],
    "fr": [
        "Graphique en image PNG",
        "Graphique en SVG",
        "Graphique en PDF",
        "Données en CSV",
        "Données en Excel (XLSX)",
    ],
}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path_factory.mktemp('dl') / 's.db'}"
    ensure_store(url)
    return url


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_jurisdictions_page_blocks_offer_five_files_and_are_registered(
    lang: str, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from opengov.features.registry import blocks

    monkeypatch.setenv("OPENGOV_DATABASE_URL", store_url)
    monkeypatch.chdir(REPO)
    popovers: list[str] = []
    for section in ("level", "pt", "federal", "growth", "freshness", "directory"):  # one drawn at a time
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.query_params["lang"] = lang
        at.query_params["jur_section"] = section
        at.run()
        at.switch_page("pages/jurisdictions.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        popovers += sorted(str(k)[: -len("_dl")] for k in at.session_state.keys() if str(k).endswith("_dl"))
    assert "jurisdictions_map" in popovers and len(popovers) >= 6
    assert [k for k in popovers if k not in blocks()] == []  # each rendered block can be exported by name
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["jur_section"] = "pt"
    at.run()
    at.switch_page("pages/jurisdictions.py")
    at.run()
    at.session_state["jurisdictions_map_dl"] = True  # open the map's Download popover
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == LABELS[lang]
