"""The page-ready benchmark's interval of a ratio (benchmarks.bench_pages.ratio_interval)."""

from __future__ import annotations

import statistics

from benchmarks.bench_pages import ratio_interval


def test_constant_loads_give_a_point_interval() -> None:
    assert ratio_interval([300.0] * 5, [250.0] * 5) == (1.2, 1.2)


def test_interval_brackets_the_ratio_and_is_reproducible() -> None:
    app = [352.0, 381.0, 340.0, 410.0, 365.0, 398.0, 371.0, 349.0, 420.0]
    bare = [274.0, 282.0, 251.0, 320.0, 262.0, 299.0, 240.0, 288.0, 305.0]
    low, high = ratio_interval(app, bare)
    ratio = statistics.median(app) / statistics.median(bare)
    assert low < ratio < high
    assert high - low < 0.5
    assert ratio_interval(app, bare) == (low, high)  # fixed seed


def test_a_wider_spread_gives_a_wider_interval() -> None:
    bare = [250.0, 260.0, 255.0, 245.0, 250.0, 258.0, 252.0]
    tight = ratio_interval([300.0, 305.0, 298.0, 302.0, 300.0, 304.0, 299.0], bare)
    loose = ratio_interval([240.0, 390.0, 300.0, 260.0, 350.0, 280.0, 330.0], bare)
    assert loose[1] - loose[0] > tight[1] - tight[0]
