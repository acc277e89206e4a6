"""Federal "Open Government Analytics" dataset (2916fad5-ebcc-4c86-b0f3-4f619b29f412).

Public helpers reused by the CLI importer:

* :func:`detect_layout` - which resource layout a (bilingual) header row is,
  in its NEW (``year_annee,month_mois,…``) or OLD (``'year / année','month / mois',…``)
  form, as documented in ``ogp_analytics_dataset_resources_layout.csv``.
* :func:`parse_analytics_csv` - bytes/text (UTF-8, UTF-8-BOM or cp1252) →
  ``(layout, tidy DataFrame)``; errors name the line and the reason.
* :func:`fetch_analytics` - ``package_show`` then download (size-capped) and
  parse each CSV resource; one bad resource never fails the others.

Layouts and their tidy columns
------------------------------
================================  =====================================================================
layout                            tidy columns
================================  =====================================================================
``monthly_usage``                 year, month, visits, downloads
``dataset_downloads``             year, month, dataset_id, title_en, title_fr, department_en,
                                  department_fr, downloads   (top 100, downloads-…, info-…, top20info)
``dataset_visits``                same with ``visits``
``datasets_by_department``        department_en, department_fr, url_en, url_fr, datasets
``datasets_by_department_month``  department, period (``prior`` or ``YYYY-MM``), datasets   (wide file)
``datasets_by_department_month_long``  department, link, year, month, datasets
``visits_by_province``            region_en, region_fr, visits, pct
``visits_by_country``             country_en, country_fr, visits, pct
``open_maps_views``               year, month, dataset_id, title_en, title_fr, owner_org, org_name, pageviews
================================  =====================================================================

The province and country files share one header; :func:`detect_layout` returns
``visits_by_region`` and :func:`parse_analytics_csv` decides from the rows (or
from the file name when given).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from opengov.sources.http import ApiError, HttpClient, SourceError, expect_type, require
from opengov.sources.spec import PortalSpec, utc_now

__all__ = [
    "ANALYTICS_DATASET_ID",
    "AnalyticsBundle",
    "AnalyticsParseError",
    "AnalyticsResource",
    "LAYOUTS",
    "decode_csv_bytes",
    "detect_layout",
    "fetch_analytics",
    "normalize_header",
    "parse_analytics_csv",
    "parse_analytics_lines",
]

ANALYTICS_DATASET_ID = "2916fad5-ebcc-4c86-b0f3-4f619b29f412"
DEFAULT_CSV_MAX_BYTES = 50 * 1024 * 1024


class AnalyticsParseError(SourceError):
    """A CSV could not be understood (``code="bad_csv"``); the message names the line.

    ``problems`` lists every bad row of the file as ``(line, reason)`` (the reason without its ``line N:``),
    the first one being ``line`` and the message; a file is never half read."""

    code = "bad_csv"

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        url: str | None = None,
        problems: list[tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.line = line
        self.problems: list[tuple[int, str]] = problems if problems is not None else [(line or 0, _reason(message))]


def _reason(message: str) -> str:
    return re.sub(r"^line \d+: ", "", message)


#: Counts above this are refused: 2**53 - 1, the largest whole number a stored value (a float) keeps exactly.
MAX_COUNT = 2**53 - 1
#: The years an analytics row may be about (the portal's statistics start in the 2010s).
MIN_YEAR = 2000


# --------------------------------------------------------------------------- headers
def normalize_header(name: str) -> str:
    """``'Year / Année'`` → ``'year_annee'``: lower-case, accents stripped, non-alnum → ``_``."""
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


_PER_DATASET = ("id", "title", "titre", "department", "ministere")

# Each layout → accepted normalised header signatures (NEW first, then OLD forms).
LAYOUTS: dict[str, list[tuple[str, ...]]] = {
    "monthly_usage": [
        ("year_annee", "month_mois", "visits_visites", "downloads_telechargements"),
    ],  # OLD 'year / année','month / mois',… normalises to the same names
    "dataset_downloads": [(*_PER_DATASET, "downloads_telechargements", "month_mois", "year_annee")],
    "dataset_visits": [(*_PER_DATASET, "visits_visites", "month_mois", "year_annee")],
    "datasets_by_department": [("department", "ministere", "datasets", "jeux_de_donnees", "total")],
    "datasets_by_department_month_long": [
        ("department_ministere", "links_liens", "month_mois", "year_annee", "datasets_jeux_de_donnees")
    ],
    "visits_by_region": [
        ("region", "visits_visites", "percentage_of_visits_pourcentage_des_visites"),
        ("region_region", "visits_visites", "percentage_of_total_visits_pourcentage_du_nombre_total_de_visites"),
    ],
    "open_maps_views": [("year", "month", "id", "title_en", "title_fr", "owner_org", "org_name", "pageviews")],
}

_WIDE_PRIOR = re.compile(r"^prior_to_")
_MONTHS_EN = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def _trim(header: Sequence[str]) -> list[str]:
    cols = [normalize_header(h) for h in header]
    while cols and cols[-1] == "":
        cols.pop()
    return cols


def detect_layout(header: list[str]) -> str | None:
    """Return the layout name of a header row, or ``None`` if unknown.

    Accepts both the NEW snake-case bilingual headers and the OLD
    ``'english / français'`` headers (accents, case and spacing ignored).
    """
    cols = _trim(header)
    if not cols:
        return None
    key = tuple(cols)
    for layout, signatures in LAYOUTS.items():
        if key in signatures:
            return layout
    # Wide "datasets released by month per organisation": variable month columns.
    if (
        len(cols) >= 4
        and cols[0] == "department_ministere"
        and cols[1] == "datasets_jeux_de_donnees"
        and cols[-1] == "total"
        and all(_WIDE_PRIOR.match(c) or _month_col(c) for c in cols[2:-1])
    ):
        return "datasets_by_department_month"
    return None


def _month_col(norm: str) -> tuple[int, int] | None:
    """``'jul_2022_juil_2022'`` → ``(2022, 7)``."""
    m = re.match(r"^([a-z]{3})[a-z]*_(\d{4})", norm)
    if not m or m.group(1) not in _MONTHS_EN:
        return None
    return int(m.group(2)), _MONTHS_EN[m.group(1)]


# --------------------------------------------------------------------------- decoding
def decode_csv_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252 then Latin-1. A UTF-16 file (a UTF-16
    byte-order mark, or NUL bytes every other byte) or a NUL character is refused: "save it as UTF-8"."""
    _refuse_non_text(data)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _refuse_non_text(data: bytes) -> None:
    head = data[:2000]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) >= 0.4 * len(head[1::2])
    ):
        raise AnalyticsParseError(
            "line 1: the file is UTF-16 text: save it as UTF-8 (in Excel: CSV UTF-8) and import it again.", line=1
        )
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise AnalyticsParseError(
            f"line {line}: the file holds a NUL character: it is not a text file (save it as UTF-8).", line=line
        )


