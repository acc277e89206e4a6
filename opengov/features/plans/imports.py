"""Import milestones and progress reports from real-format files: all rows are checked first,
then everything is written in one transaction, or nothing is.

Two layouts are recognised from the header row (English or French headers):

* ``nap_tracker``: the official National Action Plan tracker (``reporting_period, commitments,
  milestones, indicators, status, progress_en/fr, evidence_en/fr, challenges...``, primary key
  reporting_period + indicators; each plan's columns and reporting periods in the shipped
  ``nap_canada_tracker_layout.csv``, its status codes and labels in ``nap_canada_tracker_status_codes.csv``).
  Each row is one status observation per (plan, reporting period, indicator): a new key adds one, a
  known key with other values updates it in place (new version, audit rows), the same values change
  nothing. An indicator the store's plan lacks, a status the tracker does not have or a reporting
  period outside the plan rejects the file; the tracker's own plans (NAP4, NAP5, NAP6) never get an
  indicator from an import, and only a plan id the store does not have is created from the file;
* ``plan_table``: a departmental planning table like section 7 of seed 003 (Référence, Jalons,
  Date de début, Date de fin, Statut), where year headings such as "Première année (du 9 octobre
  2014 au 31 octobre 2015)" appear as rows and "En cours" as a start date means already under way.
  The same reference and text with other dates is another (recurring) milestone; a row equal in
  reference, text and dates repeats one and is refused with both lines. Rows find their stored
  milestones by content, then by positional code (`match_milestones`).

Files: CSV (UTF-8, UTF-8 with BOM or Windows-1252; comma, semicolon or tab, sniffed) or XLSX, read by
`opengov.ingest.tables` (``TABLE_OPTIONS``).
Parsing (`parse_file`) is pure (no store access) and returns ``ParsedImport(rows, errors)``;
`check_against_store` lists what the store would refuse, without writing; `write_import` checks the
role, re-validates against the store and writes with audit rows. `ImportResult` counts every row once
as added, updated or unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from metrics.deadlines import parse_date, parse_deadline
from opengov.auth import Actor, require_role
from opengov.editing import EditConflict, apply_edit, audit_insert
from opengov.ingest.limits import too_long
from opengov.ingest.status import canonical_challenge, canonical_status, least_advanced
from opengov.ingest.tables import (
    MAX_CELL_CHARS,
    TableError,
    TableOptions,
    map_header,
    normalize_header,
    stream_table,
)
from opengov.store import models as m
from opengov.store.db import session_scope
from opengov.store.models_plans import PlanChallenge, PlanProgressReport

#: The most one import takes (stated in the error), as for the other imports: a larger file is refused before
#: it is parsed. Plan tables are written in row batches (`_write_plan_table`).
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowError:
    """A problem in the file: `line` is the line (CSV) or row (XLSX) number, 0 for the file itself.

    `code` selects the translated message ``plans.import.error.<code>``; `params` fill it.
    """

    line: int
    code: str
    params: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        from opengov.i18n import t

        return t(f"plans.import.error.{self.code}", lang, **self.params)


@dataclass
class ParsedImport:
    file_name: str
    layout: str  # nap_tracker | plan_table | unknown
    plan_id: str | None
    rows: list[dict[str, Any]]
    errors: list[RowError]
    headings: int = 0
    header_lang: str = "en"
    #: The layout's fields the header has (a NAP tracker file updates only the fields it gives).
    columns: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportResult:
    """What an import changed. Every row of the file is counted once in `added`, `updated` or `unchanged`.

    A plan table adds or updates milestones; a NAP tracker file adds (`reports`) or updates
    (`reports_updated`) status observations, and `milestones_added` / `milestones_updated` count the
    milestones it created (a new plan only) or whose rolled-up status it changed.
    """

    plan_id: str
    layout: str
    milestones_added: int = 0
    milestones_updated: int = 0
    reports: int = 0
    reports_updated: int = 0
    unchanged: int = 0
    challenges: int = 0

    @property
    def added(self) -> int:
        """Rows of the file that added a milestone (plan table) or an observation (NAP tracker)."""
        return self.reports if self.layout == "nap_tracker" else self.milestones_added

    @property
    def updated(self) -> int:
        """Rows of the file that changed a stored milestone or observation in place."""
        return self.reports_updated if self.layout == "nap_tracker" else self.milestones_updated


class ImportRejected(Exception):
    """Nothing was written; `errors` says why (with line numbers)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"line {e.line}: {e.message('en')}" for e in errors[:5]))
        self.errors = errors


# --------------------------------------------------------------------------- reading files
#: The shared reader, as this import always read: any extension but a workbook's is CSV (a workbook is also
#: recognised by its bytes), a UTF-8 BOM pins UTF-8, at most MAX_BYTES and MAX_ROWS data rows, a sheet's rows
#: as wide as its used range; duplicated columns are reported by the layout (``duplicate_column``), not by the reader.
TABLE_OPTIONS = TableOptions(
    max_bytes=MAX_BYTES, max_rows=MAX_ROWS, unknown_extension="csv", fit_xlsx_width=False, duplicate_header="keep"
)


def _norm_header(h: str) -> str:
    return normalize_header(str(h or ""), sep=" ", apostrophes="\u2019\u2018")


def _read(data: bytes, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]], list[RowError]]:
    """Header and (line number, cells) of every non-empty row of a CSV or XLSX file, read one at a time (a
    long CSV is never held whole). A problem found while reading ends the rows and is added to ``errors``."""
    errors: list[RowError] = []
    try:
        header, rows = stream_table(data, file_name, TABLE_OPTIONS)
    except TableError as exc:
        return [], iter(()), [_table_error(exc)]

    def body() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from rows
        except TableError as exc:
            errors.append(_table_error(exc))

    return header, body(), errors


