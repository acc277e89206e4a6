from __future__ import annotations

import pandas as pd
import pytest

from metrics.periods import latest_with_delta, monthly_totals, shares, trailing_comparison


def _monthly(values: list[float], start: str = "2024-01-01") -> pd.DataFrame:
    return pd.DataFrame({"month_start": pd.date_range(start, periods=len(values), freq="MS"), "value": values})


def test_trailing_comparison_hand_computed() -> None:
    f = _monthly([1, 2, 3, 4, 5, 6])
    c = trailing_comparison(f, months=3)
    assert (c.current_value, c.previous_value, c.change_abs) == (15.0, 6.0, 9.0)
    assert c.change_pct == pytest.approx(150.0)
    assert str(c.current_start.date()) == "2024-04-01" and str(c.previous_end.date()) == "2024-03-01"


def test_trailing_comparison_refuses_a_window_with_a_missing_month() -> None:
    f = _monthly([1, 2, 3, 4, 5, 6]).drop(index=1)
    assert trailing_comparison(f, months=3) is None


def test_trailing_comparison_previous_zero_has_no_percentage() -> None:
    c = trailing_comparison(_monthly([0, 0, 5, 5]), months=2)
    assert c.change_pct is None and c.change_abs == 10.0


def test_functions_do_not_mutate_inputs() -> None:
    f = _monthly([1, 2, 3, 4])
    before = f.copy()
    trailing_comparison(f, 2)
    shares(f, "month_start", "value")
    latest_with_delta(f, "month_start", "value", 30)
    pd.testing.assert_frame_equal(f, before)


def test_monthly_totals_requires_columns() -> None:
    with pytest.raises(KeyError):
        monthly_totals(pd.DataFrame({"x": [1]}))


def test_latest_with_delta_without_an_old_enough_point() -> None:
    f = pd.DataFrame({"d": pd.to_datetime(["2026-08-20", "2026-08-22"]), "v": [1, 2]})
    r = latest_with_delta(f, "d", "v", lag_days=30)
    assert r["value"] == 2.0 and r["previous_value"] is None and r["change_abs"] is None


def test_window_comparison_same_months_a_year_before() -> None:
    from metrics.periods import window_comparison

    # Jan 2024 .. Jun 2025: a seasonal series (Jan-Jun high, Jul-Dec low) rising 10 % a year
    values = [100.0] * 6 + [10.0] * 6 + [110.0] * 6
    f = _monthly(values)
    before = f.copy()
    y = window_comparison(f, months=6)
    assert y.basis == "year_before"
    assert (str(y.current_start.date()), str(y.current_end.date())) == ("2025-01-01", "2025-06-01")
    assert (str(y.previous_start.date()), str(y.previous_end.date())) == ("2024-01-01", "2024-06-01")
    assert (y.current_value, y.previous_value) == (660.0, 600.0) and y.change_pct == pytest.approx(10.0)
    # consecutive periods mix seasons: the same data reads as a tenfold rise
    c = window_comparison(f, months=6, basis="consecutive")
    assert c.basis == "consecutive" and c.previous_value == 60.0 and c.change_pct == pytest.approx(1000.0)
    # 12 months: both bases are the same window
    assert window_comparison(_monthly(values + values[:6]), 12).previous_start == pd.Timestamp("2024-01-01")
    pd.testing.assert_frame_equal(f, before)


def test_window_comparison_needs_the_whole_year_before() -> None:
    from metrics.periods import window_comparison

    assert window_comparison(_monthly([1.0] * 14), months=3) is None  # Dec 2024-Feb 2025 vs Dec 2023: missing
    assert window_comparison(_monthly([1.0] * 15), months=3) is not None
    with pytest.raises(ValueError):
        window_comparison(_monthly([1.0] * 15), months=3, basis="season")
