"""``refresh``, ``import portals``, ``import analytics`` and ``export table`` sub-commands.

* ``python -m opengov refresh [--portal ID ...] [--workers N] [--no-analytics]`` - fetch the live
  portals (see :mod:`opengov.ingest.refresh`). Progress on stderr (one line per portal when stderr is not a
  terminal, so cron logs stay readable), a summary table on stdout. Exit codes: 0 every attempted
  fetch succeeded, 1 bad input (unknown portal id), 2 some failed, 3 all failed, 4 store unreachable.
* ``python -m opengov import portals FILE`` - load or update the portal registry from a CSV
  (columns below). Every row is validated first; any error → nothing written, exit 1, one line per
  problem naming the line and the reason.
* ``python -m opengov import analytics FILE [--as-of YYYY-MM-DD]`` - one CSV of the official Open
  Government Analytics dataset, old or new bilingual headers; rows go to ``usage_stats`` under source
  ``import:<layout>`` (replacing that source's previous rows), all-or-nothing.
* ``python -m opengov export table NAME --out FILE.csv|FILE.xlsx`` - a store table, formula-safe
  (:mod:`opengov.exports`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from opengov.sources.build_registry import KNOWN_PLATFORMS as _REGISTRY_PLATFORMS
from opengov.store.db import StoreError

PORTAL_REQUIRED: tuple[str, ...] = (
    "id",
    "name_en",
    "name_fr",
    "level",
    "pt_code",
    "platform",
    "api_base_url",
    "homepage",
)
PORTAL_OPTIONAL: tuple[str, ...] = ("sgc_code", "geo_type", "population_2011", "license_url", "ckan_organization")
LEVELS: tuple[str, ...] = ("federal", "provincial", "territorial", "regional", "municipal", "other")
PROVINCES: tuple[str, ...] = ("NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC")
TERRITORIES: tuple[str, ...] = ("YT", "NT", "NU")
#: Platforms the registry may name: the supported ones are refreshed, the others are listed only.
KNOWN_PLATFORMS: tuple[str, ...] = tuple(
    dict.fromkeys([*_REGISTRY_PLATFORMS.values(), "arcgis_hub", "custom", "voyager", "ogdi_datalab", "other"])
)
EXPORT_TABLES: dict[str, str] = {
    "portals": "Portal",
    "snapshots": "PortalSnapshot",
    "usage": "UsageStat",
    "milestones": "Milestone",
    "meetings": "WgMeeting",
    "audit": "AuditLog",
    "refresh_runs": "RefreshRun",
    "refresh_attempts": "RefreshAttempt",
    "status_observations": "",  # derived: opengov.features.plans.queries.status_observations_table
}
MAX_ERRORS_SHOWN = 50


class InputFileError(Exception):
    """A user-supplied file is unusable; ``problems`` = [(line or None, reason), ...]."""

    def __init__(self, file: str, problems: list[tuple[int | None, str]]) -> None:
        super().__init__(f"{file}: {len(problems)} problem(s)")
        self.file = file
        self.problems = problems

    def lines(self) -> list[str]:
        out = [
            f"{self.file}, line {ln}: {reason}" if ln else f"{self.file}: {reason}"
            for ln, reason in self.problems[:MAX_ERRORS_SHOWN]
        ]
        if len(self.problems) > MAX_ERRORS_SHOWN:
            out.append(f"... and {len(self.problems) - MAX_ERRORS_SHOWN} more problem(s)")
        return out


def _report(exc: InputFileError, what: str) -> int:
    print(f"error: {what} not imported, nothing was written:", file=sys.stderr)
    for line in exc.lines():
        print(f"  {line}", file=sys.stderr)
    return 1


def _store() -> str:
    """Create/migrate the store (idempotent) so a first cron run on an empty database works.

    Returns the store URL, resolved now from OPENGOV_DATABASE_URL and passed explicitly everywhere
    (``get_engine(None)`` would reuse whatever URL the process resolved first).
    """
    from opengov import config
    from opengov.ingest.init import ensure_store

    url = config.database_url()
    ensure_store(url)
    return url


def _db_errors(func: Any) -> Any:
    """Turn database exceptions into the CLI's StoreError hint (exit 4)."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except SQLAlchemyError as exc:
            raise StoreError("db_unreachable", str(getattr(exc, "orig", exc))) from exc

    wrapped.__doc__ = func.__doc__
    return wrapped


