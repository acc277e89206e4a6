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

__all__ = ["FORMULA_PREFIXES", "neutralise_formulas", "safe_text", "to_csv_bytes", "to_xlsx_bytes"]

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
    if value is None:
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


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """An .xlsx workbook with one sheet (``sheet_name``, cut to Excel's 31 characters), header in bold.

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
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
