"""One cache: every cached read of the app goes through opengov.cache.cached (keyed by the store's
data version), so no module keeps a cache of its own or a list of caches to clear by hand."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((REPO / "opengov").rglob("*.py")), *sorted((REPO / "pages").glob("*.py")), REPO / "app.py"]


def test_only_opengov_cache_calls_streamlit_caches() -> None:
    offenders = [
        str(p.relative_to(REPO))
        for p in SOURCES
        if p.name != "cache.py" and re.search(r"\bst\.cache_(data|resource)\b|\bcache_(data|resource)\(", p.read_text())
    ]
    assert offenders == []


def test_no_hand_kept_lists_of_caches_to_clear() -> None:
    offenders = [
        f"{p.relative_to(REPO)}:{n}"
        for p in SOURCES
        for n, line in enumerate(p.read_text().splitlines(), 1)
        # a collection emptied to give its memory back says so ("not a cache")
        if re.search(r"\.clear\(\)", line) and "session_state" not in line and "not a cache" not in line
    ]
    assert offenders == []


def test_every_feature_read_is_versioned() -> None:
    """Each features/*/data.py caches only through `cached` (which puts the data version in the key)."""
    for data in sorted((REPO / "opengov" / "features").glob("*/data.py")):
        text = data.read_text()
        assert "from opengov.cache import cached" in text, data
        assert "import streamlit" not in text, f"{data} should not need Streamlit beside opengov.cache"
