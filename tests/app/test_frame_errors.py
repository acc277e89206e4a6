"""Bad start-up conditions give one clear, translated message in the page, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


def _run(lang: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    return at


@pytest.mark.parametrize(
    ("lang", "needle"), [("en", "The database cannot be opened"), ("fr", "La base de données ne peut pas être ouverte")]
)
def test_corrupt_database_file(lang: str, needle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "corrupt.db"
    bad.write_bytes(b"not a database at all" * 200)
    monkeypatch.setenv("OPENGOV_DATABASE_URL", f"sqlite:///{bad}")
    at = _run(lang)
    assert not at.exception
    assert any(needle in e.value for e in at.error)
    assert not at.title  # the page stopped before rendering anything misleading


def test_missing_shipped_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    (data / "seeds" / "csis_milestones.csv").unlink()
    monkeypatch.setenv("OPENGOV_DATA_DIR", str(data))
    monkeypatch.setenv("OPENGOV_DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    at = _run("fr")
    assert not at.exception
    msg = " ".join(e.value for e in at.error)
    assert "seeds/csis_milestones.csv" in msg and "git checkout -- data/" in msg
    assert "le fichier est absent" in msg and "file is missing" not in msg


def test_database_from_an_unknown_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import text

    from opengov.ingest.init import ensure_store
    from opengov.store.db import get_engine

    url = f"sqlite:///{tmp_path / 'future.db'}"
    ensure_store(url)
    with get_engine(url).begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('9999_future')"))
    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    at = _run("en")
    assert not at.exception
    assert any("unknown or newer version" in e.value for e in at.error)
