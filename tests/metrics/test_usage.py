"""metrics.usage on small frames with hand-computed answers, edge cases, and no input mutation."""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

import metrics.usage as mu


def months(start: str, values: list[float | None], col: str = "downloads_count") -> pd.DataFrame:
    return pd.DataFrame({"month_start": pd.date_range(start, periods=len(values), freq="MS"), col: values})


def test_doctests() -> None:
    result = doctest.testmod(mu)
    assert result.failed == 0 and result.attempted > 20


# --------------------------------------------------------------------------- fiscal years
@pytest.mark.parametrize(
    ("day", "fy"), [("2025-03-31", 2024), ("2025-04-01", 2025), ("2026-01-15", 2025), ("2026-12-31", 2026)]
)
def test_fiscal_year_start(day: str, fy: int) -> None:
    assert mu.fiscal_year_start(day) == fy


def test_assign_periods_and_bounds() -> None:
    f = months("2025-02-01", [1.0, 2.0, 3.0])
    out = mu.assign_periods(f)
    assert out["fiscal_year"].tolist() == [2024, 2024, 2025]
    assert out["calendar_year"].tolist() == [2025, 2025, 2025]
    assert "fiscal_year" not in f.columns
    assert mu.fiscal_year_bounds(2025) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2026-03-01"))


