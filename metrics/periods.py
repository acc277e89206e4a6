"""Trailing-window comparisons of monthly series (e.g. last 12 months against the 12 before)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class WindowComparison:
    """Current window against the previous one of the same length, both complete."""

    current_start: pd.Timestamp
    current_end: pd.Timestamp
    previous_start: pd.Timestamp
    previous_end: pd.Timestamp
    current_value: float
    previous_value: float
    change_abs: float
    change_pct: float | None  # None when the previous window is zero
    months: int
    basis: str = "consecutive"  # "consecutive" (the months just before) or "year_before" (same months a year before)


def monthly_totals(df: pd.DataFrame, date_col: str = "period_start", value_col: str = "value") -> pd.DataFrame:
    """Sum a long monthly frame to one row per month (month_start, value).

    >>> f = pd.DataFrame({"period_start": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
    ...                   "value": [1, 2, 5]})
    >>> monthly_totals(f)["value"].tolist()
    [3.0, 5.0]
    """
    missing = {date_col, value_col} - set(df.columns)
    if missing:
        raise KeyError(f"missing columns: {sorted(missing)}")
    months = pd.to_datetime(df[date_col]).dt.to_period("M").dt.to_timestamp()
    out = (
        df.assign(month_start=months)
        .groupby("month_start")[value_col]
        .sum()
        .reset_index()
        .rename(columns={value_col: "value"})
    )
    out["value"] = out["value"].astype(float)
    return out


def trailing_comparison(monthly: pd.DataFrame, months: int = 12) -> WindowComparison | None:
    """Compare the last `months` months with the `months` before them.

    `monthly` has one row per month (`month_start`, `value`). The windows end at the latest
    month present; both must be complete (no missing month), otherwise None is returned rather
    than a misleading figure.

    >>> f = pd.DataFrame({"month_start": pd.date_range("2024-01-01", periods=4, freq="MS"),
    ...                   "value": [10.0, 10.0, 15.0, 15.0]})
    >>> c = trailing_comparison(f, months=2)
    >>> (c.current_value, c.previous_value, c.change_abs, c.change_pct)
    (30.0, 20.0, 10.0, 50.0)
    """
    if monthly.empty:
        return None
    s = monthly.set_index(pd.to_datetime(monthly["month_start"]))["value"].sort_index()
    end = s.index.max()
    cur_idx = pd.date_range(end=end, periods=months, freq="MS")
    prev_idx = pd.date_range(end=cur_idx[0] - pd.offsets.MonthBegin(1), periods=months, freq="MS")
    if not set(cur_idx).issubset(s.index) or not set(prev_idx).issubset(s.index):
        return None
    cur, prev = float(s.loc[cur_idx].sum()), float(s.loc[prev_idx].sum())
    pct = None if prev == 0 else (cur - prev) / prev * 100.0
    return WindowComparison(cur_idx[0], cur_idx[-1], prev_idx[0], prev_idx[-1], cur, prev, cur - prev, pct, months)


BASES = ("year_before", "consecutive")


def window_comparison(monthly: pd.DataFrame, months: int = 12, basis: str = "year_before") -> WindowComparison | None:
    """Compare the last `months` months with the same months a year before (`basis="year_before"`, no
    mixing of seasons) or with the `months` just before them (`basis="consecutive"`).

    The windows end at the latest month present; both must be complete, otherwise None. For 12 months
    the two bases are the same window.

    >>> f = pd.DataFrame({"month_start": pd.date_range("2024-01-01", periods=15, freq="MS"),
    ...                   "value": [float(v) for v in range(1, 16)]})
    >>> y = window_comparison(f, months=3)
    >>> (y.current_start.strftime("%Y-%m"), y.previous_start.strftime("%Y-%m"), y.previous_end.strftime("%Y-%m"))
    ('2025-01', '2024-01', '2024-03')
    >>> (y.current_value, y.previous_value, y.change_abs, y.basis)
    (42.0, 6.0, 36.0, 'year_before')
    >>> c = window_comparison(f, months=3, basis="consecutive")
    >>> (c.previous_start.strftime("%Y-%m"), c.previous_value)
    ('2024-10', 33.0)
    >>> window_comparison(f.iloc[3:], months=3) is None  # the year before is not all there
    True
    """
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}: one of {BASES}")
    if basis == "consecutive":
        return trailing_comparison(monthly, months=months)
    if monthly.empty:
        return None
    s = monthly.set_index(pd.to_datetime(monthly["month_start"]))["value"].sort_index()
    cur_idx = pd.date_range(end=s.index.max(), periods=months, freq="MS")
    prev_idx = pd.date_range(start=cur_idx[0] - pd.DateOffset(years=1), periods=months, freq="MS")
    if not set(cur_idx).issubset(s.index) or not set(prev_idx).issubset(s.index):
        return None
    cur, prev = float(s.loc[cur_idx].sum()), float(s.loc[prev_idx].sum())
    pct = None if prev == 0 else (cur - prev) / prev * 100.0
    return WindowComparison(
        cur_idx[0], cur_idx[-1], prev_idx[0], prev_idx[-1], cur, prev, cur - prev, pct, months, "year_before"
    )


def latest_with_delta(df: pd.DataFrame, date_col: str, value_col: str, lag_days: int = 30) -> dict[str, object] | None:
    """The latest value and its change against the last observation at least `lag_days` earlier.

    >>> f = pd.DataFrame({"d": pd.to_datetime(["2026-01-01", "2026-01-20", "2026-02-15"]), "v": [100, 110, 130]})
    >>> r = latest_with_delta(f, "d", "v", lag_days=30)
    >>> (r["value"], r["previous_value"], r["change_abs"], str(r["previous_date"].date()))
    (130.0, 100.0, 30.0, '2026-01-01')
    """
    clean = df[[date_col, value_col]].dropna().sort_values(date_col)
    if clean.empty:
        return None
    last = clean.iloc[-1]
    cutoff = pd.Timestamp(last[date_col]) - pd.Timedelta(days=lag_days)
    earlier = clean[pd.to_datetime(clean[date_col]) <= cutoff]
    prev = earlier.iloc[-1] if not earlier.empty else None
    out: dict[str, object] = {
        "date": pd.Timestamp(last[date_col]),
        "value": float(last[value_col]),
        "previous_date": None,
        "previous_value": None,
        "change_abs": None,
        "change_pct": None,
    }
    if prev is not None:
        pv = float(prev[value_col])
        out.update(
            previous_date=pd.Timestamp(prev[date_col]),
            previous_value=pv,
            change_abs=float(last[value_col]) - pv,
            change_pct=None if pv == 0 else (float(last[value_col]) - pv) / pv * 100.0,
        )
    return out


def shares(df: pd.DataFrame, key_col: str, value_col: str) -> pd.DataFrame:
    """Each key's value and its share of the total in percent (`share_pct`), largest first.

    >>> shares(pd.DataFrame({"k": ["a", "b"], "n": [3, 1]}), "k", "n")["share_pct"].tolist()
    [75.0, 25.0]
    """
    out = df[[key_col, value_col]].copy()
    total = out[value_col].sum()
    out["share_pct"] = out[value_col] / total * 100.0 if total else float("nan")
    return out.sort_values(value_col, ascending=False, kind="stable").reset_index(drop=True)
