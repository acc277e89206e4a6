"""Import milestones and progress reports from real-format files: all rows are checked first,
then everything is written in one transaction, or nothing is.

Two layouts are recognised from the header row (English or French headers):

* ``nap_tracker``: the official National Action Plan tracker (``reporting_period, commitments,
  milestones, indicators, status, progress_en/fr, evidence_en/fr, challenges...``, primary key
  reporting_period + indicators);
* ``plan_table``: a departmental planning table like section 7 of seed 003 (Référence, Jalons,
  Date de début, Date de fin, Statut), where year headings such as "Première année (du 9 octobre
  2014 au 31 octobre 2015)" appear as rows and "En cours" as a start date means already under way.

Files: CSV (UTF-8, UTF-8 with BOM or Windows-1252; comma, semicolon or tab, sniffed) or XLSX, read by
`opengov.ingest.tables` (``TABLE_OPTIONS``).
Parsing (`parse_file`) is pure and returns ``ParsedImport(rows, errors)``; `write_import` checks
the role, re-validates against the store and writes with audit rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from metrics.deadlines import parse_date, parse_deadline
from opengov.auth import Actor, require_role
from opengov.editing import apply_edit, audit_insert
from opengov.ingest.status import canonical_challenge, canonical_status, least_advanced
from opengov.ingest.tables import TableError, TableOptions, map_header, normalize_header, read_table
from opengov.store import models as m
from opengov.store.db import session_scope
from opengov.store.models_plans import PlanChallenge, PlanProgressReport

MAX_BYTES = 5 * 1024 * 1024


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

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportResult:
    plan_id: str
    layout: str
    milestones_added: int = 0
    milestones_updated: int = 0
    reports: int = 0
    challenges: int = 0


class ImportRejected(Exception):
    """Nothing was written; `errors` says why (with line numbers)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"line {e.line}: {e.message('en')}" for e in errors[:5]))
        self.errors = errors


# --------------------------------------------------------------------------- reading files
#: The shared reader, as this import always read: any extension but a workbook's is CSV (a workbook is also
#: recognised by its bytes), a UTF-8 BOM pins UTF-8, a 5 MB limit, no row limit, a sheet's rows as wide as its
#: used range; duplicated columns are reported by the layout (``duplicate_column``), not by the reader.
TABLE_OPTIONS = TableOptions(
    max_bytes=MAX_BYTES, max_rows=None, unknown_extension="csv", fit_xlsx_width=False, duplicate_header="keep"
)


def _norm_header(h: str) -> str:
    return normalize_header(str(h or ""), sep=" ", apostrophes="\u2019\u2018")


def _read(data: bytes, file_name: str) -> tuple[list[str], list[tuple[int, list[str]]], list[RowError]]:
    """Header and (line number, cells) of every non-empty row of a CSV or XLSX file."""
    try:
        table = read_table(data, file_name, TABLE_OPTIONS)
    except TableError as exc:
        return [], [], [_table_error(exc)]
    return table.header, table.body(), []


