"""One reader for every uploaded table: CSV or XLSX bytes in, a typed :class:`Table` out.

:func:`read_table` turns the bytes of a file and its name into the header, the non-empty rows (cells as text,
each with the 1-based line of the file, or row of the sheet, it starts on), the detected format, encoding and
delimiter; or it raises :class:`TableError` (``code``, ``line``, ``detail``). The imports keep their own
validation and messages: they map a ``TableError`` to their own error type.

* Format: bytes starting with the ZIP signature are a workbook whatever the name (``sniff_zip``), else the
  extension decides (``csv_extensions``, ``xlsx_extensions``); any other extension is an error, or read as CSV
  (``unknown_extension="csv"``).
* CSV: the ``encodings`` are tried in order (default UTF-8 with or without BOM, then Windows-1252); a UTF-8
  BOM pins UTF-8 (``trust_bom``); the last encoding may replace what it cannot decode (``decode_errors``).
  The delimiter is given or sniffed among ``delimiters`` on the first non-blank line (the most frequent, the
  first listed on a tie). Cells are stripped (``strip_cells``); rows whose cells are all blank are skipped.
* XLSX (openpyxl, read-only, cached values): the first sheet or a named one; cells as text the way a person
  reads them: dates as ISO ``2015-10-31`` (a time only when there is one), whole numbers without ``.0``.
  The trailing empty columns of the used range are dropped (``fit_xlsx_width``).
* Header: the first non-blank row; ``keys`` are its names normalised (:func:`normalize_header`: no accents,
  lower case, one separator between words) and ``columns`` maps them, or the canonical names of the
  caller's ``aliases``, to their position (:func:`map_header`). A name given twice is an error unless
  ``duplicate_header="keep"``.
* Limits, checked before anything is parsed or while reading, never after: ``max_bytes`` (default 20 MB) and
  ``max_rows`` data rows (default 200,000); ``None`` for no limit.

Error codes: ``unknown_extension``, ``empty``, ``too_large``, ``encoding``, ``utf16`` (a UTF-16 text file:
"save it as UTF-8", checked before any other encoding is tried), ``nul`` (a NUL character: not a text file, and
PostgreSQL cannot store one), ``cell_too_long`` (a CSV cell over :data:`MAX_CELL_CHARS` characters), ``unreadable``
(a workbook that cannot be opened, malformed CSV; ``params["reason"]`` is the exception's name or text),
``no_sheet``, ``no_header``, ``duplicate_header``, ``too_many_rows``.

This module is plumbing: it imports neither the features nor the UI nor Streamlit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_OPTIONS",
    "MAX_CELL_CHARS",
    "HeaderMap",
    "Table",
    "TableError",
    "TableOptions",
    "TableRow",
    "cell_text",
    "decode_bytes",
    "iso_date",
    "text_lines",
    "looks_utf16",
    "map_header",
    "normalize_header",
    "read_table",
    "sniff_delimiter",
    "stream_table",
]

MIB = 1024 * 1024
#: The longest CSV cell read (Python's csv field limit); a longer one is a ``cell_too_long`` error.
MAX_CELL_CHARS = 131_072
DEFAULT_MAX_BYTES = 20 * MIB
DEFAULT_MAX_ROWS = 200_000
UTF8_BOM = b"\xef\xbb\xbf"
ZIP_MAGIC = b"PK\x03\x04"

Format = Literal["csv", "xlsx"]

_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}


class TableError(Exception):
    """The file cannot be read as a table.

    ``code`` is one of the codes of the module docstring, ``line`` the line (CSV) or row (XLSX) concerned,
    0 for the file as a whole, ``detail`` an English sentence, ``params`` the values a caller may show in
    its own message (``limit``, ``reason``, ``column``...).
    """

    def __init__(self, code: str, line: int, detail: str, params: Mapping[str, str] | None = None) -> None:
        super().__init__(f"line {line}: {detail}" if line else detail)
        self.code = code
        self.line = line
        self.detail = detail
        self.params: dict[str, str] = dict(params or {})


# --------------------------------------------------------------------------- headers
def normalize_header(text: str, *, sep: str = "_", apostrophes: str = "\u2019") -> str:
    """A column name reduced to lower-case ASCII words joined by ``sep``.

    Accents are dropped; the ``apostrophes`` (default the typographic one) separate words like any other
    punctuation, where other non-ASCII characters vanish.

    >>> normalize_header("Date de la réunion"), normalize_header(" Type d’activité ", sep=" ")
    ('date_de_la_reunion', 'type d activite')
    >>> normalize_header("'Year / Année'"), normalize_header("")
    ('year_annee', '')
    """
    for ch in apostrophes:
        text = text.replace(ch, " ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


@dataclass(frozen=True)
class HeaderMap:
    """Where the columns of a header are: ``columns`` canonical name -> position (first occurrence);
    ``duplicates`` the positions of later columns with a name already taken; ``unknown`` the positions of
    columns matching no name (blank ones included). Both leave out the names a caller ignores."""

    columns: dict[str, int]
    duplicates: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)
    #: The canonical name of every header cell, None for an unknown one.
    names: list[str | None] = field(default_factory=list)


def map_header(
    header: Sequence[str],
    aliases: Mapping[str, Iterable[str]] | None = None,
    normalize: Callable[[str], str] = normalize_header,
    ignored: Collection[str] = (),
) -> HeaderMap:
    """Map a header to canonical column names through ``aliases`` (canonical name -> accepted names).

    Names are compared once normalised; a canonical name is accepted for itself too. Without ``aliases``
    every non-blank normalised name is its own canonical name. ``ignored`` normalised names are neither
    duplicates nor unknown.

    >>> found = map_header(["Statut", "Jalons", "Notes", "État"], {"status": ("statut", "etat"), "title": ("jalons",)})
    >>> found.columns, found.duplicates, found.unknown
    ({'status': 0, 'title': 1}, [3], [2])
    """
    lookup: dict[str, str] | None = None
    if aliases is not None:
        lookup = {normalize(a): key for key, names in aliases.items() for a in names}
        lookup.update({normalize(key): key for key in aliases})
    columns: dict[str, int] = {}
    duplicates: list[int] = []
    unknown: list[int] = []
    names: list[str | None] = []
    for i, name in enumerate(header):
        norm = normalize(name)
        key = (norm or None) if lookup is None else lookup.get(norm)
        names.append(key)
        if key is not None and key not in columns:
            columns[key] = i
        elif norm in ignored:
            continue
        elif key is None:
            unknown.append(i)
        else:
            duplicates.append(i)
    return HeaderMap(columns, duplicates, unknown, names)


# --------------------------------------------------------------------------- options and result
@dataclass(frozen=True)
class TableOptions:
    """How :func:`read_table` reads a file; the defaults suit a new import (see the module docstring)."""

    #: Larger files are refused before they are parsed; None: no limit.
    max_bytes: int | None = DEFAULT_MAX_BYTES
    #: More data rows (after the header, blank rows not counted) are refused as soon as one is read; None: no limit.
    max_rows: int | None = DEFAULT_MAX_ROWS
    csv_extensions: tuple[str, ...] = (".csv", ".txt", ".tsv")
    xlsx_extensions: tuple[str, ...] = (".xlsx", ".xlsm")
    #: Any other extension: an ``unknown_extension`` error, or read as CSV.
    unknown_extension: Literal["error", "csv"] = "error"
    #: Bytes starting with the ZIP signature are read as a workbook whatever the extension.
    sniff_zip: bool = True
    #: No bytes, or only white space: an ``empty`` error before the format is parsed (else an empty workbook
    #: is ``unreadable``; an empty CSV is ``empty`` anyway).
    reject_blank: bool = True
    #: Tried in order; ``utf-8-sig`` is UTF-8 with or without a BOM.
    encodings: tuple[str, ...] = ("utf-8-sig", "cp1252")
    #: A UTF-8 BOM means UTF-8: bytes that are not are an ``encoding`` error, not another encoding.
    trust_bom: bool = True
    #: ``replace``: the last encoding replaces undecodable bytes instead of failing.
    decode_errors: Literal["strict", "replace"] = "strict"
    #: The CSV delimiter, or None to sniff one of ``delimiters``.
    delimiter: str | None = None
    delimiters: tuple[str, ...] = (",", ";", "\t")
    #: Sniff on the very first line even when it is blank (else on the first non-blank line).
    sniff_first_line: bool = False
    strip_cells: bool = True
    #: XLSX: the sheet to read, None for the first one.
    sheet: str | None = None
    #: XLSX: drop the trailing empty header cells and cut each row to the header's width when what is cut is
    #: empty (a sheet's used range is often wider than its table).
    fit_xlsx_width: bool = True
    duplicate_header: Literal["error", "keep"] = "error"
    normalize: Callable[[str], str] = normalize_header
    #: Canonical column name -> accepted names, for ``Table.columns`` and ``Table.records()``.
    aliases: Mapping[str, tuple[str, ...]] | None = None


DEFAULT_OPTIONS = TableOptions()


@dataclass(frozen=True)
class TableRow:
    """One non-blank data row: the line (CSV) or row (XLSX) it starts on, and its cells as text."""

    line: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    """A file read by :func:`read_table`."""

    header: list[str]
    rows: list[TableRow]
    file_format: Format
    #: CSV: ``utf-8``, ``utf-8-sig`` (with a BOM), ``cp1252``...; XLSX: None.
    encoding: str | None
    #: CSV only.
    delimiter: str | None
    #: XLSX only: the title of the sheet read.
    sheet: str | None
    header_line: int
    #: The header's names, normalised.
    keys: list[str]
    #: Canonical column name -> position in the header.
    columns: dict[str, int]

    @property
    def lines(self) -> list[int]:
        """The source line of each row."""
        return [r.line for r in self.rows]

    def body(self) -> list[tuple[int, list[str]]]:
        """The rows as ``(line, cells)`` pairs."""
        return [(r.line, r.cells) for r in self.rows]

    def records(self) -> list[dict[str, str]]:
        """The rows as dicts keyed by canonical column name (a missing cell is ``""``)."""
        return [{k: (r.cells[i] if i < len(r.cells) else "") for k, i in self.columns.items()} for r in self.rows]


# --------------------------------------------------------------------------- cells, bytes, delimiters
def cell_text(value: Any) -> str:
    """A workbook cell as text: ISO dates, whole numbers without ``.0``, stripped strings.

    >>> cell_text(dt.datetime(2015, 10, 31)), cell_text(dt.datetime(2015, 10, 31, 9, 30)), cell_text(2023.0)
    ('2015-10-31', '2015-10-31T09:30:00', '2023')
    >>> cell_text(None), cell_text(6.4), cell_text("  En cours "), cell_text(dt.date(2016, 3, 31))
    ('', '6.4', 'En cours', '2016-03-31')
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode_bytes(
    data: bytes,
    encodings: Sequence[str] = ("utf-8-sig", "cp1252"),
    *,
    trust_bom: bool = True,
    errors: Literal["strict", "replace"] = "strict",
) -> tuple[str, str]:
    """``(text, encoding)``: the first of ``encodings`` that decodes ``data`` (see :class:`TableOptions`).

    Raises ``TableError("encoding")`` naming the line of the first byte UTF-8 (or the first encoding) rejects.

    >>> decode_bytes("Référence".encode("cp1252")), decode_bytes("\\ufeffRéférence".encode())
    (('Référence', 'cp1252'), ('Référence', 'utf-8-sig'))
    >>> decode_bytes(b"a\\nb\\x81", ("utf-8", "cp1252"))
    Traceback (most recent call last):
    ...
    opengov.ingest.tables.TableError: line 2: the file is neither UTF-8 nor Windows-1252 text (byte 3 cannot be read)
    """
    if not encodings:
        raise ValueError("at least one encoding is needed")
    bom = data.startswith(UTF8_BOM)
    candidates = ("utf-8-sig",) if trust_bom and bom else tuple(encodings)
    offset: int | None = None
    for n, enc in enumerate(candidates):
        sig = enc.replace("_", "-").lower() == "utf-8-sig"
        try:
            text = data.decode(enc, errors if n == len(candidates) - 1 else "strict")
        except UnicodeDecodeError as exc:
            if offset is None:  # where the first encoding failed, in the file (utf-8-sig counts after its BOM)
                offset = exc.start + (len(UTF8_BOM) if sig and bom else 0)
            continue
        if sig:
            return text, "utf-8-sig" if bom else "utf-8"
        return text, enc
    assert offset is not None
    line = data[:offset].count(b"\n") + 1
    names = " nor ".join(dict.fromkeys(_ENCODING_NAMES.get(e, e) for e in candidates))
    detail = f"the file is {'neither ' if len(candidates) > 1 else 'not '}{names} text (byte {offset} cannot be read)"
    raise TableError("encoding", line, detail, {"byte": str(offset), "encodings": ", ".join(candidates)})


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")