def _table_error(exc: TableError) -> RowError:
    if exc.code in ("empty", "no_header"):
        return RowError(0, "empty_file")
    if exc.code in ("too_large", "too_many_rows"):
        return RowError(0, "too_large", {"mb": str(MAX_BYTES // (1024 * 1024)), "rows": f"{MAX_ROWS:,}"})
    if exc.code == "encoding":
        return RowError(0, "encoding")
    if exc.code in ("utf16", "nul"):
        return RowError(exc.line, exc.code)
    if exc.code == "cell_too_long":
        return RowError(exc.line, "cell_too_long", {"limit": f"{MAX_CELL_CHARS:,}"})
    return RowError(exc.line, "unreadable", {"detail": exc.params.get("reason", exc.detail)})


# --------------------------------------------------------------------------- headers
NAP_ALIASES: dict[str, tuple[str, ...]] = {
    "plan": ("plan", "plan id", "action plan", "plan d action"),
    "reporting_period": ("reporting period", "periode de declaration", "periode de rapport", "period", "periode"),
    "commitments": ("commitments", "commitment", "engagements", "engagement"),
    "milestones": ("milestones", "milestone", "jalons", "jalon"),
    "indicators": ("indicators", "indicator", "indicateurs", "indicateur", "indicator code", "code de l indicateur"),
    "indicator_en": ("indicator en", "indicator english", "indicateur anglais"),
    "indicator_fr": ("indicator fr", "indicator french", "indicateur francais"),
    "indicator_deadline_en": ("indicator deadline en", "deadline en", "echeance anglais"),
    "indicator_deadline_fr": ("indicator deadline fr", "deadline fr", "echeance francais"),
    "indicator_lead_dept": ("indicator lead dept", "lead dept", "lead department", "ministere responsable"),
    "status": ("status", "etat", "statut"),
    "progress_en": (
        "progress en",
        "progress during reporting period english",
        "progress english",
        "progres au cours du periode de declaration anglais",
        "progres anglais",
    ),
    "progress_fr": (
        "progress fr",
        "progress during reporting period french",
        "progress french",
        "progres au cours du periode de declaration francais",
        "progres francais",
    ),
    "evidence_en": ("evidence en", "evidence of progress english", "preuve de progres anglais", "evidence english"),
    "evidence_fr": ("evidence fr", "evidence of progress french", "preuve de progres francais", "evidence french"),
    "challenges": ("challenges", "defis", "challenge codes", "codes de defis"),
    "challenges_en": ("challenges en", "challenges english", "defis anglais"),
    "challenges_fr": ("challenges fr", "challenges french", "defis francais"),
    "challenges_other_en": ("challenges other en", "other challenges english", "autres defis anglais"),
    "challenges_other_fr": ("challenges other fr", "other challenges french", "autres defis francais"),
    "owner_org": ("owner org", "department id", "id du ministere"),
    "owner_org_title": (
        "owner org title",
        "department name",
        "nom du ministere",
        "lead organization",
        "organisation responsable",
        "department",
        "ministere",
    ),
    "record_created": ("record created", "record creation time"),
    "record_modified": ("record modified", "last record modification time"),
    "user_modified": ("user modified", "user last modified record"),
}
TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "id", "row id", "milestone code", "code du jalon", "identifiant"),
    "reference": ("reference", "ref", "requirement", "exigence"),
    "title_fr": ("jalons", "jalon", "milestone fr", "jalon francais", "jalons francais", "titre"),
    "title_en": ("milestones", "milestone", "milestone en", "milestone english", "title"),
    "start": ("date de debut", "debut", "start date", "start", "date debut"),
    "end": ("date de fin", "fin", "end date", "end", "due date", "deadline", "echeance", "date d echeance"),
    "actual_end": (
        "actual end date",
        "actual end",
        "date de fin reelle",
        "fin reelle",
        "completed on",
        "date d achevement",
    ),
    "status": ("statut", "status", "etat"),
    "lead": ("lead", "responsable", "lead department", "ministere responsable"),
    "notes": ("notes", "note", "remarques", "commentaires", "comments"),
}
FRENCH_HEADERS = {
    "periode de declaration",
    "engagements",
    "jalons",
    "indicateurs",
    "etat",
    "statut",
    "date de debut",
    "date de fin",
    "defis",
    "jalon",
}


def _map_header(header: list[str], aliases: dict[str, tuple[str, ...]]) -> tuple[dict[str, int], list[str]]:
    found = map_header(header, aliases, _norm_header)
    return found.columns, [header[i] for i in found.duplicates]


def detect_layout(header: list[str]) -> str:
    """``nap_tracker`` if the header has a reporting period and indicators, ``plan_table`` if it has
    milestones, an end date and a status, else ``unknown``.

    >>> detect_layout(["Référence", "Jalons", "Date de début", "Date de fin", "Statut"])
    'plan_table'
    >>> detect_layout(["reporting_period", "commitments", "milestones", "indicators", "status"])
    'nap_tracker'
    """
    nap, _ = _map_header(header, NAP_ALIASES)
    if {"reporting_period", "indicators"} <= set(nap):
        return "nap_tracker"
    table, _ = _map_header(header, TABLE_ALIASES)
    if ("title_fr" in table or "title_en" in table) and ("end" in table or "start" in table or "status" in table):
        return "plan_table"
    return "unknown"


# --------------------------------------------------------------------------- values
ORDINALS = {
    "premiere": 1,
    "deuxieme": 2,
    "troisieme": 3,
    "quatrieme": 4,
    "cinquieme": 5,
    "sixieme": 6,
    "septieme": 7,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}
_HEADING_RE = re.compile(
    r"^(?:(premiere|deuxieme|troisieme|quatrieme|cinquieme|sixieme|septieme) annee"
    r"|year (one|two|three|four|five|six|seven|\d+)"
    r"|(elements s etendant sur plusieurs annees|multi year items"
    r"|items spanning several years))\b"
)
UNDER_WAY = {"en cours", "ongoing", "under way", "underway", "in progress", "deja en cours", "already under way"}


def year_heading(text: str) -> tuple[int, str] | None:
    """A year heading row of a plan table -> (year index, original text); 0 = spanning several years.

    >>> year_heading("Première année (du 9 octobre 2014 au 31 octobre 2015)")[0]
    1
    >>> year_heading("Year two (November 1, 2015 to October 31, 2016)")[0], year_heading("6.4") is None
    (2, True)
    """
    norm = _norm_header(text.replace("1er", "1"))
    match = _HEADING_RE.match(norm)
    if not match:
        return None
    if match.group(3):
        return 0, text.strip()
    word = match.group(1) or match.group(2)
    return (int(word) if word.isdigit() else ORDINALS[word]), text.strip()


def year_window(label: str) -> tuple[dt.date | None, dt.date | None]:
    """The dates inside a year heading: '(du 1er novembre 2015 au 31 octobre 2016)'.

    >>> year_window("Deuxième année (du 1er novembre 2015 au 31 octobre 2016)")
    (datetime.date(2015, 11, 1), datetime.date(2016, 10, 31))
    >>> year_window("Cinquième année (1er novembre 2018 jusqu’au 31 mars 2020)")
    (datetime.date(2018, 11, 1), datetime.date(2020, 3, 31))
    """
    m = re.search(r"\((?:du |from )?(.+?)\s+(?:jusqu[’']au|au|to|until)\s+(.+?)\)", label or "")
    if not m:
        return None, None
    return parse_date(m.group(1)), parse_date(m.group(2))


def _clean_text(v: str) -> str:
    return " ".join(v.split())


def norm_text(v: str | None) -> str:
    """A milestone's text as compared between files and the store: case, spacing, apostrophes and a
    final period do not make two milestones.

    >>> norm_text("Établir le  PMOGO d'un ministère.") == norm_text("établir le PMOGO d’un ministère")
    True
    """
    text = unicodedata.normalize("NFKC", v or "").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split()).rstrip(" .")


def _date_key(date: dt.date | None, text: str, under_way: bool = False) -> str:
    if date is not None:
        return date.isoformat()
    return "under way" if under_way else norm_text(text)


def generated_code(plan_id: str, year_index: int | None, n: int) -> str:
    """The code of the n-th milestone of a year in a plan table without a code column: its position,
    so that re-importing the same table finds the same milestones (recurring milestones included).

    >>> generated_code("CSIS-PMOGO", 5, 10), generated_code("P", None, 3)
    ('CSIS-PMOGO-Y5-10', 'P-003')
    """
    return f"{plan_id}-Y{year_index}-{n:02d}" if year_index is not None else f"{plan_id}-{n:03d}"


def _status(term: str, line: int, errors: list[RowError]) -> tuple[str | None, str]:
    raw = term.strip()
    if not raw:
        return None, ""
    candidates = [raw]
    if ":" in raw:  # full-text choices "LP: Limited progress"
        candidates.insert(0, raw.split(":", 1)[0])
    for c in candidates:
        try:
            return canonical_status(c), raw
        except KeyError:
            continue
    errors.append(RowError(line, "unknown_status", {"value": raw}))
    return None, raw


