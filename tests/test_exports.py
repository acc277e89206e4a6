"""opengov.exports: formula neutralisation, CSV (UTF-8 BOM) and XLSX round-trips."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from opengov.exports import neutralise_formulas, to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil","clic")']


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ville": [
                "Montréal",
                "Québec",
                "Trois-Rivières",
                "Île-du-Prince-Édouard",
                "Saint-Jérôme",
                "Gatineau",
                "Lévis",
            ],
            "formula": DANGEROUS,
            "n": [-5, 0, 3, -1_000_000, 7, 8, 9],
            "x": [-1.5, 2.25, float("nan"), 0.0, -0.001, 1e9, -3.0],
        }
    )


def test_neutralise_formulas_prefixes_text_only_and_never_mutates():
    df = _frame()
    before = df.copy(deep=True)
    out = neutralise_formulas(df)
    pd.testing.assert_frame_equal(df, before)  # input untouched
    assert out["formula"].tolist() == ["'" + v for v in DANGEROUS]
    assert out["ville"].tolist() == df["ville"].tolist()
    pd.testing.assert_series_equal(out["n"], df["n"])  # negative numbers NOT altered
    pd.testing.assert_series_equal(out["x"], df["x"])
    mixed = neutralise_formulas(pd.DataFrame({"m": [-3, "-3", None, "ok", 2.5]}))
    assert mixed["m"].tolist()[:2] == [-3, "'-3"] and mixed["m"].tolist()[3:] == ["ok", 2.5]
    assert neutralise_formulas(pd.DataFrame({"=evil": [1]})).columns.tolist() == ["'=evil"]


def test_csv_round_trip_with_accents_and_bom():
    df = _frame()
    raw = to_csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    assert back["ville"].tolist() == df["ville"].tolist()
    assert back["formula"].tolist() == ["'" + v for v in DANGEROUS]
    assert back["n"].tolist() == [-5, 0, 3, -1_000_000, 7, 8, 9]
    assert back["x"].iloc[0] == -1.5 and pd.isna(back["x"].iloc[2])


def test_xlsx_round_trip_bold_header_no_formula_cells():
    df = _frame()
    df["when"] = pd.Timestamp("2026-11-24 12:30", tz="UTC")
    df["day"] = dt.date(2026, 11, 24)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df, "données: [test]/2026-11-24 and more")))
    ws = wb.worksheets[0]
    assert len(ws.title) <= 31 and not set("[]:*?/\\") & set(ws.title)
    assert [c.value for c in ws[1]] == list(df.columns) and all(c.font.b for c in ws[1])
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == df["ville"].tolist()
    # XML normalises a carriage return to a line feed; the cell is still neutralised.
    assert [r[1] for r in rows] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert [r[2] for r in rows] == [-5, 0, 3, -1_000_000, 7, 8, 9]
    assert rows[0][3] == -1.5 and rows[2][3] is None
    assert rows[0][4] == dt.datetime(2026, 11, 24, 12, 30)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_empty_frame_and_control_characters():
    assert to_csv_bytes(pd.DataFrame({"a": []})) == "\ufeffa\r\n".encode()
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": ["bell\x07"]}), "s")))
    assert wb["s"]["A2"].value == "bell"


def test_docstring_examples():
    import doctest

    import opengov.exports

    result = doctest.testmod(opengov.exports, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
