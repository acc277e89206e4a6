"""Every setting (opengov/config.py SETTINGS) is documented in the README's Configuration table, with
its default, and the README documents no setting that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

from opengov.config import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def _table_rows() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\|\s*`(OPENGOV_[A-Z_]+)`\s*\|\s*([^|]*)\|", line)
        if m:
            rows[m.group(1)] = m.group(2).strip()
    return rows


def test_every_setting_is_in_the_readme_with_its_default() -> None:
    rows = _table_rows()
    for s in SETTINGS:
        assert s.name in rows, f"{s.name} is not documented in README.md's Configuration table"
        if s.default:
            assert f"`{s.default}`" in rows[s.name], f"README gives {rows[s.name]!r} as the default of {s.name}"


def test_the_readme_documents_only_existing_settings() -> None:
    assert set(_table_rows()) == {s.name for s in SETTINGS}