# --------------------------------------------------------------------------- refresh
class Progress:
    """A text progress bar on a stream: redrawn in place on a terminal, one line per step otherwise."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, portal_id: str, ok: bool) -> None:
        filled = int(self.width * done / total) if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        line = (
            f"refresh [{bar}] {done}/{total} {time.monotonic() - self.started:5.1f}s "
            f"{portal_id} {'ok' if ok else 'FAILED'}"
        )
        if self.tty:
            self.stream.write("\r\033[K" + line + ("\n" if done >= total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def format_summary(summary: Any) -> str:
    """The end-of-run table: portal, status, datasets, duration, error."""
    rows = [("portal", "status", "datasets", "duration", "error")]
    for p in summary.portals:
        if p.status == "skipped":
            status = "skipped: " + ("platform unknown" if p.error_code == "platform_unknown" else "no API address")
            error = ""
        else:
            status = p.status
            if p.status == "failed" and p.kept_previous:
                status += " (kept today's data)"
            error = f"{p.error_code}: {p.error_message}" if p.status == "failed" else ""
            if p.status == "failed" and p.last_good_date:
                error += f" [last good: {p.last_good_date.isoformat()}]"
        rows.append(
            (
                p.portal_id,
                status,
                "" if p.dataset_count is None else f"{p.dataset_count:,}",
                "" if p.status == "skipped" else f"{p.duration_s:.1f}s",
                error[:160],
            )
        )
    if summary.analytics is not None:
        a = summary.analytics
        rows.append(
            (
                "(analytics)",
                a.status,
                f"{a.rows:,} rows" if a.status == "ok" else "",
                f"{a.duration_s:.1f}s",
                f"{a.error_code}: {a.error_message}"[:160] if a.status != "ok" else "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(
        f"{len(summary.succeeded)} ok, {len(summary.failed)} failed, {len(summary.skipped)} skipped"
        + (f", analytics {summary.analytics.status}" if summary.analytics else "")
        + f" - snapshot day {summary.snapshot_date.isoformat()} (UTC), run {summary.run_id}, "
        f"status {summary.status}, exit code {summary.exit_code}"
    )
    return "\n".join(lines)


@_db_errors
def cmd_refresh(args: argparse.Namespace) -> int:
    from opengov.ingest.refresh import DEFAULT_CATALOG_TYPES, UnknownPortals, refresh_portals
    from opengov.sources.http import ClientConfig

    if (
        args.workers < 1
        or (args.retries is not None and args.retries < 0)
        or (args.timeout is not None and args.timeout <= 0)
        or (args.deadline is not None and args.deadline <= 0)
    ):
        print(
            "error: --workers must be at least 1, --retries at least 0, --timeout and --deadline above 0",
            file=sys.stderr,
        )
        return 1
    changes: dict[str, Any] = {}
    if args.timeout is not None:
        changes["read_timeout"] = args.timeout
    if args.retries is not None:
        changes["total_retries"] = args.retries
    if args.deadline is not None:
        changes["deadline_s"] = args.deadline
    config = ClientConfig(**changes) if changes else None
    url = _store()
    try:
        summary = refresh_portals(
            url,
            portal_ids=args.portals or None,
            max_workers=args.workers,
            progress=Progress(sys.stderr),
            client_config=config,
            include_analytics=False if args.no_analytics else None,
            catalog_types=None if args.all_catalogues else DEFAULT_CATALOG_TYPES,
        )
    except UnknownPortals as exc:
        print(f"error: {exc}. See `python -m opengov export table portals --out portals.csv`.", file=sys.stderr)
        return 1
    print(format_summary(summary))
    return summary.exit_code


# --------------------------------------------------------------------------- import portals
def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InputFileError(str(path), [(None, "file not found")])
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            str(path), [(line, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8")]
        ) from exc


def _url_problem(value: str, column: str) -> str | None:
    if not value:
        return None
    if any(ch.isspace() for ch in value):
        return f"{column} contains spaces: {value!r}"
    try:
        parts = urlsplit(value)
    except ValueError:
        return f"{column} is not a valid URL: {value!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{column} must be an http:// or https:// address, got {value!r}"
    return None


@dataclass
class PortalRow:
    line: int
    values: dict[str, Any]


def _too_long_portal(r: dict[str, str]) -> list[str]:
    """A text longer than its ``portals`` column (SQLite would keep it, PostgreSQL refuses the whole file)."""
    from opengov.ingest.limits import too_long
    from opengov.store import models as m

    columns = {c: getattr(m.Portal, c) for c in ("sgc_code", "geo_type", "platform", "level", "pt_code")}
    return [f"{key}: {n} characters, more than the {limit} the column holds" for key, n, limit in too_long(r, columns)]


#: Columns that make a file the 2026 registry's own export (Common Data Index dataportals-registry).
REGISTRY_EXPORT_COLUMNS = ("uid", "link", "catalog_type", "software_id", "owner_type", "subregion_id")


def registry_export_rows(path: Path, existing: dict[str, str] | None = None) -> tuple[str, list[dict[str, str]]]:
    """The registry's own export as portal rows (``build_registry`` rules): a row whose host is an existing
    portal's (``existing``: host → id) keeps that id. Raises :class:`InputFileError` with the line of a row
    whose province or territory code is unknown. Returns the CSV text of the rows, in this command's format."""
    from opengov.sources.build_registry import COLUMNS, RegistryError, host_key, rows_from_cdi

    try:
        rows = rows_from_cdi(path)
    except RegistryError as exc:
        raise InputFileError(str(path), [(exc.line, str(exc).split(": ", 1)[1])]) from exc
    seen: set[str] = set()
    for r in rows:
        known = (existing or {}).get(host_key(r["homepage"]))
        if known and known not in seen:
            r["id"] = known
        r["id"] = r["id"][:60]
        seen.add(r["id"])
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue(), rows


