"""Benchmark: importing 200,000 rows (working-group meetings, Open Government Analytics, a plan table of
milestones) while an editor saves.

Run: ``python benchmarks/bench_imports.py [--rows 200000] [--kind meetings analytics] [--db URL] [--again]``
from the repo root (``--again``: each file a second time, the re-import that changes nothing). Without ``--db``
a temporary SQLite store is created (``--db postgresql+psycopg://...`` for an
empty PostgreSQL database of yours; it is filled with the shipped data first).

For each kind, the benchmark writes a file of ``--rows`` generated rows, runs the real command
(``python -m opengov import meetings|analytics|milestones FILE``) in a child process, and meanwhile, from this
process, saves a working-group meeting through the page's own code (``save_form``, as an editor) every
0.1 s (after each save). It prints one Markdown row per kind: rows/s, wall time, the child's peak resident
memory, and the editor's save latency (median and worst) during the import. Targets (issue 21): ≤ 60 s, ≤ 300 MB, every
save ≤ 2 s. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from opengov.auth import Actor  # noqa: E402
from opengov.ingest.init import ensure_store  # noqa: E402

TARGETS = {"wall_s": 60.0, "peak_mb": 300.0, "save_s": 2.0}


def write_meetings(path: Path, rows: int) -> None:
    """``rows`` held meetings, each with one presentation (a meeting id per row: the worst case)."""
    start = dt.date(2001, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["meeting_id", "meeting_date", "held", "activity_kind", "activity_en", "activity_fr", "presenter"])
        for i in range(rows):
            day = start + dt.timedelta(days=i % 30_000)
            w.writerow(
                [
                    f"B{i:07d}",
                    day.isoformat(),
                    "yes",
                    "presentation",
                    f"Open data update number {i}",
                    f"Mise à jour des données ouvertes numéro {i}",
                    "Québec",
                ]
            )


def write_analytics(path: Path, rows: int) -> None:
    """``rows`` per-dataset monthly downloads (the top-100 layout), distinct (dataset, month) pairs."""
    header = [
        "id",
        "title",
        "titre",
        "department",
        "ministere",
        "downloads_telechargements",
        "month_mois",
        "year_annee",
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(rows):
            ds, month = divmod(i, 120)
            year, mon = 2014 + month // 12, month % 12 + 1
            w.writerow(
                [
                    f"{ds:08d}-aaaa-bbbb-cccc-{ds:012d}",
                    f"Dataset {ds}",
                    f"Jeu de données {ds}",
                    "Statistics Canada",
                    "Statistique Canada",
                    (i * 7919) % 50_000,
                    mon,
                    year,
                ]
            )


def write_milestones(path: Path, rows: int) -> None:
    """``rows`` milestones of one plan table (a new plan), each with its dates and a status."""
    start = dt.date(2001, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Reference", "Milestone", "Start date", "End date", "Status"])
        for i in range(rows):
            day = start + dt.timedelta(days=i % 9_000)
            status = ("Completed", "In progress", "Not started")[i % 3]
            w.writerow(
                [
                    f"R{i % 900}",
                    f"Milestone number {i}",
                    day.isoformat(),
                    (day + dt.timedelta(days=120)).isoformat(),
                    status,
                ]
            )


WRITERS = {"meetings": write_meetings, "analytics": write_analytics, "milestones": write_milestones}
#: What the command needs besides the file
EXTRA_ARGS = {"milestones": ["--plan", "BENCH-PLAN", "--title", "Benchmark plan"]}


def _editor_saves(url: str, stop: threading.Event, latencies: list[float], errors: list[str]) -> None:
    from opengov.features.working_group.imports import save_form

    editor = Actor("bench-editor", "editor")
    n = 0
    while not stop.is_set():
        n += 1
        day = dt.date(1999, 1, 1) + dt.timedelta(days=n)
        values = {"meeting_date": day, "held": "yes", "activity_en": f"Save {n}", "activity_fr": f"Sauvegarde {n}"}
        t0 = time.perf_counter()
        try:
            save_form("meetings", values, editor, url)
        except Exception as exc:  # noqa: BLE001 - a failed save is a result
            errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        latencies.append(time.perf_counter() - t0)
        stop.wait(0.1)


def run_one(kind: str, rows: int, url: str, tmp: Path) -> dict[str, object]:
    path = tmp / f"{kind}.csv"
    WRITERS[kind](path, rows)
    env = {**os.environ, "OPENGOV_DATABASE_URL": url, "PYTHONPATH": str(REPO)}
    latencies: list[float] = []
    errors: list[str] = []
    stop = threading.Event()
    saver = threading.Thread(target=_editor_saves, args=(url, stop, latencies, errors))
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "opengov", "import", kind, str(path), *EXTRA_ARGS.get(kind, [])],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.2)
    saver.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    stop.set()
    saver.join()
    out, err = child.stdout.read(), child.stderr.read()  # type: ignore[union-attr]
    code = os.waitstatus_to_exitcode(status)
    return {
        "kind": kind,
        "rows": rows,
        "code": code,
        "wall_s": wall,
        "rows_per_s": rows / wall if wall else 0.0,
        "peak_mb": usage.ru_maxrss / 1024,
        "saves": len(latencies),
        "save_median_s": statistics.median(latencies) if latencies else float("nan"),
        "save_max_s": max(latencies) if latencies else float("nan"),
        "save_errors": errors,
        "out": (out.strip().splitlines() or [""])[-1][:160],
        "err": err.strip()[-400:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--kind", nargs="+", choices=sorted(WRITERS), default=["meetings", "analytics"])
    ap.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    ap.add_argument("--again", action="store_true", help="import each file a second time (nothing changes)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="opengov-bench-imports-") as d:
        tmp = Path(d)
        url = args.db or f"sqlite:///{tmp / 'store.db'}"
        ensure_store(url)
        print(f"store: {url.split('@')[-1]}; {args.rows:,} rows per file; an editor saves every 0.1 s meanwhile\n")
        print("| import | rows | exit | wall s | rows/s | peak MB | saves | save median s | save max s | result |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        ok = True
        runs = [(kind, label) for kind in args.kind for label in ([kind, f"{kind} again"] if args.again else [kind])]
        for kind, label in runs:
            r = run_one(kind, args.rows, url, tmp)
            passed = (
                r["code"] == 0
                and r["wall_s"] <= TARGETS["wall_s"]
                and r["peak_mb"] <= TARGETS["peak_mb"]
                and not r["save_errors"]
                and r["save_max_s"] <= TARGETS["save_s"]
            )
            ok &= bool(passed)
            print(
                f"| {label} | {r['rows']:,} | {r['code']} | {r['wall_s']:.1f} | {r['rows_per_s']:,.0f} | "
                f"{r['peak_mb']:.0f} | {r['saves']} | {r['save_median_s']:.3f} | {r['save_max_s']:.3f} | "
                f"{'PASS' if passed else 'FAIL'} |"
            )
            if r["save_errors"]:
                print(f"  editor save errors: {r['save_errors'][:3]}", file=sys.stderr)
            if r["code"] != 0:
                print(f"  import stderr: {r['err']}", file=sys.stderr)
            else:
                print(f"  {r['out']}", file=sys.stderr)
        print(f"\ntargets: wall ≤ {TARGETS['wall_s']:.0f} s, peak ≤ {TARGETS['peak_mb']:.0f} MB, every save ≤ 2 s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
