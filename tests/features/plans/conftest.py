"""A migrated store with the shipped data, on SQLite and on PostgreSQL (db_url fixture)."""

from __future__ import annotations

import pytest


@pytest.fixture
def store(db_url: str) -> str:
    from opengov.ingest.init import ensure_store

    ensure_store(db_url)
    return db_url