def _int(value: str, column: str, line: int) -> int:
    cleaned = re.sub(r"[\s\u00a0\u202f,]", "", value or "")
    number: int | None = None
    if re.fullmatch(r"-?\d+", cleaned):
        number = int(cleaned)
    elif re.fullmatch(r"-?\d+\.0+", cleaned):
        number = int(cleaned.split(".")[0])
    if number is None:
        shown = value if len(value or "") <= 40 else value[:40] + "…"
        raise AnalyticsParseError(f"line {line}: column '{column}' should be a whole number, got {shown!r}.", line=line)
    if abs(number) > MAX_COUNT:
        raise AnalyticsParseError(
            f"line {line}: column '{column}' holds {len(cleaned.lstrip('-'))} digits, more than the largest "
            f"count accepted ({MAX_COUNT:,}).",
            line=line,
        )
    return number


def _count(value: str, column: str, line: int) -> int:
    """A count: a whole number, 0 or more."""
    number = _int(value, column, line)
    if number < 0:
        raise AnalyticsParseError(
            f"line {line}: column '{column}' is a count and cannot be negative ({number}).", line=line
        )
    return number


def _year(value: str, column: str, line: int) -> int:
    year = _int(value, column, line)
    last = dt.date.today().year + 1
    if not MIN_YEAR <= year <= last:
        raise AnalyticsParseError(f"line {line}: year {year} is outside {MIN_YEAR}-{last}.", line=line)
    return year


