"""Working-group commands:

* `python -m opengov import meetings|agenda|priorities FILE [--actor NAME]` — CSV or XLSX, all or nothing,
  problems listed by line; audited as NAME (default "cli", editor rights: whoever runs the CLI has the store).
* `python -m opengov report --year YYYY --lang fr|en --format html|pdf --out FILE` — the yearly progress report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opengov import config


def load_data(url: str | None = None):
    """All frames the review and the report need, read from the store."""
    from opengov.features.working_group import queries as q
    from opengov.features.working_group.report import WgData
    from opengov.store import reads as queries

    return WgData(
        meetings=q.meetings(url),
        activities=q.activities(url),
        agenda=q.agenda(url),
        priorities=q.priorities(url),
        projects=q.projects(url),
        milestones=q.plan_progress_items(url),
        plans=queries.action_plans(url),
        sources=q.wg_sources(url),
        as_of=q.data_as_of(url),
    )


def cmd_import(args: argparse.Namespace) -> int:
    from opengov.auth import Actor, AuthError
    from opengov.features.working_group.imports import ImportRejected, import_file
    from opengov.ingest.init import ensure_store

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path} does not exist", file=sys.stderr)
        return 2
    url = config.database_url()  # explicit: the engine cache is keyed by URL
    ensure_store(url)
    import time

    from opengov.commands.refresh import _progress

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        _progress(done, total, started)

    try:
        res = import_file(
            args.what,
            path.read_bytes(),
            path.name,
            Actor(args.actor, "editor", via="cli"),
            url,
            progress=progress if sys.stderr.isatty() else None,
        )
    except ImportRejected as exc:
        print(f"error: nothing was imported from {path.name}: {len(exc.issues)} problem(s)", file=sys.stderr)
        for issue in exc.issues:
            print(f"  line {issue.line}: {issue.message(args.lang)}", file=sys.stderr)
        return 1
    except AuthError as exc:
        print(f"error: refused: {exc}", file=sys.stderr)
        return 2
    print(
        f"imported {res.rows} {args.what} row(s) from {path.name}: {res.inserted} added, "
        f"{res.updated} updated, {res.unchanged} unchanged"
    )
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from opengov.features.working_group.report import ReportError, build_report
    from opengov.ingest.init import ensure_store

    url = config.database_url()
    ensure_store(url)
    data = load_data(url)
    years = sorted(set(data.meetings["year"]) | set(data.agenda["year"]) | set(data.priorities["year"]))
    if args.year not in years:
        print(
            f"error: no working-group data for {args.year} (years with data: {', '.join(map(str, years)) or 'none'})",
            file=sys.stderr,
        )
        return 2
    try:
        out = build_report(data, args.year, args.lang, args.format)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    Path(args.out).write_bytes(out)
    print(f"wrote {args.out} ({len(out):,} bytes): {args.year} report, {args.lang}, {args.format}")
    return 0


def register(sub: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    for what, help_ in (
        ("meetings", "working-group meetings (with their activities), CSV or XLSX"),
        ("agenda", "working-group agenda items, CSV or XLSX"),
        ("priorities", "working-group priorities, CSV or XLSX"),
    ):
        p = groups["import"].add_parser(what, help=help_)
        p.add_argument("file", help="CSV (UTF-8/cp1252, comma or semicolon, EN or FR headers) or XLSX")
        p.add_argument("--actor", default="cli", help="name recorded in the audit log (default: cli)")
        p.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the error messages")
        p.set_defaults(func=cmd_import, what=what)
    p = sub.add_parser("report", help="the working group's yearly progress report (HTML or PDF)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--lang", choices=("fr", "en"), default="fr")
    p.add_argument("--format", choices=("html", "pdf"), default="pdf")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_report)
