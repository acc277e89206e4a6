"""Working-group imports and form saves: meetings (with their activities), agenda items, priorities.

One validation path for a CSV/XLSX file and for a form in the app: rows are parsed and checked first
(pure, plus a read of the current versions), every problem is collected with its line number, and
only a file without problems is written, in one transaction, through `opengov.editing` (server-side
role check, optimistic version, one audit row per field). All-or-nothing: any problem, nothing written.

Files: CSV in UTF-8 (with or without BOM) or Windows-1252, comma- or semicolon-separated, or XLSX
(first sheet), read by `opengov.ingest.tables` (``TABLE_OPTIONS``); column names in English or French (see ALIASES).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from opengov.auth import Actor, require_role
from opengov.editing import EditConflict, apply_edit, audit_insert
from opengov.i18n import catalogue, t
from opengov.ingest.tables import (
    MAX_CELL_CHARS,
    TableError,
    TableOptions,
    iso_date,
    map_header,
    normalize_header,
    stream_table,
)
from opengov.store import models as m
from opengov.store.db import session_scope

KINDS: tuple[str, ...] = ("meetings", "agenda", "priorities")
MAX_TEXT = 4000


def norm(text: str) -> str:
    """'Date de la réunion' -> 'date_de_la_reunion' (lower case, no accents, _ between words)."""
    return normalize_header(str(text), sep="_", apostrophes="’")


ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "meetings": {
        "meeting_id": ("meeting_id", "id", "reunion_id", "id_reunion"),
        "meeting_date": ("meeting_date", "date", "date_reunion", "date_de_la_reunion"),
        "year": ("year", "annee"),
        "month": ("month", "mois"),
        "held": ("held", "meeting_held", "reunion_tenue", "tenue"),
        "no_meeting_reason_en": ("no_meeting_reason_en", "reason_en", "raison_en", "motif_en"),
        "no_meeting_reason_fr": ("no_meeting_reason_fr", "reason_fr", "raison_fr", "motif_fr"),
        "activity_kind": ("activity_kind", "kind", "type", "type_activite", "type_d_activite"),
        "activity_en": ("activity_en", "text_en", "activite_en", "texte_en"),
        "activity_fr": ("activity_fr", "text_fr", "activite_fr", "texte_fr"),
        "presenter": ("presenter", "presenter_fr", "presentateur", "presentatrice"),
        "presenter_jurisdiction": (
            "presenter_jurisdiction",
            "jurisdiction",
            "administration",
            "administration_du_presentateur",
        ),
        "version": ("version",),
    },
    "agenda": {
        "item_id": ("item_id", "id", "sujet_id", "id_sujet"),
        "year": ("year", "annee"),
        "topic_en": ("topic_en", "sujet_en"),
        "topic_fr": ("topic_fr", "sujet_fr"),
        "presenter": ("presenter", "presenter_fr", "presentateur", "presentatrice"),
        "presenter_jurisdiction": (
            "presenter_jurisdiction",
            "jurisdiction",
            "administration",
            "administration_du_presentateur",
        ),
        "status": ("status", "etat", "statut"),
        "done_date": ("done_date", "date_achevement", "date_d_achevement", "acheve_le"),
        "version": ("version",),
    },
    "priorities": {
        "priority_id": ("priority_id", "id", "priorite_id", "id_priorite"),
        "year": ("year", "annee"),
        "rank": ("rank", "rang"),
        "kind": ("kind", "type"),
        "text_en": ("text_en", "priority_en", "priorite_en"),
        "text_fr": ("text_fr", "priority_fr", "priorite_fr"),
        "status_text_en": ("status_text_en", "status_en", "etat_en"),
        "status_text_fr": ("status_text_fr", "status_fr", "etat_fr"),
        "version": ("version",),
    },
}
#: Columns of our own exports and of the seed files that an import accepts and ignores.
IGNORED = {"annex", "annexe", "seed_line", "status_text_fr", "source_id", "activity_id", "notes"}
REQUIRED_ANY: dict[str, tuple[tuple[str, ...], ...]] = {
    "meetings": (("meeting_date", "year"),),
    "agenda": (("topic_en", "topic_fr"), ("status",)),
    "priorities": (("text_en", "text_fr"), ("year",)),
}
TRUE = {"true", "yes", "y", "oui", "o", "vrai", "1", "x"}
FALSE = {"false", "no", "n", "non", "faux", "0"}
ACTIVITY_KINDS = {"presentation": "presentation", "discussion": "discussion", "other": "other", "autre": "other"}
PRIORITY_KINDS = {
    "workplan_priority": "workplan_priority",
    "priorite_du_plan_de_travail": "workplan_priority",
    "proposed_project": "proposed_project",
    "projet_propose": "proposed_project",
    "priority": "priority",
    "priorite": "priority",
}
STATUSES = {
    "done": "done",
    "acheve": "done",
    "achevee": "done",
    "termine": "done",
    "completed": "done",
    "complete": "done",
    "pending": "pending",
    "en_attente": "pending",
    "a_venir": "pending",
    "planned": "pending",
    "prevu": "pending",
}


@dataclass(frozen=True)
class Issue:
    """One problem, at a line of the file (1 = header; 0 = the file as a whole)."""

    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return t(f"wg.import.err.{self.code}", lang, **self.params)


class ImportRejected(Exception):
    """Nothing was written: `issues` lists every problem with its line."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=lambda i: i.line)
        super().__init__("; ".join(f"line {i.line}: {i.message('en')}" for i in self.issues[:20]))


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[str] = field(default_factory=list)


