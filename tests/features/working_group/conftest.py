"""A shipped-data store for the working-group tests (SQLite, once per module)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def shipped_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path_factory.mktemp('wg') / 'wg.db'}"
    ensure_store(url)
    return url


@pytest.fixture(scope="module")
def wg_data(shipped_url: str):
    from opengov.commands.working_group import load_data

    return load_data(shipped_url)


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path
