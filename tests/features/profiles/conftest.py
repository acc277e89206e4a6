"""A store with the shipped data, built once for the profile tests (SQLite)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path_factory.mktemp('profiles') / 'store.db'}"
    ensure_store(url)
    return url