@dataclass
class Record:
    line: int
    model: type
    id: str | None
    values: dict[str, Any]
    version: int | None = None
    activities: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


# --------------------------------------------------------------------------- reading files
#: The shared reader, as this import always read: .csv/.txt or .xlsx/.xlsm by name only, UTF-8 (BOM or not)
#: else Windows-1252 (even after a BOM) with undecodable bytes replaced, comma or semicolon sniffed on the very
#: first line, at most MAX_IMPORT_MB and MAX_IMPORT_ROWS data rows, a workbook's table cut to its header's
#: width; duplicated columns are reported as unknown columns by `_map_header`, not by the reader.
#: The most one import takes (stated in the error): a larger file is refused before it is parsed.
MAX_IMPORT_MB = 50
MAX_IMPORT_ROWS = 200_000
TABLE_OPTIONS = TableOptions(
    max_bytes=MAX_IMPORT_MB * 1024 * 1024,
    max_rows=MAX_IMPORT_ROWS,
    csv_extensions=(".csv", ".txt"),
    sniff_zip=False,
    reject_blank=False,
    trust_bom=False,
    decode_errors="replace",
    delimiters=(",", ";"),
    sniff_first_line=True,
    duplicate_header="keep",
)


def _table_issue(exc: TableError, file_name: str) -> Issue:
    if exc.code == "unknown_extension":
        return Issue(0, "bad_format", {"value": file_name.rsplit(".", 1)[-1] if "." in file_name else file_name})
    if exc.code in ("empty", "no_header"):
        return Issue(0, "empty")
    if exc.code in ("utf16", "nul"):
        return Issue(exc.line, exc.code)
    if exc.code in ("too_large", "too_many_rows"):
        return Issue(exc.line, "too_large", {"mb": MAX_IMPORT_MB, "rows": f"{MAX_IMPORT_ROWS:,}"})
    if exc.code == "cell_too_long":
        return Issue(exc.line, "cell_too_long", {"n": f"{MAX_CELL_CHARS:,}"})
    return Issue(exc.line, "unreadable", {"detail": exc.params.get("reason", exc.detail)})