def iso_date(text: str) -> dt.date | None:
    """A cell's ISO day (``2031-01-15``, or a workbook's ``2031-01-15T09:30:00``), strictly: anything
    around it (``2031-01-15garbage``) or an impossible day is None.

    >>> iso_date("2031-01-15"), iso_date("2031-01-15T09:30:00"), iso_date("2031-01-15garbage"), iso_date("2031-02-30")
    (datetime.date(2031, 1, 15), datetime.date(2031, 1, 15), None, None)
    """
    match = _ISO_DAY.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def looks_utf16(data: bytes) -> bool:
    """True for UTF-16 (or UTF-32) text: a UTF-16 byte-order mark, or NUL bytes in every other position of
    the start (what Excel's "Unicode text" and some exports write).

    >>> looks_utf16("Année,Mois".encode("utf-16")), looks_utf16("Année".encode("utf-16-le"))
    (True, True)
    >>> looks_utf16("Année".encode()), looks_utf16(b"\\xef\\xbb\\xbfa,b")
    (False, False)
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:2000]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0), odd.count(0)) >= 0.4 * len(odd)


def sniff_delimiter(text: str, candidates: Sequence[str] = (",", ";", "\t"), *, first_line: bool = False) -> str:
    """The delimiter of the first non-blank line (the very first line if ``first_line``): the most frequent of
    ``candidates``, the first listed on a tie or when none occurs.

    >>> sniff_delimiter("Référence;Jalons;Statut\\n6.4;x;Terminé"), sniff_delimiter("a,b;c,d")
    (';', ',')
    >>> sniff_delimiter("\\n\\ta\\tb\\n"), sniff_delimiter("\\n\\ta\\tb\\n", (",", ";"), first_line=True)
    ('\\t', ',')
    """
    if first_line:
        line = text.split("\n", 1)[0]
    else:
        line = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = [line.count(d) for d in candidates]
    best = max(counts)
    return candidates[counts.index(best)] if best else candidates[0]


# --------------------------------------------------------------------------- reading
def _format(data: bytes, file_name: str, opts: TableOptions) -> Format:
    name = file_name.lower()
    if opts.sniff_zip and data[:4] == ZIP_MAGIC:
        return "xlsx"
    if name.endswith(opts.xlsx_extensions):
        return "xlsx"
    if name.endswith(opts.csv_extensions) or opts.unknown_extension == "csv":
        return "csv"
    ext = file_name.rsplit(".", 1)[-1] if "." in file_name else file_name
    known = ", ".join(opts.csv_extensions + opts.xlsx_extensions)
    raise TableError("unknown_extension", 0, f"unsupported file type {ext!r} (expected {known})", {"extension": ext})


def _too_many(line: int, limit: int) -> TableError:
    return TableError("too_many_rows", line, f"the file has more than {limit:,} data rows", {"limit": str(limit)})


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")


def text_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends (``\\r\\n``, ``\\n`` or ``\\r``), one at a time, as ``io.StringIO(text,
    newline="")`` gives them, without its copy of the whole text at four bytes a character.

    >>> list(text_lines("a,b\\r\\n1,2\\n3,4\\r5"))
    ['a,b\\r\\n', '1,2\\n', '3,4\\r', '5']
    """
    for match in _LINE.finditer(text):
        yield match.group()


