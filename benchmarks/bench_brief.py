"""Executive brief timings, median of 5 each, against the targets:

* cold: `python -m opengov brief --lang fr --out F.pdf` in a fresh process (imports, store check, frames,
  plan standings, chart images, layout), target at most 5 s;
* warm: a second build in the same process (frames, standings and chart images already kept for the
  store's data version: only the layout), target at most 1 s.

Both on a temporary store loaded with the shipped data (loaded once, before timing).
Run: `.venv/bin/python benchmarks/bench_brief.py` (exit 1 when a target is missed).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

COLD_TARGET, WARM_TARGET, RUNS = 5.0, 1.0, 5


CPU: list[float] = []  # CPU seconds (user + system) of each cold run: less sensitive to a busy machine


def cold(url: str, out: Path, lang: str) -> float:
    env = {**os.environ, "OPENGOV_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "opengov", "brief", "--lang", lang, "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def warm(url: str, lang: str) -> float:
    from opengov.features.overview.brief import build_brief

    t0 = time.perf_counter()
    build_brief(lang, url)
    return time.perf_counter() - t0


def main() -> int:
    from opengov.features.overview.brief import build_brief
    from opengov.ingest.init import ensure_store

    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.db'}"
    ensure_store(url)
    rows, ok = [], True
    for lang in ("fr", "en"):
        CPU.clear()
        c = statistics.median(cold(url, tmp / f"brief_{lang}.pdf", lang) for _ in range(RUNS))
        cpu = statistics.median(CPU)
        build_brief(lang, url)  # the first build of this process
        w = statistics.median(warm(url, lang) for _ in range(RUNS))
        for kind, s, target in (("cold (fresh process)", c, COLD_TARGET), ("warm (same process)", w, WARM_TARGET)):
            passed = s <= target
            ok &= passed
            rows.append(
                f"| brief {lang} | {kind} | {s * 1000:.0f} ms | ≤ {target * 1000:.0f} ms | "
                f"{'PASS' if passed else 'FAIL'} |"
            )
        rows.append(f"| brief {lang} | cold, CPU time (user + system) | {cpu * 1000:.0f} ms | – | – |")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"median of {RUNS}; load average at the end {load:.2f} on {os.cpu_count()} CPUs")
    print("| brief | run | median | target | result |\n|---|---|---|---|---|")
    print("\n".join(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