def _float(value: str, column: str, line: int) -> float | None:
    cleaned = re.sub(r"[\s\u00a0\u202f%]", "", value or "")
    if cleaned == "":
        return None
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise AnalyticsParseError(
            f"line {line}: column '{column}' should be a number, got {value!r}.", line=line
        ) from None


def _month(value: str, column: str, line: int) -> int:
    month = _int(value, column, line)
    if not 1 <= month <= 12:
        raise AnalyticsParseError(f"line {line}: month {month} is outside 1-12.", line=line)
    return month


def _split_bilingual(value: str) -> tuple[str, str]:
    """``'Quebec | Québec'`` → ``('Quebec', 'Québec')``; unsplittable → same value twice."""
    for sep in ("|", " / "):
        if sep in value:
            en, _, fr = value.partition(sep)
            return en.strip(), fr.strip()
    return value.strip(), value.strip()


_PT_EN = {
    "newfoundland and labrador",
    "prince edward island",
    "nova scotia",
    "new brunswick",
    "quebec",
    "ontario",
    "manitoba",
    "saskatchewan",
    "alberta",
    "british columbia",
    "yukon",
    "northwest territories",
    "nunavut",
}


# --------------------------------------------------------------------------- row parsers
RowParser = Callable[[dict[str, str], int], dict[str, Any]]


def _per_dataset(metric: str, src: str) -> RowParser:
    def parse(r: dict[str, str], line: int) -> dict[str, Any]:
        return {
            "year": _year(r["year_annee"], "year_annee", line),
            "month": _month(r["month_mois"], "month_mois", line),
            "dataset_id": r["id"].strip(),
            "title_en": r["title"].strip(),
            "title_fr": r["titre"].strip(),
            "department_en": r["department"].strip(),
            "department_fr": r["ministere"].strip(),
            metric: _count(r[src], src, line),
        }

    return parse


def _monthly_usage(r: dict[str, str], line: int) -> dict[str, Any]:
    return {
        "year": _year(r["year_annee"], "year_annee", line),
        "month": _month(r["month_mois"], "month_mois", line),
        "visits": _count(r["visits_visites"], "visits_visites", line),
        "downloads": _count(r["downloads_telechargements"], "downloads_telechargements", line),
    }


def _by_department(r: dict[str, str], line: int) -> dict[str, Any]:
    return {
        "department_en": r["department"].strip(),
        "department_fr": r["ministere"].strip(),
        "url_en": r["datasets"].strip(),
        "url_fr": r["jeux_de_donnees"].strip(),
        "datasets": _count(r["total"], "total", line),
    }


def _by_department_long(r: dict[str, str], line: int) -> dict[str, Any]:
    return {
        "department": r["department_ministere"].strip(),
        "link": r["links_liens"].strip(),
        "year": _year(r["year_annee"], "year_annee", line),
        "month": _month(r["month_mois"], "month_mois", line),
        "datasets": _int(r["datasets_jeux_de_donnees"], "datasets_jeux_de_donnees", line),
    }


def _region(r: dict[str, str], line: int) -> dict[str, Any]:
    keys = list(r)
    region_raw = r[keys[0]]
    if not region_raw.strip():
        raise AnalyticsParseError(f"line {line}: empty region name.", line=line)
    en, fr = _split_bilingual(region_raw)
    return {
        "name_en": en,
        "name_fr": fr,
        "visits": _count(r[keys[1]], keys[1], line),
        "pct": _float(r[keys[2]], keys[2], line),
    }


def _open_maps(r: dict[str, str], line: int) -> dict[str, Any]:
    return {
        "year": _year(r["year"], "year", line),
        "month": _month(r["month"], "month", line),
        "dataset_id": r["id"].strip(),
        "title_en": r["title_en"].strip(),
        "title_fr": r["title_fr"].strip(),
        "owner_org": r["owner_org"].strip(),
        "org_name": r["org_name"].strip(),
        "pageviews": _count(r["pageviews"], "pageviews", line),
    }


_ROW_PARSERS: dict[str, RowParser] = {
    "monthly_usage": _monthly_usage,
    "dataset_downloads": _per_dataset("downloads", "downloads_telechargements"),
    "dataset_visits": _per_dataset("visits", "visits_visites"),
    "datasets_by_department": _by_department,
    "datasets_by_department_month_long": _by_department_long,
    "visits_by_region": _region,
    "open_maps_views": _open_maps,
}

