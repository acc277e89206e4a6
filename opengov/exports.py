"""Safe table exports shared by every feature (CLI ``export table``, download buttons, reports).

No Streamlit. One neutraliser, :func:`safe_text`, is the *last* transformation of every text that
goes into a spreadsheet cell or header, in every writer (CLI ``export table``, every chart's CSV and
XLSX download): it first removes the characters XML 1.0 forbids (control characters, lone
surrogates, U+FFFE/U+FFFF), *then* prefixes an apostrophe when what is left would start a formula
(first character ``=``, ``+``, ``-``, ``@``, tab or carriage return, or their full-width forms;
OWASP "CSV injection"). In that order, so ``"\x01=HYPERLINK(...)"`` cannot lose its control
character after the check and become a live formula.

* :func:`neutralise_formulas` - a copy of a frame in which every *text* cell (and every column
  label) went through :func:`safe_text`. Numbers, dates, booleans and missing values are never
  touched, so ``-12`` stays the number ``-12``; the text ``"-12"`` becomes ``"'-12"``. The input
  frame is never modified.
* :func:`to_csv_bytes` - UTF-8 with a byte-order mark (so Excel opens accents correctly), no
  index, neutralised.
* :func:`to_xlsx_bytes` - one worksheet written with openpyxl, bold header row; every cell is
  converted to what is written (timezone-aware datetimes as naive UTC, since Excel has no time
  zones; lists and the like as their text), and text goes through :func:`safe_text` last.

>>> import pandas as pd
>>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "ok"], "n": [-3, 4]})).to_dict("list")
{'a': ["'=1+1", 'ok'], 'n': [-3, 4]}
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from decimal import Decimal
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "data_csv",
    "data_xlsx",
    "neutralise_formulas",
    "safe_text",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "typed_table",
]

#: First characters that make a spreadsheet treat a cell as a formula (or split it), with the
#: full-width forms some spreadsheets also accept.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

#: Characters XML 1.0 forbids (so an .xlsx cannot hold them), removed before the formula check.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_text(value: str) -> str:
    """``value`` as a spreadsheet may hold it: XML-illegal characters removed, *then* an apostrophe
    before a leading formula character. Idempotent; the last step of every text written.

    >>> print(safe_text("\\x01=HYPERLINK(1)"))
    '=HYPERLINK(1)
    >>> safe_text("-12"), safe_text("Montréal"), safe_text(safe_text("=1"))
    ("'-12", 'Montréal', "'=1")
    """
    text = _ILLEGAL_XML.sub("", value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _neutral(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, (list, dict, tuple, set, bytes)):
        return safe_text(str(value))
    return value


def _label(value: Any) -> str:
    return safe_text(value if isinstance(value, str) else str(value))


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells cannot run as spreadsheet formulas.

    Only ``str`` cells (in object/string columns) change; numeric, date and boolean columns are
    copied as they are.

    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"x": ["@SUM(A1)", "\\tx", None, 5]}))["x"].tolist()
    ["'@SUM(A1)", "'\\tx", None, 5]
    """
    out = df.copy(deep=True)
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            out.isetitem(i, series.map(_neutral, na_action="ignore"))
    out.columns = [_label(c) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM, comma-separated, CRLF line ends, no index) of a neutralised copy of ``df``.

    >>> import pandas as pd
    >>> to_csv_bytes(pd.DataFrame({"ville": ["Montréal"], "n": [-1]}))[:3] == b"\\xef\\xbb\\xbf"
    True
    """
    # CRLF line ends (RFC 4180) also make the csv writer quote cells holding a bare "\r".
    return neutralise_formulas(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, str):
        return safe_text(value)
    if hasattr(value, "item") and not isinstance(value, (list, dict)):  # numpy scalar
        try:
            value = value.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(value, (list, dict, tuple, set, bytes)):
        return safe_text(str(value))
    if isinstance(value, (bool, int, float, Decimal, dt.date, dt.time, dt.timedelta)) or value is None:
        return value
    return safe_text(str(value))  # anything else is written as its text, neutralised last


def _sheet_title(name: str) -> str:
    title = _SHEET_BAD.sub("_", name or "Sheet1").strip("'")[:31]
    return title or "Sheet1"


def to_xlsx_bytes(
    df: pd.DataFrame,
    sheet_name: str = "data",
    *,
    formats: dict[str, str] | None = None,
    about: list[tuple[str, str]] | None = None,
    about_sheet: str = "About",
) -> bytes:
    """An .xlsx workbook with one sheet (``sheet_name``, cut to Excel's 31 characters), header in bold;
    `formats` gives columns (by header) an Excel number format; `about` adds a second sheet
    (`about_sheet`) of (label, text) rows.

    >>> import pandas as pd, io, openpyxl
    >>> wb = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"f": ["=1"]}), "t")))
    >>> wb["t"]["A2"].value, wb["t"]["A1"].font.b
    ("'=1", True)
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet_name)
    bold = Font(bold=True)
    ws.append([_label(c) for c in df.columns])
    for cell in ws[1]:
        cell.font = bold
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"
    for j, col in enumerate(df.columns, start=1):
        fmt = (formats or {}).get(str(col))
        letter = ws.cell(row=1, column=j).column_letter
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        ws.column_dimensions[letter].width = min(60, max(10, len(str(col)) + 2))
    if about:
        from openpyxl.styles import Alignment

        info = wb.create_sheet(_sheet_title(about_sheet))
        for label, text in about:
            info.append([_label(label), _cell(text)])
        for (cell,) in info.iter_rows(min_col=1, max_col=1):
            cell.font = bold
            cell.alignment = Alignment(vertical="top")
        for (cell,) in info.iter_rows(min_col=2, max_col=2):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- typed data files
