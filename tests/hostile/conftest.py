"""Fixtures of the hostile-input tests (issue 21): a complete store on SQLite and PostgreSQL, copied
from the session's template (see tests/ingest/refresh/conftest.py), and the command line on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opengov.store.db import get_engine
from tests.ingest.refresh.conftest import copy_template_store


@pytest.fixture
def store(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A complete store (schema + shipped data) on SQLite and on PostgreSQL."""
    yield copy_template_store(db_url, request)
    get_engine(db_url).dispose()


@pytest.fixture
def cli_store(store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``store``, also the one ``python -m opengov`` (``opengov.cli.main``) opens."""
    monkeypatch.setenv("OPENGOV_DATABASE_URL", store)
    return store


@pytest.fixture
def sqlite_cli_store(tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A complete SQLite store that ``opengov.cli.main`` opens."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    copy_template_store(url, request)
    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    yield url
    get_engine(url).dispose()