# --------------------------------------------------------------------------- the tracker's own files
#: Shipped files (under opengov.config.data_dir(), where the ingest reads them) that say what the tracker accepts.
TRACKER_LAYOUT_FILE = "research/nap_canada_tracker_layout.csv"
TRACKER_STATUS_FILE = "research/nap_canada_tracker_status_codes.csv"
#: A plan the layout file does not list takes reporting periods from its start to one reporting period after
#: its end; that period is the tracker's longest (NAP6 reports every six months).
PERIOD_SLACK_MONTHS = 6


@dataclass(frozen=True)
class TrackerVocabulary:
    """The reporting periods of each plan (``reporting_period_choices``) and the status codes and labels."""

    periods: dict[str, tuple[str, ...]]
    statuses: dict[str, str]  # folded code or English/French label -> canonical status


def fold(text: str) -> str:
    """Case, accents, apostrophes and spacing folded, for matching a term whatever its typing.

    >>> fold("  Progrès  LIMITÉ "), fold("Réalisé") == fold("realise")
    ('progres limite', True)
    """
    text = unicodedata.normalize("NFKD", text or "").replace("\u2019", "'")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def tracker_vocabulary() -> TrackerVocabulary:
    """Read (once per file version) the tracker layout and status codes from the shipped data folder."""
    from opengov import config

    base = config.data_dir()
    paths = (base / TRACKER_LAYOUT_FILE, base / TRACKER_STATUS_FILE)
    stamp = tuple(p.stat().st_mtime_ns if p.is_file() else 0 for p in paths)
    return _read_vocabulary(str(base), stamp)


@functools.lru_cache(maxsize=4)
def _read_vocabulary(base: str, _stamp: tuple[int, ...]) -> TrackerVocabulary:
    from pathlib import Path

    from opengov.ingest.shipped import read_csv_rows

    root = Path(base)
    layout = read_csv_rows(root / TRACKER_LAYOUT_FILE, ("plan", "reporting_period_choices"), name=TRACKER_LAYOUT_FILE)
    periods = {
        r["plan"]: tuple(p.strip() for p in r["reporting_period_choices"].split(";") if p.strip()) for r in layout
    }
    codes = read_csv_rows(root / TRACKER_STATUS_FILE, ("status_code", "label_en", "label_fr"), name=TRACKER_STATUS_FILE)
    statuses: dict[str, str] = {}
    for r in codes:
        status = canonical_status(r["status_code"], scheme="nap_code")
        for term in (r["status_code"], r["label_en"], r["label_fr"], status):
            statuses[fold(term)] = status
    return TrackerVocabulary(periods, statuses)


_CHOICE_SEP = re.compile(r"\s*(?::|\s[-–]\s)\s*")


def _nap_status(term: str, line: int, errors: list[RowError]) -> tuple[str | None, str]:
    """A tracker status: its code (NS, LP, SP, C), its English or French label, or both as the tracker's
    full-text choices write them ("LP: Limited progress"); case and accents do not matter. Anything else,
    or a code and a label that disagree, is an error."""
    raw = term.strip()
    if not raw:
        return None, ""
    known = tracker_vocabulary().statuses
    status = known.get(fold(raw))
    if status is None:
        parts = _CHOICE_SEP.split(raw, maxsplit=1)
        if len(parts) == 2:
            code, label = (known.get(fold(p)) for p in parts)
            if code is not None and (label == code or not parts[1].strip()):
                status = code
    if status is None:
        errors.append(RowError(line, "unknown_status", {"value": raw}))
    return status, raw


def _months_after(period: str, months: int) -> str:
    y, mo = int(period[:4]), int(period[5:7]) + months
    y, mo = y + (mo - 1) // 12, (mo - 1) % 12 + 1
    return f"{y}-{mo:02d}"


_CODE_RE = re.compile(r"^\s*(C\d{1,3}(?:\.\d+){0,2})(?=$|[\s:\-–])", re.IGNORECASE)


def _nap_code(cell: str) -> str:
    m = _CODE_RE.match(cell or "")
    return m.group(1).upper() if m else ""


def _period(raw: str) -> tuple[str, dt.date] | None:
    m = re.fullmatch(r"((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-\d\d)?", raw.strip())
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return f"{y}-{mo:02d}", nxt - dt.timedelta(days=1)


def _challenges(raw: str, line: int, errors: list[RowError]) -> list[str]:
    text = raw.strip().strip("{}[]")
    if not text:
        return []
    out: list[str] = []
    for item in re.split(r"[;,|\n]+", text):
        item = item.strip().strip("'\"")
        if not item:
            continue
        try:
            code = canonical_challenge(item.split(":", 1)[0] if ":" in item else item)
        except KeyError:
            try:
                code = canonical_challenge(item)
            except KeyError:
                errors.append(RowError(line, "unknown_challenge", {"value": item}))
                continue
        if code not in out:
            out.append(code)
    return out


# --------------------------------------------------------------------------- column sizes
#: The row fields a store column of limited size receives (SQLite would take a longer text, PostgreSQL refuses
#: the whole import): checked in `parse_file`, with the line and the column, on both databases.
PLAN_TABLE_COLUMNS: dict[str, Any] = {"reference": m.Milestone.reference, "code": m.Milestone.code}
NAP_COLUMNS: dict[str, Any] = {
    "plan": m.ActionPlan.id,
    "reporting_period": PlanProgressReport.reporting_period,
    "commitment": m.Commitment.code,
    "milestone": m.Milestone.code,
    "indicator": m.Indicator.code,
}
_FIELD_LABELS = {
    "reference": "Référence / Reference",
    "indicator": "indicators",
    "milestone": "milestones",
    "commitment": "commitments",
}


def _too_long(rows: list[dict[str, Any]], plan_id: str | None, columns: dict[str, Any]) -> list[RowError]:
    out = [
        RowError(0, "too_long", {"column": "--plan", "length": str(n), "limit": str(limit)})
        for _, n, limit in too_long({"plan": plan_id or ""}, {"plan": m.ActionPlan.id})
    ]
    for row in rows:
        for key, n, limit in too_long(row, columns):
            label = _FIELD_LABELS.get(key) or header_label(key)
            out.append(
                RowError(
                    int(row.get("line") or 0), "too_long", {"column": label, "length": str(n), "limit": str(limit)}
                )
            )
    return out


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: e.line)


# --------------------------------------------------------------------------- parsing
def parse_file(data: bytes, file_name: str, plan_id: str | None = None) -> ParsedImport:
    """Read and validate a whole file. Pure: no store access. Every bad row gives a RowError."""
    header, body, read_errors = _read(data, file_name)
    if read_errors:
        return ParsedImport(file_name, "unknown", plan_id, [], read_errors)
    layout = detect_layout(header)
    lang = "fr" if any(_norm_header(h) in FRENCH_HEADERS or "é" in h.lower() for h in header) else "en"
    if layout == "nap_tracker":
        rows, errors = parse_nap_rows(header, body, plan_id)
        if read_errors:  # the file could not be read to its end: nothing of it is imported
            return ParsedImport(file_name, "unknown", plan_id, [], read_errors)
        errors = _sorted(errors + _too_long(rows, plan_id, NAP_COLUMNS))
        given = frozenset(_map_header(header, NAP_ALIASES)[0])
        return ParsedImport(file_name, layout, plan_id, rows, errors, header_lang=lang, columns=given)
    if layout == "plan_table":
        rows, errors, headings = parse_plan_table(header, body, plan_id)
        if read_errors:
            return ParsedImport(file_name, "unknown", plan_id, [], read_errors)
        errors = _sorted(errors + _too_long(rows, plan_id, PLAN_TABLE_COLUMNS))
        return ParsedImport(file_name, layout, plan_id, rows, errors, headings, header_lang=lang)
    table, _ = _map_header(header, TABLE_ALIASES)
    missing = [
        c
        for c in ("Jalons / Milestone", "Date de fin / End date", "Statut / Status")
        if not (
            {"title_fr", "title_en"} & set(table)
            if c.startswith("Jalons")
            else ("end" in table if c.startswith("Date") else "status" in table)
        )
    ]
    return ParsedImport(
        file_name, "unknown", plan_id, [], [RowError(1, "missing_column", {"column": ", ".join(missing) or "?"})]
    )