#: Excel number formats of the typed columns (Excel draws the reader's own separators).
INT_FORMAT, NUM_FORMAT, PCT_FORMAT, DATE_FORMAT, MONTH_FORMAT = "#,##0", "#,##0.0##", "0.0%", "yyyy-mm-dd", "yyyy-mm"
#: What a table shows for an unknown value; empty in a data file.
_UNKNOWN = {"", "–", "—", "-", "n/a", "s.o."}
_SPACES = re.compile("[\u00a0\u202f\u2009 ]")
_NUM = {
    "en": re.compile(r"^[−-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$"),
    "fr": re.compile(r"^[−-]?(\d{1,3}( \d{3})+|\d+)(,\d+)?$"),
}


def _number(text: str, lang: str) -> tuple[float, bool] | None:
    """(value, is_percent) of a number as `opengov.i18n` writes it in `lang`, else None.

    >>> _number("1,250,429", "en"), _number("12,5\\u00a0%", "fr"), _number("01234", "en"), _number("≈ 12", "en")
    ((1250429.0, False), (0.125, True), None, None)
    """
    s = _SPACES.sub(" ", text.strip())
    pct = s.endswith("%")
    if pct:
        s = s[:-1].rstrip()
    if not _NUM[lang].match(s):
        return None
    digits = s.lstrip("−-")
    if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        return None  # an identifier with a leading zero, not a number
    if lang == "en":
        s = s.replace(",", "")
    else:
        s = s.replace(" ", "").replace(",", ".")
    value = float(s.replace("−", "-"))
    return (value / 100 if pct else value), pct


def _month_names(lang: str) -> dict[str, int]:
    from babel import Locale

    loc = Locale.parse("en_CA" if lang == "en" else "fr_CA")
    out: dict[str, int] = {}
    for ctx in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for i, name in loc.months[ctx][width].items():
                out[name.lower()] = i
                out[name.lower().rstrip(".")] = i
    return out


_MONTHS: dict[str, dict[str, int]] = {}


def _date(text: str, lang: str) -> tuple[dt.date, bool] | None:
    """(date, is_month) of a date as `opengov.i18n` writes it (long, medium, month-year, ISO), else None.

    >>> _date("1er juill. 2026", "fr"), _date("July 2022", "en"), _date("Jun 25, 2026", "en")
    ((datetime.date(2026, 7, 1), False), (datetime.date(2022, 7, 1), True), (datetime.date(2026, 6, 25), False))
    """
    s = _SPACES.sub(" ", text.strip())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return dt.date.fromisoformat(s), False
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}-\d{2}", s):
        try:
            return dt.date.fromisoformat(s + "-01"), True
        except ValueError:
            return None
    months = _MONTHS.setdefault(lang, _month_names(lang))
    m = re.fullmatch(r"([^\W\d]+\.?) (\d{1,2}), (\d{4})", s) if lang == "en" else None
    m2 = re.fullmatch(r"(\d{1,2})(?:er)? ([^\W\d]+\.?) (\d{4})", s) if lang == "fr" else None
    m3 = re.fullmatch(r"([^\W\d]+\.?) (\d{4})", s)
    try:
        if m and m.group(1).lower().rstrip(".") in months:
            return dt.date(int(m.group(3)), months[m.group(1).lower().rstrip(".")], int(m.group(2))), False
        if m2 and m2.group(2).lower().rstrip(".") in months:
            return dt.date(int(m2.group(3)), months[m2.group(2).lower().rstrip(".")], int(m2.group(1))), False
        if m3 and m3.group(1).lower().rstrip(".") in months:
            return dt.date(int(m3.group(2)), months[m3.group(1).lower().rstrip(".")], 1), True
    except ValueError:
        return None
    return None


