"""The shared table reader: every format, encoding, delimiter, header rule, limit and error, on in-memory files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess
import sys

import pytest

from opengov.ingest.tables import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_OPTIONS,
    Table,
    TableError,
    TableOptions,
    cell_text,
    decode_bytes,
    map_header,
    normalize_header,
    read_table,
    sniff_delimiter,
)


def _xlsx(
    rows: list[list[object]], *, title: str = "Sheet", extra: dict[str, list[list[object]]] | None = None
) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    for name, more in (extra or {}).items():
        other = wb.create_sheet(name)
        for r in more:
            other.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _error(data: bytes, name: str = "f.csv", **options: object) -> TableError:
    with pytest.raises(TableError) as info:
        read_table(data, name, dataclasses.replace(DEFAULT_OPTIONS, **options))
    return info.value


def _read(data: bytes, name: str = "f.csv", **options: object) -> Table:
    return read_table(data, name, dataclasses.replace(DEFAULT_OPTIONS, **options))


# --------------------------------------------------------------------------- CSV: encodings
def test_utf8_without_bom() -> None:
    t = _read("Référence,Statut\n6.4,Terminé\n".encode())
    assert (t.file_format, t.encoding, t.delimiter, t.sheet) == ("csv", "utf-8", ",", None)
    assert t.header == ["Référence", "Statut"] and t.body() == [(2, ["6.4", "Terminé"])]


def test_utf8_bom_is_removed() -> None:
    t = _read("\ufeffRéférence;Statut\r\n6.4;Terminé\r\n".encode())
    assert t.encoding == "utf-8-sig" and t.header == ["Référence", "Statut"] and t.keys == ["reference", "statut"]


def test_cp1252_with_accents_and_typographic_quotes() -> None:
    data = "Date de début;Type d’activité;Œuvre\n1er avril 2016;Présentation;«Ça»\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    t = _read(data)
    assert t.encoding == "cp1252" and t.delimiter == ";"
    assert t.header == ["Date de début", "Type d’activité", "Œuvre"]
    assert t.rows[0].cells == ["1er avril 2016", "Présentation", "«Ça»"]
    assert t.keys == ["date_de_debut", "type_d_activite", "uvre"]


def test_undecodable_bytes_name_their_line() -> None:
    data = b"a,b\n1,2\n3,\x81\n"  # 0x81 is neither UTF-8 nor Windows-1252
    err = _error(data)
    assert (err.code, err.line, err.params["byte"]) == ("encoding", 3, "10")
    assert "neither UTF-8 nor Windows-1252" in err.detail and str(err).startswith("line 3: ")


def test_latin1_fallback_decodes_anything() -> None:
    t = _read(b"a,b\n3,\x81\xe9\n", encodings=("utf-8-sig", "cp1252", "latin-1"))
    assert t.encoding == "latin-1" and t.rows[0].cells == ["3", "\x81é"]


def test_a_bom_pins_utf8_unless_told_otherwise() -> None:
    data = b"\xef\xbb\xbfa,b\n1,\xe9\n"  # a BOM, then Windows-1252
    err = _error(data)
    assert (err.code, err.line, err.params["byte"]) == ("encoding", 2, "9") and "not UTF-8" in err.detail
    t = _read(data, trust_bom=False)
    assert t.encoding == "cp1252" and t.header == ["ï»¿a", "b"] and t.rows[0].cells == ["1", "é"]


def test_replace_decodes_with_the_last_encoding() -> None:
    t = _read(b"a,b\n1,\x81\n", decode_errors="replace")
    assert t.encoding == "cp1252" and t.rows[0].cells == ["1", "\ufffd"]


def test_decode_bytes_needs_an_encoding() -> None:
    assert decode_bytes(b"abc", ("ascii",)) == ("abc", "ascii")
    with pytest.raises(ValueError):
        decode_bytes(b"abc", ())


# --------------------------------------------------------------------------- CSV: delimiters, lines, cells
@pytest.mark.parametrize(
    ("text", "delimiter"),
    [("a;b;c\n1;2;3\n", ";"), ("a\tb\tc\n1\t2\t3\n", "\t"), ("a,b;c\n", ","), ("a;b,c;d\n", ";"), ("abc\n1\n", ",")],
    ids=["semicolon", "tab", "tie-is-comma", "most-frequent", "none-is-comma"],
)
def test_delimiter_sniffing(text: str, delimiter: str) -> None:
    assert _read(text.encode()).delimiter == delimiter


def test_sniffing_on_the_first_nonblank_line_or_the_very_first() -> None:
    text = "\n\na;b;c\n1;2;3\n"
    assert _read(text.encode()).header == ["a", "b", "c"]
    t = _read(text.encode(), sniff_first_line=True)  # the blank first line has no delimiter: comma
    assert t.delimiter == "," and t.header == ["a;b;c"]
    assert sniff_delimiter("a\tb;c\n", (",", ";")) == ";"


def test_given_delimiter_is_not_sniffed() -> None:
    t = _read(b"a;b,c\n1;2,3\n", delimiter=",")
    assert t.delimiter == "," and t.header == ["a;b", "c"]


def test_lines_of_rows_skip_blank_rows_and_count_multiline_cells() -> None:
    text = '\nRéférence;Date de fin\n6.4;"31 octobre\n2015"\n\n ; \n6.3;31 mars 2016\n'
    t = _read(text.encode())
    assert t.header_line == 2 and t.lines == [3, 7]
    assert t.rows[0].cells == ["6.4", "31 octobre\n2015"]


def test_cells_are_stripped_unless_told_not_to() -> None:
    assert _read(b" a , b \n 1 ,2\n").body() == [(2, ["1", "2"])]
    t = _read(b" a , b \n 1 ,2\n  ,  \n", strip_cells=False)
    assert t.header == [" a ", " b "] and t.body() == [(2, [" 1 ", "2"])]


def test_a_cell_over_the_field_limit_is_cell_too_long_with_its_line() -> None:
    data = b'a,b\n1,2\n3,"' + b"x" * 140_000 + b'"\n'  # over the csv module's field limit
    err = _error(data)
    assert (err.code, err.line) == ("cell_too_long", 3) and err.params["limit"] == "131072"
    assert "a cell is longer than 131,072 characters" in str(err)


# --------------------------------------------------------------------------- XLSX
def test_xlsx_cells_as_text() -> None:
    data = _xlsx(
        [
            ["Référence", "Date de fin", "Heure", "Année", "Part", "Notes", "Fait"],
            [6.4, dt.datetime(2015, 10, 31), dt.datetime(2015, 10, 31, 9, 30), 2023, 2024.0, None, True],
            [None, dt.date(2016, 3, 31), None, 7, 0.5, "  à voir  ", False],
        ]
    )
    t = _read(data, "plan.xlsx")
    assert (t.file_format, t.encoding, t.delimiter, t.sheet) == ("xlsx", None, None, "Sheet")
    assert t.body() == [
        (2, ["6.4", "2015-10-31", "2015-10-31T09:30:00", "2023", "2024", "", "True"]),
        (3, ["", "2016-03-31", "", "7", "0.5", "à voir", "False"]),
    ]


def test_xlsx_blank_rows_are_skipped_with_sheet_row_numbers() -> None:
    data = _xlsx([[None, None], ["year", "topic_en"], [None], [2023, "A"], ["", " "], [2024, "B"]])
    t = _read(data, "a.xlsx")
    assert t.header_line == 2 and t.lines == [4, 6]


def test_xlsx_named_sheet_and_missing_sheet() -> None:
    data = _xlsx([["a"], ["first"]], title="Intro", extra={"Données": [["b"], ["second"]]})
    assert _read(data, "f.xlsx").rows[0].cells == ["first"]
    t = _read(data, "f.xlsx", sheet="Données")
    assert (t.sheet, t.header, t.rows[0].cells) == ("Données", ["b"], ["second"])
    err = _error(data, "f.xlsx", sheet="Nope")
    assert err.code == "no_sheet" and "Intro, Données" in err.detail


def test_xlsx_width_fitted_to_the_header() -> None:
    data = _xlsx([["year", "topic_en", None, None], [2023, "A"], [2024, "B", None, "extra"]])  # used range: A1:D3
    t = _read(data, "f.xlsx")
    assert t.header == ["year", "topic_en"]
    assert t.body() == [(2, ["2023", "A"]), (3, ["2024", "B", "", "extra"])]  # a non-empty extra is kept whole
    raw = _read(data, "f.xlsx", fit_xlsx_width=False)
    assert raw.header == ["year", "topic_en", "", ""] and raw.rows[0].cells == ["2023", "A", "", ""]


def test_zip_bytes_are_a_workbook_whatever_the_name() -> None:
    data = _xlsx([["a", "b"], [1, 2]])
    assert _read(data, "upload.csv").file_format == "xlsx"
    err = _error(b"PK\x03\x04 not a workbook", "upload.csv")
    assert (err.code, err.line, err.params["reason"]) == ("unreadable", 0, "BadZipFile")
    assert _read(b"PK\x03\x04,b\n1,2\n", "upload.csv", sniff_zip=False).file_format == "csv"


def test_workbook_failing_while_its_rows_are_read() -> None:
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(_xlsx([["a"], [1]])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.infolist():
            body = src.read(item)
            out.writestr(item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else body)
    err = _error(buf.getvalue(), "f.xlsx")
    assert (err.code, err.line, err.params["reason"]) == ("unreadable", 0, "ParseError")


def test_empty_workbook() -> None:
    err = _error(_xlsx([]), "f.xlsx")
    assert err.code == "empty" and "'Sheet' has no values" in err.detail


# --------------------------------------------------------------------------- format, empty files
def test_extensions() -> None:
    assert _read(b"a\n1\n", "F.CSV").file_format == "csv"
    assert _read(b"a\n1\n", "f.txt").file_format == "csv"
    err = _error(b"a\n1\n", "report.pdf")
    assert (err.code, err.params["extension"]) == ("unknown_extension", "pdf") and ".xlsx" in err.detail
    assert _error(b"a\n1\n", "README").params["extension"] == "README"
    assert _read(b"a\n1\n", "report.pdf", unknown_extension="csv").file_format == "csv"
    assert _error(b"a\n1\n", "f.tsv", csv_extensions=(".csv",)).code == "unknown_extension"


@pytest.mark.parametrize("data", [b"", b"  \r\n\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_files(data: bytes) -> None:
    err = _error(data)
    assert (err.code, err.line, str(err)) == ("empty", 0, "the file is empty")


def test_blank_bytes_left_to_the_format() -> None:
    assert _error(b"", "f.csv", reject_blank=False).code == "empty"
    assert _error(b"", "f.xlsx").code == "empty"
    assert _error(b"", "f.xlsx", reject_blank=False).code == "unreadable"


def test_no_header_when_every_line_is_blank_cells() -> None:
    err = _error(b",,\n , ,\n\n")
    assert err.code == "no_header"


def test_header_only_is_a_table_without_rows() -> None:
    t = _read(b"a,b\n\n")
    assert t.header == ["a", "b"] and t.rows == [] and t.records() == []


# --------------------------------------------------------------------------- header
def test_duplicate_header_after_normalisation() -> None:
    err = _error(b"Statut;Jalons;statut \n")
    assert (err.code, err.line, err.params) == ("duplicate_header", 1, {"column": "statut", "first": "1"})
    t = _read(b"\nStatut;Jalons;statut\nA;B;C\n", duplicate_header="keep")
    assert t.columns == {"statut": 0, "jalons": 1} and t.records() == [{"statut": "A", "jalons": "B"}]
    assert _error("\n\nÉtat;x;Etat\n".encode()).line == 3


def test_aliases_map_columns_and_catch_synonym_duplicates() -> None:
    aliases = {"status": ("statut", "etat"), "title": ("jalons", "milestone")}
    t = _read("Jalons;Statut;Remarque\nX;Terminé\nY\n".encode(), aliases=aliases)
    assert t.columns == {"title": 0, "status": 1} and t.keys == ["jalons", "statut", "remarque"]
    assert t.records() == [{"title": "X", "status": "Terminé"}, {"title": "Y", "status": ""}]  # short row: ""
    err = _error("Statut;Jalons;État\n".encode(), aliases=aliases)
    assert err.code == "duplicate_header" and err.detail == "column 'État' repeats column 1 ('Statut')"


def test_normalisation_rules() -> None:
    assert normalize_header("Date de la réunion") == "date_de_la_reunion"
    assert normalize_header("  Type d’activité  ") == "type_d_activite"
    assert normalize_header("Type d’activité", apostrophes="") == "type_dactivite"
    assert normalize_header("l‘état", sep=" ", apostrophes="\u2019\u2018") == "l etat"
    assert normalize_header("\ufeffYear / Année") == "year_annee"
    assert normalize_header("PÉRIODE\u00a0de  déclaration", sep=" ") == "periode de declaration"
    t = _read(b"A B,c\n1,2\n", normalize=str.lower)
    assert t.keys == ["a b", "c"] and t.records() == [{"a b": "1", "c": "2"}]


def test_map_header_duplicates_unknown_and_ignored() -> None:
    aliases = {"year": ("year", "annee"), "topic_en": ("topic_en", "sujet_en")}
    found = map_header(["Année", "Sujet EN", "year", "Annexe", "", "Autre"], aliases, ignored={"annexe"})
    assert found.columns == {"year": 0, "topic_en": 1}
    assert (found.duplicates, found.unknown) == ([2], [4, 5])
    assert found.names == ["year", "topic_en", "year", None, None, None]
    plain = map_header(["a", "", "A"])
    assert (plain.columns, plain.duplicates, plain.unknown) == ({"a": 0}, [2], [1])
    assert map_header(["Year_Annee"], {"year_annee": ("x",)}).columns == {"year_annee": 0}  # the key itself


# --------------------------------------------------------------------------- limits
def test_default_limits() -> None:
    assert (DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS) == (20 * 1024 * 1024, 200_000)
    assert (DEFAULT_OPTIONS.max_bytes, DEFAULT_OPTIONS.max_rows) == (DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS)


def test_file_too_large_is_refused_before_decoding() -> None:
    data = b"a,b\n" + b"1,\x81\n" * 30  # undecodable too: the size is checked first
    err = _error(data, max_bytes=100)
    assert (err.code, err.line, err.params) == ("too_large", 0, {"limit": "100", "size": str(len(data))})
    assert err.detail == f"the file is larger than 100 bytes ({len(data)} bytes)"
    assert _error(b"a\n" + b"1\n" * 600_000, max_bytes=1024 * 1024).detail == "the file is larger than 1 MB (1.1 MB)"
    assert _error(_xlsx([["a"], [1]]), "f.xlsx", max_bytes=1000).code == "too_large"
    assert len(_read(b"a,b\n" + b"1,2\n" * 100, max_bytes=None).rows) == 100


def test_row_limit_stops_reading_at_the_first_row_over_it() -> None:
    text = "a,b\n1,2\n\n3,4\n5,6\n"
    assert _read(text.encode(), max_rows=3).lines == [2, 4, 5]
    err = _error(text.encode(), max_rows=2)
    assert (err.code, err.line, err.params) == ("too_many_rows", 5, {"limit": "2"})
    assert err.detail == "the file has more than 2 data rows"
    # reading stops there: a malformed row after the limit is never parsed
    bad_tail = (text + '7,"' + "x" * 140_000 + '"\n').encode()
    assert _error(bad_tail, max_rows=2).code == "too_many_rows"
    assert _error(bad_tail, max_rows=None).code == "cell_too_long"


def test_row_limit_on_a_workbook() -> None:
    data = _xlsx([["a"], [1], [None], [2], [3]])
    assert _read(data, "f.xlsx", max_rows=3).lines == [2, 4, 5]
    err = _error(data, "f.xlsx", max_rows=2)
    assert (err.code, err.line) == ("too_many_rows", 5)


# --------------------------------------------------------------------------- helpers and layering
def test_cell_text() -> None:
    assert cell_text(dt.datetime(2015, 10, 31)) == "2015-10-31"
    assert cell_text(dt.datetime(2015, 10, 31, 0, 0, 1)) == "2015-10-31T00:00:01"
    assert cell_text(dt.date(2016, 3, 31)) == "2016-03-31"
    assert (cell_text(7), cell_text(7.0), cell_text(-2.0), cell_text(6.25)) == ("7", "7", "-2", "6.25")
    assert (cell_text(None), cell_text(" x "), cell_text(True), cell_text(dt.time(9, 30))) == (
        "",
        "x",
        "True",
        "09:30:00",
    )


def test_table_error_text() -> None:
    assert str(TableError("empty", 0, "the file is empty")) == "the file is empty"
    err = TableError("unreadable", 4, "malformed CSV (x)", {"reason": "x"})
    assert (str(err), err.code, err.line, err.detail, err.params) == (
        "line 4: malformed CSV (x)",
        "unreadable",
        4,
        "malformed CSV (x)",
        {"reason": "x"},
    )


def test_options_are_immutable_and_default_is_shared() -> None:
    assert read_table.__defaults__ == (DEFAULT_OPTIONS,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_OPTIONS.max_rows = 1  # type: ignore[misc]
    assert TableOptions(max_rows=5).max_rows == 5


def test_module_imports_neither_features_nor_ui_nor_streamlit() -> None:
    code = (
        "import sys, opengov.ingest.tables; "
        "print(sorted(m for m in sys.modules if m.startswith(('opengov.features', 'opengov.ui', 'streamlit'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
