"""opengov.exports: formula neutralisation, CSV (UTF-8 BOM) and XLSX round-trips."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from opengov.exports import data_csv, data_xlsx, neutralise_formulas, to_csv_bytes, to_xlsx_bytes, typed_table

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


def _shown(lang: str) -> pd.DataFrame:
    """A chart's table as a page shows it: formatted numbers, percentages, dates, dashes for unknown."""
    if lang == "fr":
        return pd.DataFrame(
            {
                "Mois": ["juillet 2022", "août 2022", "sept. 2022"],
                "Jour": ["1er juill. 2026", "25 juin 2026", "–"],
                "Téléchargements": ["1\u202f250\u202f429", "–", "83\u00a0516"],
                "Part": ["12,5\u00a0%", "3\u00a0%", "–"],
                "Taux": ["62,5", "0,3", "1\u202f000,1"],
                "Code": ["=C01", "007", "C03"],
            }
        )
    return pd.DataFrame(
        {
            "Month": ["July 2022", "August 2022", "Sep 2022"],
            "Day": ["July 1, 2026", "Jun 25, 2026", "–"],
            "Downloads": ["1,250,429", "–", "83,516"],
            "Share": ["12.5%", "3%", "–"],
            "Rate": ["62.5", "0.3", "1,000.1"],
            "Code": ["=C01", "007", "C03"],
        }
    )


def test_typed_table_turns_shown_text_into_numbers_and_dates_in_both_languages():
    for lang in ("en", "fr"):
        typed, formats = typed_table(_shown(lang), lang)
        month, day, n, share, rate, code = (typed.iloc[:, i].tolist() for i in range(6))
        assert month == [dt.date(2022, 7, 1), dt.date(2022, 8, 1), dt.date(2022, 9, 1)]
        assert day == [dt.date(2026, 7, 1), dt.date(2026, 6, 25), None]
        assert n == [1_250_429, pd.NA, 83_516] and rate == [62.5, 0.3, 1000.1]
        assert share[:2] == [0.125, 0.03] and pd.isna(share[2])
        assert code == ["=C01", "007", "C03"]  # text stays text (neutralised when written)
        assert list(formats.values()) == ["yyyy-mm", "yyyy-mm-dd", "#,##0", "0.0%", "#,##0.0##"]


def test_data_files_are_typed_with_an_about_sheet():
    about = [("Title", "Downloads"), ("Source", "=evil"), ("As of", "August 22, 2026")]
    wb = openpyxl.load_workbook(io.BytesIO(data_xlsx(_shown("en"), "en", sheet="Data", about=about)))
    ws = wb["Data"]
    row = [c for c in ws[2]]
    assert row[0].value == dt.datetime(2022, 7, 1) and row[0].number_format == "yyyy-mm"
    assert row[2].value == 1_250_429 and row[2].number_format == "#,##0"
    assert row[3].value == 0.125 and row[3].number_format == "0.0%"
    assert ws["C3"].value is None and ws["F2"].value == "'=C01"
    assert [r for r in wb["About"].iter_rows(values_only=True)][1] == ("Source", "'=evil")
    csv_rows = data_csv(_shown("fr"), "fr").decode("utf-8-sig").split("\r\n")
    assert csv_rows[1] == "2022-07,2026-07-01,1250429,0.125,62.5,'=C01"
    assert csv_rows[2].split(",")[2] == ""  # unknown is empty