# --------------------------------------------------------------------------- grid, rolling
def test_month_grid_keeps_gaps_as_missing_not_zero() -> None:
    f = pd.DataFrame(
        {"month_start": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-04-01"]), "downloads_count": [10.0, 5.0, 7.0]}
    )
    g = mu.month_grid(f, "downloads_count")
    assert g["month_start"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03", "2024-04"]
    vals = g["downloads_count"].tolist()
    assert vals[0] == 10.0 and vals[3] == 12.0
    assert math.isnan(vals[1]) and math.isnan(vals[2])


def test_rolling_average_hand_computed() -> None:
    f = months("2024-01-01", [3.0, 6.0, 9.0, 12.0])
    r = mu.rolling_average(f, "downloads_count", window=3)
    assert "downloads_rolling_avg_count" in r.columns
    got = r["downloads_rolling_avg_count"].tolist()
    assert math.isnan(got[0]) and math.isnan(got[1])
    assert got[2:] == [6.0, 9.0]


def test_rolling_average_missing_month_breaks_window() -> None:
    # Feb missing: every 2-month window touching Feb is missing, not an average of fewer months.
    f = pd.DataFrame(
        {
            "month_start": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-04-01"]),
            "downloads_count": [10.0, 20.0, 40.0],
        }
    )
    r = mu.rolling_average(f, "downloads_count", window=2)
    got = r["downloads_rolling_avg_count"].tolist()
    assert len(got) == 4
    assert all(math.isnan(v) for v in got[:3])
    assert got[3] == 30.0


def test_rolling_average_does_not_mutate() -> None:
    f = months("2024-01-01", [1.0, 2.0, 3.0])
    before = f.copy()
    mu.rolling_average(f, "downloads_count", window=2)
    pd.testing.assert_frame_equal(f, before)


# --------------------------------------------------------------------------- year over year
def test_year_over_year_hand_computed_and_edges() -> None:
    f = pd.DataFrame(
        {
            "month_start": pd.to_datetime(["2024-01-01", "2024-02-01", "2025-01-01", "2025-02-01", "2025-03-01"]),
            "downloads_count": [200.0, 0.0, 150.0, 30.0, 10.0],
        }
    )
    y = mu.year_over_year(f, "downloads_count").set_index("month_start")
    jan = y.loc["2025-01-01"]
    assert (jan["previous_count"], jan["change_count"], jan["change_pct"]) == (200.0, -50.0, -25.0)
    feb = y.loc["2025-02-01"]  # previous year zero -> percent n/a (NaN), never infinity
    assert feb["change_count"] == 30.0 and math.isnan(feb["change_pct"])
    mar = y.loc["2025-03-01"]  # no March 2024 -> missing
    assert math.isnan(mar["previous_count"]) and math.isnan(mar["change_pct"])
    assert not any(math.isinf(v) for v in y["change_pct"].dropna())


# --------------------------------------------------------------------------- period comparison
def test_compare_same_month_last_year() -> None:
    f = months("2024-07-01", [100.0] + [1.0] * 11 + [130.0])
    cur, prev = mu.comparison_periods("month", "2025-07-15")
    c = mu.compare_periods(f, "downloads_count", cur, prev)
    assert (c.current.total_count, c.previous.total_count, c.change_count, c.change_pct) == (130.0, 100.0, 30.0, 30.0)


def test_compare_fiscal_years_hand_computed() -> None:
    # FY 2024-25 = Apr 2024..Mar 2025 at 10/month; FY 2025-26 at 12/month.
    f = months("2024-04-01", [10.0] * 12 + [12.0] * 12)
    c = mu.compare_periods(f, "downloads_count", *mu.comparison_periods("fiscal", 2025))
    assert c.current.total_count == 144.0 and c.previous.total_count == 120.0
    assert c.change_count == 24.0 and c.change_pct == pytest.approx(20.0)
    assert c.current.complete and c.previous.complete


def test_compare_calendar_years_with_partial_current_year() -> None:
    f = months("2024-01-01", [5.0] * 12 + [6.0] * 7)  # 2025 has Jan..Jul only (current year in progress)
    c = mu.compare_periods(f, "downloads_count", *mu.comparison_periods("calendar", 2025))
    assert c.current.total_count == 42.0
    assert (c.current.months_with_data, c.current.months_expected, c.current.complete) == (7, 12, False)
    assert [d.strftime("%Y-%m") for d in c.current.missing_months] == [f"2025-{m:02d}" for m in range(8, 13)]


def test_compare_previous_zero_gives_na_not_infinity() -> None:
    f = months("2024-01-01", [0.0, 5.0])
    c = mu.compare_periods(f, "downloads_count", ("2024-02-01", "2024-02-01"), ("2024-01-01", "2024-01-01"))
    assert c.change_count == 5.0 and c.change_pct is None


def test_compare_previous_missing_gives_none() -> None:
    f = months("2025-01-01", [5.0])
    c = mu.compare_periods(f, "downloads_count", ("2025-01-01", "2025-01-01"), ("2024-01-01", "2024-01-01"))
    assert c.previous.total_count is None and c.change_count is None and c.change_pct is None


def test_custom_range_order_is_normalised() -> None:
    f = months("2024-01-01", [1.0, 2.0, 3.0])
    p = mu.period_total(f, "downloads_count", "2024-03-01", "2024-01-01")
    assert p.total_count == 6.0 and p.start == pd.Timestamp("2024-01-01")


def test_change_helper() -> None:
    assert mu.change(150.0, 100.0) == (50.0, 50.0)
    assert mu.change(0.0, 0.0) == (0.0, None)
    assert mu.change(float("nan"), 1.0) == (None, None)


# --------------------------------------------------------------------------- partial months
def test_month_coverage_flags_partial_months() -> None:
    days = pd.DataFrame(
        {
            "day": pd.to_datetime(
                ["2026-03-01", "2026-03-02", "2026-04-01"] + [f"2026-02-{d:02d}" for d in range(1, 29)]
            ),
            "events_count": [1, 2, 3] + [1] * 28,
        }
    )
    before = days.copy()
    cov = mu.month_coverage(days, as_of="2026-04-10").set_index("month_start")
    assert not cov.loc["2026-02-01", "partial"]
    assert cov.loc["2026-02-01", "events_count"] == 28.0
    assert cov.loc["2026-03-01", "days_with_data"] == 2 and cov.loc["2026-03-01", "partial"]
    assert cov.loc["2026-04-01", "partial"]
    pd.testing.assert_frame_equal(days, before)


def test_is_partial_month() -> None:
    assert mu.is_partial_month("2026-08-01", "2026-08-22")
    assert not mu.is_partial_month("2026-08-01", "2026-08-31")
    assert not mu.is_partial_month("2026-07-01", "2026-08-22")


# --------------------------------------------------------------------------- growth
def test_average_monthly_growth_hand_computed() -> None:
    # 2015: 100, 200, 300 -> avg 200; 2017: 350 in each of two months -> avg 350; +75 %
    f = pd.DataFrame(
        {
            "month_start": pd.to_datetime(
                ["2015-01-01", "2015-02-01", "2015-03-01", "2017-01-01", "2017-06-01", "2016-05-01"]
            ),
            "downloads_count": [100.0, 200.0, 300.0, 350.0, 350.0, 9999.0],
        }
    )
    before = f.copy()
    g = mu.average_monthly_growth(f, "downloads_count", 2015, 2017)
    assert (g.avg_a_count, g.avg_b_count, g.months_a, g.months_b) == (200.0, 350.0, 3, 2)
    assert g.change_pct == pytest.approx(75.0)
    pd.testing.assert_frame_equal(f, before)


def test_average_monthly_growth_year_not_covered() -> None:
    f = months("2024-03-01", [10.0] * 10)
    g = mu.average_monthly_growth(f, "downloads_count", 2015, 2024)
    assert g.avg_a_count is None and g.months_a == 0 and g.change_pct is None
    assert g.avg_b_count == 10.0 and g.months_b == 10


def test_average_monthly_growth_zero_base() -> None:
    f = months("2024-01-01", [0.0] * 12 + [5.0])
    assert mu.average_monthly_growth(f, "downloads_count", 2024, 2025).change_pct is None


def test_average_monthly_growth_fiscal_years() -> None:
    f = months("2024-04-01", [10.0] * 12 + [15.0] * 12)
    g = mu.average_monthly_growth(f, "downloads_count", 2024, 2025, year_kind="fiscal")
    assert (g.avg_a_count, g.avg_b_count, g.change_pct) == (10.0, 15.0, 50.0)


# --------------------------------------------------------------------------- top N and shares
def test_top_n_and_least_used_with_shares() -> None:
    f = pd.DataFrame(
        {"dataset_id": ["a", "b", "c", "d", "a", "e"], "downloads_count": [50.0, 30.0, 0.0, 10.0, 10.0, None]}
    )
    before = f.copy()
    top = mu.top_n(f, "dataset_id", "downloads_count", n=2)
    assert top["dataset_id"].tolist() == ["a", "b"]
    assert top["downloads_count"].tolist() == [60.0, 30.0]
    assert top["share_pct"].tolist() == pytest.approx([60.0, 30.0])
    assert top["rank"].tolist() == [1, 2]
    least = mu.top_n(f, "dataset_id", "downloads_count", n=2, least=True)
    assert least["dataset_id"].tolist() == ["d", "b"]  # c (zero) and e (missing) have no usage data
    assert least["rank"].tolist() == [3, 2]
    pd.testing.assert_frame_equal(f, before)


def test_top_n_ties_are_stable_and_empty_total() -> None:
    f = pd.DataFrame({"k": ["b", "a"], "downloads_count": [5.0, 5.0]})
    assert mu.top_n(f, "k", "downloads_count", 2)["k"].tolist() == ["a", "b"]
    z = mu.top_n(pd.DataFrame({"k": ["a"], "downloads_count": [0.0]}), "k", "downloads_count", 1)
    assert math.isnan(z["share_pct"].iloc[0])


def test_shares() -> None:
    out = mu.shares(pd.DataFrame({"k": ["x", "y", "z"], "visits_count": [1, 6, 3]}), "k", "visits_count")
    assert out["k"].tolist() == ["y", "z", "x"] and out["share_pct"].tolist() == [60.0, 30.0, 10.0]


# --------------------------------------------------------------------------- breaks
def test_breaks_crossed_and_comparable_since() -> None:
    assert [b.key for b in mu.breaks_crossed("2022-07-01", "2025-06-01", "visits")] == ["ga4_2023", "fy2025_visits"]
    assert [b.key for b in mu.breaks_crossed("2025-06-01", "2022-07-01", "downloads")] == ["ga4_2023"]
    assert mu.breaks_crossed("2024-04-01", "2025-03-01", "visits") == []
    assert [b.key for b in mu.breaks_crossed("2015-01-01", "2017-12-01", "downloads")] == ["consolidation_2017"]
    assert mu.comparable_since("2026-07-01", "downloads") == pd.Timestamp("2023-07-01")
    assert mu.comparable_since("2016-01-01", "downloads") is None
    assert mu.comparable_since("2026-07-01", "open_maps_views") is None