def _get(cells: list[str], cols: dict[str, int], key: str) -> str:
    i = cols.get(key)
    return cells[i].strip() if i is not None and i < len(cells) and cells[i] is not None else ""


class PlanRow(MutableMapping[str, Any]):
    """One row of a plan table, read as a mapping (``r["title_en"]``) but kept in slots: a 200,000-row
    table's rows take a fifth of the memory of as many dicts.

    >>> r = PlanRow(line=2, code="P-001", title_en="Publish"); r["title_en"], r.get("notes"), "code" in r
    ('Publish', None, True)
    """

    __slots__ = (
        "line",
        "code",
        "code_given",
        "reference",
        "title_fr",
        "title_en",
        "start_text",
        "start_date",
        "under_way",
        "end_text",
        "end_date",
        "actual_end_date",
        "status",
        "status_term",
        "year_index",
        "year_label",
        "year_start",
        "year_end",
        "lead",
        "notes",
    )

    def __init__(self, **values: Any) -> None:
        for k in self.__slots__:
            setattr(self, k, values.pop(k, None))
        if values:
            raise TypeError(f"unknown plan-table fields: {sorted(values)}")

    def __getitem__(self, key: str) -> Any:
        if key not in self.__slots__:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self.__slots__:
            raise KeyError(key)
        setattr(self, key, value)

    def __delitem__(self, key: str) -> None:
        raise TypeError("a plan-table row keeps all its fields")

    def __iter__(self) -> Iterator[str]:
        return iter(self.__slots__)

    def __len__(self) -> int:
        return len(self.__slots__)

    def __repr__(self) -> str:
        return f"PlanRow({dict(self)!r})"


def parse_plan_table(
    header: list[str], body: Iterable[tuple[int, list[str]]], plan_id: str | None
) -> tuple[list[dict[str, Any]], list[RowError], int]:
    """Rows of a departmental planning table (see the module docstring)."""
    cols, dups = _map_header(header, TABLE_ALIASES)
    errors: list[RowError] = [RowError(1, "duplicate_column", {"column": d}) for d in dups]
    for need, label in (("end", header_label("end")), ("status", header_label("status"))):
        if need not in cols:
            errors.append(RowError(1, "missing_column", {"column": label}))
    if not ({"title_fr", "title_en"} & set(cols)):
        errors.append(RowError(1, "missing_column", {"column": header_label("title")}))
    if not plan_id:
        errors.append(RowError(0, "plan_required"))
    if errors:
        return [], errors, 0
    rows: list[dict[str, Any]] = []
    year_index: int | None = None
    year_label = ""
    counters: dict[int | None, int] = {}
    seen_codes: dict[str, int] = {}
    seen_rows: dict[tuple[Any, ...], int] = {}
    headings = 0
    for line, cells in body:
        filled = [c for c in cells if c]
        if len(filled) == 1:
            heading = year_heading(filled[0])
            if heading is not None:
                year_index, year_label = heading
                headings += 1
                continue
        row_errors: list[RowError] = []
        title_fr = _clean_text(_get(cells, cols, "title_fr"))
        title_en = _clean_text(_get(cells, cols, "title_en"))
        if not title_fr and not title_en:
            row_errors.append(RowError(line, "missing_value", {"column": header_label("title")}))
        start_text = _clean_text(_get(cells, cols, "start"))
        end_text = _clean_text(_get(cells, cols, "end"))
        start_date = None
        under_way = False
        if start_text:
            if start_text.lower() in UNDER_WAY:
                under_way = True
            else:
                d = parse_deadline(start_text)
                if d.start is None:
                    row_errors.append(
                        RowError(line, "bad_date", {"column": header_label("start"), "value": start_text})
                    )
                start_date = d.start
        end_date = None
        if not end_text:
            row_errors.append(RowError(line, "missing_value", {"column": header_label("end")}))
        else:
            d = parse_deadline(end_text)
            if d.due is None:
                row_errors.append(RowError(line, "bad_date", {"column": header_label("end"), "value": end_text}))
            end_date = d.due
        actual_text = _clean_text(_get(cells, cols, "actual_end"))
        actual = parse_date(actual_text) if actual_text else None
        if actual_text and actual is None:
            row_errors.append(RowError(line, "bad_date", {"column": header_label("actual_end"), "value": actual_text}))
        if start_date and end_date and end_date < start_date:
            row_errors.append(RowError(line, "end_before_start", {"start": start_text, "end": end_text}))
        status, status_term = _status(_get(cells, cols, "status"), line, row_errors)
        explicit = _get(cells, cols, "code")
        counters[year_index] = counters.get(year_index, 0) + 1
        code = explicit or generated_code(plan_id or "", year_index, counters[year_index])
        if code in seen_codes:
            row_errors.append(RowError(line, "duplicate_key", {"value": code, "first": str(seen_codes[code])}))
        else:
            seen_codes[code] = line
        ref = _get(cells, cols, "reference")
        # A recurring milestone (same reference and text, other dates) is another milestone; only a row that
        # repeats reference, text and both dates repeats a milestone. A code given in the file decides alone.
        rkey = (
            ref,
            norm_text(title_fr),
            norm_text(title_en),
            _date_key(start_date, start_text, under_way),
            _date_key(end_date, end_text),
        )
        if rkey in seen_rows and not explicit:
            row_errors.append(RowError(line, "duplicate_row", {"line": str(line), "first": str(seen_rows[rkey])}))
        seen_rows.setdefault(rkey, line)
        errors.extend(row_errors)
        ys, ye = year_window(year_label)
        rows.append(
            PlanRow(
                line=line,
                code=code,
                code_given=bool(explicit),
                reference=ref,
                title_fr=title_fr,
                title_en=title_en,
                start_text=start_text,
                start_date=start_date,
                under_way=under_way,
                end_text=end_text,
                end_date=end_date,
                actual_end_date=actual,
                status=status,
                status_term=status_term,
                year_index=year_index,
                year_label=year_label,
                year_start=ys,
                year_end=ye,
                lead=_get(cells, cols, "lead"),
                notes=_get(cells, cols, "notes"),
            )
        )
    if not rows and not errors:
        errors.append(RowError(0, "no_rows"))
    return rows, errors, headings


def header_label(key: str) -> str:
    return {
        "title": "Jalons / Milestone",
        "start": "Date de début / Start date",
        "end": "Date de fin / End date",
        "status": "Statut / Status",
        "actual_end": "Actual end date / Date de fin réelle",
        "reporting_period": "reporting_period",
        "indicators": "indicators",
    }.get(key, key)


