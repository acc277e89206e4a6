"""Export timings: each registered chart to PNG/SVG/PDF (target ≤ 0.3 s) and the executive brief
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
    from opengov.charts.export import altair_bytes
    from opengov.features.overview.brief import build_brief
    from opengov.features.registry import build, registry
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    ensure_store(url)
    rows, ok = [], True
    import plotly.graph_objects as go

    from opengov.charts.export import plotly_bytes, plotly_formats

    for page, chart_id in sorted(registry()):
        chart = build(page, chart_id, "fr", url).chart
        if isinstance(chart, go.Figure):  # maps and the timeline: HTML (and kaleido formats, no target)
            for fmt in plotly_formats(chart):
                s = _median(lambda chart=chart, fmt=fmt: plotly_bytes(chart, fmt, "fr"), n=3)
                rows.append(f"| chart {page}/{chart_id} (Plotly) | {fmt} | {s * 1000:.0f} ms | – | – |")
            continue
        for fmt in ("png", "svg", "pdf"):
            s = _median(lambda chart=chart, fmt=fmt: altair_bytes(chart, fmt))
            passed = s <= 0.3
            ok &= passed
            rows.append(
                f"| chart {page}/{chart_id} | {fmt} | {s * 1000:.0f} ms | ≤ 300 ms | {'PASS' if passed else 'FAIL'} |"
            )
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