def validate_portals_csv(path: Path, existing: dict[str, str] | None = None) -> list[PortalRow]:
    """Read and check the whole file; raise :class:`InputFileError` listing every problem.

    The file is this app's registry format (``data/portals.csv``'s columns) or the 2026 registry's own
    export (``REGISTRY_EXPORT_COLUMNS``), converted by the registry's rules."""
    from opengov.ingest.refresh import _ORG_PATH

    text = _read_text(path)
    name = str(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(h or "").strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputFileError(name, [(1, "the file is empty (no header row)")])
    if all(c in header for c in REGISTRY_EXPORT_COLUMNS):
        text, _rows = registry_export_rows(path, existing)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(h or "").strip() for h in (reader.fieldnames or [])]
    missing = [c for c in PORTAL_REQUIRED if c not in header]
    if missing:
        reason = f"missing column(s): {', '.join(missing)} (required: {', '.join(PORTAL_REQUIRED)})"
        raise InputFileError(name, [(1, reason)])
    problems: list[tuple[int | None, str]] = []
    rows: list[PortalRow] = []
    seen: dict[str, int] = {}
    try:
        for raw in reader:
            line = reader.line_num
            if None in raw:
                problems.append((line, "more fields than the header"))
                continue
            r = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
            if not any(r.values()):
                continue
            errs: list[str] = []
            pid = r["id"]
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", pid):
                errs.append(f"id {pid!r} must be 1-60 characters: lower-case letters, digits and hyphens")
            elif pid in seen:
                errs.append(f"id {pid!r} is already used on line {seen[pid]}")
            else:
                seen[pid] = line
            if not r["name_en"]:
                errs.append("name_en is empty")
            if not r["name_fr"]:
                errs.append("name_fr is empty")
            level, pt = r["level"].lower(), r["pt_code"].upper()
            if level not in LEVELS:
                errs.append(f"level {r['level']!r} must be one of {', '.join(LEVELS)}")
            elif level == "federal" and pt not in ("", "CA"):
                errs.append(f"pt_code must be empty for a federal portal, got {r['pt_code']!r}")
            elif level == "provincial" and pt not in PROVINCES:
                errs.append(f"pt_code {r['pt_code']!r} is not a province code ({', '.join(PROVINCES)})")
            elif level == "territorial" and pt not in TERRITORIES:
                errs.append(f"pt_code {r['pt_code']!r} is not a territory code ({', '.join(TERRITORIES)})")
            elif level == "municipal" and pt not in PROVINCES + TERRITORIES:
                errs.append(f"pt_code {r['pt_code']!r} is not a province or territory code")
            elif level in ("regional", "other") and pt not in ("",) + PROVINCES + TERRITORIES:
                errs.append(f"pt_code {r['pt_code']!r} is not a province or territory code")
            platform = r["platform"].lower()
            if platform and platform not in KNOWN_PLATFORMS:
                errs.append(f"platform {r['platform']!r} must be empty or one of {', '.join(KNOWN_PLATFORMS)}")
            for col in ("api_base_url", "homepage", "license_url"):
                prob = _url_problem(r.get(col, ""), col)
                if prob:
                    errs.append(prob)
            if platform == "socrata" and not r["homepage"]:
                errs.append("a socrata portal needs its homepage (the Socrata domain is read from it)")
            pop = r.get("population_2011", "").replace(",", "").replace(" ", "")
            if pop and not pop.isdigit():
                errs.append(f"population_2011 {r['population_2011']!r} is not a whole number")
            org = r.get("ckan_organization", "")
            if org:
                home = urlsplit(r["homepage"]) if r["homepage"] else None
                match = _ORG_PATH.match(home.path) if home else None
                same_host = (
                    home is not None and r["api_base_url"] and home.hostname == urlsplit(r["api_base_url"]).hostname
                )
                if platform != "ckan" or not match or match.group("org") != org or not same_host:
                    errs.append(
                        f"ckan_organization {org!r} must match the homepage …/organization/{org} "
                        "on the API's host (that is where the refresh reads it from)"
                    )
            errs += _too_long_portal(r)
            for e in errs:
                problems.append((line, e))
            if not errs:
                rows.append(
                    PortalRow(
                        line,
                        {
                            "id": pid,
                            "name_en": r["name_en"],
                            "name_fr": r["name_fr"],
                            "level": level,
                            "pt_code": "" if pt == "CA" else pt,
                            "platform": platform,
                            "api_base_url": r["api_base_url"],
                            "homepage": r["homepage"],
                            "sgc_code": r.get("sgc_code", ""),
                            "geo_type": r.get("geo_type", ""),
                            "population_2011": int(pop) if pop else None,
                            "license_url": r.get("license_url", ""),
                            **{
                                k: r[k]
                                for k in ("catalog_type", "owner_type", "owner_name", "listing", "registry_uid")
                                if r.get(k)
                            },
                        },
                    )
                )
    except csv.Error as exc:
        problems.append((reader.line_num, f"malformed CSV ({exc})"))
    if problems:
        raise InputFileError(name, problems)
    if not rows:
        raise InputFileError(name, [(2, "no data rows")])
    return rows