def typed_table(df: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """A data file's frame and its columns' Excel number formats: a text column whose every known
    cell is a number as the page writes it in `lang` ("1,250,429", "12 %") becomes numbers (a
    percentage its fraction, format ``0.0%``), one whose every known cell is a date ("July 11, 2022",
    "juill. 2024", ISO) becomes dates (a month its first day, format ``yyyy-mm``); "–", empty cells
    and up to two words without digits that stand for unknown ("not reported") become empty.
    Numeric columns keep their values. Headers are kept (already in `lang`).

    >>> f, fmts = typed_table(pd.DataFrame({"n": ["1 250", "–"], "p": ["12,5 %", "3 %"], "c": ["C01", "2"]}), "fr")
    >>> f["n"].tolist(), f["p"].tolist(), f["c"].tolist(), fmts
    ([1250, <NA>], [0.125, 0.03], ['C01', '2'], {'n': '#,##0', 'p': '0.0%'})
    >>> typed_table(pd.DataFrame({"u": ["1", "not reported"], "w": ["Ontario", "Québec"]}), "en")[0].to_dict("list")
    {'u': [1, None], 'w': ['Ontario', 'Québec']}
    """
    out = df.copy()
    formats: dict[str, str] = {}
    for i, col in enumerate(out.columns):
        series = out.iloc[:, i]
        name = str(col)
        if pd.api.types.is_bool_dtype(series.dtype):
            continue
        if pd.api.types.is_integer_dtype(series.dtype):
            formats[name] = INT_FORMAT
            continue
        if pd.api.types.is_float_dtype(series.dtype):
            whole = series.dropna()
            formats[name] = INT_FORMAT if len(whole) and (whole == whole.round()).all() else NUM_FORMAT
            continue
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            formats[name] = DATE_FORMAT
            continue
        values = list(series)
        texts = [v for v in values if isinstance(v, str) and v.strip() not in _UNKNOWN]
        if any(not isinstance(v, str) and not _blank(v) for v in values):
            continue
        if not texts:  # nothing known: empty cells, not dashes
            out.isetitem(i, pd.Series([None] * len(values), dtype=object, index=out.index))
            continue
        words = {v for v in texts if _number(v, lang) is None and _date(v, lang) is None}
        if len(words) > 2 or any(ch.isdigit() for w in words for ch in w) or len(words) == len(set(texts)):
            # real text, not a number or date column with a word for unknown ("not reported"): its
            # dashes for unknown become empty
            cleaned = [None if isinstance(v, str) and v.strip() in _UNKNOWN else v for v in values]
            out.isetitem(i, pd.Series(cleaned, dtype=object, index=out.index))
            continue
        known = [v for v in texts if v not in words]
        nums = [_number(v, lang) for v in known]
        if all(n is not None for n in nums):
            pct = {n[1] for n in nums if n is not None}
            if len(pct) == 1:
                conv = [
                    (_number(v, lang) or (None, False))[0] if _known(v) and v not in words else None for v in values
                ]
                is_pct = pct == {True}
                whole = not is_pct and all(c is None or float(c).is_integer() for c in conv)
                cells = [None if c is None else (int(c) if whole else c) for c in conv]
                # nullable integers: a CSV writes 1250429, not 1250429.0, beside an empty cell
                out.isetitem(i, pd.Series(cells, dtype="Int64" if whole else "Float64", index=out.index))
                formats[name] = PCT_FORMAT if is_pct else INT_FORMAT if whole else NUM_FORMAT
            continue
        dates = [_date(v, lang) for v in known]
        if all(d is not None for d in dates):
            month = all(d[1] for d in dates if d is not None)
            conv_d = [(_date(v, lang) or (None, False))[0] if _known(v) and v not in words else None for v in values]
            out.isetitem(i, pd.Series(conv_d, dtype=object, index=out.index))
            formats[name] = MONTH_FORMAT if month else DATE_FORMAT
    return out, formats


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _known(v: Any) -> bool:
    return isinstance(v, str) and v.strip() not in _UNKNOWN


def data_csv(df: pd.DataFrame, lang: str) -> bytes:
    """A chart's data as CSV: plain numbers (a percentage as its fraction), ISO dates (a month as
    YYYY-MM), empty for unknown, text neutralised last (:func:`to_csv_bytes`)."""
    typed, formats = typed_table(df, lang)
    for i, col in enumerate(typed.columns):
        if formats.get(str(col)) == MONTH_FORMAT:
            typed.isetitem(i, typed.iloc[:, i].map(lambda d: d.strftime("%Y-%m") if isinstance(d, dt.date) else d))
    return to_csv_bytes(typed)


def data_xlsx(
    df: pd.DataFrame, lang: str, *, sheet: str, about: list[tuple[str, str]] | None = None, about_sheet: str = "About"
) -> bytes:
    """A chart's data as .xlsx: typed cells with number formats (:func:`typed_table`) on the first
    sheet, and a second sheet (`about_sheet`) of (label, text) rows: title, filters, source,
    licence, as-of date, definition, caveats."""
    typed, formats = typed_table(df, lang)
    return to_xlsx_bytes(typed, sheet, formats=formats, about=about, about_sheet=about_sheet)
