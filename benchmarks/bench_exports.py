"""Export timings: each registered chart's PNG/SVG/PDF file as its Download gives it - maps and the
milestone timeline included, through their Altair twins - (target ≤ 0.3 s) and the executive brief
(target ≤ 5 s), warm (after one warm-up), on a temporary store loaded with the shipped data."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _median(fn, n: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    from opengov.charts.export import CHART_FORMATS, figure_bytes
    from opengov.features.overview.brief import build_brief
    from opengov.features.registry import build, registry
    from opengov.ingest.init import ensure_store
    from opengov.store.reads import sources

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    ensure_store(url)
    src = sources(url).set_index("id")
    rows, ok = [], True
    for page, chart_id in sorted(registry()):
        try:
            fig = build(page, chart_id, "fr", url)
        except LookupError as exc:  # drawn from data an operator adds (none shipped)
            rows.append(f"| chart {page}/{chart_id} | – | – | ≤ 300 ms | no shipped data ({exc}) |")
            continue
        kind = " (map)" if chart_id.endswith("map") else " (timeline)" if chart_id == "timeline" else ""
        # the whole file as the Download button gives it: title, filters, footer, Altair twin of a Plotly chart
        for fmt in CHART_FORMATS:
            s = _median(lambda fig=fig, fmt=fmt: figure_bytes(fig, fmt, "fr", src, {"metric": "downloads"}))
            passed = s <= 0.3
            ok &= passed
            verdict = "PASS" if passed else "FAIL"
            rows.append(f"| chart {page}/{chart_id}{kind} | {fmt} | {s * 1000:.0f} ms | ≤ 300 ms | {verdict} |")
    for lang in ("fr", "en"):
        s = _median(lambda lang=lang: build_brief(lang, url), n=3)
        passed = s <= 5
        ok &= passed
        rows.append(
            f"| executive brief | pdf ({lang}) | {s * 1000:.0f} ms | ≤ 5000 ms | {'PASS' if passed else 'FAIL'} |"
        )
    print("| export | format | median (warm) | target | result |\n|---|---|---|---|---|")
    print("\n".join(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