@_db_errors
def cmd_import_portals(args: argparse.Namespace) -> int:
    from opengov.ingest.refresh import _ensure_source
    from opengov.store import models as m
    from opengov.store.db import session_scope

    path = Path(args.file)
    url = _store()
    from sqlalchemy import select as _select

    from opengov.sources.build_registry import host_key

    with session_scope(url) as s:
        existing = {
            host_key(home): pid for pid, home in s.execute(_select(m.Portal.id, m.Portal.homepage)) if host_key(home)
        }
    try:
        rows = validate_portals_csv(path, existing)
    except InputFileError as exc:
        return _report(exc, "portals")
    added = updated = 0
    with session_scope(url) as s:
        _ensure_source(
            s,
            "import:portals",
            kind="import",
            title_en="Portal registry (imported file)",
            title_fr="Registre des portails (fichier importé)",
            file_name=path.name,
            cadence="static",
            rows_loaded=len(rows),
            loaded_at=m.utcnow(),
            as_of=dt.date.today(),
        )
        unknown_platform: list[str] = []
        for row in rows:
            values = {k: v for k, v in row.values.items() if k != "id"}
            if not values.get("platform"):
                unknown_platform.append(row.values["id"])
            portal = s.get(m.Portal, row.values["id"])
            if portal is None:
                portal = m.Portal(id=row.values["id"], source_id="import:portals", **values)
                s.add(portal)
                added += 1
            else:
                for k, v in values.items():
                    setattr(portal, k, v)
                portal.source_id = "import:portals"
                updated += 1
            # the operator's fields: a shipped release never writes over them (opengov.ingest.shipped.load_portals)
            portal.operator_fields = ",".join(
                sorted({*(f for f in (portal.operator_fields or "").split(",") if f), *values})
            )
            sources = dict(x.split("=", 1) for x in (portal.field_sources or "").split(";") if "=" in x)
            sources.update({f: "operator" for f in values})
            portal.field_sources = ";".join(f"{k}={v}" for k, v in sources.items())
        s.add(
            m.AuditLog(
                actor="cli",
                action="import",
                entity="portals",
                entity_id=path.name[:80],
                note=json.dumps({"added": added, "updated": updated}),
            )
        )
    print(f"portals imported from {path.name}: {added} added, {updated} updated")
    if unknown_platform:
        shown = ", ".join(unknown_platform[:20]) + (" …" if len(unknown_platform) > 20 else "")
        print(f"{len(unknown_platform)} portal(s) without a known platform (kept blank, not refreshed): {shown}")
    return 0


