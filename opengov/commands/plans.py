"""`python -m opengov import milestones FILE [--plan ID]`: all-or-nothing import of a plan table or
NAP tracker file (CSV or XLSX), with every bad row reported by line number."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def cmd_import_milestones(args: argparse.Namespace) -> int:
    from opengov.auth import Actor
    from opengov.features.plans.imports import ImportRejected, parse_file, write_import
    from opengov.ingest.init import ensure_store

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return EXIT_BAD_INPUT
    parsed = parse_file(path.read_bytes(), path.name, args.plan)
    if parsed.errors:
        print(f"{path.name}: {len(parsed.errors)} problem(s), nothing was imported:", file=sys.stderr)
        for e in parsed.errors:
            print(f"  line {e.line}: {e.message('en')}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{path.name}: {parsed.layout}, {len(parsed.rows)} row(s), {parsed.headings} year heading(s)")
    if args.dry_run:
        print("dry run: nothing written")
        return 0
    ensure_store()
    # The command line is run by an operator of the store; the audit log records who.
    actor = Actor(f"cli:{args.actor or getpass.getuser()}", "admin", via="cli")
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None
    import time

    from opengov.commands.refresh import _progress

    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        _progress(done, total, started)

    try:
        res = write_import(
            parsed,
            actor,
            status_as_of=as_of,
            plan_title=args.title or "",
            progress=progress if sys.stderr.isatty() else None,
        )
    except ImportRejected as exc:
        print(f"{path.name}: {len(exc.errors)} problem(s), nothing was imported:", file=sys.stderr)
        for e in exc.errors:
            print(f"  line {e.line}: {e.message('en')}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"imported into {res.plan_id} ({res.layout}): {res.added} row(s) added, {res.updated} updated, "
        f"{res.unchanged} unchanged; {res.challenges} challenge(s)"
    )
    return 0


def register(sub: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    p = groups["import"].add_parser(
        "milestones", help="import milestones (plan table) or progress reports (NAP tracker) from CSV or XLSX"
    )
    p.add_argument("file", help="CSV (UTF-8, UTF-8 BOM or Windows-1252; comma or semicolon) or XLSX")
    p.add_argument("--plan", help="plan id, e.g. CSIS-PMOGO or NAP6 (a new id creates a plan)")
    p.add_argument("--title", help="title of a new plan")
    p.add_argument("--as-of", help="date of the statuses in a plan table (YYYY-MM-DD; default today)")
    p.add_argument("--actor", help="name recorded in the audit log (default: your login name)")
    p.add_argument("--dry-run", action="store_true", help="check the file and stop")
    p.set_defaults(func=cmd_import_milestones)