_INT_COLUMNS = ("year", "month", "visits", "downloads", "datasets", "pageviews")


def _wide_rows(header: list[str], rows: list[tuple[int, list[str]]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for line, cells in rows:
        dept = cells[0].strip()
        for col_idx, col in enumerate(header[2:-1], start=2):
            raw = cells[col_idx] if col_idx < len(cells) else ""
            if _WIDE_PRIOR.match(col):
                period = "prior"
            else:
                ym = _month_col(col)
                period = f"{ym[0]:04d}-{ym[1]:02d}" if ym else col
            value = 0 if raw.strip() == "" else _int(raw, col, line)
            out.append({"department": dept, "period": period, "datasets": value})
    return out


def parse_analytics_csv(data: str | bytes, *, source_name: str | None = None) -> tuple[str, pd.DataFrame]:
    """Parse one analytics CSV into ``(layout, tidy DataFrame)``.

    Args:
        data: file content (bytes in UTF-8 / UTF-8-BOM / cp1252, or text).
        source_name: optional file name or URL; used only to choose between
            ``visits_by_province`` and ``visits_by_country`` when rows are ambiguous.

    Raises:
        AnalyticsParseError: unknown header, short row or bad number - the
            message starts with ``line N:``; ``problems`` lists every bad row.
    """
    layout, frame, _lines = parse_analytics_lines(data, source_name=source_name)
    return layout, frame


def _lines_of(data: str | bytes) -> Iterator[str]:
    """The file's lines (with their ends), one at a time: neither a list of rows nor a second copy of the text."""
    if isinstance(data, bytes):
        _refuse_non_text(data)
        enc = next((e for e in ("utf-8-sig", "cp1252") if _decodes(data, e)), "latin-1")
        yield from io.TextIOWrapper(io.BytesIO(data), encoding=enc, newline="")
    else:
        yield from io.StringIO(data.lstrip("\ufeff"), newline="")


def _decodes(data: bytes, enc: str) -> bool:
    """Whether ``data`` is ``enc`` text, checked 1 MB at a time (no copy of the whole text)."""
    decoder = codecs.getincrementaldecoder(enc)()
    step = 1 << 20
    try:
        for i in range(0, len(data), step):
            decoder.decode(data[i : i + step], final=i + step >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def parse_analytics_lines(data: str | bytes, *, source_name: str | None = None) -> tuple[str, pd.DataFrame, list[int]]:
    """`parse_analytics_csv` and the file line of each row of the frame (the wide department layout: of each
    department's row). Rows are parsed as they are read, into columns (repeated texts kept once), so a
    200,000-row file does not hold a list of rows, a list of dicts and a frame at the same time."""
    reader = csv.reader(_lines_of(data))
    header: list[str] | None = None
    header_line = 0
    problems: list[tuple[int, str]] = []
    columns: dict[str, list[Any]] = {}
    lines: Any = array("l")  # the line of each row: 8 bytes each, not an int object
    wide: list[tuple[int, list[str]]] = []
    layout: str | None = None
    norm: list[str] = []
    width = 0
    texts: dict[str, str] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header, header_line = cells, line
                layout = detect_layout(header)
                if layout is None:
                    shown = ", ".join(h.strip() for h in header[:6])
                    raise AnalyticsParseError(
                        f"line {header_line}: unrecognised header ({shown}…); not an Open Government Analytics layout.",
                        line=header_line,
                    )
                norm = _trim(header)
                width = len(norm)
                continue
            if len([c for c in cells[width:] if c.strip()]) or len(cells) < width:
                problems.append((line, f"expected {width} columns, found {len(cells)}."))
                continue
            if layout == "datasets_by_department_month":
                wide.append((line, cells))
                continue
            try:
                record = _ROW_PARSERS[str(layout)](dict(zip(norm, cells[:width], strict=True)), line)
            except AnalyticsParseError as exc:
                problems += exc.problems
                continue
            for key, value in record.items():
                if isinstance(value, str):
                    value = texts.setdefault(value, value)
                columns.setdefault(key, []).append(value)
            lines.append(line)
    except csv.Error as exc:
        raise AnalyticsParseError(f"line {reader.line_num}: malformed CSV ({exc}).", line=reader.line_num) from exc
    if header is None or layout is None:
        raise AnalyticsParseError("line 1: the file is empty (no header row).", line=1)
    del texts
    if layout == "datasets_by_department_month":
        records, lines = [], []
        for line, cells in wide:
            try:
                found = _wide_rows(norm, [(line, cells)])
            except AnalyticsParseError as exc:
                problems += exc.problems
                continue
            records += found
            lines += [line] * len(found)
        frame = pd.DataFrame.from_records(records, columns=["department", "period", "datasets"])
        problems += _conflicts(layout, frame, lines)
        _raise_all(problems)
        keep = (frame["department"].str.lower() != "total").to_numpy()
        lines = [ln for ln, k in zip(lines, keep, strict=True) if k]
        frame = frame[keep].reset_index(drop=True)
        return layout, frame.astype({"datasets": "int64"}), lines
    frame = pd.DataFrame({key: pd.Series(columns.pop(key)) for key in list(columns)})  # each list freed once converted
    del columns
    problems += _conflicts(layout, frame, lines)
    _raise_all(problems)
    if not frame.empty:  # a row repeating another with the same values: kept once
        again = frame.duplicated(list(_ROW_KEYS[layout][0]), keep="first").to_numpy()
        if again.any():
            lines = array("l", (ln for ln, a in zip(lines, again, strict=True) if not a))
            frame = frame[~again].reset_index(drop=True)
    if layout == "visits_by_region":
        layout, frame = _classify_region(frame, source_name)
    for col in _INT_COLUMNS:
        if col in frame.columns:
            frame[col] = frame[col].astype("int64")
    return layout, frame, lines


#: Per layout, the columns naming what a row counts (one value each) and the column(s) holding the value.
_ROW_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "monthly_usage": (("year", "month"), ("visits", "downloads")),
    "dataset_downloads": (("year", "month", "dataset_id"), ("downloads",)),
    "dataset_visits": (("year", "month", "dataset_id"), ("visits",)),
    "open_maps_views": (("year", "month", "dataset_id"), ("pageviews",)),
    "datasets_by_department": (("department_en", "url_en"), ("datasets",)),
    "datasets_by_department_month": (("department", "period"), ("datasets",)),
    "datasets_by_department_month_long": (("department", "link", "year", "month"), ("datasets",)),
    "visits_by_region": (("name_en",), ("visits", "pct")),
}


def _conflicts(layout: str, frame: pd.DataFrame, lines: list[int]) -> list[tuple[int, str]]:
    """Rows counting the same thing twice with other values, each named with the line it repeats (a row
    repeated with the same values is harmless and kept once)."""
    keys, values = _ROW_KEYS[layout]
    if frame.empty:
        return []
    out: list[tuple[int, str]] = []
    first: dict[tuple[Any, ...], tuple[int, tuple[Any, ...]]] = {}
    repeated = frame.duplicated(list(keys), keep=False).to_numpy()  # only these rows are looked at one by one
    if not repeated.any():
        return []
    part = frame[repeated]
    key_rows = part[list(keys)].itertuples(index=False, name=None)
    value_rows = part[list(values)].itertuples(index=False, name=None)
    part_lines = [ln for ln, r in zip(lines, repeated, strict=True) if r]
    for line, key, value in zip(part_lines, key_rows, value_rows, strict=True):
        seen = first.setdefault(key, (line, value))
        if seen[1] != value:
            what = ", ".join(f"{k} {v}" for k, v in zip(keys, key, strict=True) if v != "")
            shown = ", ".join(f"{v}" for v in value)
            before = ", ".join(f"{v}" for v in seen[1])
            out.append((line, f"{what} is also on line {seen[0]} with another value ({shown} here, {before} there)."))
    return out


def _raise_all(problems: list[tuple[int, str]]) -> None:
    if not problems:
        return
    problems.sort(key=lambda p: p[0])
    line, reason = problems[0]
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    raise AnalyticsParseError(f"line {line}: {reason}{more}", line=line, problems=problems)


def _classify_region(frame: pd.DataFrame, source_name: str | None) -> tuple[str, pd.DataFrame]:
    hint = (source_name or "").lower()
    if "international" in hint or "country" in hint:
        is_country = True
    elif "provincial" in hint or "province" in hint:
        is_country = False
    else:
        names = {n.lower() for n in frame.get("name_en", pd.Series(dtype=str))}
        is_country = "canada" in names or len(names & _PT_EN) < max(1, len(names) // 2)
    if frame.empty:
        frame = pd.DataFrame(columns=["name_en", "name_fr", "visits", "pct"])
    if is_country:
        return "visits_by_country", frame.rename(columns={"name_en": "country_en", "name_fr": "country_fr"})
    return "visits_by_province", frame.rename(columns={"name_en": "region_en", "name_fr": "region_fr"})


# --------------------------------------------------------------------------- fetch
@dataclass
class AnalyticsResource:
    """One resource of the analytics dataset and what became of it."""

    resource_id: str
    name: str
    url: str
    layout: str | None = None
    frame: pd.DataFrame | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass
class AnalyticsBundle:
    """Parsed analytics resources; convenience properties pick the main tables."""

    fetched_at: datetime
    resources: list[AnalyticsResource] = field(default_factory=list)

    def _first(self, layout: str, name_hint: str | None = None) -> pd.DataFrame | None:
        candidates = [r for r in self.resources if r.layout == layout and r.frame is not None]
        if name_hint:
            hinted = [r for r in candidates if name_hint in (r.name + " " + r.url).lower()]
            candidates = hinted or candidates
        return candidates[0].frame if candidates else None

    @property
    def monthly_usage(self) -> pd.DataFrame | None:
        """year, month, visits, downloads."""
        return self._first("monthly_usage")

    @property
    def top100(self) -> pd.DataFrame | None:
        """Monthly top-100 downloaded datasets."""
        return self._first("dataset_downloads", "top100")

    @property
    def by_department(self) -> pd.DataFrame | None:
        """Current dataset totals per department."""
        return self._first("datasets_by_department")

    @property
    def by_province(self) -> pd.DataFrame | None:
        """Cumulative visits by province/territory."""
        return self._first("visits_by_province")

    @property
    def by_country(self) -> pd.DataFrame | None:
        """Cumulative visits by country."""
        return self._first("visits_by_country")

    @property
    def errors(self) -> list[AnalyticsResource]:
        """Resources that failed to download or parse."""
        return [r for r in self.resources if r.error_code]


def _is_csv(res: dict[str, Any]) -> bool:
    fmt = str(res.get("format") or "").strip().lower()
    url = str(res.get("url") or "").lower().split("?")[0]
    return fmt == "csv" or url.endswith(".csv")


def fetch_analytics(
    spec: PortalSpec,
    client: HttpClient,
    *,
    dataset_id: str = ANALYTICS_DATASET_ID,
    max_bytes: int = DEFAULT_CSV_MAX_BYTES,
) -> AnalyticsBundle:
    """``package_show`` the analytics dataset on ``spec``'s CKAN and parse its CSVs.

    Raises:
        SourceError: only when ``package_show`` itself fails; per-resource
            problems are recorded on :attr:`AnalyticsBundle.errors`.
    """
    if not spec.api_base_url:
        raise SourceError("No API address is known for this portal.", code="no_api")
    url = spec.api_base_url.rstrip("/") + "/package_show"
    data = client.get_json(url, {"id": dataset_id})
    expect_type(data, dict, "the package_show response", url=url)
    if data.get("success") is not True:
        raise ApiError("CKAN package_show reported a failure.", url=url)
    resources = require(data, "result.resources", list, url=url)
    bundle = AnalyticsBundle(fetched_at=utc_now())
    for res in resources:
        if not isinstance(res, dict) or not _is_csv(res):
            continue
        item = AnalyticsResource(
            resource_id=str(res.get("id") or ""),
            name=str(res.get("name") or ""),
            url=str(res.get("url") or ""),
        )
        bundle.resources.append(item)
        try:
            body = client.get(item.url, accept="text/csv, */*;q=0.5", max_bytes=max_bytes).content
            item.layout, item.frame = parse_analytics_csv(body, source_name=f"{item.name} {item.url}")
        except SourceError as exc:
            item.error_code, item.error_message = exc.code, exc.message
    return bundle
