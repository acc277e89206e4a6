"""Server-side smoke test of every page in both languages with Streamlit's AppTest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.pages import PagesUnavailable, page_cases  # noqa: F401  (page_cases: read by the coverage test)

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"


def _errors(at: AppTest) -> str:
    return "\n\n".join(f"{e.value}\n" + "\n".join(e.stack_trace[-4:]) for e in at.exception)


@pytest.fixture(autouse=True)
def full_error_details(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Show real exception messages in failures (the app's config.toml may redact them)."""
    from streamlit import config as st_config

    monkeypatch.chdir(REPO)
    old = st_config.get_option("client.showErrorDetails")  # also parses config.toml
    st_config.set_option("client.showErrorDetails", "full")
    yield
    st_config.set_option("client.showErrorDetails", old)


@pytest.mark.parametrize(("spec", "lang"), page_cases())
def test_page_runs_in_language(spec: Any, lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(spec, PagesUnavailable):
        pytest.fail(spec.reason)
    from opengov.i18n import t

    monkeypatch.setenv("OPENGOV_DATABASE_URL", f"sqlite:///{tmp_path / 'apptest.db'}")
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, _errors(at)
    at.switch_page(spec.path)
    at.run()
    assert not at.exception, _errors(at)
    titles = [title.value for title in at.title]
    assert t(spec.title_key, lang) in titles, f"st.title values on {spec.path} ({lang}): {titles}"