def parse_nap_rows(
    header: list[str], body: Iterable[tuple[int, list[str]]], plan_id: str | None
) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Rows of the official NAP tracker layout (see nap_canada_tracker_layout.csv)."""
    cols, dups = _map_header(header, NAP_ALIASES)
    errors: list[RowError] = [RowError(1, "duplicate_column", {"column": d}) for d in dups]
    for need in ("reporting_period", "indicators", "status"):
        if need not in cols:
            errors.append(RowError(1, "missing_column", {"column": need}))
    if not plan_id and "plan" not in cols:
        errors.append(RowError(0, "plan_required"))
    if errors:
        return [], errors
    vocab = tracker_vocabulary()
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in body:
        row_errors: list[RowError] = []
        row_plan = _get(cells, cols, "plan") or plan_id or ""
        if plan_id and row_plan and row_plan != plan_id:
            row_errors.append(RowError(line, "wrong_plan", {"value": row_plan, "plan": plan_id}))
        raw_period = _get(cells, cols, "reporting_period")
        period = _period(raw_period)
        if period is None:
            row_errors.append(RowError(line, "bad_period", {"value": raw_period}))
        ind_cell = _get(cells, cols, "indicators")
        ind = _nap_code(ind_cell)
        if not ind or ind.count(".") != 2:
            row_errors.append(RowError(line, "bad_code", {"column": "indicators", "value": ind_cell}))
        ms_code = ".".join(ind.split(".")[:2]) if ind else ""
        c_code = ind.split(".")[0] if ind else ""
        for col, expected in (("milestones", ms_code), ("commitments", c_code)):
            given = _nap_code(_get(cells, cols, col))
            if given and expected and given != expected:
                row_errors.append(
                    RowError(line, "inconsistent_codes", {"column": col, "value": given, "indicator": ind})
                )
        if not _get(cells, cols, "status"):
            row_errors.append(RowError(line, "missing_value", {"column": "status"}))
        status, term = _nap_status(_get(cells, cols, "status"), line, row_errors)
        choices = vocab.periods.get(row_plan)
        if period is not None and choices and period[0] not in choices:
            row_errors.append(
                RowError(
                    line,
                    "period_outside_plan",
                    {"value": period[0], "plan": row_plan, "first": choices[0], "last": choices[-1]},
                )
            )
        codes = _challenges(_get(cells, cols, "challenges"), line, row_errors)
        for extra in ("challenges_en", "challenges_fr"):
            for c in _challenges(_get(cells, cols, extra), line, row_errors):
                if c not in codes:
                    codes.append(c)
        if period and ind:
            key = (row_plan, period[0], ind)
            if key in seen:
                row_errors.append(
                    RowError(line, "duplicate_key", {"value": f"{period[0]} {ind}", "first": str(seen[key])})
                )
            else:
                seen[key] = line
        errors.extend(row_errors)
        ind_text = _get(cells, cols, "indicators")
        rows.append(
            dict(
                line=line,
                plan=row_plan,
                reporting_period=period[0] if period else raw_period,
                period_end=period[1] if period else None,
                commitment=c_code,
                milestone=ms_code,
                indicator=ind,
                commitment_text=_get(cells, cols, "commitments"),
                milestone_text=_get(cells, cols, "milestones"),
                indicator_en=_get(cells, cols, "indicator_en")
                or (ind_text.split(":", 1)[1].strip() if ":" in ind_text else ""),
                indicator_fr=_get(cells, cols, "indicator_fr"),
                deadline_en=_get(cells, cols, "indicator_deadline_en"),
                deadline_fr=_get(cells, cols, "indicator_deadline_fr"),
                status=status,
                status_term=term,
                progress_en=_get(cells, cols, "progress_en"),
                progress_fr=_get(cells, cols, "progress_fr"),
                evidence_en=_get(cells, cols, "evidence_en"),
                evidence_fr=_get(cells, cols, "evidence_fr"),
                challenges=codes,
                challenges_other_en=_get(cells, cols, "challenges_other_en"),
                challenges_other_fr=_get(cells, cols, "challenges_other_fr"),
                department=_get(cells, cols, "owner_org_title")
                or _get(cells, cols, "owner_org")
                or _get(cells, cols, "indicator_lead_dept"),
            )
        )
    if not rows and not errors:
        errors.append(RowError(0, "no_rows"))
    return rows, errors


# --------------------------------------------------------------------------- writing
def write_import(
    parsed: ParsedImport,
    actor: Actor | None,
    url: str | None = None,
    status_as_of: dt.date | None = None,
    plan_title: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write a parsed file in one transaction (role checked first). Raises AuthError, ImportRejected.

    A plan table is written in row batches (`opengov.store.bulk.write_in_batches`: SQLite's write lock is
    held for one short copy, editors keep saving); ``progress(rows_done, rows_total)`` follows it and may
    raise to cancel (nothing is written).

    The rows are checked against the store before anything is written (a NAP tracker row must name an
    indicator of the store's plan and one of its reporting periods); any problem, in the file or against the
    store, rejects the whole file with every problem and its line.
    """
    actor = require_role(actor, "editor")
    if not parsed.rows and not parsed.errors:
        raise ImportRejected([RowError(0, "no_rows")])
    if parsed.layout == "plan_table":
        if parsed.errors:
            raise ImportRejected(parsed.errors)
        return _write_plan_table(url, parsed, actor, status_as_of or dt.date.today(), plan_title, progress)
    with session_scope(url) as s:
        if parsed.layout == "nap_tracker":
            targets, store_errors = _resolve_nap(s, parsed)
            errors = sorted([*parsed.errors, *store_errors], key=lambda e: e.line)
            if errors:
                raise ImportRejected(errors)
            return _write_nap(s, parsed, targets, actor, plan_title)
        raise ImportRejected(
            [*parsed.errors, RowError(0, "unknown_layout")] if parsed.errors else [RowError(0, "unknown_layout")]
        )


def check_against_store(parsed: ParsedImport, url: str | None = None) -> list[RowError]:
    """The problems `write_import` would find in the store (unknown indicators, reporting periods outside a
    plan), without writing anything: for a preview before the editor confirms."""
    if parsed.layout != "nap_tracker" or not parsed.rows:
        return []
    with session_scope(url) as s:
        _, errors = _resolve_nap(s, parsed)
        s.rollback()
    return errors


def _ensure_plan(s: Session, actor: Actor, plan_id: str, kind: str, title: str, note: str) -> tuple[m.ActionPlan, bool]:
    plan = s.get(m.ActionPlan, plan_id)
    if plan is not None:
        return plan, False
    plan = m.ActionPlan(id=plan_id, kind=kind, title_en=title or plan_id, title_fr=title or plan_id)
    s.add(plan)
    s.flush()
    audit_insert(s, actor, "action_plans", plan_id, {"kind": kind, "title_en": plan.title_en}, note=note)
    return plan, True


# --------------------------------------------------------------------------- plan tables
def _plan_values(r: dict[str, Any], header_lang: str, as_of: dt.date) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        reference=r["reference"],
        start_text=r["start_text"],
        start_date=r["start_date"],
        end_text=r["end_text"],
        end_date=r["end_date"],
        year_index=r["year_index"],
    )
    if r["title_fr"]:
        values["title_fr"] = r["title_fr"]
    if r["title_en"]:
        values["title_en"] = r["title_en"]
    if r["year_label"]:
        values["year_label_fr" if header_lang == "fr" else "year_label_en"] = r["year_label"]
    if r["actual_end_date"]:
        values["actual_end_date"] = r["actual_end_date"]
    if r["lead"]:
        values["lead"] = r["lead"]
    if r["notes"]:
        values["notes"] = r["notes"]
    if r["status"] is not None:
        values.update(status=r["status"], status_source_term=r["status_term"], status_as_of=as_of)
    return values