def _read(data: bytes, file_name: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV or XLSX file, one row at a time (a long file is never held
    as a list of rows); blank lines skipped. Raises ImportRejected, also while the rows are read."""
    try:
        header, rows = stream_table(data, file_name, TABLE_OPTIONS)
    except TableError as exc:
        raise ImportRejected([_table_issue(exc, file_name)]) from exc

    def body() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from rows
        except TableError as exc:
            raise ImportRejected([_table_issue(exc, file_name)]) from exc

    return header, body()


# --------------------------------------------------------------------------- parsing rows
def _map_header(kind: str, header: list[str]) -> tuple[dict[str, int], list[Issue]]:
    found = map_header(header, ALIASES[kind], norm, ignored=IGNORED)
    cols = found.columns
    unknown = [header[i] or f"#{i + 1}" for i in sorted(found.duplicates + found.unknown)]  # a repeat is unknown
    issues = []
    if unknown:
        issues.append(Issue(1, "unknown_columns", {"cols": ", ".join(unknown)}))
    for group in REQUIRED_ANY[kind]:
        if not any(g in cols for g in group):
            issues.append(Issue(1, "missing_columns", {"cols": " / ".join(group)}))
    return cols, issues


def _jurisdictions() -> dict[str, str]:
    out = {
        "federal": "federal",
        "federale": "federal",
        "fed": "federal",
        "canada": "federal",
        "ca": "federal",
        "gouvernement_du_canada": "federal",
        "government_of_canada": "federal",
        "municipal": "municipal",
        "municipale": "municipal",
        "international": "international",
        "internationale": "international",
    }
    for lang in ("en", "fr"):
        for key, name in catalogue(lang).items():
            if key.startswith("pt.") and len(key) == 5:
                out[norm(name)] = key[3:]
                out[norm(key[3:])] = key[3:]
    return out


class _Row:
    def __init__(self, line: int, cells: list[str], cols: dict[str, int], issues: list[Issue]) -> None:
        self.line, self.cells, self.cols, self.issues = line, cells, cols, issues
        self.nul_reported: set[str] = set()

    def get(self, key: str) -> str:
        i = self.cols.get(key)
        value = self.cells[i].strip() if i is not None and i < len(self.cells) else ""
        if "\x00" in value:  # a form's field (files are refused whole): PostgreSQL cannot store it
            if key not in self.nul_reported:
                self.nul_reported.add(key)
                self.bad("nul_char", col=key)
            value = value.replace("\x00", "")
        return value

    def bad(self, code: str, **params: Any) -> None:
        self.issues.append(Issue(self.line, code, params))

    def int_(self, key: str) -> int | None:
        raw = self.get(key)
        if raw == "":
            return None
        try:
            return int(float(raw.replace("\u00a0", "").replace(" ", "")))
        except ValueError:
            self.bad("bad_int", col=key, value=raw)
            return None

    def date(self, key: str) -> dt.date | None:
        raw = self.get(key)
        if raw == "":
            return None
        day = iso_date(raw)  # strictly: "2031-01-15garbage" is not a date
        if day is None:
            self.bad("bad_date", col=key, value=raw)
        return day

    def text(self, key: str, limit: int = MAX_TEXT) -> str:
        v = self.get(key)
        if len(v) > limit:
            self.bad("too_long", col=key, n=limit)
        return v

    def jurisdiction(self, key: str = "presenter_jurisdiction") -> str:
        raw = self.get(key)
        if not raw:
            return ""
        code = _jurisdictions().get(norm(raw))
        if code is None:
            self.bad("bad_jurisdiction", value=raw)
            return ""
        return code


def _year_ok(row: _Row, year: int | None) -> None:
    if year is not None and not 2000 <= year <= 2100:
        row.bad("bad_year", value=year)


def infer_activity_kind(text: str) -> str:
    """The seed rule: 'Présentation…' -> presentation, 'Discussion…' -> discussion, else other.

    >>> infer_activity_kind("Présentation sur les données ouvertes"), infer_activity_kind("Year in review")
    ('presentation', 'other')
    """
    n = norm(text)
    if n.startswith(("presentation", "presenting")):
        return "presentation"
    if n.startswith("discussion"):
        return "discussion"
    return "other"


def _meeting_events(rows: Iterable[_Row]) -> Iterator[tuple[Any, ...]]:
    """The meetings of the rows as they come: ``("meeting", line, id, values, version)`` the first time an id
    is seen, ``("activity", line, id, activity)`` for each activity; problems go to the rows' issues. Only
    each meeting's first line and values are kept (to check the rows that repeat it), not the rows."""
    first: dict[str, tuple[int, tuple[Any, ...]]] = {}
    months: dict[tuple[int, int], tuple[bool, int]] = {}
    for r in rows:
        date = r.date("meeting_date")
        year, month = r.int_("year"), r.int_("month")
        held_raw = r.get("held")
        if held_raw:
            if norm(held_raw) in TRUE:
                held = True
            elif norm(held_raw) in FALSE:
                held = False
            else:
                r.bad("bad_bool", col="held", value=held_raw)
                held = date is not None
        else:
            held = date is not None
        _year_ok(r, year)
        if month is not None and not 1 <= month <= 12:
            r.bad("bad_month", value=month)
            month = None
        if held:
            if date is None:
                if not any(i.line == r.line and i.code == "bad_date" for i in r.issues):
                    r.bad("need_date")
                continue
            if (year is not None and year != date.year) or (month is not None and month != date.month):
                r.bad("date_mismatch", date=date.isoformat(), year=year or date.year, month=month or date.month)
            year, month = date.year, date.month
        else:
            if date is not None:
                r.bad("date_not_held")
            if year is None or month is None:
                r.bad("need_month")
                continue
        mid = r.text("meeting_id", 40) or (date.isoformat() if held and date else f"{year}-{month:02d}-none")
        prev = months.get((year, month))
        if prev is not None and prev[0] != held:
            r.bad("month_conflict", year=year, month=month)
        months.setdefault((year, month), (held, r.line))
        values = {
            "year": year,
            "month": month,
            "meeting_date": date if held else None,
            "held": held,
            "no_meeting_reason_en": "" if held else r.text("no_meeting_reason_en"),
            "no_meeting_reason_fr": "" if held else r.text("no_meeting_reason_fr"),
        }
        version = r.int_("version")
        seen = first.get(mid)
        if seen is None:
            first[mid] = (r.line, tuple(values.values()))
            yield ("meeting", r.line, mid, values, version)
        elif seen[1] != tuple(values.values()):
            for k_, v, before in zip(values, values.values(), seen[1], strict=True):
                if before != v:
                    r.bad("inconsistent", col=k_, other=seen[0])
                    break
        text_en, text_fr = r.text("activity_en"), r.text("activity_fr")
        if text_en or text_fr:
            if not held:
                r.bad("activity_no_meeting")
                continue
            kind_raw = r.get("activity_kind")
            kind = ACTIVITY_KINDS.get(norm(kind_raw)) if kind_raw else infer_activity_kind(text_fr or text_en)
            if kind is None:
                r.bad("bad_kind", value=kind_raw)
            yield (
                "activity",
                r.line,
                mid,
                {
                    "kind": kind,
                    "text_en": text_en or text_fr,
                    "text_fr": text_fr or text_en,
                    "presenter_fr": r.text("presenter"),
                    "presenter_jurisdiction": r.jurisdiction(),
                },
            )
        elif r.get("activity_kind") or r.get("presenter"):
            r.bad("need_text", col="activity_en / activity_fr")


def _parse_meetings(rows: Iterable[_Row]) -> list[Record]:
    records: dict[str, Record] = {}
    for event in _meeting_events(rows):
        if event[0] == "meeting":
            _, line, mid, values, version = event
            records[mid] = Record(line, m.WgMeeting, mid, values, version)
        else:
            _, line, mid, act = event
            records[mid].activities.append((line, act))
    return list(records.values())


def _parse_agenda(rows: Iterable[_Row]) -> list[Record]:
    out = []
    seen: dict[str, int] = {}
    for r in rows:
        status_raw = r.get("status")
        status = STATUSES.get(norm(status_raw)) or (
            "done" if norm(status_raw).startswith(("acheve_le", "done_on", "termine_le")) else None
        )
        if status is None:
            r.bad("bad_status", value=status_raw)
        done = r.date("done_date")
        if status == "done" and done is None and not any(i.line == r.line and i.code == "bad_date" for i in r.issues):
            r.bad("need_done_date")
        if status == "pending" and done is not None:
            r.bad("done_date_pending")
        year = r.int_("year") or (done.year if done else None)
        if year is None and "year" not in r.cols:
            r.bad("missing_columns", cols="year")
        elif year is None:
            r.bad("bad_year", value=r.get("year"))
        _year_ok(r, year)
        en, fr = _bilingual(r, "topic_en", "topic_fr")
        iid = _unique_id(r, "item_id", seen)
        out.append(
            Record(
                r.line,
                m.WgAgendaItem,
                iid,
                {
                    "year": year,
                    "topic_en": en,
                    "topic_fr": fr,
                    "presenter_fr": r.text("presenter"),
                    "presenter_jurisdiction": r.jurisdiction(),
                    "status": status,
                    "done_date": done,
                },
                r.int_("version"),
            )
        )
    return out


def _bilingual(r: _Row, en_col: str, fr_col: str) -> tuple[str, str]:
    """The English and French texts of a row; one of them is required, the other falls back to it."""
    en, fr = r.text(en_col), r.text(fr_col)
    if not (en or fr):
        r.bad("need_text", col=f"{en_col} / {fr_col}")
    return en or fr, fr or en


def _unique_id(r: _Row, col: str, seen: dict[str, int]) -> str | None:
    """The row's id (optional); a second row with the same id in the file is an error."""
    rid = r.text(col, 40) or None
    if rid:
        if rid in seen:
            r.bad("duplicate", other=seen[rid])
        seen.setdefault(rid, r.line)
    return rid


def _parse_priorities(rows: Iterable[_Row]) -> list[Record]:
    out = []
    seen: dict[str, int] = {}
    for r in rows:
        year = r.int_("year")
        if year is None and not any(i.line == r.line for i in r.issues):
            r.bad("bad_year", value=r.get("year"))
        _year_ok(r, year)
        kind_raw = r.get("kind")
        kind = PRIORITY_KINDS.get(norm(kind_raw)) if kind_raw else "priority"
        if kind is None:
            r.bad("bad_priority_kind", value=kind_raw)
        en, fr = _bilingual(r, "text_en", "text_fr")
        pid = _unique_id(r, "priority_id", seen)
        out.append(
            Record(
                r.line,
                m.WgPriority,
                pid,
                {
                    "year": year,
                    "rank": r.int_("rank"),
                    "kind": kind,
                    "text_en": en,
                    "text_fr": fr,
                    "status_text_en": r.text("status_text_en"),
                    "status_text_fr": r.text("status_text_fr"),
                },
                r.int_("version"),
            )
        )
    return out


def parse_rows(kind: str, header: list[str], body: Iterable[tuple[int, list[str]]]) -> list[Record]:
    """Validate rows (no database access). Raises ImportRejected with every problem found. The rows are
    read once, one at a time (a generator keeps a long file's memory to its records)."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    cols, issues = _map_header(kind, header)
    if issues:
        raise ImportRejected(issues)
    seen = 0

    def rows() -> Iterator[_Row]:
        nonlocal seen
        for line, cells in body:
            seen += 1
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                issues.append(Issue(line, "too_many_fields"))
                continue
            yield _Row(line, cells, cols, issues)

    parser = {"meetings": _parse_meetings, "agenda": _parse_agenda, "priorities": _parse_priorities}[kind]
    records = parser(rows())
    if not seen:
        raise ImportRejected([Issue(0, "empty")])
    if issues:
        raise ImportRejected(issues)
    return records


def parse_file(kind: str, data: bytes, file_name: str) -> list[Record]:
    header, body = _read(data, file_name)
    return parse_rows(kind, header, body)


# --------------------------------------------------------------------------- writing
def _next_id(s: Any, model: type, prefix: str, taken: set[str]) -> str:
    existing = set(s.scalars(select(model.id).where(model.id.like(f"{prefix}%"))))
    n = 1
    while f"{prefix}{n:02d}" in existing | taken:
        n += 1
    return f"{prefix}{n:02d}"


def write_records(
    records: list[Record],
    actor: Actor | None,
    url: str | None = None,
    note: str = "",
    kind: str = "",
    conflicts_as_issues: bool = True,
) -> ImportResult:
    """Write validated records in one transaction (all or nothing). Raises AuthError, ImportRejected,
    or EditConflict (when `conflicts_as_issues` is False: forms show both values)."""
    actor = require_role(actor, "editor")
    result = ImportResult(kind=kind, rows=len(records))
    with session_scope(url) as s:
        issues: list[Issue] = []
        taken: set[str] = set()
        for rec in records:  # versions are checked before anything is written
            if rec.id is None:
                prefix = "AG" if rec.model is m.WgAgendaItem else "P"
                rec.id = _next_id(s, rec.model, f"{prefix}{rec.values['year']}-", taken)
                taken.add(rec.id)
                continue
            row = s.get(rec.model, rec.id)
            if row is not None and rec.version is not None and row.version != rec.version:
                if not conflicts_as_issues:
                    raise EditConflict(
                        rec.model.__tablename__,
                        rec.id,
                        rec.version,
                        row.version,
                        {f: getattr(row, f) for f in rec.values},
                        dict(rec.values),
                    )
                issues.append(
                    Issue(rec.line, "stale_version", {"id": rec.id, "expected": rec.version, "current": row.version})
                )
            elif row is None and rec.version is not None and rec.version > 1:
                issues.append(Issue(rec.line, "unknown_id", {"id": rec.id}))
        if issues:
            raise ImportRejected(issues)
        for rec in records:
            row = s.get(rec.model, rec.id)
            if row is None:
                values = {k: v for k, v in rec.values.items() if not (k == "rank" and v is None)}
                if rec.model is m.WgPriority and values.get("rank") is None:
                    values["rank"] = 1 + max(
                        [0, *s.scalars(select(m.WgPriority.rank).where(m.WgPriority.year == values["year"]))]
                    )
                s.add(rec.model(id=rec.id, version=1, **values))
                s.flush()
                audit_insert(s, actor, rec.model.__tablename__, rec.id, values, note=note)
                result.inserted += 1
            else:
                changes = {k: v for k, v in rec.values.items() if not (k == "rank" and v is None)}
                before = row.version
                try:
                    expected = rec.version if rec.version is not None else row.version
                    after = apply_edit(s, actor, rec.model, rec.id, expected, changes, note=note)
                except EditConflict as exc:
                    if not conflicts_as_issues:
                        raise
                    raise ImportRejected(
                        [
                            Issue(
                                rec.line,
                                "stale_version",
                                {"id": rec.id, "expected": exc.expected_version, "current": exc.current_version},
                            )
                        ]
                    ) from exc
                if after == before:
                    result.unchanged += 1
                else:
                    result.updated += 1
            result.ids.append(rec.id)
            for _line, act in rec.activities:
                same = s.scalars(
                    select(m.WgActivity.id).where(
                        m.WgActivity.meeting_id == rec.id,
                        m.WgActivity.text_en == act["text_en"],
                        m.WgActivity.text_fr == act["text_fr"],
                    )
                ).first()
                if same is not None:
                    continue
                aid = _next_id(s, m.WgActivity, f"{rec.id}-", taken)
                taken.add(aid)
                s.add(m.WgActivity(id=aid, meeting_id=rec.id, **act))
                s.flush()
                audit_insert(s, actor, "wg_activities", aid, act, note=note)
    return result


def import_file(
    kind: str,
    data: bytes,
    file_name: str,
    actor: Actor | None,
    url: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Validate then write a whole file (all or nothing). The role is checked before the file is read.

    Large files are fine: everything is checked first (reads only), then the rows are written in batches
    by `opengov.store.bulk.write_in_batches`, which holds SQLite's write lock only for one short copy, so
    editors keep saving. ``progress(rows_written, rows_total)`` follows the writing."""
    require_role(actor, "editor")
    note = f"import {kind} {file_name}"[:200]
    if kind == "meetings":
        return import_meetings(data, file_name, actor, url, note=note, progress=progress)
    records = parse_file(kind, data, file_name)
    del data
    return write_import(records, actor, url, note=note, kind=kind, progress=progress)


def _insert_audit(actor: Actor, note: str, entity: str, entity_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """One audit row for a row an import inserts: its values as JSON (field ``*``)."""
    return {
        "actor": actor.username,
        "action": "insert",
        "entity": entity,
        "entity_id": entity_id[:80],
        "field": "*",
        "old_value": "",
        "new_value": _json(values),
        "note": note,
    }


#: The fields of a meeting an import sets (see `_meeting_events`).
MEETING_FIELDS = ("year", "month", "meeting_date", "held", "no_meeting_reason_en", "no_meeting_reason_fr")


def import_meetings(
    data: bytes,
    file_name: str,
    actor: Actor | None,
    url: str | None = None,
    note: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """A meetings file, streamed: each row is checked and sent to the store (in batches, staged: see
    `opengov.store.bulk`) as it is read, so memory does not grow with the file (only each meeting's id, first
    line and values are kept, to check the rows that repeat it). A problem anywhere rejects the file with
    every problem found and nothing written, like `parse_file` + `write_records`: the same checks (versions
    against the store, activities a meeting already has not added twice), the same counts.
    ``progress(rows_read, rows_total)``: ``rows_total`` is the file's number of lines (an estimate)."""
    from opengov.store.bulk import BATCH_ROWS, write_in_batches

    actor = require_role(actor, "editor")
    header, body = _read(data, file_name)
    total_lines = max(data.count(b"\n") - 1, 1)  # less the header
    del data
    cols, issues = _map_header("meetings", header)
    if issues:
        raise ImportRejected(issues)
    result = ImportResult(kind="meetings")
    updates: list[Record] = []  # meetings the store has: edited in the final transaction, audited per field
    stored_versions: dict[str, int] = {}
    next_activity: dict[str, int] = {}  # meeting id -> next activity number (new meetings and stored ones)
    known_activities: set[int] = set()  # hash of (meeting id, text_en, text_fr)
    read = 0

    def rows() -> Iterator[_Row]:
        nonlocal read
        for line, cells in body:
            read += 1
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                issues.append(Issue(line, "too_many_fields"))
                continue
            yield _Row(line, cells, cols, issues)

    def route(events: list[tuple[Any, ...]]) -> Iterator[tuple[type, list[dict[str, Any]]]]:
        mids = [e[2] for e in events if e[0] == "meeting"]
        stored_values: dict[str, tuple[Any, ...]] = {}  # this batch's stored meetings, to skip unchanged ones
        fields = [getattr(m.WgMeeting, f) for f in MEETING_FIELDS]
        with session_scope(url) as s:
            for chunk in _chunks(mids):
                q = select(m.WgMeeting.id, m.WgMeeting.version, *fields).where(m.WgMeeting.id.in_(chunk))
                for mid, version, *values in s.execute(q):
                    stored_versions[mid] = int(version)
                    stored_values[mid] = tuple(values)
            # the activities the store has for this batch's stored meetings (looked up again in each batch
            # that names them, rather than all kept: a re-import of a large file stays small)
            stored_known: set[int] = set()
            stored_next: dict[str, int] = {}
            with_activities = {e[2] for e in events if e[0] == "activity" and e[2] in stored_versions}
            for chunk in _chunks(sorted(with_activities)):
                q = select(m.WgActivity.id, m.WgActivity.meeting_id, m.WgActivity.text_en, m.WgActivity.text_fr)
                for aid, mid, text_en, text_fr in s.execute(q.where(m.WgActivity.meeting_id.in_(chunk))):
                    stored_known.add(hash((mid, text_en, text_fr)))
                    tail = aid.rsplit("-", 1)[-1]
                    if tail.isdigit():
                        stored_next[mid] = max(stored_next.get(mid, 1), int(tail) + 1)
        meetings: list[dict[str, Any]] = []
        activities: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        for event in events:
            if event[0] == "meeting":
                _, line, mid, values, version = event
                result.rows += 1
                current = stored_versions.get(mid)
                if current is not None:
                    if (version is None or version == current) and tuple(
                        values[f] for f in MEETING_FIELDS
                    ) == stored_values.get(mid):
                        result.unchanged += 1  # the store has it as the file says: nothing to write
                        continue
                    if version is not None and version != current:
                        issues.append(
                            Issue(line, "stale_version", {"id": mid, "expected": version, "current": current})
                        )
                    updates.append(Record(line, m.WgMeeting, mid, values, version))
                    continue
                if version is not None and version > 1:
                    issues.append(Issue(line, "unknown_id", {"id": mid}))
                    continue
                meetings.append({"id": mid, "version": 1, **values})
                audits.append(_insert_audit(actor, note, "wg_meetings", mid, values))
                result.inserted += 1
            else:
                _, line, mid, act = event
                key = hash((mid, act["text_en"], act["text_fr"]))
                if key in known_activities or key in stored_known:
                    continue
                known_activities.add(key)
                n = next_activity.get(mid) or stored_next.get(mid, 1)
                next_activity[mid] = n + 1
                aid = f"{mid}-{n:02d}"
                activities.append({"id": aid, "meeting_id": mid, **act})
                audits.append(_insert_audit(actor, note, "wg_activities", aid, act))
        yield m.WgMeeting, meetings
        yield m.WgActivity, activities
        yield m.AuditLog, audits

    def batches() -> Iterator[tuple[type, list[dict[str, Any]]]]:
        pending: list[tuple[Any, ...]] = []
        for event in _meeting_events(rows()):
            pending.append(event)
            if len(pending) >= BATCH_ROWS:
                yield from route(pending)
                pending = []
                if progress:
                    progress(read, total_lines)
        if pending:
            yield from route(pending)
        if not read:
            issues.append(Issue(0, "empty"))
        if issues:  # raised inside the write: the staged rows are dropped, nothing is written
            raise ImportRejected(issues)
        next_activity.clear()  # not a cache: memory back before the final copy (`finish` needs neither)
        known_activities.clear()  # not a cache
        if progress:
            progress(read, read)

    def finish(session: Any) -> None:
        for rec in updates:
            expected = rec.version if rec.version is not None else stored_versions[str(rec.id)]
            try:
                after = apply_edit(session, actor, m.WgMeeting, rec.id, expected, rec.values, note=note)
            except EditConflict as exc:
                params = {"id": rec.id, "expected": exc.expected_version, "current": exc.current_version}
                raise ImportRejected([Issue(rec.line, "stale_version", params)]) from exc
            if after == expected:
                result.unchanged += 1
            else:
                result.updated += 1
            result.ids.append(str(rec.id))

    try:
        write_in_batches(url, batches(), finish, order=(m.WgMeeting, m.WgActivity))
    except IntegrityError as exc:  # a meeting with the same id was saved meanwhile: nothing was written
        raise ImportRejected([Issue(0, "changed_meanwhile")]) from exc
    return result


def _chunks(items: list[Any], n: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _json(values: dict[str, Any]) -> str:
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def write_import(
    records: list[Record],
    actor: Actor | None,
    url: str | None = None,
    note: str = "",
    kind: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write validated records of an import, all or nothing, in row batches (see `import_file`).

    Same outcome as `write_records` (inserted, updated with optimistic versions, unchanged; activities a
    meeting already has are not added twice), but every store read is done up front in a few queries, new
    rows are inserted in batches and audited with one ``insert`` row each (field ``*``, the values as JSON),
    and updates go through `apply_edit` (audited per field) in the same final transaction."""
    from opengov.store.bulk import BATCH_ROWS, write_in_batches

    actor = require_role(actor, "editor")
    result = ImportResult(kind=kind, rows=len(records))
    existing: dict[tuple[type, str], int] = {}  # (model, id) -> version
    activities: dict[str, set[tuple[str, str]]] = {}  # meeting id -> (text_en, text_fr) it has
    activity_ids: set[str] = set()
    with session_scope(url) as s:
        by_model: dict[type, list[str]] = {}
        for rec in records:
            if rec.id is not None:
                by_model.setdefault(rec.model, []).append(rec.id)
        for model, ids in by_model.items():
            for chunk in _chunks(sorted(set(ids))):
                for rid, version in s.execute(select(model.id, model.version).where(model.id.in_(chunk))):
                    existing[(model, rid)] = version
        issues: list[Issue] = []
        for rec in records:  # versions are checked before anything is written
            if rec.id is None:
                continue
            current = existing.get((rec.model, rec.id))
            if current is not None and rec.version is not None and current != rec.version:
                issues.append(
                    Issue(rec.line, "stale_version", {"id": rec.id, "expected": rec.version, "current": current})
                )
            elif current is None and rec.version is not None and rec.version > 1:
                issues.append(Issue(rec.line, "unknown_id", {"id": rec.id}))
        if issues:
            raise ImportRejected(issues)
        prefixes: dict[tuple[type, str], set[str]] = {}
        for rec in records:
            if rec.id is None:
                prefix = f"{'AG' if rec.model is m.WgAgendaItem else 'P'}{rec.values['year']}-"
                if (rec.model, prefix) not in prefixes:
                    prefixes[(rec.model, prefix)] = set(
                        s.scalars(select(rec.model.id).where(rec.model.id.like(f"{prefix}%")))
                    )
                used = prefixes[(rec.model, prefix)]
                n = 1
                while f"{prefix}{n:02d}" in used:
                    n += 1
                rec.id = f"{prefix}{n:02d}"
                used.add(rec.id)
        ranks: dict[int, int] = {}
        for year in {rec.values["year"] for rec in records if rec.model is m.WgPriority}:
            ranks[year] = max([0, *s.scalars(select(m.WgPriority.rank).where(m.WgPriority.year == year))])
        old_meetings = [rec.id for rec in records if rec.activities and (rec.model, rec.id) in existing]
        for chunk in _chunks(old_meetings):
            q = select(m.WgActivity.id, m.WgActivity.meeting_id, m.WgActivity.text_en, m.WgActivity.text_fr)
            for aid, mid, text_en, text_fr in s.execute(q.where(m.WgActivity.meeting_id.in_(chunk))):
                activities.setdefault(mid, set()).add((text_en, text_fr))
                activity_ids.add(aid)

    new = [rec for rec in records if (rec.model, rec.id) not in existing]
    for rec in new:
        if rec.model is m.WgPriority and rec.values.get("rank") is None:
            ranks[rec.values["year"]] += 1
            rec.values = {**rec.values, "rank": ranks[rec.values["year"]]}
    new_activities: list[tuple[str, dict[str, Any]]] = []
    for rec in records:
        have = activities.setdefault(str(rec.id), set())
        for _line, act in rec.activities:
            key = (act["text_en"], act["text_fr"])
            if key in have:
                continue
            have.add(key)
            n = 1
            while f"{rec.id}-{n:02d}" in activity_ids:
                n += 1
            aid = f"{rec.id}-{n:02d}"
            activity_ids.add(aid)
            new_activities.append((aid, {"meeting_id": rec.id, **act}))
    total = len(new) * 2 + len(new_activities) * 2

    def audit(entity: str, entity_id: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "actor": actor.username,
            "action": "insert",
            "entity": entity,
            "entity_id": entity_id[:80],
            "field": "*",
            "old_value": "",
            "new_value": _json(values),
            "note": note,
        }

    def batches() -> Iterator[tuple[type, list[dict[str, Any]]]]:
        for model in (m.WgMeeting, m.WgAgendaItem, m.WgPriority):
            part = [rec for rec in new if rec.model is model]
            for chunk in _chunks(part, BATCH_ROWS):
                yield model, [{"id": rec.id, "version": 1, **_insert_values(rec)} for rec in chunk]
        for chunk in _chunks(new_activities, BATCH_ROWS):
            yield m.WgActivity, [{"id": aid, **act} for aid, act in chunk]
        for chunk in _chunks(new, BATCH_ROWS):
            yield m.AuditLog, [audit(rec.model.__tablename__, str(rec.id), _insert_values(rec)) for rec in chunk]
        for chunk in _chunks(new_activities, BATCH_ROWS):
            yield m.AuditLog, [audit("wg_activities", aid, act) for aid, act in chunk]

    def finish(session: Any) -> None:
        for rec in records:
            if (rec.model, rec.id) not in existing:
                continue
            changes = {k: v for k, v in rec.values.items() if not (k == "rank" and v is None)}
            expected = rec.version if rec.version is not None else existing[(rec.model, rec.id)]
            try:
                after = apply_edit(session, actor, rec.model, rec.id, expected, changes, note=note)
            except EditConflict as exc:
                raise ImportRejected(
                    [
                        Issue(
                            rec.line,
                            "stale_version",
                            {"id": rec.id, "expected": exc.expected_version, "current": exc.current_version},
                        )
                    ]
                ) from exc
            if after == expected:
                result.unchanged += 1
            else:
                result.updated += 1

    try:
        write_in_batches(url, batches(), finish, progress=(lambda n: progress(n, total)) if progress else None)
    except IntegrityError as exc:  # a record with the same key was saved meanwhile: nothing was written
        raise ImportRejected([Issue(0, "changed_meanwhile")]) from exc
    result.inserted = len(new)
    result.ids = [str(rec.id) for rec in records]
    return result


def _insert_values(rec: Record) -> dict[str, Any]:
    return {k: v for k, v in rec.values.items() if not (k == "rank" and v is None)}


def save_form(
    kind: str,
    values: dict[str, Any],
    actor: Actor | None,
    url: str | None = None,
    record_id: str | None = None,
    expected_version: int | None = None,
) -> tuple[str, int]:
    """Save one record typed in a form, through the same validation as an import.

    `values` uses the import's column names (strings or dates). Editing: `record_id` and the version
    the editor started from; a stale version raises EditConflict (both values kept). Returns (id, version).
    """
    require_role(actor, "editor")
    id_col = {"meetings": "meeting_id", "agenda": "item_id", "priorities": "priority_id"}[kind]
    row = {k: ("" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in values.items()}
    if record_id:
        row[id_col] = record_id
    records = parse_rows(kind, list(row), [(2, list(row.values()))])
    for rec in records:
        rec.version = expected_version
    res = write_records(records, actor, url, note=f"form {kind}", kind=kind, conflicts_as_issues=False)
    rid = res.ids[0]
    with session_scope(url) as s:
        return rid, s.get(records[0].model, rid).version