def _table_error(exc: TableError) -> RowError:
    if exc.code in ("empty", "no_header"):
        return RowError(0, "empty_file")
    if exc.code == "too_large":
        return RowError(0, "too_large", {"mb": str(MAX_BYTES // (1024 * 1024))})
    if exc.code == "encoding":
        return RowError(0, "encoding")
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
    """
    m = re.search(r"\((?:du |from )?(.+?)\s+(?:au|to)\s+(.+?)\)", label or "")
    if not m:
        return None, None
    return parse_date(m.group(1)), parse_date(m.group(2))


def _clean_text(v: str) -> str:
    return " ".join(v.split())


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


# --------------------------------------------------------------------------- parsing
def parse_file(data: bytes, file_name: str, plan_id: str | None = None) -> ParsedImport:
    """Read and validate a whole file. Pure: no store access. Every bad row gives a RowError."""
    header, body, errors = _read(data, file_name)
    if errors:
        return ParsedImport(file_name, "unknown", plan_id, [], errors)
    layout = detect_layout(header)
    lang = "fr" if any(_norm_header(h) in FRENCH_HEADERS or "é" in h.lower() for h in header) else "en"
    if layout == "nap_tracker":
        rows, errors = parse_nap_rows(header, body, plan_id)
        return ParsedImport(file_name, layout, plan_id, rows, errors, header_lang=lang)
    if layout == "plan_table":
        rows, errors, headings = parse_plan_table(header, body, plan_id)
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


def parse_plan_table(
    header: list[str], body: list[tuple[int, list[str]]], plan_id: str | None
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
        code = _get(cells, cols, "code")
        counters[year_index] = counters.get(year_index, 0) + 1
        if not code:
            n = counters[year_index]
            code = f"{plan_id}-Y{year_index}-{n:02d}" if year_index is not None else f"{plan_id}-{n:03d}"
        if code in seen_codes:
            row_errors.append(RowError(line, "duplicate_key", {"value": code, "first": str(seen_codes[code])}))
        else:
            seen_codes[code] = line
        ref = _get(cells, cols, "reference")
        rkey = (year_index, ref, title_fr or title_en)
        if rkey in seen_rows and "code" not in cols:
            row_errors.append(
                RowError(
                    line,
                    "duplicate_key",
                    {"value": f"{ref} {(title_fr or title_en)[:40]}", "first": str(seen_rows[rkey])},
                )
            )
        seen_rows.setdefault(rkey, line)
        errors.extend(row_errors)
        ys, ye = year_window(year_label)
        rows.append(
            dict(
                line=line,
                code=code,
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
    header: list[str], body: list[tuple[int, list[str]]], plan_id: str | None
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
        status, term = _status(_get(cells, cols, "status"), line, row_errors)
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
) -> ImportResult:
    """Write a parsed file in one transaction (role checked first). Raises AuthError, ImportRejected."""
    actor = require_role(actor, "editor")
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    if not parsed.rows:
        raise ImportRejected([RowError(0, "no_rows")])
    with session_scope(url) as s:
        if parsed.layout == "plan_table":
            return _write_plan_table(s, parsed, actor, status_as_of or dt.date.today(), plan_title)
        if parsed.layout == "nap_tracker":
            return _write_nap(s, parsed, actor, plan_title)
        raise ImportRejected([RowError(0, "unknown_layout")])


def _ensure_plan(s: Session, actor: Actor, plan_id: str, kind: str, title: str, note: str) -> tuple[m.ActionPlan, bool]:
    plan = s.get(m.ActionPlan, plan_id)
    if plan is not None:
        return plan, False
    plan = m.ActionPlan(id=plan_id, kind=kind, title_en=title or plan_id, title_fr=title or plan_id)
    s.add(plan)
    s.flush()
    audit_insert(s, actor, "action_plans", plan_id, {"kind": kind, "title_en": plan.title_en}, note=note)
    return plan, True


def _write_plan_table(s: Session, parsed: ParsedImport, actor: Actor, as_of: dt.date, title: str) -> ImportResult:
    plan_id = parsed.plan_id or ""
    note = f"import {parsed.file_name}"
    plan, _ = _ensure_plan(s, actor, plan_id, "departmental", title, note)
    result = ImportResult(plan_id, parsed.layout)
    for r in parsed.rows:
        values = dict(
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
            values["year_label_fr" if parsed.header_lang == "fr" else "year_label_en"] = r["year_label"]
        if r["actual_end_date"]:
            values["actual_end_date"] = r["actual_end_date"]
        if r["lead"]:
            values["lead"] = r["lead"]
        if r["notes"]:
            values["notes"] = r["notes"]
        if r["status"] is not None:
            values.update(status=r["status"], status_source_term=r["status_term"], status_as_of=as_of)
        ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == plan_id, m.Milestone.code == r["code"]))
        if ms is None:
            values.setdefault("title_fr", "")
            values.setdefault("title_en", "")
            ms = m.Milestone(plan_id=plan_id, code=r["code"], **values)
            s.add(ms)
            s.flush()
            audit_insert(
                s, actor, "milestones", str(ms.id), {"code": r["code"], **values}, note=f"{note}, line {r['line']}"
            )
            if r["status"] is not None:
                s.add(
                    m.StatusHistory(
                        entity="milestone",
                        entity_id=ms.id,
                        status=r["status"],
                        as_of=as_of,
                        actor=actor.username,
                        note=f"{note}, line {r['line']}: {r['status_term']}",
                    )
                )
            result.milestones_added += 1
        else:
            changes = {
                k: v
                for k, v in values.items()
                if getattr(ms, k) != v and not (k == "status_as_of" and ms.status == values.get("status"))
            }
            if changes.keys() <= {"status_source_term"}:
                continue
            apply_edit(s, actor, m.Milestone, ms.id, ms.version, changes, note=f"{note}, line {r['line']}")
            result.milestones_updated += 1
    return result


def _write_nap(s: Session, parsed: ParsedImport, actor: Actor, title: str) -> ImportResult:
    note = f"import {parsed.file_name}"
    plan_ids = sorted({r["plan"] for r in parsed.rows})
    errors: list[RowError] = []
    created: dict[str, bool] = {}
    for pid in plan_ids:
        _, created[pid] = _ensure_plan(s, actor, pid, "national", title, note)
    result = ImportResult(",".join(plan_ids), parsed.layout)
    touched_ind: set[int] = set()
    touched_ms: set[int] = set()
    resolved: list[tuple[dict[str, Any], m.Milestone, m.Indicator | None]] = []
    for r in parsed.rows:
        pid = r["plan"]
        ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == pid, m.Milestone.code == r["milestone"]))
        ind = None
        if ms is not None:
            ind = s.scalar(
                select(m.Indicator).where(m.Indicator.milestone_id == ms.id, m.Indicator.code == r["indicator"])
            )
        if (ms is None or ind is None) and not created[pid]:
            errors.append(RowError(r["line"], "unknown_indicator", {"value": r["indicator"], "plan": pid}))
            continue
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
        resolved.append((r, ms, ind))
    if errors:
        raise ImportRejected(errors)
    for r, ms, ind in resolved:
        line_note = f"{note}, line {r['line']}"
        old = s.scalar(
            select(PlanProgressReport).where(
                PlanProgressReport.milestone_id == ms.id,
                PlanProgressReport.indicator_code == r["indicator"],
                PlanProgressReport.reporting_period == r["reporting_period"],
            )
        )
        if old is not None:
            for ch in s.scalars(select(PlanChallenge).where(PlanChallenge.report_id == old.id)):
                s.delete(ch)
            s.flush()
            s.delete(old)
            s.flush()
            line_note += f" (replaces report {old.id})"
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
            department=r["department"] or ms.lead,
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
        for code in r["challenges"]:
            s.add(
                PlanChallenge(
                    plan_id=r["plan"],
                    milestone_id=ms.id,
                    indicator_code=r["indicator"],
                    reporting_period=r["reporting_period"],
                    code=code,
                    department=rep.department,
                    detail_en=r["challenges_other_en"] if code == "other" else "",
                    detail_fr=r["challenges_other_fr"] if code == "other" else "",
                    report_id=rep.id,
                )
            )
            result.challenges += 1
        result.reports += 1
        if ind is not None:
            touched_ind.add(ind.id)
        touched_ms.add(ms.id)
    s.flush()
    # The latest reported period sets each indicator's status; a milestone takes its least advanced indicator.
    for ind_id in sorted(touched_ind):
        ind = s.get(m.Indicator, ind_id)
        latest = s.scalar(
            select(PlanProgressReport)
            .where(PlanProgressReport.milestone_id == ind.milestone_id, PlanProgressReport.indicator_code == ind.code)
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
    for ms_id in sorted(touched_ms):
        ms = s.get(m.Milestone, ms_id)
        inds = list(s.scalars(select(m.Indicator).where(m.Indicator.milestone_id == ms_id)))
        rolled = least_advanced([i.status for i in inds])
        last = s.scalar(
            select(PlanProgressReport)
            .where(PlanProgressReport.milestone_id == ms_id)
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
    return result