#: The milestone columns a plan table's row can set, compared with the stored values (`_plan_values`).
_COMPARED = (
    "reference",
    "start_text",
    "start_date",
    "end_text",
    "end_date",
    "year_index",
    "title_fr",
    "title_en",
    "year_label_fr",
    "year_label_en",
    "actual_end_date",
    "lead",
    "notes",
    "status",
    "status_source_term",
    "status_as_of",
)


def _content_keys(ms: m.Milestone) -> list[tuple[Any, ...]]:
    dates = (ms.year_index, ms.reference or "", ms.start_date, ms.end_date)
    return [(*dates, lang, norm_text(title)) for lang, title in (("fr", ms.title_fr), ("en", ms.title_en)) if title]


def _row_key(r: dict[str, Any]) -> tuple[Any, ...]:
    lang, title = ("fr", r["title_fr"]) if r["title_fr"] else ("en", r["title_en"])
    return (r["year_index"], r["reference"], r["start_date"], r["end_date"], lang, norm_text(title))


def match_milestones(rows: list[dict[str, Any]], existing: list[m.Milestone]) -> list[m.Milestone | None]:
    """The stored milestone each row of a plan table updates (None: a new one).

    A code given in the file decides alone. Otherwise a row first takes the milestone with the same year,
    reference, text and dates (so a table whose rows moved, or a plan whose milestones were loaded under
    other codes, still finds its milestones), then the one with its positional code if no other row took it
    (a changed date or status updates the milestone in place). Each milestone is taken once, so a
    recurring milestone (same text, other dates) never updates its twin.
    """
    by_code = {ms.code: ms for ms in existing}
    by_content: dict[tuple[Any, ...], list[m.Milestone]] = {}
    for ms in existing:
        for key in _content_keys(ms):
            by_content.setdefault(key, []).append(ms)
    out: list[m.Milestone | None] = [None] * len(rows)
    taken: set[int] = set()

    def take(i: int, found: m.Milestone | None) -> None:
        if found is not None and found.id not in taken:
            out[i] = found
            taken.add(found.id)

    for i, r in enumerate(rows):
        if r.get("code_given"):
            take(i, by_code.get(r["code"]))
    for i, r in enumerate(rows):
        if out[i] is None and not r.get("code_given"):
            candidates = [c for c in by_content.get(_row_key(r), []) if c.id not in taken]
            take(i, next((c for c in candidates if c.code == r["code"]), candidates[0] if candidates else None))
    for i, r in enumerate(rows):
        if out[i] is None and not r.get("code_given"):
            take(i, by_code.get(r["code"]))
    return out


def _free_code(plan_id: str, r: dict[str, Any], used: set[str]) -> str:
    """A new milestone whose positional code another milestone holds gets the next free one of its year."""
    code = str(r["code"])
    if code not in used:
        return code
    match = re.search(r"(\d+)$", code)
    n = int(match.group(1)) if match else 0
    while code in used:
        n += 1
        code = generated_code(plan_id, r["year_index"], n)
    return code


def _differs(ms: m.Milestone, field_name: str, value: Any) -> bool:
    old = getattr(ms, field_name)
    if field_name in ("title_fr", "title_en"):
        return norm_text(old) != norm_text(value)
    return bool(old != value)


def _insert_audit(actor: Actor, entity: str, entity_id: str, values: dict[str, Any], note: str) -> dict[str, Any]:
    """The audit row of a row a batched import inserts: one row, its values as JSON (field ``*``)."""
    return {
        "actor": actor.username,
        "action": "insert",
        "entity": entity,
        "entity_id": entity_id,
        "field": "*",
        "old_value": "",
        "new_value": json.dumps(
            {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()},
            ensure_ascii=False,
            sort_keys=True,
        ),
        "note": note[:200],
    }


