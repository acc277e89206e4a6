"""Safe table exports shared by every feature (CLI ``export table``, download buttons, reports).

Three functions, no Streamlit:

* :func:`neutralise_formulas` - a copy of a frame in which every *text* cell that a spreadsheet
  would run as a formula (first character ``=``, ``+``, ``-``, ``@``, tab or carriage return)
  gets a leading apostrophe (OWASP "CSV injection"). Numbers, dates, booleans and missing values
  are never touched, so ``-12`` stays the number ``-12``; the text ``"-12"`` becomes ``"'-12"``.
  Column labels are treated the same way. The input frame is never modified.
* :func:`to_csv_bytes` - UTF-8 with a byte-order mark (so Excel opens accents correctly), no
  index, neutralised.
* :func:`to_xlsx_bytes` - one worksheet written with openpyxl, bold header row, neutralised;
  timezone-aware datetimes are written as naive UTC (Excel has no time zones) and characters
  that XML 1.0 forbids are removed.

>>> import pandas as pd
>>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "ok"], "n": [-3, 4]})).to_dict("list")
{'a': ["'=1+1", 'ok'], 'n': [-3, 4]}
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from typing import Any

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise_formulas", "to_csv_bytes", "to_xlsx_bytes"]

#: First characters that make a spreadsheet treat a cell as a formula (or split it).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _neutral(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` whose text cells cannot run as spreadsheet formulas.

    Only ``str`` cells (in object/string columns) change; numeric, date and boolean columns are
    copied as they are.

    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"x": ["@SUM(A1)", "\\tx", None, 5]}))["x"].tolist()
    ["'@SUM(A1)", "'\\tx", None, 5]
    """
    out = df.copy(deep=True)
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.map(_neutral, na_action="ignore")
    out.columns = [_neutral(c) for c in out.columns]
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
        return _ILLEGAL_XML.sub("", value)
    if hasattr(value, "item") and not isinstance(value, (list, dict)):  # numpy scalar
        try:
            return value.item()
        except (AttributeError, ValueError):
            return value
    if isinstance(value, (list, dict, tuple, set)):
        return str(value)
    return value


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

    safe = neutralise_formulas(df)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet_name)
    bold = Font(bold=True)
    ws.append([_cell(str(c)) for c in safe.columns])
    for cell in ws[1]:
        cell.font = bold
    for row in safe.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