def _csv_rows(text: str, delimiter: str, opts: TableOptions) -> list[tuple[int, list[str]]]:
    return list(_csv_iter(text, delimiter, opts))


def _csv_iter(text: str | Iterable[str], delimiter: str, opts: TableOptions) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(text_lines(text) if isinstance(text, str) else text, delimiter=delimiter)
    count = 0
    cap = None if opts.max_rows is None else opts.max_rows + 1  # + the header
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if opts.strip_cells:
                cells = [c.strip() for c in cells]
                if not any(cells):
                    continue
            elif not any(c.strip() for c in cells):
                continue
            if cap is not None and count == cap:
                raise _too_many(start, cap - 1)
            count += 1
            yield start, cells
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            detail = f"a cell is longer than {MAX_CELL_CHARS:,} characters"
            raise TableError("cell_too_long", line, detail, {"limit": str(MAX_CELL_CHARS)}) from exc
        raise TableError("unreadable", line, f"malformed CSV ({exc})", {"reason": str(exc)}) from exc


def _unreadable_workbook(exc: Exception) -> TableError:
    reason = type(exc).__name__
    return TableError("unreadable", 0, f"the workbook cannot be read ({reason})", {"reason": reason})


def _xlsx_rows(data: bytes, opts: TableOptions) -> tuple[str, list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is one error, not a crash
        raise _unreadable_workbook(exc) from exc
    try:
        if opts.sheet is None:
            ws = wb.worksheets[0]
        elif opts.sheet in wb.sheetnames:
            ws = wb[opts.sheet]
        else:
            raise TableError(
                "no_sheet",
                0,
                f"no sheet named {opts.sheet!r} (sheets: {', '.join(wb.sheetnames)})",
                {"sheet": opts.sheet},
            )
        rows: list[tuple[int, list[str]]] = []
        cap = None if opts.max_rows is None else opts.max_rows + 1
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            if cap is not None and len(rows) == cap:
                raise _too_many(i, cap - 1)
            rows.append((i, cells))
        return str(ws.title), rows
    except TableError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _unreadable_workbook(exc) from exc
    finally:
        wb.close()


def _fit_width(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    (line, header), body = rows[0], rows[1:]
    while header and not header[-1]:
        header = header[:-1]
    n = len(header)
    fitted = [(i, r[:n] + [""] * (n - len(r)) if not any(r[n:]) else r) for i, r in body]
    return [(line, header), *fitted]


def _csv_text(data: bytes, opts: TableOptions) -> tuple[str, str, str]:
    """``(text, encoding, delimiter)`` of CSV bytes, or the TableError that says why they are not text."""
    if looks_utf16(data):
        raise TableError("utf16", 0, "the file is UTF-16 text: save it as UTF-8 (in Excel: CSV UTF-8)")
    text, encoding = decode_bytes(data, opts.encodings, trust_bom=opts.trust_bom, errors=opts.decode_errors)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise TableError("nul", line, "the file holds a NUL character: it is not a text file (save it as UTF-8)")
    if not text.strip():
        raise TableError("empty", 0, "the file is empty")
    delimiter = opts.delimiter or sniff_delimiter(text, opts.delimiters, first_line=opts.sniff_first_line)
    return text, encoding, delimiter


def stream_table(
    data: bytes, file_name: str, options: TableOptions = DEFAULT_OPTIONS
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the data rows ``(line, cells)`` of a file, read one at a time (a long CSV is never held
    as a list: each row can be dropped once used). The same checks as :func:`read_table`, but a bad row,
    ``too_many_rows`` or ``cell_too_long`` is raised while iterating; a workbook is read whole. The header's
    names are not checked for duplicates (map them with :func:`map_header`)."""
    opts = options
    if _format(data, file_name, opts) == "xlsx":
        table = read_table(data, file_name, opts)
        return table.header, iter(table.body())
    if opts.reject_blank and not data.strip():
        raise TableError("empty", 0, "the file is empty")
    if opts.max_bytes is not None and len(data) > opts.max_bytes:
        raise TableError(
            "too_large",
            0,
            f"the file is larger than {_size(opts.max_bytes)} ({_size(len(data))})",
            {"limit": str(opts.max_bytes), "size": str(len(data))},
        )
    text, encoding, delimiter = _csv_text(data, opts)
    del text  # decoded once to check it; read again line by line, so the whole text is not kept
    lines = io.TextIOWrapper(
        io.BytesIO(data),
        encoding="utf-8-sig" if encoding.startswith("utf-8") else encoding,
        errors=opts.decode_errors,
        newline="",
    )
    rows = _csv_iter(lines, delimiter, opts)
    first = next(rows, None)
    if first is None:
        raise TableError("no_header", 0, "the file has no header row: every line is blank")
    return first[1], rows


def read_table(data: bytes, file_name: str, options: TableOptions = DEFAULT_OPTIONS) -> Table:
    """Read a CSV or XLSX file into a :class:`Table`; raise :class:`TableError` if it is not one.

    ``file_name`` chooses the format (with the ZIP signature of the bytes); ``options`` say the rest.

    >>> t = read_table("Année;Mois\\r\\n2023;6\\r\\n;\\r\\n2024; 1 \\r\\n".encode("cp1252"), "usage.csv")
    >>> t.header, t.file_format, t.encoding, t.delimiter, t.lines
    (['Année', 'Mois'], 'csv', 'cp1252', ';', [2, 4])
    >>> t.records()
    [{'annee': '2023', 'mois': '6'}, {'annee': '2024', 'mois': '1'}]
    >>> read_table(b"a,b,A\\n1,2,3\\n", "x.csv")
    Traceback (most recent call last):
    ...
    opengov.ingest.tables.TableError: line 1: column 'A' repeats column 1 ('a')
    """
    opts = options
    file_format = _format(data, file_name, opts)
    if opts.reject_blank and not data.strip():
        raise TableError("empty", 0, "the file is empty")
    if opts.max_bytes is not None and len(data) > opts.max_bytes:
        raise TableError(
            "too_large",
            0,
            f"the file is larger than {_size(opts.max_bytes)} ({_size(len(data))})",
            {"limit": str(opts.max_bytes), "size": str(len(data))},
        )
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    if file_format == "xlsx":
        sheet, rows = _xlsx_rows(data, opts)
        if not rows:
            raise TableError("empty", 0, f"the sheet {sheet!r} has no values")
        if opts.fit_xlsx_width:
            rows = _fit_width(rows)
    else:
        text, encoding, delimiter = _csv_text(data, opts)
        rows = _csv_rows(text, delimiter, opts)
        if not rows:
            raise TableError("no_header", 0, "the file has no header row: every line is blank")
    (header_line, header), body = rows[0], rows[1:]
    keys = [opts.normalize(h) for h in header]
    found = map_header(header, opts.aliases, opts.normalize)
    if opts.duplicate_header == "error" and found.duplicates:
        i = found.duplicates[0]
        first = found.columns[str(found.names[i])]
        raise TableError(
            "duplicate_header",
            header_line,
            f"column {header[i]!r} repeats column {first + 1} ({header[first]!r})",
            {"column": header[i], "first": str(first + 1)},
        )
    return Table(
        header,
        [TableRow(line, cells) for line, cells in body],
        file_format,
        encoding,
        delimiter,
        sheet,
        header_line,
        keys,
        found.columns,
    )


def _size(n: int) -> str:
    return f"{round(n / MIB, 1):g} MB" if n >= MIB else f"{n:,} bytes"