def _write_plan_table(
    url: str | None,
    parsed: ParsedImport,
    actor: Actor,
    as_of: dt.date,
    title: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """A plan table, all or nothing: the store is read once, new milestones (with their audit and status
    history rows) are written in row batches, changed ones through `apply_edit` in the final transaction."""
    from sqlalchemy.exc import IntegrityError

    from opengov.store.bulk import BATCH_ROWS, reserve_ids, write_in_batches

    plan_id = parsed.plan_id or ""
    note = f"import {parsed.file_name}"
    result = ImportResult(plan_id, parsed.layout)
    with session_scope(url) as s:
        plan_exists = s.get(m.ActionPlan, plan_id) is not None
        # plain rows of the columns compared (a tenth of the memory of ORM objects for a long plan)
        cols = [getattr(m.Milestone, c) for c in ("id", "code", "version", *_COMPARED)]
        existing: list[Any] = list(
            s.execute(select(*cols).where(m.Milestone.plan_id == plan_id).order_by(m.Milestone.id))
        )
        s.rollback()  # read only
    used = {ms.code for ms in existing}
    new: list[tuple[dict[str, Any], str]] = []  # (row, code): the values are built batch by batch
    updates: list[tuple[int, int, dict[str, Any], int, str]] = []  # (id, version, changes, line, note)
    for r, ms in zip(parsed.rows, match_milestones(parsed.rows, existing), strict=True):
        if ms is None:
            code = _free_code(plan_id, r, used)
            used.add(code)
            new.append((r, code))
            continue
        values = _plan_values(r, parsed.header_lang, as_of)
        changes = {
            k: v
            for k, v in values.items()
            if _differs(ms, k, v) and not (k == "status_as_of" and ms.status == values.get("status"))
        }
        if changes.keys() <= {"status_source_term"}:
            result.unchanged += 1
            continue
        updates.append((ms.id, ms.version, changes, r["line"], f"{note}, line {r['line']}"))
    del existing
    ids = reserve_ids(url, m.Milestone, len(new))
    total = len(new) + len(updates)

    def batches() -> Iterator[tuple[type, list[dict[str, Any]]]]:
        if not plan_exists:
            plan = {"id": plan_id, "kind": "departmental", "title_en": title or plan_id, "title_fr": title or plan_id}
            yield m.ActionPlan, [plan]
            yield (
                m.AuditLog,
                [
                    _insert_audit(
                        actor, "action_plans", plan_id, {"kind": "departmental", "title_en": plan["title_en"]}, note
                    )
                ],
            )
        for start in range(0, len(new), BATCH_ROWS):
            part = [
                (mid, (r, code, {"title_fr": "", "title_en": "", **_plan_values(r, parsed.header_lang, as_of)}))
                for mid, (r, code) in zip(ids[start : start + BATCH_ROWS], new[start : start + BATCH_ROWS], strict=True)
            ]
            yield (
                m.Milestone,
                [
                    {"id": mid, "plan_id": plan_id, "code": code, "version": 1, **values}
                    for mid, (_r, code, values) in part
                ],
            )
            yield (
                m.AuditLog,
                [
                    _insert_audit(actor, "milestones", str(mid), {"code": code, **values}, f"{note}, line {r['line']}")
                    for mid, (r, code, values) in part
                ],
            )
            yield (
                m.StatusHistory,
                [
                    {
                        "entity": "milestone",
                        "entity_id": mid,
                        "status": r["status"],
                        "as_of": as_of,
                        "actor": actor.username,
                        "note": f"{note}, line {r['line']}: {r['status_term']}"[:500],
                    }
                    for mid, (r, _code, _values) in part
                    if r["status"] is not None
                ],
            )
            if progress:
                progress(start + len(part), total)

    def finish(session: Session) -> None:
        for i, (mid, version, changes, line, line_note) in enumerate(updates, 1):
            try:
                apply_edit(session, actor, m.Milestone, mid, version, changes, note=line_note)
            except EditConflict as exc:  # an editor saved this milestone meanwhile: nothing is written
                raise ImportRejected([RowError(line, "changed_meanwhile")]) from exc
            if progress and i % BATCH_ROWS == 0:
                progress(len(new) + i, total)
        if progress:
            progress(total, total)

    try:
        write_in_batches(url, batches(), finish, order=(m.ActionPlan, m.Milestone))
    except IntegrityError as exc:  # a milestone with the same id or code was added meanwhile
        raise ImportRejected([RowError(0, "changed_meanwhile")]) from exc
    result.milestones_added = len(new)
    result.milestones_updated = len(updates)
    return result


# --------------------------------------------------------------------------- NAP tracker files
@dataclass
class _Target:
    """Where a tracker row goes: its milestone and indicator, or None for both in a plan the import creates."""

    row: dict[str, Any]
    milestone: m.Milestone | None
    indicator: m.Indicator | None


def _period_error(plan: m.ActionPlan, r: dict[str, Any]) -> RowError | None:
    """For a plan the tracker layout does not list: its period, with one reporting period's slack after."""
    if plan.period_start is None and plan.period_end is None:
        return None
    first = f"{plan.period_start:%Y-%m}" if plan.period_start else ""
    last = _months_after(f"{plan.period_end:%Y-%m}", PERIOD_SLACK_MONTHS) if plan.period_end else ""
    period = r["reporting_period"]
    if (first and period < first) or (last and period > last):
        return RowError(
            r["line"], "period_outside_plan", {"value": period, "plan": plan.id, "first": first, "last": last}
        )
    return None


def _resolve_nap(s: Session, parsed: ParsedImport) -> tuple[list[_Target], list[RowError]]:
    """Each well-formed row's milestone and indicator in the store, and what the store refuses. Reads only.

    A row of an existing plan must name one of its indicators; the tracker's own plans (those of the layout
    file: NAP4, NAP5, NAP6) never get an indicator from an import, even before the shipped plans are loaded.
    Only a plan id the store does not have, and that is not the tracker's, is created with what the file says.
    """
    bad_lines = {e.line for e in parsed.errors}
    tracker_plans = set(tracker_vocabulary().periods)
    plans: dict[str, m.ActionPlan | None] = {}
    milestones: dict[str, dict[str, m.Milestone]] = {}
    indicators: dict[str, dict[tuple[int, str], m.Indicator]] = {}
    targets: list[_Target] = []
    errors: list[RowError] = []
    for r in parsed.rows:
        if r["line"] in bad_lines:
            continue
        pid = r["plan"]
        if pid not in plans:
            plans[pid] = s.get(m.ActionPlan, pid)
            milestones[pid] = {ms.code: ms for ms in s.scalars(select(m.Milestone).where(m.Milestone.plan_id == pid))}
            indicators[pid] = {
                (ind.milestone_id, ind.code): ind
                for ind in s.scalars(
                    select(m.Indicator)
                    .join(m.Milestone, m.Milestone.id == m.Indicator.milestone_id)
                    .where(m.Milestone.plan_id == pid)
                )
            }
        plan = plans[pid]
        unknown = RowError(r["line"], "unknown_indicator", {"value": r["indicator"], "plan": pid})
        if plan is None:
            if pid in tracker_plans:
                errors.append(unknown)
            else:
                targets.append(_Target(r, None, None))
            continue
        ms = milestones[pid].get(r["milestone"])
        ind = indicators[pid].get((ms.id, r["indicator"])) if ms is not None else None
        if ms is None or ind is None:
            errors.append(unknown)
            continue
        if pid not in tracker_plans:
            problem = _period_error(plan, r)
            if problem is not None:
                errors.append(problem)
                continue
        targets.append(_Target(r, ms, ind))
    return targets, errors


def _create_indicator(
    s: Session, actor: Actor, r: dict[str, Any], note: str, result: ImportResult
) -> tuple[m.Milestone, m.Indicator]:
    """The commitment, milestone and indicator of a row of a plan this import creates."""
    pid = r["plan"]
    ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == pid, m.Milestone.code == r["milestone"]))
    if ms is None:
        c = s.scalar(select(m.Commitment).where(m.Commitment.plan_id == pid, m.Commitment.code == r["commitment"]))
        if c is None:
            ctext = r["commitment_text"].split(":", 1)[-1].strip() or r["commitment"]
            c = m.Commitment(plan_id=pid, code=r["commitment"], title_en=ctext, title_fr=ctext)
            s.add(c)
            s.flush()
            audit_insert(s, actor, "commitments", str(c.id), {"code": c.code, "title_en": ctext}, note=note)
        mtext = r["milestone_text"].split(":", 1)[-1].strip() or r["milestone"]
        ms = m.Milestone(
            plan_id=pid,
            commitment_id=c.id,
            code=r["milestone"],
            reference=r["commitment"],
            title_en=mtext,
            title_fr=mtext,
            lead=r["department"],
        )
        s.add(ms)
        s.flush()
        audit_insert(s, actor, "milestones", str(ms.id), {"code": ms.code, "title_en": mtext}, note=note)
        result.milestones_added += 1
    ind = s.scalar(select(m.Indicator).where(m.Indicator.milestone_id == ms.id, m.Indicator.code == r["indicator"]))
    if ind is None:
        ind = m.Indicator(
            milestone_id=ms.id,
            code=r["indicator"],
            text_en=r["indicator_en"] or r["indicator"],
            text_fr=r["indicator_fr"] or r["indicator_en"] or r["indicator"],
            deadline_en=r["deadline_en"],
            deadline_fr=r["deadline_fr"],
            lead=r["department"],
        )
        s.add(ind)
        s.flush()
        audit_insert(s, actor, "indicators", str(ind.id), {"code": ind.code, "text_en": ind.text_en}, note=note)
    return ms, ind


#: Observation fields a tracker file gives, compared with the stored observation (status always).
REPORT_TEXT_FIELDS = ("progress_en", "progress_fr", "evidence_en", "evidence_fr")
DEPARTMENT_COLUMNS = frozenset({"owner_org_title", "owner_org", "indicator_lead_dept"})
CHALLENGE_COLUMNS = frozenset({"challenges", "challenges_en", "challenges_fr"})


def _challenge_rows(r: dict[str, Any], given: frozenset[str], old: list[PlanChallenge]) -> list[tuple[str, str, str]]:
    """(code, detail_en, detail_fr) of the row's challenges; an "other" keeps its stored detail unless the
    file has the detail columns."""
    old_other = next(((c.detail_en, c.detail_fr) for c in old if c.code == "other"), ("", ""))
    out = []
    for code in r["challenges"]:
        if code != "other":
            out.append((code, "", ""))
            continue
        en = r["challenges_other_en"] if "challenges_other_en" in given else old_other[0]
        fr = r["challenges_other_fr"] if "challenges_other_fr" in given else old_other[1]
        out.append((code, en, fr))
    return sorted(out)


