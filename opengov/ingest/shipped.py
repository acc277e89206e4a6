"""Load the shipped real data (data/) into the store, idempotently.

Each shipped file is a `Source` row with its SHA-256: a file already loaded with the same hash is
skipped, so `python -m opengov init` run twice changes nothing. Every file is validated before a
single row is written (required columns, types, dates); a problem raises `ShippedDataError`
naming the file, the line and the reason, and the transaction is rolled back.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from opengov import config
from opengov.ingest.status import canonical_status, seed_status_terms
from opengov.store import models as m


class ShippedDataError(RuntimeError):
    """A shipped file is missing or does not have the expected shape."""

    def __init__(self, file: str, reason: str, line: int | None = None, code: str = "invalid") -> None:
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.reason = reason  # English, for the command line and logs
        self.line = line
        self.code = code  # missing | encoding | columns | extra_fields | no_rows | invalid (for translation)


@dataclass(frozen=True)
class ShippedSource:
    id: str
    file: str  # relative to data/
    title_en: str
    title_fr: str
    publisher: str
    url: str
    licence: str
    as_of: str  # ISO date
    cadence: str  # static | daily | monthly | yearly
    loader: Callable[[Session, ShippedSource, list[dict[str, str]]], int]
    required: tuple[str, ...] = field(default=())
    #: Other files (relative to data/) the loader reads: a change to them reloads this source too.
    extra_files: tuple[str, ...] = field(default=())


OGL = "Open Government Licence – Canada / Licence du gouvernement ouvert – Canada"
TBS = "Treasury Board of Canada Secretariat / Secrétariat du Conseil du Trésor du Canada"
ANALYTICS_URL = "https://open.canada.ca/data/en/dataset/2916fad5-ebcc-4c86-b0f3-4f619b29f412"
CORP_REPO = "github:open-data/analytics-corporate-reporting"
FED_PORTAL = "canada"  # registry id of open.canada.ca


# --------------------------------------------------------------------------- parsing helpers
def read_csv_rows(
    path: Path, required: tuple[str, ...], delimiter: str = ",", name: str | None = None
) -> list[dict[str, str]]:
    """Read a UTF-8 CSV and check its header; raise ShippedDataError on any problem."""
    name = name or path.name
    if not path.is_file():
        raise ShippedDataError(name, "file is missing", code="missing")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ShippedDataError(name, f"not valid UTF-8 ({exc.reason} at byte {exc.start})", code="encoding") from exc
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise ShippedDataError(name, f"missing column(s): {', '.join(missing)}", line=1, code="columns")
    rows = []
    for row in reader:
        if None in row:
            raise ShippedDataError(name, "more fields than the header", line=reader.line_num, code="extra_fields")
        rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    return rows


def _int(row: dict[str, str], col: str, file: str, line: int, allow_empty: bool = False) -> int | None:
    raw = row.get(col, "").replace(",", "").replace(" ", "")
    if raw == "" and allow_empty:
        return None
    try:
        return int(float(raw))
    except ValueError:
        raise ShippedDataError(file, f"column {col!r}: {raw!r} is not a number", line) from None


def _float(row: dict[str, str], col: str, file: str, line: int, allow_empty: bool = False) -> float | None:
    raw = row.get(col, "").replace(",", "")
    if raw == "" and allow_empty:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ShippedDataError(file, f"column {col!r}: {raw!r} is not a number", line) from None


def _date(row: dict[str, str], col: str, file: str, line: int, allow_empty: bool = False) -> dt.date | None:
    raw = row.get(col, "")
    if raw == "" and allow_empty:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError:
        raise ShippedDataError(file, f"column {col!r}: {raw!r} is not a date (YYYY-MM-DD)", line) from None


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _usage(src: ShippedSource, **kw: object) -> m.UsageStat:
    return m.UsageStat(source_id=src.id, **kw)


# --------------------------------------------------------------------------- loaders
def load_monthly_usage(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    out = []
    for i, r in enumerate(rows, start=2):
        y, mo = _int(r, "year", src.file, i), _int(r, "month", src.file, i)
        for metric in ("visits", "downloads"):
            out.append(
                _usage(
                    src,
                    portal_id=FED_PORTAL,
                    metric=metric,
                    grain="month",
                    period_start=month_start(y, mo),
                    period_end=month_end(y, mo),
                    value=_int(r, metric, src.file, i),
                )
            )
    s.add_all(out)
    return len(rows)


def load_by_jurisdiction(metric: str, col: str) -> Callable[[Session, ShippedSource, list[dict[str, str]]], int]:
    def _load(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
        for i, r in enumerate(rows, start=2):
            y, mo = _int(r, "year", src.file, i), _int(r, "month", src.file, i)
            jur = r["jurisdiction"]
            if jur not in ("federal", "provincial", "municipal", "user"):
                raise ShippedDataError(src.file, f"unknown jurisdiction {jur!r}", i)
            s.add(
                _usage(
                    src,
                    portal_id=FED_PORTAL,
                    metric=metric,
                    grain="month",
                    period_start=month_start(y, mo),
                    period_end=month_end(y, mo),
                    dimension="jurisdiction",
                    dimension_key=jur,
                    value=_int(r, col, src.file, i),
                )
            )
        return len(rows)

    return _load


def load_top25(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        y, mo = _int(r, "year", src.file, i), _int(r, "month", src.file, i)
        _upsert_dataset(s, r["dataset_id"], r["title_en"], r["title_fr"], r["department_en"], r["department_fr"])
        s.add(
            _usage(
                src,
                portal_id=FED_PORTAL,
                metric="downloads",
                grain="month",
                period_start=month_start(y, mo),
                period_end=month_end(y, mo),
                dimension="dataset",
                dimension_key=r["dataset_id"],
                value=_int(r, "downloads", src.file, i),
                rank=_int(r, "rank", src.file, i),
            )
        )
    return len(rows)


def load_top50_events(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        y, mo = _int(r, "year", src.file, i), _int(r, "month", src.file, i)
        _upsert_dataset(s, r["dataset_id"])
        s.add(
            _usage(
                src,
                portal_id=FED_PORTAL,
                metric="download_events",
                grain="month",
                period_start=month_start(y, mo),
                period_end=month_end(y, mo),
                dimension="dataset",
                dimension_key=r["dataset_id"],
                value=_int(r, "download_events", src.file, i),
                rank=_int(r, "rank", src.file, i),
                note=f"days_covered={r['days_covered_in_month']}",
            )
        )
    return len(rows)


def load_daily_events(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        d = _date(r, "date", src.file, i)
        s.add(
            _usage(
                src,
                portal_id=FED_PORTAL,
                metric="download_events",
                grain="day",
                period_start=d,
                period_end=d,
                value=_int(r, "download_events", src.file, i),
            )
        )
    return len(rows)


def load_departments(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Datasets by publishing organisation at one date: a snapshot of open.canada.ca with facets."""
    snap_date = _date(rows[0], "snapshot_date", src.file, 2) if rows else None
    total = 0
    facets = []
    for i, r in enumerate(rows, start=2):
        n = _int(r, "datasets", src.file, i)
        total += n
        slug = r["organization_name"]
        org = s.get(m.Organization, slug)
        if org is None:
            # the file spells three provincial governments "Gouvernment" in French (see PROVENANCE.md)
            s.add(
                m.Organization(
                    slug=slug,
                    name_en=r["department_en"],
                    name_fr=fr_typography(re.sub(r"^Gouvernment\b", "Gouvernement", r["department_fr"])),
                )
            )
        facets.append(("organization", slug, n))
    snap = m.PortalSnapshot(
        portal_id=FED_PORTAL,
        snapshot_date=snap_date,
        origin=src.id,
        ok=True,
        dataset_count=total,
        organization_count=len(rows),
        source_id=src.id,
        taken_at=dt.datetime.combine(snap_date, dt.time(), tzinfo=dt.UTC),
    )
    s.add(snap)
    s.flush()
    s.add_all(m.SnapshotFacet(snapshot_id=snap.id, facet=f, value=v, count=c) for f, v, c in facets)
    return len(rows)


