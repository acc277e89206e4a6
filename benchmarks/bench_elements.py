"""What Streamlit's elements cost the browser: the page-ready time of the bare one-chart page inside a
two-link navigation shell (the floor of issue 18's ratio), then of the same page followed by one set of
elements of a kind the app's pages draw (captions, one merged Markdown, metrics, charts, a plain table,
a data grid, lazy expanders and popovers: ``benchmarks/elements_app.py``), loaded in a random order
(fixed seed) round after round, as ``bench_pages`` loads the app's pages.

It prints, per set, the median page-ready time, what the set adds to the bare page, and that per
element: the part of a page's time that is Streamlit's own drawing of what the page shows, whatever
the app does on the server. Run: ``.venv/bin/python -m benchmarks.bench_elements [--n 9]``.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.bench_pages import SEED, SETTLE_S  # noqa: E402
from benchmarks.elements_app import SETS  # noqa: E402
from tests.helpers.browser import CHROMIUM_ARGS, CHROMIUM_PATH, StreamlitServer, wait_for_app_idle  # noqa: E402


def per_element(extra_ms: float, count: int) -> str:
    """What one element of a set adds, as the table prints it.

    >>> per_element(150.0, 30), per_element(40.0, 0)
    ('5.0', '–')
    """
    return f"{extra_ms / count:.1f}" if count else "–"


def run(n: int, warmup: int, tmp: Path, only: list[str]) -> tuple[dict[str, list[float]], str]:
    from playwright.sync_api import sync_playwright

    server = StreamlitServer(
        REPO / "benchmarks" / "elements_serve.py", tmp, name="elements", env={"PYTHONPATH": str(REPO)}
    )
    times: dict[str, list[float]] = {s: [] for s in SETS if s in only}
    try:
        server.wait_healthy(90)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
            version = browser.version
            tab = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-CA").new_page()
            order = random.Random(SEED)
            for round_ in range(warmup + n):
                sets = list(times)
                order.shuffle(sets)
                for name in sets:
                    tab.goto("about:blank", timeout=120_000)
                    time.sleep(SETTLE_S)
                    tab.goto(f"{server.base_url}/bare?set={name}", wait_until="commit", timeout=120_000)
                    ready = wait_for_app_idle(tab, timeout_ms=120_000)
                    if round_ >= warmup:
                        times[name].append(ready)
            browser.close()
    finally:
        server.stop()
    return times, version


def table(times: dict[str, list[float]], chromium: str, n: int) -> str:
    import streamlit

    base = statistics.median(times["none"])
    lines = [
        "# What Streamlit's elements cost the browser",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.platform()}; "
        f"Streamlit {streamlit.__version__}, Chromium {chromium}; median of {n} loads per set, in a random order "
        "each round.",
        "",
        "| set | elements | page ready ms | added to the bare page ms | per element ms | loads ms (min-max) |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, (count, what) in SETS.items():
        if name not in times:
            continue
        med = statistics.median(times[name])
        extra = med - base
        added = "–" if name == "none" else f"{extra:+.0f}"
        per = "–" if name == "none" else per_element(extra, count)
        lines.append(
            f"| {what} | {count} | {med:.0f} | {added} | {per} | {min(times[name]):.0f}-{max(times[name]):.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=9, help="timed loads per set (9)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (1)")
    parser.add_argument("--output", default="", help="also write the table to this file")
    parser.add_argument("--sets", default="", help="comma-separated sets to time (default: all; the bare page always)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM_PATH).exists():
        raise SystemExit(f"{CHROMIUM_PATH} is missing: run ./scripts/test.sh (or ./benchmarks/run.sh) first")
    with tempfile.TemporaryDirectory() as tmp:
        only = ["none", *[x for x in args.sets.split(",") if x in SETS]] if args.sets else list(SETS)
        times, chromium = run(args.n, args.warmup, Path(tmp), only)
    out = table(times, chromium, args.n)
    print(out)
    if args.output:
        Path(args.output).write_text(out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