# --------------------------------------------------------------------------- import analytics
#: The most one ``import analytics`` takes (stated in the error): a larger file is refused before it is parsed.
ANALYTICS_MAX_MB = 50
ANALYTICS_MAX_ROWS = 200_000
#: Per-dataset layouts: their rows are ranked by value within each month (as the refresh does).
_RANKED = ("dataset_downloads", "dataset_visits", "open_maps_views")


def _usage_batches(
    layout: str, frame: Any, lines: list[int], *, source_id: str, as_of: dt.date, name: str, batch: int
) -> Any:
    """``(UsageStat, rows)`` batches of the file's usage rows, built one slice of the frame at a time. Rows
    repeating another with the same value are kept once; the same thing counted twice with other values
    (after the mapping to usage keys, e.g. two department names with one organisation) refuses the file."""
    from opengov.ingest.refresh import analytics_usage_rows
    from opengov.store import models as m

    if layout in _RANKED:
        value_col = {"dataset_visits": "visits", "open_maps_views": "pageviews"}.get(layout, "downloads")
        ranks = frame.groupby(["year", "month"], sort=False)[value_col].rank(method="first", ascending=False)
        ranks = ranks.astype("int64").to_numpy()
    else:
        ranks = None
    one_to_one = layout in (*_RANKED, "monthly_usage")
    seen: dict[int, tuple[float, int]] = {}  # hash of the usage key -> (value, line): small for 200,000 rows
    problems: list[tuple[int | None, str]] = []
    for start in range(0, len(frame), batch):
        part = frame.iloc[start : start + batch]
        rows = analytics_usage_rows(layout, part, source_id=source_id, as_of=as_of, resource_name=name)
        per = max(1, len(rows) // max(1, len(part)))  # usage rows per frame row (2 for monthly_usage)
        out = []
        for k, r in enumerate(rows):
            at = start + k // per
            line = lines[at] if at < len(lines) else 0
            if one_to_one:  # the file's own keys are the usage keys, and the parser kept each once
                if ranks is not None:
                    r["rank"] = int(ranks[at])
                out.append(r)
                continue
            key = hash((r["metric"], r["grain"], r["period_start"], r["dimension"], r["dimension_key"]))
            before = seen.get(key)
            if before is not None:
                if before[0] != r["value"]:
                    problems.append(
                        (
                            line,
                            f"{r['metric']} {r['period_start']:%Y-%m} {r['dimension_key'] or r['dimension']} is also "
                            f"on line {before[1]} with another value ({r['value']:g} here, {before[0]:g} there)",
                        )
                    )
                continue
            seen[key] = (r["value"], line)
            if ranks is not None:
                r["rank"] = int(ranks[at])
            out.append(r)
        if problems:
            raise InputFileError(name, problems)
        yield m.UsageStat, out


#: The shipped analytics files whose layout `import analytics` takes as they are, so a newer official release
#: of each replaces its months (the shipped rows are kept apart, not summed: opengov.ingest.usage_keys).
SHIPPED_USAGE_LAYOUTS: tuple[str, ...] = (
    "ogp_monthly_usage_2022_2023",
    "ogp_top25_2023_06",
    "ogp_released_2022_2023",
    "ogp_regions_2023",
    "ogp_countries_2023",
    "ogp_downloads_by_jurisdiction",
    "ogp_visits_by_jurisdiction",
    "ogp_openmaps_by_jurisdiction",
    "ogp_corporate_daily",
    "ogp_fiscal_totals",
    "ogp_daily_download_events",
    "ogp_top50_events",
)


def shipped_layout(header: list[str]) -> Any:
    """The shipped source whose file has this header (its required columns, and no other shipped usage
    layout's more specific set), or None."""
    from opengov.ingest.shipped import SHIPPED

    cands = [src for src in SHIPPED if src.id in SHIPPED_USAGE_LAYOUTS and set(src.required) <= set(header)]
    cands.sort(key=lambda src: -len(src.required))
    return cands[0] if cands else None


def import_shipped_layout(path: Path, src: Any, url: str) -> tuple[str, int]:
    """Load `path`, a newer release of shipped source `src`, with that source's own loader and checks, under
    ``import:<source id>``: all or nothing, every figure it holds becomes the current one."""
    import dataclasses

    from sqlalchemy import func, select

    from opengov.ingest.refresh import _ensure_source
    from opengov.ingest.shipped import ShippedDataError, _clear_source, read_csv_rows
    from opengov.ingest.usage_keys import settle
    from opengov.store import models as m
    from opengov.store.db import session_scope

    source_id = f"import:{src.id}"[:80]
    size = path.stat().st_size
    if size > ANALYTICS_MAX_MB * 1024 * 1024:
        too_big = f"the file is {size / 1024 / 1024:.0f} MB: at most {ANALYTICS_MAX_MB} MB (split the file)"
        raise InputFileError(str(path), [(None, too_big)])
    try:
        rows = read_csv_rows(path, src.required, name=path.name)
    except ShippedDataError as exc:
        raise InputFileError(str(path), [(getattr(exc, "line", None), str(exc))]) from None
    if not rows:
        raise InputFileError(str(path), [(2, "the file has a header but no data rows")])
    if len(rows) > ANALYTICS_MAX_ROWS:
        raise InputFileError(str(path), [(None, f"the file has {len(rows):,} rows: at most {ANALYTICS_MAX_ROWS:,}")])
    try:
        with session_scope(url) as s:
            _ensure_source(
                s,
                source_id,
                kind="import",
                title_en=f"{src.title_en} (imported file)",
                title_fr=f"{src.title_fr} (fichier importé)",
                publisher=src.publisher,
                url=src.url,
                licence=src.licence,
                cadence=src.cadence,
                file_name=path.name,
                loaded_at=m.utcnow(),
            )
            s.flush()
            _clear_source(s, source_id)
            n = src.loader(s, dataclasses.replace(src, id=source_id, file=path.name), rows)
            s.flush()
            last = s.scalar(select(func.max(m.UsageStat.period_end)).where(m.UsageStat.source_id == source_id))
            s.execute(
                m.Source.__table__.update()
                .where(m.Source.id == source_id)
                .values(rows_loaded=n, as_of=last or dt.date.today())
            )
            settle(s, source_id)
            s.add(
                m.AuditLog(
                    actor="cli",
                    action="import",
                    entity="usage_stats",
                    entity_id=source_id,
                    note=json.dumps({"file": path.name, "layout": src.id, "rows": n}),
                )
            )
    except ShippedDataError as exc:
        raise InputFileError(str(path), [(getattr(exc, "line", None), str(exc))]) from None
    return source_id, n


@_db_errors
def cmd_import_analytics(args: argparse.Namespace) -> int:

    from opengov.ingest.refresh import _ensure_source, upsert_datasets
    from opengov.sources.analytics import AnalyticsParseError, parse_analytics_lines
    from opengov.store import models as m
    from opengov.store.bulk import BATCH_ROWS, write_in_batches

    path = Path(args.file)
    try:
        if not path.is_file():
            raise InputFileError(str(path), [(None, "file not found")])
        try:
            as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
        except ValueError:
            raise InputFileError(str(path), [(None, f"--as-of {args.as_of!r} is not a date (YYYY-MM-DD)")]) from None
        size = path.stat().st_size
        url = _store()  # first: what opening the store costs is spent before the file is in memory
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            first_line = fh.readline()
        shipped = shipped_layout([h.strip() for h in next(csv.reader([first_line]), [])])
        if shipped is not None:  # a newer release of a file the app ships, in that file's own layout
            source_id, n = import_shipped_layout(path, shipped, url)
            print(f"analytics imported from {path.name}: layout {shipped.id}, {n} rows under source {source_id}")
            return 0
        if size > ANALYTICS_MAX_MB * 1024 * 1024:
            raise InputFileError(
                str(path),
                [
                    (
                        None,
                        f"the file is {size / 1024 / 1024:.0f} MB: an import takes at most {ANALYTICS_MAX_MB} MB "
                        f"and {ANALYTICS_MAX_ROWS:,} rows (split the file)",
                    )
                ],
            )
        try:
            layout, frame, lines = parse_analytics_lines(path.read_bytes(), source_name=path.name)
        except AnalyticsParseError as exc:  # every bad row, not only the first
            raise InputFileError(str(path), [(ln or None, reason) for ln, reason in exc.problems]) from None
        if frame.empty:
            raise InputFileError(str(path), [(2, f"the {layout} file has a header but no data rows")])
        if len(lines) > ANALYTICS_MAX_ROWS:
            raise InputFileError(
                str(path),
                [
                    (
                        None,
                        f"the file has {len(lines):,} rows: an import takes at most {ANALYTICS_MAX_ROWS:,} rows "
                        f"and {ANALYTICS_MAX_MB} MB (split the file)",
                    )
                ],
            )
        source_id = f"import:{layout}"
    except InputFileError as exc:
        return _report(exc, "analytics file")
    batches = _usage_batches(layout, frame, lines, source_id=source_id, as_of=as_of, name=path.name, batch=BATCH_ROWS)
    datasets = frame.drop_duplicates("dataset_id") if "dataset_id" in frame else None
    total = len(frame) * (2 if layout == "monthly_usage" else 1)
    del frame, lines  # only the batches hold them now: freed once they are sent
    written = {"rows": 0, "as_of": as_of}

    def counted() -> Any:
        for model, rows in batches:
            written["rows"] += len(rows)
            if rows:
                written["as_of"] = max(written["as_of"], max(r["period_end"] for r in rows))
            yield model, rows

    def before(s: Any) -> None:  # after the replaced rows are deleted (a write: the transaction's first statement)
        _ensure_source(
            s,
            source_id,
            kind="import",
            title_en=f"Open Government Analytics, imported file ({layout})",
            title_fr=f"Analytique du gouvernement ouvert, fichier importé ({layout})",
        )

    def finish(s: Any) -> int:
        from opengov.ingest.usage_keys import settle

        n = int(written["rows"])
        upsert_datasets(s, [datasets])
        settle(s, source_id)  # one current value per figure: this import over a shipped file for its months
        s.execute(
            m.Source.__table__.update()
            .where(m.Source.id == source_id)
            .values(
                publisher="Treasury Board of Canada Secretariat / Secrétariat du Conseil du Trésor du Canada",
                url="https://open.canada.ca/data/en/dataset/2916fad5-ebcc-4c86-b0f3-4f619b29f412",
                licence="Open Government Licence – Canada / Licence du gouvernement ouvert – Canada",
                cadence="monthly",
                file_name=path.name,
                loaded_at=m.utcnow(),
                as_of=written["as_of"],
                rows_loaded=n,
            )
        )
        s.add(
            m.AuditLog(
                actor="cli",
                action="import",
                entity="usage_stats",
                entity_id=source_id[:80],
                note=json.dumps({"file": path.name, "layout": layout, "rows": n}),
            )
        )
        return n

    started = time.monotonic()

    def progress(done: int) -> None:
        _progress(done, total, started)

    try:
        n = write_in_batches(
            url,
            counted(),
            finish,
            before=before,
            replace=(m.UsageStat, {"source_id": source_id}),
            progress=progress if sys.stderr.isatty() else None,
        )
    except InputFileError as exc:
        return _report(exc, "analytics file")
    print(f"analytics imported from {path.name}: layout {layout}, {n} usage rows under source {source_id}")
    return 0


def _progress(done: int, total: int, started: float) -> None:
    """One status line on the terminal: rows done, rate and time left."""
    spent = time.monotonic() - started
    rate = done / spent if spent > 0 else 0.0
    left = (total - done) / rate if rate > 0 and total > done else 0.0
    end = "\n" if done >= total else ""
    print(
        f"\r  {done:,} of {total:,} rows ({rate:,.0f} rows/s, about {left:.0f} s left)   ",
        end=end,
        file=sys.stderr,
        flush=True,
    )


# --------------------------------------------------------------------------- export table
def export_model(name: str) -> type:
    """Store model exported as ``name``; ``KeyError`` for an unknown name."""
    from opengov.store import models as m
    from opengov.store import models_refresh as mr

    cls = EXPORT_TABLES[name]
    return getattr(m, cls, None) or getattr(mr, cls)


@_db_errors
def cmd_export_table(args: argparse.Namespace) -> int:
    from opengov.exports import to_csv_bytes, to_xlsx_bytes
    from opengov.store import reads as queries

    if args.name not in EXPORT_TABLES:
        print(f"error: unknown table {args.name!r}; valid names: {', '.join(EXPORT_TABLES)}", file=sys.stderr)
        return 1
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(f"error: --out must end in .csv or .xlsx, got {out.name!r}", file=sys.stderr)
        return 1
    url = _store()
    if args.name == "status_observations":
        from opengov.features.plans.queries import status_observations_table

        df = status_observations_table(url)
    else:
        model = export_model(args.name)
        pk = list(model.__table__.primary_key.columns)
        df = queries.table(model, url, order_by=pk[0] if pk else None)
    data = to_csv_bytes(df) if suffix == ".csv" else to_xlsx_bytes(df, args.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"exported {len(df)} row(s) of {args.name} to {out}")
    return 0


# --------------------------------------------------------------------------- registration
def register(sub: Any, groups: dict[str, Any]) -> None:
    """Add ``refresh``, ``import portals``, ``import analytics`` and ``export table``."""
    from opengov.ingest.refresh import DEFAULT_WORKERS

    sp = sub.add_parser(
        "refresh",
        help="fetch dataset counts and usage from the live portals (cron-friendly)",
        description="Exit codes: 0 all attempted fetches succeeded, 1 bad input, 2 some failed, "
        "3 all failed, 4 store unreachable.",
    )
    sp.add_argument(
        "--portal",
        dest="portals",
        action="append",
        metavar="ID",
        help="refresh only this portal (repeatable); default: every portal of the registry",
    )
    sp.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"portals fetched at once (default {DEFAULT_WORKERS})",
    )
    sp.add_argument(
        "--timeout", type=float, default=None, metavar="SECONDS", help="read timeout per request (default 20)"
    )
    sp.add_argument(
        "--retries",
        type=int,
        default=None,
        metavar="N",
        help="retries of a failed request (429/5xx/timeouts; default 3)",
    )
    sp.add_argument(
        "--no-analytics", action="store_true", help="do not fetch the federal Open Government Analytics CSVs"
    )
    sp.add_argument(
        "--deadline",
        type=float,
        default=None,
        metavar="SECONDS",
        help="the most one portal may take, all its requests included (default 30)",
    )
    sp.add_argument(
        "--all-catalogues",
        action="store_true",
        help="without portal ids, refresh every catalogue type of the registry (default: open-data portals only;"
        " geoportals and research repositories are listed, not refreshed)",
    )
    sp.set_defaults(func=cmd_refresh)

    ip = groups["import"].add_parser(
        "portals",
        help="load or update the portal registry from a CSV (all-or-nothing)",
        description=f"Required columns: {', '.join(PORTAL_REQUIRED)}. Optional: {', '.join(PORTAL_OPTIONAL)}.",
    )
    ip.add_argument("file", help="CSV file (UTF-8)")
    ip.set_defaults(func=cmd_import_portals)

    ia = groups["import"].add_parser(
        "analytics", help="load one Open Government Analytics CSV (old or new bilingual headers)"
    )
    ia.add_argument("file", help="CSV file as published in dataset 2916fad5-ebcc-4c86-b0f3-4f619b29f412")
    ia.add_argument(
        "--as-of", default=None, metavar="YYYY-MM-DD", help="date of cumulative / current-total files (default: today)"
    )
    ia.set_defaults(func=cmd_import_analytics)

    et = groups["export"].add_parser("table", help="write a store table to CSV or Excel (formula-safe)")
    et.add_argument("name", help=f"one of: {', '.join(EXPORT_TABLES)}")
    et.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    et.set_defaults(func=cmd_export_table)
