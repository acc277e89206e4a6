"""`export chart PAGE CHART`, `brief` and `profile`: files for analysts' and executives' reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_export_chart(args: argparse.Namespace) -> int:
    """One chart block's file as its page's Download gives it, with the page's default filters."""
    from opengov.charts.export import figure_bytes
    from opengov.features.registry import available, build
    from opengov.ingest.init import ensure_store
    from opengov.store.reads import sources

    ensure_store()
    try:
        fig = build(args.page, args.chart, args.lang)
    except KeyError:
        print(f"error: unknown chart {args.page!r} {args.chart!r}; available charts:", file=sys.stderr)
        print("\n".join(f"  {name}" for name in available()), file=sys.stderr)
        return 2
    except LookupError as exc:
        print(f"error: {args.page} {args.chart}: {exc}", file=sys.stderr)
        return 1
    src = sources()
    Path(args.out).write_bytes(figure_bytes(fig, args.format, args.lang, src.set_index("id") if "id" in src else src))
    print(f"wrote {args.out}")
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from opengov.features.overview.brief import build_brief
    from opengov.ingest.init import ensure_store

    if not args.out.lower().endswith(".pdf"):
        print("error: --out must end with .pdf", file=sys.stderr)
        return 2
    ensure_store()
    Path(args.out).write_bytes(build_brief(args.lang, window_months=args.window, basis=args.compare))
    print(f"wrote {args.out}")
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    from opengov.features.profiles.pdf import build_profile
    from opengov.features.profiles.queries import jurisdictions
    from opengov.ingest.init import ensure_store

    if not args.out.lower().endswith(".pdf"):
        print("error: --out must end with .pdf", file=sys.stderr)
        return 2
    ensure_store()
    codes = {j.code: j.code for j in jurisdictions()}
    codes.update({c.upper(): c for c in list(codes) if len(c) == 2})
    code = codes.get(args.jur) or codes.get(args.jur.upper())
    if code is None:
        shown = ", ".join(list(codes)[:16])
        print(
            f"error: unknown jurisdiction {args.jur!r}; known: CA, the province and territory codes ({shown}, …)"
            " and the municipal portal ids of `python -m opengov export table portals`",
            file=sys.stderr,
        )
        return 2
    Path(args.out).write_bytes(build_profile(code, args.lang))
    print(f"wrote {args.out}")
    return 0


def register(sub: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    p = groups["export"].add_parser(
        "chart", help="one chart of a page as PNG (2x), SVG, PDF or its data as CSV, XLSX (an unknown chart lists them)"
    )
    p.add_argument("page")
    p.add_argument("chart")
    p.add_argument(
        "--format",
        choices=("png", "svg", "pdf", "csv", "xlsx"),
        default="png",
        help="png (2x), svg, pdf: the chart with its title, source and caveats; csv, xlsx: its typed data",
    )
    p.add_argument("--lang", choices=("en", "fr"), default="en")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_export_chart)
    b = sub.add_parser("brief", help="build the executive brief (PDF)")
    b.add_argument("--lang", choices=("en", "fr"), default="en")
    b.add_argument("--window", type=int, choices=(3, 6, 12), default=12, help="months compared for usage")
    b.add_argument(
        "--compare", choices=("year_before", "consecutive"), default="year_before", help="what usage is compared with"
    )
    b.add_argument("--out", required=True)
    b.set_defaults(func=cmd_brief)
    pr = sub.add_parser("profile", help="build a jurisdiction's one-page profile (PDF)")
    pr.add_argument("--jur", required=True, help="CA, a province or territory code (QC, YT…) or a municipal portal id")
    pr.add_argument("--lang", choices=("en", "fr"), default="en")
    pr.add_argument("--out", required=True)
    pr.set_defaults(func=cmd_profile)
