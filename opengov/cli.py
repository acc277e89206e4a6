"""Command line: `python -m opengov COMMAND ...`."""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from opengov.ingest.shipped import ShippedDataError
from opengov.store.db import StoreError


def cmd_init(args: argparse.Namespace) -> int:
    from opengov.ingest.init import ensure_store

    loaded = ensure_store()
    if loaded:
        for sid, n in loaded.items():
            print(f"loaded {sid}: {n} rows")
    else:
        print("store is up to date; nothing to load")
    return 0


#: The modules that add sub-commands, each with `register(sub, groups)`: `sub` is the top-level
#: subparsers object, `groups["import"]` / `groups["export"]` the subparsers of `import` and `export`
#: (e.g. `groups["import"].add_parser("milestones")`). Each parser sets `func`.
def _command_modules() -> tuple[ModuleType, ...]:
    from opengov.commands import exports, plans, refresh, users, working_group

    # refresh; import portals|analytics; export table / import milestones / users add|list /
    # import meetings|agenda|priorities; report / export chart; brief
    return (refresh, plans, users, working_group, exports)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m opengov", description="OpenGov Impact command line")
    sub = p.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("init", help="create or migrate the store and load the shipped data (idempotent)")
    sp.set_defaults(func=cmd_init)
    groups = {
        "import": sub.add_parser("import", help="load a file into the store (all-or-nothing)").add_subparsers(
            dest="what", required=True
        ),
        "export": sub.add_parser("export", help="write a table or a chart to a file").add_subparsers(
            dest="what", required=True
        ),
    }
    for module in _command_modules():
        module.register(sub, groups)
    return p


STORE_HINTS = {
    "db_unreachable": "The database cannot be opened. Check OPENGOV_DATABASE_URL and that the server is running.",
    "load_failed": "The shipped data could not be written to the database (nothing was changed). "
    "Check the database's permissions and free space.",
    "unknown_revision": "The database was created by a newer or unknown version of OpenGov Impact. "
    "Use the matching version, or point OPENGOV_DATABASE_URL at a new database.",
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ShippedDataError as exc:
        print(
            f"error: shipped data file {exc}. Restore the file from the repository (git checkout -- data/).",
            file=sys.stderr,
        )
        return 3
    except StoreError as exc:
        print(f"error: {STORE_HINTS.get(exc.code, exc.code)} ({exc.detail})", file=sys.stderr)
        return 4
