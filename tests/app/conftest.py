"""A loaded store shared by the AppTest content tests of one session (created once, read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def loaded_store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path_factory.mktemp('apptest-store') / 'store.db'}"
    ensure_store(url)
    return url


@pytest.fixture
def run_page(loaded_store_url: str, monkeypatch: pytest.MonkeyPatch):
    """run_page('pages/overview.py', 'fr', **query) -> an AppTest that has run that page, with
    every chart's data table opened (open_tables=False leaves them closed)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OPENGOV_DATABASE_URL", loaded_store_url)
    monkeypatch.chdir(REPO)

    from tests.helpers.apptest import open_data_tables

    def _run(path: str, lang: str, open_tables: bool = True, **query: str) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
        at.query_params["lang"] = lang
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(path)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if open_tables:
            open_data_tables(at)
            assert not at.exception, [e.value for e in at.exception]
        return at

    return _run