def _add_challenges(
    s: Session, rep: PlanProgressReport, rows: list[tuple[str, str, str]], result: ImportResult
) -> None:
    for code, en, fr in rows:
        s.add(
            PlanChallenge(
                plan_id=rep.plan_id,
                milestone_id=rep.milestone_id,
                indicator_code=rep.indicator_code,
                reporting_period=rep.reporting_period,
                code=code,
                department=rep.department,
                detail_en=en,
                detail_fr=fr,
                report_id=rep.id,
            )
        )
        result.challenges += 1


def _insert_report(
    s: Session,
    parsed: ParsedImport,
    actor: Actor,
    t: _Target,
    ms: m.Milestone,
    ind: m.Indicator,
    result: ImportResult,
    line_note: str,
) -> None:
    r = t.row
    rep = PlanProgressReport(
        plan_id=r["plan"],
        milestone_id=ms.id,
        indicator_code=r["indicator"],
        reporting_period=r["reporting_period"],
        period_end=r["period_end"],
        status=r["status"],
        status_source_term=r["status_term"],
        progress_en=r["progress_en"],
        progress_fr=r["progress_fr"],
        evidence_en=r["evidence_en"],
        evidence_fr=r["evidence_fr"],
        department=r["department"] or ind.lead or ms.lead,
        import_file=parsed.file_name,
        imported_by=actor.username,
    )
    s.add(rep)
    s.flush()
    audit_insert(
        s,
        actor,
        "plan_progress_reports",
        str(rep.id),
        {
            "indicator": r["indicator"],
            "reporting_period": r["reporting_period"],
            "status": r["status"],
            "challenges": ",".join(r["challenges"]),
        },
        note=line_note,
    )
    _add_challenges(s, rep, _challenge_rows(r, parsed.columns, []), result)
    result.reports += 1


def _update_report(
    s: Session, parsed: ParsedImport, actor: Actor, old: PlanProgressReport, r: dict[str, Any], result: ImportResult
) -> bool:
    """Update a stored observation in place (version bumped, one audit row per changed field); False if the
    file says nothing new about it. Only the fields the file has are compared."""
    given = parsed.columns
    fields: dict[str, Any] = {"status": r["status"]}
    fields.update({f: r[f] for f in REPORT_TEXT_FIELDS if f in given})
    if given & DEPARTMENT_COLUMNS and r["department"]:
        fields["department"] = r["department"]
    changes = {f: v for f, v in fields.items() if getattr(old, f) != v}
    old_challenges = list(s.scalars(select(PlanChallenge).where(PlanChallenge.report_id == old.id)))
    before = sorted((c.code, c.detail_en, c.detail_fr) for c in old_challenges)
    after = _challenge_rows(r, given, old_challenges) if given & CHALLENGE_COLUMNS else before
    if not changes and after == before:
        return False
    note = f"import {parsed.file_name}, line {r['line']}"
    if "status" in changes:
        changes["status_source_term"] = r["status_term"]
    if changes:
        if getattr(old, "source_id", None) is not None:  # a shipped observation becomes this import's
            changes["source_id"] = None
        if old.import_file != parsed.file_name:
            changes["import_file"] = parsed.file_name
        apply_edit(s, actor, PlanProgressReport, old.id, old.version, changes, note=note)
    else:  # only the challenges changed: the observation still gets a new version
        bumped = s.execute(
            update(PlanProgressReport)
            .where(PlanProgressReport.id == old.id, PlanProgressReport.version == old.version)
            .values(version=old.version + 1)
            .execution_options(synchronize_session=False)
        )
        if bumped.rowcount != 1:  # type: ignore[attr-defined]
            raise EditConflict("plan_progress_reports", str(old.id), old.version, -1, {}, {})
        s.expire(old)
    if after != before:
        for c in old_challenges:
            s.delete(c)
        s.flush()
        _add_challenges(s, old, after, result)
        s.add(
            m.AuditLog(
                actor=actor.username,
                action="update",
                entity="plan_progress_reports",
                entity_id=str(old.id),
                field="challenges",
                old_value=",".join(c for c, _, _ in before),
                new_value=",".join(c for c, _, _ in after),
                note=note,
            )
        )
    old.imported_by = actor.username
    old.imported_at = m.utcnow()
    result.reports_updated += 1
    return True


def _write_nap(s: Session, parsed: ParsedImport, targets: list[_Target], actor: Actor, title: str) -> ImportResult:
    """Add or update one status observation per (plan, reporting period, indicator); then the latest reported
    status of each indicator it changed, and the least advanced of each such milestone's indicators."""
    note = f"import {parsed.file_name}"
    result = ImportResult(",".join(sorted({r["plan"] for r in parsed.rows})), parsed.layout)
    for pid in sorted({t.row["plan"] for t in targets if t.milestone is None}):
        _ensure_plan(s, actor, pid, "national", title, note)
    touched_ind: set[int] = set()
    touched_ms: set[int] = set()
    for t in targets:
        r = t.row
        if t.milestone is None or t.indicator is None:
            ms, ind = _create_indicator(s, actor, r, note, result)
        else:
            ms, ind = t.milestone, t.indicator
        line_note = f"{note}, line {r['line']}"
        old = s.scalar(
            select(PlanProgressReport).where(
                PlanProgressReport.milestone_id == ms.id,
                PlanProgressReport.indicator_code == r["indicator"],
                PlanProgressReport.reporting_period == r["reporting_period"],
            )
        )
        if old is None:
            _insert_report(s, parsed, actor, t, ms, ind, result, line_note)
        elif not _update_report(s, parsed, actor, old, r, result):
            result.unchanged += 1
            continue
        touched_ind.add(ind.id)
        touched_ms.add(ms.id)
    s.flush()
    _roll_up(s, actor, note, touched_ind, touched_ms, result)
    return result


def _roll_up(
    s: Session, actor: Actor, note: str, indicators: set[int], milestones: set[int], result: ImportResult
) -> None:
    # The latest period with a reported status sets each indicator's status; a milestone takes its least
    # advanced indicator, as of its latest reported period.
    reported = PlanProgressReport.status.is_not(None)
    for ind_id in sorted(indicators):
        ind = s.get(m.Indicator, ind_id)
        assert ind is not None
        latest = s.scalar(
            select(PlanProgressReport)
            .where(
                PlanProgressReport.milestone_id == ind.milestone_id,
                PlanProgressReport.indicator_code == ind.code,
                reported,
            )
            .order_by(PlanProgressReport.reporting_period.desc())
            .limit(1)
        )
        if latest is not None and ind.status != latest.status:
            apply_edit(
                s,
                actor,
                m.Indicator,
                ind.id,
                ind.version,
                {"status": latest.status},
                note=f"{note}: {latest.reporting_period} {latest.status_source_term}",
            )
    for ms_id in sorted(milestones):
        ms = s.get(m.Milestone, ms_id)
        assert ms is not None
        inds = list(s.scalars(select(m.Indicator).where(m.Indicator.milestone_id == ms_id)))
        rolled = least_advanced([i.status for i in inds])
        last = s.scalar(
            select(PlanProgressReport)
            .where(PlanProgressReport.milestone_id == ms_id, reported)
            .order_by(PlanProgressReport.reporting_period.desc())
            .limit(1)
        )
        if rolled is None or last is None:
            continue
        changes = {"status": rolled, "status_as_of": last.period_end}
        changes = {k: v for k, v in changes.items() if getattr(ms, k) != v}
        if changes:
            apply_edit(s, actor, m.Milestone, ms.id, ms.version, changes, note=f"{note}: {last.reporting_period}")
            result.milestones_updated += 1
