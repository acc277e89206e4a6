"""The sources page with AppTest: the provenance file (about 50 kB) is sent only once its expander is
opened, in the page's language, and stays there for the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opengov.i18n import t

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENGOV_DATABASE_URL", f"sqlite:///{tmp_path / 'sources.db'}")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_provenance_file_is_sent_when_opened(db: None, lang: str) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception
    assert [e.label for e in at.expander if e.label == t("sources.provenance_file", lang)]
    assert not at.code  # not with the page load
    at.session_state["sources_provenance_box"] = True
    at.run()
    shipped = (REPO / "data" / "PROVENANCE.md").read_text(encoding="utf-8")
    assert len(at.code) == 1 and at.code[0].value == shipped.rstrip("\n")  # st.code trims the last newline
    at.run()  # another rerun keeps it open
    assert len(at.code) == 1
