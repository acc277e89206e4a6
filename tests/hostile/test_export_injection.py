"""Item 3 of issue 21: a text starting with characters XML forbids (``"\\x01=HYPERLINK(...)"``) must not
become a live formula once they are removed, in any spreadsheet the app writes (``export table``
milestones, portals, audit; every chart's CSV/XLSX download)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from opengov.cli import main
from opengov.exports import FORMULA_PREFIXES, neutralise_formulas, safe_text, to_csv_bytes, to_xlsx_bytes

#: Formulas hidden behind characters an .xlsx cannot hold (removed when the cell is written).
HOSTILE = [
    '\x01=HYPERLINK("http://evil.example/x","clic")',
    "\x07\x02+cmd|' /C calc'!A0",
    "\x1f\x0b-2+3",
    "\x08@SUM(A1)",
    "\ufffe=1+1",
    "\x01\x01\x01\t=1",
]


def _assert_inert_text(value: object) -> None:
    """A cell a spreadsheet would show as text: no formula character first, nothing XML forbids."""
    if isinstance(value, str):
        assert not value.startswith(FORMULA_PREFIXES), repr(value)
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value), repr(value)


def _assert_xlsx_inert(data: bytes | Path) -> list[list[object]]:
    wb = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    rows = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (c.coordinate, c.value)
                _assert_inert_text(c.value)
            rows.append([c.value for c in row])
    return rows


def _assert_csv_inert(raw: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    for row in rows:
        for value in row:
            if not re.fullmatch(r"-?\d+(\.\d+)?", value):  # a negative number is a number, not a formula
                _assert_inert_text(value)
    return rows


def test_safe_text_strips_first_then_neutralises() -> None:
    for value in HOSTILE:
        out = safe_text(value)
        kept = "".join(ch for ch in value if (ord(ch) >= 32 or ch in "\t") and ch != "\ufffe")
        assert out.startswith("'") and out[1:] == kept
    assert safe_text("Montréal – Québec") == "Montréal – Québec"
    assert [safe_text(safe_text(v)) for v in HOSTILE] == [safe_text(v) for v in HOSTILE]  # idempotent


def test_frame_writers_leave_no_live_formula_in_cells_or_headers() -> None:
    df = pd.DataFrame(
        {
            '\x01=HYPERLINK("h")': HOSTILE,
            "cat": pd.Categorical(HOSTILE),
            "n": range(-3, 3),
            "nul": ["\x00=1+1"] * len(HOSTILE),
            "lst": [[v] for v in HOSTILE],
        }
    )
    before = df.copy(deep=True)
    rows = _assert_xlsx_inert(to_xlsx_bytes(df, "t"))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example/x","clic")'
    assert [r[2] for r in rows[1:]] == list(range(-3, 3))  # numbers stay numbers
    csv_rows = _assert_csv_inert(to_csv_bytes(df))
    assert csv_rows[0][0] == '\'=HYPERLINK("h")' and csv_rows[1][0] == rows[1][0]
    out = neutralise_formulas(df)
    for col in out.columns:
        _assert_inert_text(col)
        for v in out[col]:
            _assert_inert_text(v)
    pd.testing.assert_frame_equal(df, before)  # input untouched


def test_chart_download_buttons_use_the_neutraliser() -> None:
    """Every chart's Download popover builds its CSV and XLSX with ``blocks._table_bytes``."""
    from opengov.ui.blocks import _table_bytes

    df = pd.DataFrame({"Titre": HOSTILE, "Valeur": range(len(HOSTILE))})
    _assert_xlsx_inert(_table_bytes(df, "xlsx"))
    _assert_csv_inert(_table_bytes(df, "csv"))


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_table_milestones_portals_audit(cli_store: str, tmp_path: Path, fmt: str) -> None:
    portals = tmp_path / "p.csv"
    header = ["id", "name_en", "name_fr", "level", "pt_code", "platform", "api_base_url", "homepage"]
    portals.write_text(_csv_text([header, ["evil", HOSTILE[0], HOSTILE[3], "municipal", "QC", "", "", ""]]))
    assert main(["import", "portals", str(portals)]) == 0
    table = tmp_path / "m.csv"
    table.write_text(
        _csv_text(
            [
                ["Reference", "Milestone", "Start date", "End date", "Status"],
                ["6.4", HOSTILE[0], "2015-01-15", "2015-10-31", "Completed"],
                ["6.3", HOSTILE[1], "2015-01-15", "2015-10-31", "In progress"],
            ]
        )
    )
    args = ["import", "milestones", str(table), "--plan", "EVIL-PLAN", "--title", HOSTILE[2]]
    assert main([*args, "--actor", HOSTILE[3]]) == 0
    seen = set()
    for name in ("milestones", "portals", "audit", "status_observations"):
        out = tmp_path / f"{name}.{fmt}"
        assert main(["export", "table", name, "--out", str(out)]) == 0
        rows = _assert_xlsx_inert(out) if fmt == "xlsx" else _assert_csv_inert(out.read_bytes())
        seen |= {v for r in rows for v in r if isinstance(v, str)}
    assert '\'=HYPERLINK("http://evil.example/x","clic")' in seen  # the milestone and the portal
    assert "'@SUM(A1)" in seen  # the portal's French name
    assert any("@SUM(A1)" in v for v in seen if v.startswith("'cli:") or v.startswith("cli:"))  # the actor