def load_released(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    n = 0
    for i, r in enumerate(rows, start=2):
        period = r["period"]
        if period in ("total", "prior_to_2022-07"):
            continue
        try:
            y, mo = (int(x) for x in period.split("-"))
        except ValueError:
            raise ShippedDataError(src.file, f"unknown period {period!r}", i) from None
        s.add(
            _usage(
                src,
                portal_id=FED_PORTAL,
                metric="net_new_datasets",
                grain="month",
                period_start=month_start(y, mo),
                period_end=month_end(y, mo),
                dimension="department",
                dimension_key=r["organization_name"],
                value=_int(r, "net_new_datasets", src.file, i),
            )
        )
        n += 1
    return n


REGION_CODES = {
    "Newfoundland and Labrador": "NL",
    "Prince Edward Island": "PE",
    "Nova Scotia": "NS",
    "New Brunswick": "NB",
    "Quebec": "QC",
    "Ontario": "ON",
    "Manitoba": "MB",
    "Saskatchewan": "SK",
    "Alberta": "AB",
    "British Columbia": "BC",
    "Yukon": "YT",
    "Northwest Territories": "NT",
    "Nunavut": "NU",
}


def load_regions(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        code = REGION_CODES.get(r["region_en"], "unknown" if "nknown" in r["region_en"] else None)
        if code is None:
            raise ShippedDataError(src.file, f"unknown region {r['region_en']!r}", i)
        s.add(
            _usage(
                src,
                portal_id=FED_PORTAL,
                metric="visits",
                grain="cumulative",
                period_start=dt.date(2013, 6, 18),
                period_end=dt.date(2023, 6, 30),
                dimension="region",
                dimension_key=code,
                value=_int(r, "visits", src.file, i),
            )
        )
    return len(rows)


def load_countries(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        s.add(
            _usage(
                src,
                portal_id=FED_PORTAL,
                metric="visits",
                grain="cumulative",
                period_start=dt.date(2013, 6, 18),
                period_end=dt.date(2023, 6, 30),
                dimension="country",
                dimension_key=r["country"],
                value=_int(r, "visits", src.file, i),
            )
        )
    return len(rows)


def load_fiscal_totals(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        start = _date(r, "fiscal_year_start", src.file, i)
        end = _date(r, "as_of_date", src.file, i)
        full = r["is_full_fiscal_year"] == "yes"
        for metric, col in (
            ("downloads", "downloads_fytd"),
            ("visits", "visits_fytd"),
            ("datasets_created", "datasets_created_in_fy"),
        ):
            s.add(
                _usage(
                    src,
                    portal_id=FED_PORTAL,
                    metric=metric,
                    grain="fiscal_year" if full else "fytd",
                    period_start=start,
                    period_end=end,
                    value=_int(r, col, src.file, i),
                )
            )
    return len(rows)


def load_corporate_daily(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        d = _date(r, "Date", src.file, i)
        start = _date(r, "From", src.file, i)
        for metric, col in (("downloads", "Totals downloads"), ("visits", "Total visits")):
            s.add(
                _usage(
                    src,
                    portal_id=FED_PORTAL,
                    metric=metric,
                    grain="fytd",
                    period_start=start,
                    period_end=d,
                    dimension="as_of",
                    dimension_key=d.isoformat(),
                    value=_int(r, col, src.file, i),
                )
            )
    return len(rows)


def load_packages_daily(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        d = _date(r, "as_of_date", src.file, i)
        snap = m.PortalSnapshot(
            portal_id=FED_PORTAL,
            snapshot_date=d,
            origin=src.id,
            ok=True,
            dataset_count=_int(r, "packages_total", src.file, i),
            resource_count=_int(r, "resources_total", src.file, i),
            source_id=src.id,
            taken_at=dt.datetime.combine(d, dt.time(), tzinfo=dt.UTC),
        )
        s.add(snap)
        s.flush()
        for jur in ("federal", "provincial", "municipal", "user"):
            n = _int(r, f"packages_{jur}", src.file, i, allow_empty=jur == "user")
            if n is not None:  # 'user' is blank on days the source did not report it
                s.add(m.SnapshotFacet(snapshot_id=snap.id, facet="jurisdiction", value=jur, count=n))
        for fr in ("current", "due_soon", "late", "unknown"):
            s.add(
                m.SnapshotFacet(
                    snapshot_id=snap.id, facet="freshness", value=fr, count=_int(r, f"pkg_fresh_{fr}", src.file, i)
                )
            )
    return len(rows)


def parse_partial_date(raw: str) -> dt.date | None:
    """'2012' -> 2012-01-01, '2012-03' -> 2012-03-01, '2012-03-05' -> that day,
    'c.2017-2018' -> 2017-01-01, '2026 (undated)' -> 2026-01-01; no year -> None."""
    match = re.search(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)", raw)
    if not match:
        return None
    y, mo, d = match.group(1), match.group(2), match.group(3)
    try:
        return dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return None


def load_counts_timeline(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        as_of = parse_partial_date(r["as_of_date"])
        if as_of is None:
            raise ShippedDataError(src.file, f"column 'as_of_date': {r['as_of_date']!r} is not a date", i)
        if r["value_qualifier"] not in ("exact", "more_than", "approx"):
            raise ShippedDataError(src.file, f"unknown qualifier {r['value_qualifier']!r}", i)
        s.add(
            m.DatasetCountPoint(
                portal_label=r["portal"],
                level=r["jurisdiction_level"],
                jurisdiction=r["jurisdiction"],
                as_of=as_of,
                as_of_text=r["as_of_date"],
                date_precision=r["date_precision"],
                metric=r["metric"],
                value=_float(r, "value", src.file, i),
                qualifier=r["value_qualifier"],
                note=r["note"],
                source_url=r["source"],
                source_type=r["source_type"],
                trust=r["trust"],
                source_id=src.id,
            )
        )
    return len(rows)


def fr_typography(text: str) -> str:
    """French text as French typography writes it: the apostrophe is ’, not the typewriter '.

    >>> fr_typography("Plan d'action national d'ouvert.canada.ca")
    'Plan d’action national d’ouvert.canada.ca'
    """
    return re.sub(r"(?<=\w)'(?=\w)", "\u2019", text) if isinstance(text, str) else text


#: English province/territory abbreviations in a portal's name and the French ones (Canada's
#: Translation Bureau), for a registry row without its own French name: "Calgary (Alta.)" is
#: "Calgary (Alb.)" in French.
PT_ABBREV_FR = {
    "Alta.": "Alb.",
    "B.C.": "C.-B.",
    "Man.": "Man.",
    "N.B.": "N.-B.",
    "N.L.": "T.-N.-L.",
    "Nfld.": "T.-N.-L.",
    "N.S.": "N.-É.",
    "N.W.T.": "T.N.-O.",
    "Nvt.": "Nt",
    "Ont.": "Ont.",
    "P.E.I.": "Î.-P.-É.",
    "Que.": "Qc",
    "Sask.": "Sask.",
    "Y.T.": "Yn",
}


def french_portal_name(name_en: str) -> str:
    """A French name from the English one: the province/territory abbreviations in parentheses.

    >>> french_portal_name("Calgary (Alta.)"), french_portal_name("Montréal (Que.)")
    ('Calgary (Alb.)', 'Montréal (Qc)')
    """
    return fr_typography(re.sub(r"\(([^()]+)\)", lambda mt: f"({PT_ABBREV_FR.get(mt.group(1), mt.group(1))})", name_en))


PORTAL_LEVELS = ("federal", "provincial", "territorial", "regional", "municipal", "other")
#: the registry's fields a shipped release writes, unless an operator set them (``operator_fields``)
PORTAL_FIELDS = (
    "name_en",
    "name_fr",
    "level",
    "pt_code",
    "sgc_code",
    "geo_type",
    "population_2011",
    "platform",
    "api_base_url",
    "homepage",
    "license_url",
    "catalog_type",
    "owner_type",
    "owner_name",
    "listing",
    "field_sources",
    "registry_uid",
)


def load_portals(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Upsert the shipped registry. A field an operator set with ``import portals`` (listed in the row's
    ``operator_fields``) is never written over: an operator's edit outlives a release."""
    for i, r in enumerate(rows, start=2):
        if r["level"] not in PORTAL_LEVELS:
            raise ShippedDataError(src.file, f"unknown level {r['level']!r}", i)
        values = dict(
            name_en=r["name_en"],
            name_fr=french_portal_name(r["name_fr"] or r["name_en"]),
            level=r["level"],
            pt_code=r["pt_code"],
            sgc_code=r.get("sgc_code", ""),
            geo_type=r.get("geo_type", ""),
            population_2011=_int(r, "population_2011", src.file, i, allow_empty=True),
            platform=r["platform"],
            api_base_url=r["api_base_url"],
            homepage=r["homepage"],
            license_url=r.get("license_url", ""),
            catalog_type=r.get("catalog_type") or "Open data portal",
            owner_type=r.get("owner_type", ""),
            owner_name=r.get("owner_name", ""),
            listing=r.get("listing", ""),
            field_sources=r.get("field_sources", ""),
            registry_uid=r.get("registry_uid", ""),
        )
        p = s.get(m.Portal, r["id"])
        if p is None:
            s.add(m.Portal(id=r["id"], source_id=src.id, **values))
            continue
        kept = {f for f in (p.operator_fields or "").split(",") if f}
        for k, v in values.items():
            if k not in kept:
                setattr(p, k, v)
        if kept:
            # the row's provenance says which fields are the operator's
            sources = dict(x.split("=", 1) for x in (p.field_sources or "").split(";") if "=" in x)
            sources.update({f: "operator" for f in kept})
            p.field_sources = ";".join(f"{k}={v}" for k, v in sources.items())
        else:
            p.source_id = src.id
    return len(rows)


NAP_PLANS = {
    "NAP4": (
        "Canada's 2018-2020 National Action Plan on Open Government",
        "Plan d'action national pour un gouvernement ouvert 2018-2020 du Canada",
        dt.date(2018, 9, 1),
        dt.date(2020, 8, 31),
    ),
    "NAP5": (
        "Canada's 2022-2024 National Action Plan on Open Government",
        "Plan d'action national pour un gouvernement ouvert 2022-2024 du Canada",
        dt.date(2022, 1, 1),
        dt.date(2024, 12, 31),
    ),
    "NAP6": (
        "Canada's 2025-2029 National Action Plan on Open Government",
        "Plan d'action national pour un gouvernement ouvert 2025-2029 du Canada",
        dt.date(2025, 1, 1),
        dt.date(2029, 12, 31),
    ),
}


def load_nap(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    plans: dict[str, m.ActionPlan] = {}
    commitments: dict[tuple[str, str], m.Commitment] = {}
    milestones: dict[tuple[str, str], m.Milestone] = {}
    for i, r in enumerate(rows, start=2):
        pid = r["plan"]
        if pid not in NAP_PLANS:
            raise ShippedDataError(src.file, f"unknown plan {pid!r}", i)
        if pid not in plans:
            plan = s.get(m.ActionPlan, pid)
            if plan is None:
                en, fr, start, end = NAP_PLANS[pid]
                plan = m.ActionPlan(
                    id=pid,
                    kind="national",
                    title_en=en,
                    title_fr=fr_typography(fr),
                    period_start=start,
                    period_end=end,
                    source_id=src.id,
                )
                s.add(plan)
            plans[pid] = plan
        ck = (pid, r["commitment_code"])
        if ck not in commitments:
            c = s.scalar(select(m.Commitment).where(m.Commitment.plan_id == pid, m.Commitment.code == ck[1]))
            if c is None:
                c = m.Commitment(
                    plan_id=pid, code=ck[1], title_en=r["commitment_en"], title_fr=fr_typography(r["commitment_fr"])
                )
                s.add(c)
                s.flush()
            commitments[ck] = c
        mk = (pid, r["milestone_code"])
        if mk not in milestones:
            ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == pid, m.Milestone.code == mk[1]))
            if ms is None:
                ms = m.Milestone(
                    plan_id=pid,
                    commitment_id=commitments[ck].id,
                    code=mk[1],
                    reference=ck[1],
                    title_en=r["milestone_en"],
                    title_fr=fr_typography(r["milestone_fr"]),
                    deadline_en=r["deadline_en"],
                    deadline_fr=r["deadline_fr"],
                    lead=r["lead_dept"],
                )
                s.add(ms)
                s.flush()
            milestones[mk] = ms
        ms = milestones[mk]
        if r["deadline_en"] and not ms.deadline_en:
            ms.deadline_en, ms.deadline_fr = r["deadline_en"], r["deadline_fr"]
        exists = s.scalar(
            select(m.Indicator).where(m.Indicator.milestone_id == ms.id, m.Indicator.code == r["indicator_code"])
        )
        if exists is None:
            s.add(
                m.Indicator(
                    milestone_id=ms.id,
                    code=r["indicator_code"],
                    text_en=r["indicator_en"],
                    text_fr=r["indicator_fr"],
                    deadline_en=r["deadline_en"],
                    deadline_fr=r["deadline_fr"],
                    lead=r["lead_dept"],
                )
            )
    return len(rows)


def load_status_codes(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for r in rows:
        canonical_status(r["status_code"], scheme="nap_code")  # raises on an unknown code
    seed_status_terms(s)
    return len(rows)


def _month_end(period: str, file: str, line: int) -> dt.date:
    m_ = re.fullmatch(r"((?:19|20)\d\d)-(0[1-9]|1[0-2])", period.strip())
    if not m_:
        raise ShippedDataError(file, f"reporting period {period!r} is not YYYY-MM", line)
    return month_end(int(m_.group(1)), int(m_.group(2)))


def load_nap_observations(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Status observations of the official NAP tracker, one per indicator and reporting period (shipped,
    `source_id` set). A status observation a user imported or recorded for the same key is kept: the
    shipped one is skipped. Each indicator then shows its latest reported status."""
    from opengov.store.models_plans import PlanProgressReport as R

    touched: set[int] = set()
    n = 0
    for i, r in enumerate(rows, start=2):
        ms = s.scalar(
            select(m.Milestone).where(m.Milestone.plan_id == r["plan"], m.Milestone.code == r["milestone_code"])
        )
        ind = (
            s.scalar(
                select(m.Indicator).where(m.Indicator.milestone_id == ms.id, m.Indicator.code == r["indicator_code"])
            )
            if ms is not None
            else None
        )
        if ms is None or ind is None:
            raise ShippedDataError(src.file, f"unknown indicator {r['plan']} {r['indicator_code']}", i)
        code = r["status_code"].strip()
        status = canonical_status(code, scheme="nap_code") if code else None
        exists = s.scalar(
            select(R.id).where(
                R.milestone_id == ms.id, R.indicator_code == ind.code, R.reporting_period == r["reporting_period"]
            )
        )
        if exists is not None:  # recorded or imported by a user: theirs stays
            continue
        s.add(
            R(
                plan_id=r["plan"],
                milestone_id=ms.id,
                indicator_code=ind.code,
                reporting_period=r["reporting_period"],
                period_end=_month_end(r["reporting_period"], src.file, i),
                status=status,
                status_source_term=r["status_en"] if status else "",
                evidence_en=r["evidence_excerpt"],
                department=r["lead_organization"],
                import_file=src.file,
                imported_by="seed",
                imported_at=dt.datetime.combine(dt.date.fromisoformat(src.as_of), dt.time(), tzinfo=dt.UTC),
                source_id=src.id,
                source_url=r["source_url"],
                note=r["status_note"],
            )
        )
        touched.add(ind.id)
        n += 1
    s.flush()
    for ind_id in sorted(touched):
        ind = s.get(m.Indicator, ind_id)
        assert ind is not None
        latest = s.scalar(
            select(R.status)
            .where(R.milestone_id == ind.milestone_id, R.indicator_code == ind.code, R.status.is_not(None))
            .order_by(R.reporting_period.desc())
            .limit(1)
        )
        ind.status = latest
    return n


#: Plans whose progress is reported per commitment only (id: titles, period, jurisdiction, level, kind).
COMMITMENT_PLANS: dict[str, tuple[str, str, dt.date, dt.date, str, str, str]] = {
    "NAP2": (
        "Canada's Action Plan on Open Government 2014-2016",
        "Plan d'action du Canada pour un gouvernement ouvert 2014-2016",
        dt.date(2014, 7, 1),
        dt.date(2016, 6, 30),
        "CA",
        "federal",
        "national",
    ),
    "NAP3": (
        "Third Biennial Plan to the Open Government Partnership 2016-2018",
        "Troisième plan biennal dans le cadre du Partenariat pour un gouvernement ouvert 2016-2018",
        dt.date(2016, 7, 1),
        dt.date(2018, 6, 30),
        "CA",
        "federal",
        "national",
    ),
    "QC-2021": (
        "Québec action plan 2021-2023 (OGP Local)",
        "Plan d'action du Québec 2021-2023 (PGO local)",
        dt.date(2021, 1, 1),
        dt.date(2023, 3, 31),
        "QC",
        "provincial",
        "subnational",
    ),
    "ON-2017": (
        "Ontario Open Government Project Tracker (2017)",
        "Suivi des projets du gouvernement ouvert de l'Ontario (2017)",
        dt.date(2016, 10, 1),
        dt.date(2017, 12, 31),
        "ON",
        "provincial",
        "subnational",
    ),
}


def _commitment_plan(s: Session, src: ShippedSource, pid: str, url: str = "", total: int | None = None) -> None:
    plan = s.get(m.ActionPlan, pid)
    en, fr, start, end, jur, level, kind = COMMITMENT_PLANS[pid]
    if plan is None:
        plan = m.ActionPlan(id=pid)
        s.add(plan)
    plan.kind, plan.title_en, plan.title_fr = kind, en, fr_typography(fr)
    plan.period_start, plan.period_end, plan.jurisdiction, plan.level = start, end, jur, level
    plan.source_id, plan.source_url, plan.commitments_total = src.id, url or plan.source_url, total
    s.flush()


def _upsert_commitment(s: Session, src: ShippedSource, pid: str, code: str, **values: object) -> None:
    c = s.scalar(select(m.Commitment).where(m.Commitment.plan_id == pid, m.Commitment.code == code))
    if c is None:
        c = m.Commitment(plan_id=pid, code=code, title_en="", title_fr="")
        s.add(c)
    for k, v in values.items():
        setattr(c, k, v)
    c.source_id = src.id
    s.flush()


_AS_OF = re.compile(r"^(\d{4}-\d\d-\d\d)")


def _period_text(raw: str) -> str:
    """The period a status was reported for, as the source gives it: an ISO date, else the years in its
    brackets ("dashboard (2017-2018)" -> "2017-2018", "archived page (2017)" -> "2017"), else the text."""
    text = raw.strip()
    if m_ := _AS_OF.match(text):
        return m_.group(1)
    if m_ := re.search(r"\(((?:19|20)\d\d(?:-(?:19|20)\d\d)?)\)", text):
        return m_.group(1)
    return text


def load_nap2_nap3_status(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Commitment-level self-assessed statuses of the 2014-2016 and 2016-2018 plans (partial)."""
    totals = {"NAP2": 12}  # canada_ogp_action_plans_summary.csv: the 2014-2016 plan has 12 commitments
    for pid in sorted({r["plan"] for r in rows}):
        if pid not in COMMITMENT_PLANS:
            raise ShippedDataError(src.file, f"unknown plan {pid!r}")
        _commitment_plan(s, src, pid, total=totals.get(pid))
    for i, r in enumerate(rows, start=2):
        term = r["status_reported"].strip()
        try:
            status = canonical_status(term, scheme="plan_en")
        except KeyError as exc:
            raise ShippedDataError(src.file, str(exc), i) from exc
        as_of = _AS_OF.match(r["status_as_of"])
        _upsert_commitment(
            s,
            src,
            r["plan"],
            f"C{int(r['commitment_number']):02d}",
            title_en=r["commitment_title"],
            title_fr="",
            status=status,
            status_source_term=term,
            status_as_of=dt.date.fromisoformat(as_of.group(1)) if as_of else None,
            status_period=_period_text(r["status_as_of"]),
            source_url=r["source_url"],
            note=r["report"],
        )
    return len(rows)


def load_subnational_progress(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Québec's OGP Local plan (commitments, milestones done / total) and Ontario's tracker (self-reported)."""
    from metrics.deadlines import parse_date, parse_first

    plan_of = {"Québec": "QC-2021", "Ontario": "ON-2017"}
    seen: dict[str, int] = {}
    for i, r in enumerate(rows, start=2):
        pid = plan_of.get(r["jurisdiction"])
        if pid is None:
            raise ShippedDataError(src.file, f"unknown jurisdiction {r['jurisdiction']!r}", i)
        if pid not in seen:
            # Québec's OGP Local plan has five commitments, all in the file; Ontario's tracker lists more projects
            # than the excerpt holds (its total is not known)
            _commitment_plan(
                s, src, pid, url=r["source_url"] if pid == "ON-2017" else "", total=5 if pid == "QC-2021" else None
            )
            seen[pid] = 0
        seen[pid] += 1
        code = r["item_id"] if pid == "QC-2021" else f"ON{seen[pid]:02d}"
        term = r["status_reported"].strip()
        status = None
        if term and not term.startswith("("):  # "(level word not in stored text)": not reported
            try:
                status = canonical_status(term, scheme="plan_en")
            except KeyError as exc:
                raise ShippedDataError(src.file, str(exc), i) from exc
        done, total = (r["milestones_done"].strip(), r["milestones_total"].strip())
        due = r["expected_completion"].strip()
        _upsert_commitment(
            s,
            src,
            pid,
            code,
            title_en=r["item_title_en"],
            title_fr="",
            status=status,
            status_source_term=term if status else "",
            status_as_of=None,
            status_period=_period_text(r["status_date_or_period"]),
            milestones_done=int(done) if done else None,
            milestones_total=int(total) if total else None,
            lead=r["assessor"],
            deadline_text=due,
            deadline_date=parse_date(due) or parse_first(due).due,
            source_url=r["source_url"],
            note=r["note"],
        )
    return len(rows)


def load_irm_ratings(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """The IRM's independent ratings, tied to plan commitments by research/irm_commitment_crosswalk.csv."""
    from opengov.store.models_plans import IrmRating

    cross = {r["irm_id"]: r for r in _EXTRA_ROWS[IRM_CROSSWALK]}
    s.execute(delete(IrmRating).where(IrmRating.source_id == src.id))
    for i, r in enumerate(rows, start=2):
        x = cross.get(r["commitment_id"])
        if x is None:
            raise ShippedDataError(IRM_CROSSWALK, f"no row for {r['commitment_id']}", i)
        plan_id = x["plan_id"] if s.get(m.ActionPlan, x["plan_id"]) is not None else None
        cid = None
        if plan_id and x["commitment_code"]:
            cid = s.scalar(
                select(m.Commitment.id).where(
                    m.Commitment.plan_id == plan_id, m.Commitment.code == x["commitment_code"]
                )
            )
            if cid is None:
                raise ShippedDataError(IRM_CROSSWALK, f"unknown commitment {plan_id} {x['commitment_code']}", i)
        completion = r["completion_as_stored"].strip()
        s.add(
            IrmRating(
                irm_id=r["commitment_id"],
                member=r["member"],
                title=r["commitment_title"],
                action_plan=r["action_plan"],
                plan_id=plan_id,
                commitment_id=cid,
                reports=r["irm_report_listed"],
                early_results=r["early_results_did_it_open_government"].strip(),
                starred=r["starred"].strip(),
                verifiable=r["verifiable"].strip(),
                relevance=r["relevant_to_ogp_values"].strip(),
                ambition=r["ambition_or_potential_impact"].strip(),
                completion="" if completion.startswith("(") else completion,
                source_url=r["source_url"],
                note=r["note"],
                source_id=src.id,
            )
        )
    return len(rows)


IRM_CROSSWALK = "research/irm_commitment_crosswalk.csv"
#: The extra files of the load in progress (`ShippedSource.extra_files`), read and checked by `validate_all`.
_EXTRA_ROWS: dict[str, list[dict[str, str]]] = {}


CSIS_PLAN = "CSIS-PMOGO"


def load_csis(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    plan = s.get(m.ActionPlan, CSIS_PLAN)
    if plan is None:
        s.add(
            m.ActionPlan(
                id=CSIS_PLAN,
                kind="departmental",
                title_en="CSIS Open Government Implementation Plan (OGIP)",
                title_fr="Plan de mise en œuvre pour un gouvernement ouvert (PMOGO) du SCRS",
                period_start=dt.date(2014, 10, 9),
                period_end=dt.date(2020, 3, 31),
                status_as_of=dt.date(2018, 10, 22),
                source_id=src.id,
            )
        )
        s.flush()
    for i, r in enumerate(rows, start=2):
        try:
            status = canonical_status(r["status_fr"], scheme="plan_fr")
        except KeyError:
            raise ShippedDataError(src.file, f"unknown status {r['status_fr']!r}", i) from None
        code = r["row_id"]
        ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == CSIS_PLAN, m.Milestone.code == code))
        values = dict(
            reference=r["reference"],
            title_en=r["milestone_en"],
            title_fr=fr_typography(r["milestone_fr"]),
            year_index=_int(r, "plan_year_index", src.file, i),
            year_label_en=r["plan_year_label_en"],
            year_label_fr=r["plan_year_label_fr"],
            start_text=r["start_text_fr"],
            start_date=_date(r, "start_date", src.file, i, allow_empty=True),
            end_text=r["end_text_fr"],
            end_date=_date(r, "end_date", src.file, i, allow_empty=True),
            seed_line=_int(r, "seed_line", src.file, i),
        )
        if ms is None:
            ms = m.Milestone(
                plan_id=CSIS_PLAN,
                code=code,
                status=status,
                status_source_term=r["status_fr"],
                status_as_of=dt.date(2018, 10, 22),
                lead="SCRS / CSIS",
                **values,
            )
            s.add(ms)
            s.flush()
            s.add(
                m.StatusHistory(
                    entity="milestone",
                    entity_id=ms.id,
                    status=status,
                    as_of=dt.date(2018, 10, 22),
                    actor="seed",
                    source_id=src.id,
                    note=r["status_fr"],
                )
            )
        elif ms.version == 1:  # never overwrite an editor's change
            for k, v in values.items():
                setattr(ms, k, v)
    return len(rows)


def _bool(row: dict[str, str], col: str, file: str, line: int) -> bool:
    raw = row[col].lower()
    if raw not in ("true", "false"):
        raise ShippedDataError(file, f"column {col!r}: {row[col]!r} is not true/false", line)
    return raw == "true"


def load_meetings(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        if s.get(m.WgMeeting, r["meeting_id"]) is None:
            s.add(
                m.WgMeeting(
                    id=r["meeting_id"],
                    year=_int(r, "year", src.file, i),
                    month=_int(r, "month", src.file, i),
                    meeting_date=_date(r, "meeting_date", src.file, i, allow_empty=True),
                    held=_bool(r, "meeting_held", src.file, i),
                    no_meeting_reason_en=r["no_meeting_reason_en"],
                    no_meeting_reason_fr=r["no_meeting_reason_fr"],
                    source_id=src.id,
                )
            )
    return len(rows)


def load_activities(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        if r["kind"] not in ("presentation", "discussion", "other"):
            raise ShippedDataError(src.file, f"unknown kind {r['kind']!r}", i)
        if s.get(m.WgActivity, r["activity_id"]) is None:
            s.add(
                m.WgActivity(
                    id=r["activity_id"],
                    meeting_id=r["meeting_id"],
                    kind=r["kind"],
                    text_en=r["text_en"],
                    text_fr=r["text_fr"],
                    presenter_fr=r["presenter_fr"],
                    presenter_jurisdiction=r["presenter_jurisdiction"],
                )
            )
    return len(rows)


def load_agenda(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        if r["status"] not in ("done", "pending"):
            raise ShippedDataError(src.file, f"unknown status {r['status']!r}", i)
        if s.get(m.WgAgendaItem, r["item_id"]) is None:
            s.add(
                m.WgAgendaItem(
                    id=r["item_id"],
                    year=2022,
                    topic_en=r["topic_en"],
                    topic_fr=r["topic_fr"],
                    presenter_fr=r["presenter_fr"],
                    presenter_jurisdiction=r["presenter_jurisdiction"],
                    status=r["status"],
                    done_date=_date(r, "done_date", src.file, i, allow_empty=True),
                )
            )
    return len(rows)


def load_priorities(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        if s.get(m.WgPriority, r["priority_id"]) is None:
            s.add(
                m.WgPriority(
                    id=r["priority_id"],
                    year=_int(r, "year", src.file, i),
                    rank=_int(r, "rank", src.file, i),
                    kind=r["kind"],
                    text_en=r["priority_en"],
                    text_fr=r["priority_fr"],
                    status_text_en=r["status_text_en"],
                    status_text_fr=r["status_text_fr"],
                )
            )
    return len(rows)


def load_projects(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for r in rows:
        if s.get(m.WgProject, r["project_id"]) is None:
            s.add(
                m.WgProject(
                    id=r["project_id"],
                    title_en=r["title_en"],
                    title_fr=r["title_fr"],
                    rationale_en=r["rationale_en"],
                    rationale_fr=r["rationale_fr"],
                    activities_en=r["activities_en"],
                    activities_fr=r["activities_fr"],
                )
            )
    return len(rows)


def load_facts(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    for i, r in enumerate(rows, start=2):
        if r["qualifier"] not in ("exact", "more_than", "approx"):
            raise ShippedDataError(src.file, f"unknown qualifier {r['qualifier']!r}", i)
        raw_date = r["document_date"]
        doc_date = None
        if raw_date:
            parts = raw_date.split("-") + ["01", "01"]
            try:
                doc_date = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                raise ShippedDataError(src.file, f"bad document_date {raw_date!r}", i) from None
        fact = s.get(m.ImpactFact, r["fact_id"])
        values = dict(
            seed_file=r["seed_file"],
            document_en=r["document_en"],
            document_fr=r["document_fr"],
            document_date=doc_date,
            document_date_precision=r["document_date_precision"],
            subject_jurisdiction=r["subject_jurisdiction"],
            value=_float(r, "value", src.file, i, allow_empty=True),
            unit=r["unit"],
            qualifier=r["qualifier"],
            statement_en=r["statement_en"],
            statement_fr=r["statement_fr"],
            quote=r["quote"],
            seed_line=_int(r, "seed_line", src.file, i, allow_empty=True),
        )
        if fact is None:
            s.add(m.ImpactFact(id=r["fact_id"], **values))
        else:
            for k, v in values.items():
                setattr(fact, k, v)
    return len(rows)


def load_populations(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Census populations of Canada and the provinces and territories (per-capita figures)."""
    codes = {"CA", "NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU"}
    s.execute(delete(m.Population).where(m.Population.source_id == src.id))
    for i, r in enumerate(rows, start=2):
        if r["geo_code"] not in codes:
            raise ShippedDataError(src.file, f"unknown geo_code {r['geo_code']!r}", i)
        s.add(
            m.Population(
                geo_code=r["geo_code"],
                census_year=_int(r, "census_year", src.file, i),
                population=_int(r, "population", src.file, i),
                source_id=src.id,
            )
        )
    return len(rows)


#: Open Data Portal Watch's harvest of open.canada.ca (a series of its own: its counting method).
PORTALWATCH_LABEL = "open.canada.ca — Open Data Portal Watch"
PORTALWATCH_URL = "https://github.com/sebneu/portalwatch/blob/a514eba7bfb21c62ac75ad4745a28435475021d5/portal_selection/www_data_gc_ca_snapshots.csv"
#: The snapshot after which split geospatial records were removed (the 2017-18 consolidation).
CONSOLIDATION_SNAPSHOT = "1751"


def load_portalwatch(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Portal Watch's 14 weekly counts of open.canada.ca (2016-2018) as dated count points."""
    prev: float | None = None
    for i, r in enumerate(rows, start=2):
        try:
            monday = dt.date.fromisoformat(r["week_start_monday"])
        except ValueError as exc:
            raise ShippedDataError(src.file, f"week_start_monday {r['week_start_monday']!r} is not a date", i) from exc
        value = _float(r, "datasets", src.file, i)
        note = f"ISO week {r['iso_year']}-W{int(r['iso_week']):02d} (snapshot {r['snapshot']}; date of its Monday)"
        if r["snapshot"] == CONSOLIDATION_SNAPSHOT and prev is not None:
            note += (
                f"; down {prev - value:,.0f} from the previous snapshot: removal of split geospatial records "
                "(the 2017-18 consolidation of open.canada.ca)"
            )
        s.add(
            m.DatasetCountPoint(
                portal_label=PORTALWATCH_LABEL,
                portal_id=FED_PORTAL,
                level="federal",
                jurisdiction="Canada",
                as_of=monday,
                as_of_text=monday.isoformat(),
                date_precision="day",
                metric="datasets",
                value=value,
                qualifier="exact",
                note=note,
                source_url=PORTALWATCH_URL,
                source_type="independent harvest (Open Data Portal Watch)",
                trust="high",
                source_id=src.id,
            )
        )
        prev = value
    return len(rows)


# --------------------------------------------------------------------------- open.yukon.ca (Government of Yukon)
YT_PORTAL = "yt"  # registry id of open.yukon.ca
YT_DIR = "research/ytgov_ckan_open_government_portal_metrics"
YT_REPO = (
    "https://github.com/ytgov/ckan-open-government-portal-metrics/tree/172d17d2bed3109eabafe7ccd626e62407be349b/output"
)
YT_PUBLISHER = "Government of Yukon / Gouvernement du Yukon"
YT_LICENCE = "MIT (Copyright 2026 Government of Yukon)"
YT_AS_OF = "2026-06-11"  # date of the repository commit
#: CKAN package types of open.yukon.ca: only `data` packages are open-data datasets
YT_PACKAGE_TYPES = ("access-requests", "data", "information", "pia-summaries")
#: grain of the per-package figures of the last 90 days (CKAN's `visit_90_days` / `download_90_days`)
LAST_90_DAYS = "last_90_days"
#: first month of the portal's Matomo report: no per-package total can start earlier
YT_MATOMO_FIRST = dt.date(2021, 1, 1)


def yt_dataset_id(name: str) -> str:
    """The store's id of an open.yukon.ca package: its CKAN name prefixed with the portal, so that it can
    never collide with an open.canada.ca id (a UUID); a name too long for the 64-character id keeps its
    start and a hash of the whole name.

    >>> yt_dataset_id("hunting-permits")
    'yt:hunting-permits'
    >>> len(yt_dataset_id("x" * 97)), yt_dataset_id("x" * 97)[:12]
    (64, 'yt:xxxxxxxxx')
    """
    full = f"{YT_PORTAL}:{name}"
    if len(full) <= 64:
        return full
    return full[:51] + "~" + hashlib.sha256(name.encode()).hexdigest()[:12]


def _yt_type(row: dict[str, str], file: str, line: int) -> str:
    kind = row["type"]
    if kind not in YT_PACKAGE_TYPES:
        raise ShippedDataError(file, f"unknown package type {kind!r}", line)
    return kind


def load_yt_monthly(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Matomo's monthly visits, pageviews and actions of open.yukon.ca (one row per month)."""
    out = []
    for i, r in enumerate(rows, start=2):
        if r["label"] != "open.yukon.ca":
            raise ShippedDataError(src.file, f"site {r['label']!r} is not open.yukon.ca", i)
        m_ = re.fullmatch(r"(\d{4})-(\d{2})", r["month"])
        if not m_ or not 1 <= int(m_.group(2)) <= 12:
            raise ShippedDataError(src.file, f"column 'month': {r['month']!r} is not YYYY-MM", i)
        y, mo = int(m_.group(1)), int(m_.group(2))
        for metric in ("visits", "pageviews", "actions"):
            out.append(
                _usage(
                    src,
                    portal_id=YT_PORTAL,
                    metric=metric,
                    grain="month",
                    period_start=month_start(y, mo),
                    period_end=month_end(y, mo),
                    value=_int(r, metric, src.file, i),
                )
            )
    s.add_all(out)
    return len(rows)


def load_yt_packages(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Per-package visits and downloads as CKAN reports them (the portal's Matomo sync): the longer
    window (`grain = cumulative`) and the last 90 days (`grain = last_90_days`), as of the repository
    date; the package's title goes to `datasets` under a portal-prefixed id."""
    as_of = dt.date.fromisoformat(src.as_of)
    start_90 = as_of - dt.timedelta(days=90)
    seen: set[str] = set()
    out = []
    for i, r in enumerate(rows, start=2):
        kind = _yt_type(r, src.file, i)
        ds_id = yt_dataset_id(r["name"])
        if not r["name"] or ds_id in seen:
            raise ShippedDataError(src.file, f"package name {r['name']!r} is empty or repeated", i)
        seen.add(ds_id)
        _date(r, "metadata_created", src.file, i)
        _upsert_dataset(s, ds_id, r["title"], "", r["organization_name"], r["organization_name"])
        note = f"type={kind};name={r['name']}"
        for metric, total_col, recent_col in (
            ("visits", "visits", "visit_90_days"),
            ("downloads", "downloads", "download_90_days"),
        ):
            for grain, col, start in (("cumulative", total_col, YT_MATOMO_FIRST), (LAST_90_DAYS, recent_col, start_90)):
                out.append(
                    _usage(
                        src,
                        portal_id=YT_PORTAL,
                        metric=metric,
                        grain=grain,
                        period_start=start,
                        period_end=as_of,
                        dimension="dataset",
                        dimension_key=ds_id,
                        value=_int(r, col, src.file, i),
                        note=note,
                    )
                )
    s.add_all(out)
    return len(rows)


def _yt_totals(rows: list[dict[str, str]], keys: tuple[str, ...], file: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """(packages, resources) summed by `keys` over a Yukon summary file."""
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    for i, r in enumerate(rows, start=2):
        k = tuple(r[c] for c in keys)
        p, res = out.get(k, (0, 0))
        out[k] = (p + (_int(r, "packages", file, i) or 0), res + (_int(r, "resources", file, i) or 0))
    return out


def _yt_check(extra: str, keys: tuple[str, ...], expected: dict[tuple[str, ...], tuple[int, int]]) -> None:
    """An extra file's totals by `keys` must be the main file's (they are views of one CKAN listing)."""
    got = _yt_totals(_EXTRA_ROWS[extra], keys, extra)
    if got != expected:
        diff = sorted(set(got.items()) ^ set(expected.items()))[:3]
        raise ShippedDataError(extra, f"does not add up to the package counts of the same listing: {diff}")


YT_BY_ORG = f"{YT_DIR}/packages_by_type_by_org.csv"
YT_BY_YEAR_BY_ORG = f"{YT_DIR}/packages_by_type_by_year_by_org.csv"
YT_DATA_BY_YEAR = f"{YT_DIR}/open_data_datasets_by_year.csv"
YT_INFO_BY_YEAR = f"{YT_DIR}/open_information_publications_by_year.csv"


def load_yt_by_type(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Packages (and their resources) by CKAN type on the repository date: metric `packages`, grain
    `snapshot`, dimension `type` (only `data` packages are open-data datasets). The file by
    organization must add up to it."""
    as_of = dt.date.fromisoformat(src.as_of)
    for i, r in enumerate(rows, start=2):
        kind = _yt_type(r, src.file, i)
        s.add(
            _usage(
                src,
                portal_id=YT_PORTAL,
                metric="packages",
                grain="snapshot",
                period_start=as_of,
                period_end=as_of,
                dimension="type",
                dimension_key=kind,
                value=_int(r, "packages", src.file, i),
                note=f"resources={_int(r, 'resources', src.file, i)}",
            )
        )
    _yt_check(YT_BY_ORG, ("type",), _yt_totals(rows, ("type",), src.file))
    return len(rows)


def load_yt_by_year(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Packages created each year by CKAN type (year of `metadata_created`): metric `packages_created`,
    grain `year`, dimension `type`; the current year runs to the repository date. The open-data and
    open-information files by year and the file by organization and year must agree with it."""
    as_of = dt.date.fromisoformat(src.as_of)
    for i, r in enumerate(rows, start=2):
        kind = _yt_type(r, src.file, i)
        year = _int(r, "year_created", src.file, i)
        if not 2000 <= year <= as_of.year:
            raise ShippedDataError(src.file, f"year {year} is outside 2000-{as_of.year}", i)
        s.add(
            _usage(
                src,
                portal_id=YT_PORTAL,
                metric="packages_created",
                grain="year",
                period_start=dt.date(year, 1, 1),
                period_end=min(dt.date(year, 12, 31), as_of),
                dimension="type",
                dimension_key=kind,
                value=_int(r, "packages", src.file, i),
                note=f"resources={_int(r, 'resources', src.file, i)}",
            )
        )
    by_year = _yt_totals(rows, ("type", "year_created"), src.file)
    _yt_check(YT_BY_YEAR_BY_ORG, ("type", "year_created"), by_year)
    for extra, kind in ((YT_DATA_BY_YEAR, "data"), (YT_INFO_BY_YEAR, "information")):
        _yt_check(extra, ("year_created",), {(y,): v for (k, y), v in by_year.items() if k == kind})
    return len(rows)


def load_nothing(s: Session, src: ShippedSource, rows: list[dict[str, str]]) -> int:
    """Files used directly by code (GeoJSON, layouts, schema): registered for provenance only."""
    return len(rows)


SEED_PUB_FED = "Government of Canada / Gouvernement du Canada"
#: Publisher and licence texts are "English / French" pairs; the pages show the UI language's half
#: (opengov.i18n.pick_bilingual).
GC_PUBLICATION = "Government of Canada publication / Publication du gouvernement du Canada"
PUBLIC_DOCUMENTS = "Public documents (see data/PROVENANCE.md) / Documents publics (voir data/PROVENANCE.md)"
SEEDS = (
    "data/seeds/documents/ (the source documents, kept in the repository; see data/PROVENANCE.md)"
    " / data/seeds/documents/ (les documents sources, conservés dans le dépôt; voir data/PROVENANCE.md)"
)

SHIPPED: tuple[ShippedSource, ...] = (
    ShippedSource(
        "portals",
        "portals.csv",
        "Registry of Canadian data portals (2026 registry merged with the 2020 list)",
        "Registre des portails de données canadiens (registre de 2026 fusionné avec la liste de 2020)",
        "Common Data Index / Dateno dataportals-registry (CC BY 4.0); jpmckinney/open_data_canada (MIT)",
        "https://github.com/commondataio/dataportals-registry",
        "CC BY 4.0 (2026 registry); MIT (2020 list)",
        "2026-08-22",
        "static",
        load_portals,
        ("id", "name_en", "name_fr", "level", "pt_code", "platform", "api_base_url", "homepage", "catalog_type"),
        extra_files=(
            "research/cdi_dataportals_registry_canada_2026-08-22.csv",
            "research/canada_open_data_catalogs_list_2020.csv",
        ),
    ),
    ShippedSource(
        "census2021_population",
        "research/statcan_census2021_population_pt.csv",
        "Population, 2021 Census: Canada, provinces and territories",
        "Population, Recensement de 2021 : Canada, provinces et territoires",
        "Statistics Canada / Statistique Canada",
        "https://www150.statcan.gc.ca/t1/tbl1/en/tv.action?pid=9810000101",
        "Statistics Canada Open Licence",
        "2022-02-09",
        "static",
        load_populations,
        ("geo_code", "census_year", "population"),
    ),
    ShippedSource(
        "portalwatch_open_canada",
        "research/www_data_gc_ca_snapshots_decoded.csv",
        "open.canada.ca dataset counts 2016-2018 (Open Data Portal Watch)",
        "Nombre de jeux de données d'ouvert.canada.ca, 2016-2018 (Open Data Portal Watch)",
        "Open Data Portal Watch (WU Vienna), github:sebneu/portalwatch",
        "https://github.com/sebneu/portalwatch",
        "GPL-3.0 (repository)",
        "2018-09-24",
        "static",
        load_portalwatch,
        ("snapshot", "iso_year", "iso_week", "week_start_monday", "datasets"),
        extra_files=("research/www_data_gc_ca_snapshots.csv",),
    ),
    ShippedSource(
        "open_canada_facts_pre2022",
        "research/open_canada_usage_facts_pre2022.csv",
        "Cited usage facts of open.canada.ca before 2022",
        "Faits d'utilisation cités d'ouvert.canada.ca avant 2022",
        TBS,
        "https://open.canada.ca/en/blog/open-data-canada-look-numbers",
        OGL,
        "2019-03-01",
        "static",
        load_nothing,
        ("metric", "period", "value", "qualifier", "source_url"),
    ),
    ShippedSource(
        "nap_status_codes",
        "research/nap_canada_tracker_status_codes.csv",
        "NAP tracker status codes",
        "Codes d'état du suivi des PAN",
        TBS,
        "github:open-data/ckanext-canada",
        "MIT",
        "2026-08-21",
        "static",
        load_status_codes,
        ("plan", "status_code", "label_en", "label_fr"),
    ),
    ShippedSource(
        "ogp_monthly_usage_2022_2023",
        "research/ogp_monthly_visits_downloads_2022-07_2023-06.csv",
        "open.canada.ca monthly visits and downloads",
        "Visites et téléchargements mensuels d'ouvert.canada.ca",
        TBS,
        ANALYTICS_URL,
        OGL,
        "2023-06-30",
        "monthly",
        load_monthly_usage,
        ("year", "month", "visits", "downloads"),
    ),
    ShippedSource(
        "ogp_top25_2023_06",
        "research/ogp_top25_downloaded_datasets_2023-06.csv",
        "Top 25 downloaded datasets, June 2023",
        "25 jeux de données les plus téléchargés, juin 2023",
        TBS,
        ANALYTICS_URL,
        OGL,
        "2023-06-30",
        "monthly",
        load_top25,
        ("rank", "year", "month", "dataset_id", "title_en", "title_fr", "department_en", "department_fr", "downloads"),
    ),
    ShippedSource(
        "ogp_departments_2023_06",
        "research/ogp_datasets_by_department_2023-06-30.csv",
        "Datasets by department on open.canada.ca",
        "Jeux de données par ministère sur ouvert.canada.ca",
        TBS,
        ANALYTICS_URL,
        OGL,
        "2023-06-30",
        "monthly",
        load_departments,
        ("snapshot_date", "organization_name", "department_en", "department_fr", "datasets"),
    ),
    ShippedSource(
        "ogp_released_2022_2023",
        "research/ogp_datasets_released_by_month_by_department_2022-07_2023-06.csv",
        "Net new datasets by month and department",
        "Nouveaux jeux de données nets par mois et par ministère",
        TBS,
        ANALYTICS_URL,
        OGL,
        "2023-06-30",
        "monthly",
        load_released,
        ("organization_name", "department_en", "period", "net_new_datasets"),
    ),
    ShippedSource(
        "ogp_regions_2023",
        "research/ogp_site_visits_by_province_territory_cumulative_to_2023-06-30.csv",
        "Visits by province and territory (cumulative)",
        "Visites par province et territoire (cumulatif)",
        TBS,
        ANALYTICS_URL,
        OGL,
        "2023-06-30",
        "monthly",
        load_regions,
        ("region_en", "region_fr", "visits"),
    ),
    ShippedSource(
        "ogp_countries_2023",
        "research/ogp_site_visits_by_country_cumulative_to_2023-06-30.csv",
        "Visits by country (cumulative)",
        "Visites par pays (cumulatif)",
        TBS,
        ANALYTICS_URL,
        OGL,
        "2023-06-30",
        "monthly",
        load_countries,
        ("country", "visits"),
    ),
    ShippedSource(
        "ogp_downloads_by_jurisdiction",
        "research/ogp_downloads_by_jurisdiction_monthly_2024-03_2026-07.csv",
        "Downloads by jurisdiction, monthly",
        "Téléchargements par ordre de gouvernement, mensuel",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-21",
        "monthly",
        load_by_jurisdiction("downloads", "downloads"),
        ("year", "month", "jurisdiction", "downloads"),
    ),
    ShippedSource(
        "ogp_visits_by_jurisdiction",
        "research/ogp_visits_by_jurisdiction_monthly_2024-03_2026-07.csv",
        "Dataset-page visits by jurisdiction, monthly",
        "Visites des pages de jeux de données par ordre de gouvernement, mensuel",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-21",
        "monthly",
        load_by_jurisdiction("dataset_page_visits", "visits"),
        ("year", "month", "jurisdiction", "visits"),
    ),
    ShippedSource(
        "ogp_openmaps_by_jurisdiction",
        "research/ogp_openmaps_views_by_jurisdiction_monthly_2022-01_2026-07.csv",
        "Open Maps views by jurisdiction, monthly",
        "Consultations de Cartes ouvertes par ordre de gouvernement, mensuel",
        TBS,
        CORP_REPO,
        OGL,
        "2026-07-31",
        "monthly",
        load_by_jurisdiction("open_maps_views", "open_maps_views"),
        ("year", "month", "jurisdiction", "open_maps_views"),
    ),
    ShippedSource(
        "ogp_corporate_daily",
        "research/ogp_corporate_report_fiscal_ytd_daily_2023-07_2026-08.csv",
        "Corporate report: fiscal-year-to-date KPIs, daily",
        "Rapport organisationnel : indicateurs de l'exercice à ce jour, quotidien",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-22",
        "daily",
        load_corporate_daily,
        ("Date", "From", "Totals downloads", "Total visits"),
    ),
    ShippedSource(
        "ogp_fiscal_totals",
        "research/ogp_fiscal_year_totals_from_corporate_report.csv",
        "Fiscal-year totals (downloads, visits, datasets created)",
        "Totaux par exercice (téléchargements, visites, jeux créés)",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-22",
        "daily",
        load_fiscal_totals,
        ("fiscal_year_start", "as_of_date", "is_full_fiscal_year", "downloads_fytd", "visits_fytd"),
    ),
    ShippedSource(
        "ogp_daily_download_events",
        "research/ogp_daily_download_events_2025-12_2026-08.csv",
        "Daily download events",
        "Événements de téléchargement quotidiens",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-22",
        "daily",
        load_daily_events,
        ("date", "download_events"),
    ),
    ShippedSource(
        "ogp_top50_events",
        "research/ogp_top50_datasets_by_download_events_monthly_2025-12_2026-08.csv",
        "Top 50 datasets by download events, monthly",
        "50 principaux jeux de données par événements de téléchargement, mensuel",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-22",
        "monthly",
        load_top50_events,
        ("year", "month", "rank", "dataset_id", "download_events", "days_covered_in_month"),
    ),
    ShippedSource(
        "ogp_packages_daily",
        "research/ogp_packages_by_jurisdiction_daily_2026-06_2026-08.csv",
        "open.canada.ca catalogue size by jurisdiction, daily",
        "Taille du catalogue d'ouvert.canada.ca par ordre de gouvernement, quotidien",
        TBS,
        "https://open.canada.ca/static/od-do-canada.jsonl.gz",
        OGL,
        "2026-08-22",
        "daily",
        load_packages_daily,
        (
            "as_of_date",
            "packages_total",
            "packages_federal",
            "packages_provincial",
            "packages_municipal",
            "packages_user",
        ),
    ),
    ShippedSource(
        "ogp_municipal_freshness",
        "research/ogp_catalog_municipal_packages_freshness_2026-08-22.csv",
        "Municipal records on open.canada.ca with freshness",
        "Fiches municipales d'ouvert.canada.ca et leur fraîcheur",
        TBS,
        CORP_REPO,
        OGL,
        "2026-08-22",
        "daily",
        load_nothing,
        ("package_id", "frequency", "freshness_status"),
    ),
    ShippedSource(
        "counts_timeline",
        "research/canada_portal_dataset_counts_timeline.csv",
        "Historical dataset counts of Canadian portals",
        "Nombre historique de jeux de données des portails canadiens",
        "Various (per row) / Divers (par ligne)",
        "",
        "Per row / Par ligne",
        "2026-08-22",
        "static",
        load_counts_timeline,
        ("portal", "jurisdiction_level", "as_of_date", "metric", "value", "value_qualifier"),
    ),
    ShippedSource(
        "nap_tracker_lists",
        "research/nap_canada_commitments_milestones_indicators_nap4_nap5_nap6.csv",
        "National Action Plans 2018-2020, 2022-2024, 2025-2029",
        "Plans d'action nationaux 2018-2020, 2022-2024, 2025-2029",
        TBS,
        "github:open-data/ckanext-canada",
        "MIT",
        "2026-08-21",
        "yearly",
        load_nap,
        ("plan", "commitment_code", "milestone_code", "indicator_code", "indicator_en", "indicator_fr"),
    ),
    ShippedSource(
        "nap_status_observations",
        "research/nap_tracker_status_observations_nap4_nap5.csv",
        "National Action Plan tracker: status by indicator and reporting period (partial)",
        "Suivi des plans d'action nationaux : état par indicateur et période de rapport (partiel)",
        TBS,
        "https://search.open.canada.ca/en/nap/",
        OGL,
        "2026-12-01",
        "static",
        load_nap_observations,
        ("plan", "milestone_code", "indicator_code", "reporting_period", "status_code", "source_url"),
    ),
    ShippedSource(
        "nap2_nap3_status",
        "research/canada_nap2_nap3_commitment_status.csv",
        "Self-assessments of the 2014-2016 and 2016-2018 plans: status by commitment (partial)",
        "Autoévaluations des plans 2014-2016 et 2016-2018 : état par engagement (partiel)",
        TBS,
        "https://open.canada.ca/en/commitment/sar/2014-2016",
        OGL,
        "2026-12-01",
        "static",
        load_nap2_nap3_status,
        ("plan", "commitment_number", "commitment_title", "status_reported", "status_as_of", "source_url"),
    ),
    ShippedSource(
        "subnational_progress",
        "research/subnational_action_plan_progress_ontario_quebec.csv",
        "Québec's 2021-2023 OGP Local plan and Ontario's open government tracker",
        "Plan PGO local 2021-2023 du Québec et suivi du gouvernement ouvert de l'Ontario",
        "Open Government Partnership; Government of Ontario / Partenariat pour un gouvernement ouvert; "
        "gouvernement de l'Ontario",
        "https://www.opengovpartnership.org/members/quebec-canada/",
        "Public pages (see data/PROVENANCE.md) / Pages publiques (voir data/PROVENANCE.md)",
        "2026-12-01",
        "static",
        load_subnational_progress,
        ("jurisdiction", "item_id", "item_title_en", "status_reported", "milestones_total", "milestones_done"),
    ),
    ShippedSource(
        "irm_ratings",
        "research/ogp_irm_commitment_ratings_canada_federal_and_ontario.csv",
        "Independent Reporting Mechanism (IRM): ratings of Canada's and Ontario's commitments",
        "Mécanisme d'évaluation indépendant (MEI) : évaluations des engagements du Canada et de l'Ontario",
        "Open Government Partnership / Partenariat pour un gouvernement ouvert",
        "https://www.opengovpartnership.org/members/canada/commitments/",
        "CC BY 4.0",
        "2026-12-01",
        "static",
        load_irm_ratings,
        ("member", "commitment_id", "commitment_title", "early_results_did_it_open_government", "source_url"),
        (IRM_CROSSWALK,),
    ),
    ShippedSource(
        "nap_tracker_layout",
        "research/nap_canada_tracker_layout.csv",
        "National Action Plan tracker: layout and reporting periods",
        "Suivi des plans d'action nationaux : structure et périodes de rapport",
        TBS,
        "github:open-data/ckanext-canada",
        "MIT",
        "2026-08-21",
        "static",
        load_nothing,  # read by the tracker import (opengov.features.plans.imports.tracker_vocabulary)
        ("plan", "reporting_period_choices", "columns", "primary_key"),
    ),
    ShippedSource(
        "ogp_plans_summary",
        "research/canada_ogp_action_plans_summary.csv",
        "Canada's OGP action plans: counts",
        "Plans d'action du Canada au PGO : nombres",
        "Open Government Partnership; Treasury Board of Canada Secretariat / "
        "Partenariat pour un gouvernement ouvert; Secrétariat du Conseil du Trésor du Canada",
        "",
        "See file / Voir le fichier",
        "2026-08-21",
        "static",
        load_nothing,
        ("plan_number", "plan_period", "commitments"),
    ),
    ShippedSource(
        "yt_matomo_monthly",
        f"{YT_DIR}/matomo_visits_and_pageviews_open_government_portal.csv",
        "open.yukon.ca monthly visits, pageviews and actions (Matomo)",
        "Visites, pages vues et actions mensuelles d'open.yukon.ca (Matomo)",
        YT_PUBLISHER,
        YT_REPO,
        YT_LICENCE,
        YT_AS_OF,
        "monthly",
        load_yt_monthly,
        ("month", "label", "visits", "pageviews", "actions"),
    ),
    ShippedSource(
        "yt_packages_usage",
        f"{YT_DIR}/packages_by_visits_and_downloads.csv",
        "open.yukon.ca visits and downloads by record (Matomo, through CKAN)",
        "Visites et téléchargements par fiche d'open.yukon.ca (Matomo, par CKAN)",
        YT_PUBLISHER,
        YT_REPO,
        YT_LICENCE,
        YT_AS_OF,
        "static",
        load_yt_packages,
        ("name", "title", "visits", "visit_90_days", "downloads", "download_90_days", "type", "metadata_created"),
    ),
    ShippedSource(
        "yt_packages_by_type",
        f"{YT_DIR}/packages_by_type.csv",
        "open.yukon.ca records by type (CKAN catalogue)",
        "Fiches d'open.yukon.ca par type (catalogue CKAN)",
        YT_PUBLISHER,
        YT_REPO,
        YT_LICENCE,
        YT_AS_OF,
        "static",
        load_yt_by_type,
        ("type", "packages", "resources"),
        (YT_BY_ORG,),
    ),
    ShippedSource(
        "yt_packages_by_year",
        f"{YT_DIR}/packages_by_type_by_year.csv",
        "open.yukon.ca records created by year and type (CKAN catalogue)",
        "Fiches d'open.yukon.ca créées par année et par type (catalogue CKAN)",
        YT_PUBLISHER,
        YT_REPO,
        YT_LICENCE,
        YT_AS_OF,
        "static",
        load_yt_by_year,
        ("type", "year_created", "packages", "resources"),
        (YT_BY_YEAR_BY_ORG, YT_DATA_BY_YEAR, YT_INFO_BY_YEAR),
    ),
    ShippedSource(
        "seed_csis",
        "seeds/csis_milestones.csv",
        "CSIS Open Government Implementation Plan, section 7",
        "PMOGO du SCRS, section 7 (Tableau de planification)",
        "Canadian Security Intelligence Service / Service canadien du renseignement de sécurité",
        SEEDS,
        GC_PUBLICATION,
        "2018-10-22",
        "static",
        load_csis,
        (
            "row_id",
            "plan_year_index",
            "reference",
            "milestone_fr",
            "milestone_en",
            "start_text_fr",
            "start_date",
            "end_text_fr",
            "end_date",
            "status_fr",
            "seed_line",
        ),
    ),
    ShippedSource(
        "seed_wg_meetings",
        "seeds/cogwg_meetings.csv",
        "Working group meetings 2021-2022 (annexes A and B)",
        "Réunions du GTGOC 2021-2022 (annexes A et B)",
        SEED_PUB_FED,
        SEEDS,
        GC_PUBLICATION,
        "2022-07-31",
        "yearly",
        load_meetings,
        ("meeting_id", "year", "month", "meeting_date", "meeting_held"),
    ),
    ShippedSource(
        "seed_wg_activities",
        "seeds/cogwg_activities.csv",
        "Working group meeting activities 2021-2022",
        "Activités des réunions du GTGOC 2021-2022",
        SEED_PUB_FED,
        SEEDS,
        GC_PUBLICATION,
        "2022-07-31",
        "yearly",
        load_activities,
        ("activity_id", "meeting_id", "kind", "text_fr", "text_en"),
    ),
    ShippedSource(
        "seed_wg_agenda",
        "seeds/cogwg_agenda_2022.csv",
        "Working group 2022 forward agenda",
        "Ordre du jour des prochaines réunions du GTGOC 2022",
        SEED_PUB_FED,
        SEEDS,
        GC_PUBLICATION,
        "2022-07-31",
        "yearly",
        load_agenda,
        ("item_id", "topic_fr", "topic_en", "status", "done_date"),
    ),
    ShippedSource(
        "seed_wg_priorities",
        "seeds/cogwg_priorities.csv",
        "Working group priorities",
        "Priorités du GTGOC",
        SEED_PUB_FED,
        SEEDS,
        GC_PUBLICATION,
        "2022-07-31",
        "yearly",
        load_priorities,
        ("priority_id", "year", "rank", "priority_fr", "priority_en", "kind"),
    ),
    ShippedSource(
        "seed_wg_projects",
        "seeds/cogwg_projects.csv",
        "Working group proposed projects (annex C)",
        "Projets proposés par le GTGOC (annexe C)",
        SEED_PUB_FED,
        SEEDS,
        GC_PUBLICATION,
        "2022-07-31",
        "yearly",
        load_projects,
        ("project_id", "title_fr", "title_en"),
    ),
    ShippedSource(
        "seed_impact_facts",
        "seeds/impact_facts.csv",
        "Impact facts cited from the source documents",
        "Faits d'impact cités des documents sources",
        "Government of Canada; Government of Quebec; Open Government Partnership / "
        "Gouvernement du Canada; Gouvernement du Québec; Partenariat pour un gouvernement ouvert",
        SEEDS,
        PUBLIC_DOCUMENTS,
        "2023-01-01",
        "static",
        load_facts,
        ("fact_id", "seed_file", "value", "unit", "qualifier", "statement_fr", "statement_en", "quote"),
    ),
)

GEOJSON = "research/canada_provinces_territories_statcan2011_simplified.geojson"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def validate_all(data_dir: Path | None = None) -> dict[str, list[dict[str, str]]]:
    """Read and check every shipped file; raise ShippedDataError on the first problem."""
    base = data_dir or config.data_dir()
    out = {}
    for src in SHIPPED:
        rows = read_csv_rows(base / src.file, src.required, name=src.file)
        if not rows:
            raise ShippedDataError(src.file, "file has no data rows", code="no_rows")
        out[src.id] = rows
        for extra in src.extra_files:
            _EXTRA_ROWS[extra] = read_csv_rows(base / extra, (), name=extra)
    geo = base / GEOJSON
    if not geo.is_file():
        raise ShippedDataError(GEOJSON, "file is missing", code="missing")
    return out


def _clear_source(s: Session, src_id: str) -> None:
    """Remove rows a previous version of a statistics file loaded (entities are upserted instead)."""
    s.execute(delete(m.UsageStat).where(m.UsageStat.source_id == src_id))
    snap_ids = select(m.PortalSnapshot.id).where(m.PortalSnapshot.origin == src_id)
    s.execute(delete(m.SnapshotFacet).where(m.SnapshotFacet.snapshot_id.in_(snap_ids)))
    s.execute(delete(m.PortalSnapshot).where(m.PortalSnapshot.origin == src_id))
    s.execute(delete(m.DatasetCountPoint).where(m.DatasetCountPoint.source_id == src_id))
    from opengov.store.models_plans import PlanProgressReport

    s.execute(delete(PlanProgressReport).where(PlanProgressReport.source_id == src_id))


def _upsert_dataset(
    s: Session, ds_id: str, title_en: str = "", title_fr: str = "", org_en: str = "", org_fr: str = ""
) -> None:
    ds = s.get(m.Dataset, ds_id)
    if ds is None:
        s.add(
            m.Dataset(
                id=ds_id,
                title_en=title_en,
                title_fr=fr_typography(title_fr),
                organization_en=org_en,
                organization_fr=fr_typography(org_fr),
            )
        )
        s.flush()
    elif title_en and not ds.title_en:
        ds.title_en, ds.title_fr, ds.organization_en, ds.organization_fr = (
            title_en,
            fr_typography(title_fr),
            org_en,
            fr_typography(org_fr),
        )


def _describe(row: m.Source, src: ShippedSource) -> None:
    """The titles, publisher and origin of a source row, as `SHIPPED` describes them."""
    row.title_en, row.title_fr, row.publisher, row.url = (
        src.title_en,
        fr_typography(src.title_fr),
        src.publisher,
        src.url,
    )


def load_shipped(s: Session, data_dir: Path | None = None) -> dict[str, int]:
    """Load every shipped file whose hash changed. Returns {source id: rows loaded} for those loaded."""
    base = data_dir or config.data_dir()
    all_rows = validate_all(base)
    seed_status_terms(s)
    loaded: dict[str, int] = {}
    for src in SHIPPED:
        path = base / src.file
        digest = file_sha256(path)
        if src.extra_files:
            digest = hashlib.sha256(
                "".join([digest, *(file_sha256(base / f) for f in src.extra_files)]).encode()
            ).hexdigest()
        row = s.get(m.Source, src.id)
        if row is not None and row.sha256 == digest:
            # the file is loaded: only its description may have changed (a title's wording); an
            # unchanged description writes nothing
            _describe(row, src)
            continue
        if row is None:
            row = m.Source(id=src.id, kind="seed" if src.file.startswith("seeds/") else "shipped_file")
            s.add(row)
        _describe(row, src)
        row.licence, row.as_of, row.cadence, row.file_name = (
            src.licence,
            dt.date.fromisoformat(src.as_of),
            src.cadence,
            src.file,
        )
        s.flush()
        _clear_source(s, src.id)
        n = src.loader(s, src, all_rows[src.id])
        row.sha256, row.rows_loaded, row.loaded_at = digest, n, m.utcnow()
        loaded[src.id] = n
    if loaded:
        from opengov.ingest.usage_keys import settle

        s.flush()
        settle(s)  # one current value per usage figure, whatever the files that changed
    return loaded
