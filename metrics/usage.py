"""Usage computations: monthly grids with gaps, rolling averages, year over year, fiscal years,
period comparisons, growth of average monthly counts, top N with shares, series breaks.

All functions are pure pandas: they never mutate their input, and the unit is in the column
names (`*_count`, `*_pct`). A missing month stays missing (NaN), never zero.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

#: What the date helpers accept: an ISO date string, a date/datetime/Timestamp or a numpy datetime64.
DateLike: TypeAlias = str | dt.date | np.datetime64

# --------------------------------------------------------------------------- months and fiscal years


def month_floor(value: DateLike) -> pd.Timestamp:
    """The first day of the month of `value`.

    >>> str(month_floor("2026-07-19").date())
    '2026-07-01'
    """
    ts = pd.Timestamp(value)
    return pd.Timestamp(ts.year, ts.month, 1)


def fiscal_year_start(value: DateLike) -> int:
    """The Government of Canada fiscal year (April 1 - March 31) of a date, as its starting year.

    >>> fiscal_year_start("2026-03-31"), fiscal_year_start("2026-04-01")
    (2025, 2026)
    """
    ts = pd.Timestamp(value)
    return ts.year if ts.month >= 4 else ts.year - 1


def assign_periods(df: pd.DataFrame, date_col: str = "month_start") -> pd.DataFrame:
    """A copy of `df` with `calendar_year` and `fiscal_year` (starting year, April-March) columns.

    >>> f = pd.DataFrame({"month_start": pd.to_datetime(["2025-03-01", "2025-04-01"])})
    >>> assign_periods(f)[["calendar_year", "fiscal_year"]].values.tolist()
    [[2025, 2024], [2025, 2025]]
    """
    out = df.copy()
    dates = pd.to_datetime(out[date_col])
    out["calendar_year"] = dates.dt.year.astype(int)
    out["fiscal_year"] = (dates.dt.year - (dates.dt.month < 4).astype(int)).astype(int)
    return out


def calendar_year_bounds(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month (month starts) of a calendar year.

    >>> [str(d.date()) for d in calendar_year_bounds(2025)]
    ['2025-01-01', '2025-12-01']
    """
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 1)


def fiscal_year_bounds(start_year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month (month starts) of fiscal year `start_year`-(`start_year`+1).

    >>> [str(d.date()) for d in fiscal_year_bounds(2025)]
    ['2025-04-01', '2026-03-01']
    """
    return pd.Timestamp(start_year, 4, 1), pd.Timestamp(start_year + 1, 3, 1)


def month_grid(
    df: pd.DataFrame,
    value_col: str,
    date_col: str = "month_start",
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """One row per month from `start` (default: first month) to `end` (default: last month);
    values summed per month, months without data are NaN (a gap, never zero).

    >>> f = pd.DataFrame({"month_start": pd.to_datetime(["2024-01-01", "2024-03-01"]),
    ...                   "downloads_count": [10, 30]})
    >>> month_grid(f, "downloads_count")["downloads_count"].tolist()
    [10.0, nan, 30.0]
    """
    if df.empty and (start is None or end is None):
        return pd.DataFrame({date_col: pd.to_datetime([]), value_col: pd.Series([], dtype=float)})
    # month starts by numpy truncation (same values and unit as Period.to_timestamp, ~1 ms less per call)
    months = (
        pd.to_datetime(df[date_col]).to_numpy(dtype="datetime64[ns]").astype("datetime64[M]").astype("datetime64[us]")
    )
    values = pd.to_numeric(df[value_col], errors="coerce").to_numpy()
    summed = (
        pd.Series(values, index=pd.DatetimeIndex(months, name=date_col)).groupby(level=0).sum(min_count=1).astype(float)
    )
    summed.name = value_col
    lo = month_floor(start) if start is not None else summed.index.min()
    hi = month_floor(end) if end is not None else summed.index.max()
    idx = pd.date_range(lo, hi, freq="MS", name=date_col)
    return summed.reindex(idx).reset_index()


# --------------------------------------------------------------------------- rolling, YoY


def rolling_average(
    df: pd.DataFrame, value_col: str, window: int = 12, date_col: str = "month_start", out_col: str | None = None
) -> pd.DataFrame:
    """A copy with the trailing `window`-month average in `out_col` (default `<value_col>_rolling_avg`
    with the unit kept, e.g. `downloads_count` -> `downloads_rolling_avg_count`).

    The average is only given when all `window` months are present: a missing month makes the
    average missing rather than silently averaging fewer months. Months are put on a complete
    grid first, so a gap in the index is treated as a missing month.

    >>> f = pd.DataFrame({"month_start": pd.date_range("2024-01-01", periods=4, freq="MS"),
    ...                   "downloads_count": [1.0, 2.0, 3.0, 4.0]})
    >>> rolling_average(f, "downloads_count", window=2)["downloads_rolling_avg_count"].tolist()
    [nan, 1.5, 2.5, 3.5]
    """
    if out_col is None:
        out_col = (
            (value_col[: -len("_count")] + "_rolling_avg_count")
            if value_col.endswith("_count")
            else f"{value_col}_rolling_avg"
        )
    grid = month_grid(df, value_col, date_col)
    grid[out_col] = grid[value_col].rolling(window, min_periods=window).mean()
    return grid


def year_over_year(df: pd.DataFrame, value_col: str, date_col: str = "month_start") -> pd.DataFrame:
    """Each month against the same month a year earlier: `previous_count`, `change_count`,
    `change_pct` (None/NaN when the earlier month is missing or zero).

    >>> f = pd.DataFrame({"month_start": pd.to_datetime(["2024-01-01", "2025-01-01", "2025-02-01"]),
    ...                   "downloads_count": [100.0, 150.0, 80.0]})
    >>> r = year_over_year(f, "downloads_count")
    >>> r.loc[r["month_start"] == "2025-01-01", ["previous_count", "change_count", "change_pct"]].values.tolist()
    [[100.0, 50.0, 50.0]]
    """
    grid = month_grid(df, value_col, date_col)
    s = grid.set_index(date_col)[value_col]
    prev = s.copy()
    prev.index = prev.index + pd.DateOffset(years=1)
    out = grid.copy()
    out["previous_count"] = prev.reindex(s.index).to_numpy()
    out["change_count"] = out[value_col] - out["previous_count"]
    denom = out["previous_count"].where(out["previous_count"] != 0)
    out["change_pct"] = out["change_count"] / denom * 100.0
    return out


# --------------------------------------------------------------------------- period comparison


@dataclass(frozen=True)
class PeriodTotal:
    """Sum of a monthly series over [start, end] (month starts, inclusive) and its coverage."""

    start: pd.Timestamp
    end: pd.Timestamp
    total_count: float | None  # None when no month of the period has data
    months_with_data: int
    months_expected: int
    missing_months: tuple[pd.Timestamp, ...]

    @property
    def complete(self) -> bool:
        return self.months_with_data == self.months_expected


def period_total(
    df: pd.DataFrame, value_col: str, start: DateLike, end: DateLike, date_col: str = "month_start"
) -> PeriodTotal:
    """Total of the months in [start, end] with the months that have no data listed.

    >>> f = pd.DataFrame({"month_start": pd.to_datetime(["2024-01-01", "2024-03-01"]), "n_count": [5, 7]})
    >>> p = period_total(f, "n_count", "2024-01-01", "2024-03-01")
    >>> (p.total_count, p.months_with_data, p.months_expected, p.complete)
    (12.0, 2, 3, False)
    """
    lo, hi = month_floor(start), month_floor(end)
    if hi < lo:
        lo, hi = hi, lo
    grid = (
        month_grid(df, value_col, date_col, lo, hi)
        if not df.empty
        else pd.DataFrame({date_col: pd.date_range(lo, hi, freq="MS"), value_col: float("nan")})
    )
    present = grid[value_col].notna()
    total = float(grid.loc[present, value_col].sum()) if present.any() else None
    missing = tuple(pd.Timestamp(d) for d in grid.loc[~present, date_col])
    return PeriodTotal(lo, hi, total, int(present.sum()), len(grid), missing)


@dataclass(frozen=True)
class PeriodComparison:
    current: PeriodTotal
    previous: PeriodTotal
    change_count: float | None
    change_pct: float | None  # None when the previous total is zero or missing ("n/a")


def change(current: float | None, previous: float | None) -> tuple[float | None, float | None]:
    """Absolute and percent change; the percent is None when `previous` is zero or missing.

    >>> change(150.0, 100.0), change(5.0, 0.0), change(None, 3.0)
    ((50.0, 50.0), (5.0, None), (None, None))
    """
    if current is None or previous is None or _nan(current) or _nan(previous):
        return None, None
    diff = float(current) - float(previous)
    return diff, (None if previous == 0 else diff / float(previous) * 100.0)


def _nan(v: object) -> bool:
    return isinstance(v, float) and math.isnan(v)


def compare_periods(
    df: pd.DataFrame,
    value_col: str,
    current: tuple[DateLike, DateLike],
    previous: tuple[DateLike, DateLike],
    date_col: str = "month_start",
) -> PeriodComparison:
    """Compare the totals of two periods (each a (first month, last month) pair).

    >>> f = pd.DataFrame({"month_start": pd.date_range("2024-01-01", periods=24, freq="MS"),
    ...                   "n_count": [10.0] * 12 + [15.0] * 12})
    >>> c = compare_periods(f, "n_count", ("2025-01-01", "2025-12-01"), ("2024-01-01", "2024-12-01"))
    >>> (c.current.total_count, c.previous.total_count, c.change_count, c.change_pct)
    (180.0, 120.0, 60.0, 50.0)
    """
    cur = period_total(df, value_col, *current, date_col=date_col)
    prev = period_total(df, value_col, *previous, date_col=date_col)
    diff, pct = change(cur.total_count, prev.total_count)
    return PeriodComparison(cur, prev, diff, pct)


def comparison_periods(
    mode: str, anchor: DateLike | int
) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
    """Current and previous periods for a comparison mode.

    mode "month": `anchor` is a month, compared with the same month a year earlier;
    "calendar": `anchor` is a year; "fiscal": `anchor` is a fiscal year's starting year.

    >>> [[str(d.date()) for d in p] for p in comparison_periods("fiscal", 2025)]
    [['2025-04-01', '2026-03-01'], ['2024-04-01', '2025-03-01']]
    """
    if mode == "month":
        if isinstance(anchor, int):
            raise TypeError(f"a month anchor is a date, not {anchor!r}")
        m = month_floor(anchor)
        p = m - pd.DateOffset(years=1)
        return (m, m), (p, p)
    if isinstance(anchor, dt.date):  # int() of a date raised the same TypeError
        raise TypeError(f"a {mode} anchor is a year, not {anchor!r}")
    if mode == "calendar":
        return calendar_year_bounds(int(anchor)), calendar_year_bounds(int(anchor) - 1)
    if mode == "fiscal":
        return fiscal_year_bounds(int(anchor)), fiscal_year_bounds(int(anchor) - 1)
    raise ValueError(f"unknown comparison mode: {mode!r}")


# --------------------------------------------------------------------------- partial months


def month_coverage(
    days: pd.DataFrame, date_col: str = "day", value_col: str = "events_count", as_of: DateLike | None = None
) -> pd.DataFrame:
    """Daily rows summed to months with `days_with_data`, `days_in_month` and `partial`
    (fewer days than the month has, e.g. the current month or days missing in the source).

    >>> d = pd.DataFrame({"day": pd.to_datetime(["2026-02-01", "2026-02-02"]), "events_count": [3, 4]})
    >>> month_coverage(d)[["events_count", "days_with_data", "days_in_month", "partial"]].values.tolist()
    [[7.0, 2, 28, True]]
    """
    # numpy month/day arithmetic (a pandas groupby with nunique costs ~8 ms per call on every rerun)
    dates = pd.to_datetime(days[date_col]).to_numpy(dtype="datetime64[ns]")
    values = pd.to_numeric(days[value_col], errors="coerce").to_numpy(dtype=float)
    keep = ~np.isnat(dates)
    dates, values = dates[keep], values[keep]
    months, inverse = np.unique(dates.astype("datetime64[M]"), return_inverse=True)
    sums = np.bincount(inverse, weights=np.nan_to_num(values, nan=0.0), minlength=len(months))  # NaN skipped
    unique_days = np.unique(dates.astype("datetime64[D]"))
    day_counts = np.bincount(np.searchsorted(months, unique_days.astype("datetime64[M]")), minlength=len(months))
    month_start = pd.DatetimeIndex(months.astype("datetime64[us]"))  # the unit Period.to_timestamp gives
    out = pd.DataFrame(
        {"month_start": month_start, value_col: sums.astype(float), "days_with_data": day_counts.astype("int64")}
    )
    out["days_in_month"] = month_start.days_in_month.astype(int)
    out["partial"] = out["days_with_data"] < out["days_in_month"]
    if as_of is not None:
        cur = month_floor(as_of)
        out.loc[out["month_start"] == cur, "partial"] = True
    return out


def is_partial_month(month: DateLike, as_of: DateLike) -> bool:
    """True when `month` is the month of `as_of` and `as_of` is not its last day.

    >>> is_partial_month("2026-08-01", "2026-08-22"), is_partial_month("2026-07-01", "2026-08-22")
    (True, False)
    """
    m, a = month_floor(month), pd.Timestamp(as_of)
    return m == month_floor(a) and a.day < a.days_in_month


def months_covered(notes: pd.DataFrame) -> pd.DataFrame:
    """Per month of a top-list source (`month_start`, `note` as "days_covered=19" or empty): `days_covered`
    (None when the note does not say), `days_in_month`, `partial` (fewer days covered than the month has)
    and `in_progress` (the source's last month, partial: the month was not over when it was cut).

    >>> n = pd.DataFrame({"month_start": pd.to_datetime(["2026-06-01", "2026-07-01", "2026-08-01"]),
    ...                   "note": ["days_covered=30", "days_covered=30", "days_covered=19"]})
    >>> months_covered(n)[["days_covered", "days_in_month", "partial", "in_progress"]].values.tolist()
    [[30, 30, False, False], [30, 31, True, False], [19, 31, True, True]]
    """
    out = pd.DataFrame({"month_start": pd.to_datetime(notes["month_start"]).reset_index(drop=True)})
    days = notes["note"].astype("string").str.extract(r"days_covered=(\d+)", expand=False).reset_index(drop=True)
    out["days_covered"] = pd.to_numeric(days, errors="coerce").astype("Int64")
    out["days_in_month"] = pd.DatetimeIndex(out["month_start"]).days_in_month.astype(int)
    out["partial"] = (out["days_covered"] < out["days_in_month"]).fillna(False).astype(bool)
    last = out["month_start"] == out["month_start"].max()
    out["in_progress"] = last & out["partial"]
    return out


def default_top_month(covered: pd.DataFrame) -> pd.Timestamp | None:
    """The latest complete month of `months_covered(...)`: the last month unless the source was cut in
    it (then the month before); None when there is no month.

    >>> n = pd.DataFrame({"month_start": pd.to_datetime(["2026-07-01", "2026-08-01"]),
    ...                   "note": ["days_covered=30", "days_covered=19"]})
    >>> str(default_top_month(months_covered(n)).date())
    '2026-07-01'
    >>> str(default_top_month(months_covered(n.iloc[:1])).date())
    '2026-07-01'
    """
    if covered.empty:
        return None
    done = covered[~covered["in_progress"]]
    row = done if not done.empty else covered
    return pd.Timestamp(row["month_start"].max())


# --------------------------------------------------------------------------- growth


@dataclass(frozen=True)
class Growth:
    year_a: int
    year_b: int
    avg_a_count: float | None
    avg_b_count: float | None
    months_a: int
    months_b: int
    change_pct: float | None


def average_monthly_growth(
    df: pd.DataFrame,
    value_col: str,
    year_a: int,
    year_b: int,
    date_col: str = "month_start",
    year_kind: str = "calendar",
) -> Growth:
    """Growth of the average monthly count from year A to year B:
    ``(avg_B - avg_A) / avg_A * 100`` where ``avg = total of months with data / months with data``.

    A year without any month of data gives an average of None (and no growth).

    >>> f = pd.DataFrame({"month_start": pd.to_datetime(["2015-01-01", "2015-02-01", "2017-05-01"]),
    ...                   "downloads_count": [100.0, 300.0, 350.0]})
    >>> g = average_monthly_growth(f, "downloads_count", 2015, 2017)
    >>> (g.avg_a_count, g.avg_b_count, g.months_a, g.months_b, g.change_pct)
    (200.0, 350.0, 2, 1, 75.0)
    """
    col = "calendar_year" if year_kind == "calendar" else "fiscal_year"
    f = assign_periods(df[[date_col, value_col]].dropna(), date_col)

    def avg(year: int) -> tuple[float | None, int]:
        rows = f[f[col] == year]
        monthly = rows.groupby(pd.to_datetime(rows[date_col]).dt.to_period("M"))[value_col].sum()
        return (float(monthly.mean()) if len(monthly) else None), len(monthly)

    a, na = avg(year_a)
    b, nb = avg(year_b)
    _, pct = change(b, a)
    return Growth(year_a, year_b, a, b, na, nb, pct)


# --------------------------------------------------------------------------- ranking


def top_n(df: pd.DataFrame, key_col: str, value_col: str, n: int = 10, least: bool = False) -> pd.DataFrame:
    """The `n` keys with the largest (or, with `least`, the smallest non-missing, non-zero) totals,
    with `rank` and `share_pct` (share of the total of all keys with data).

    >>> f = pd.DataFrame({"k": ["a", "b", "c", "a"], "downloads_count": [5, 3, 2, 5]})
    >>> top_n(f, "k", "downloads_count", 2)[["k", "downloads_count", "rank", "share_pct"]].values.tolist()
    [['a', 10.0, 1, 66.66666666666666], ['b', 3.0, 2, 20.0]]
    """
    clean = df[[key_col, value_col]].copy()
    clean[value_col] = pd.to_numeric(clean[value_col], errors="coerce")
    clean = clean.dropna(subset=[value_col])
    totals = clean.groupby(key_col)[value_col].sum().reset_index()
    totals[value_col] = totals[value_col].astype(float)
    grand = totals[value_col].sum()
    totals["share_pct"] = totals[value_col] / grand * 100.0 if grand else float("nan")
    totals = totals.sort_values([value_col, key_col], ascending=[False, True], kind="stable")
    totals["rank"] = range(1, len(totals) + 1)
    if least:
        with_data = totals[totals[value_col] > 0]
        out = with_data.sort_values([value_col, key_col], ascending=[True, True], kind="stable").head(n)
    else:
        out = totals.head(n)
    return out[[key_col, value_col, "rank", "share_pct"]].reset_index(drop=True)


def shares(df: pd.DataFrame, key_col: str, value_col: str) -> pd.DataFrame:
    """Each key's value and its share of the total (`share_pct`), largest first.

    >>> shares(pd.DataFrame({"k": ["a", "b"], "visits_count": [3, 1]}), "k", "visits_count")["share_pct"].tolist()
    [75.0, 25.0]
    """
    out = df[[key_col, value_col]].copy()
    total = out[value_col].sum()
    out["share_pct"] = out[value_col] / total * 100.0 if total else float("nan")
    return out.sort_values(value_col, ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- series breaks


@dataclass(frozen=True)
class SeriesBreak:
    key: str  # i18n suffix: break.<key>
    date: pd.Timestamp  # first month measured the new way
    metrics: tuple[str, ...]  # metrics whose comparability it breaks


BREAKS: tuple[SeriesBreak, ...] = (
    SeriesBreak("consolidation_2017", pd.Timestamp(2017, 4, 1), ("downloads", "visits", "datasets")),
    SeriesBreak("ga4_2023", pd.Timestamp(2023, 7, 1), ("downloads", "visits", "dataset_page_visits")),
    SeriesBreak("fy2025_visits", pd.Timestamp(2025, 4, 1), ("visits", "dataset_page_visits")),
)


def breaks_crossed(
    first: DateLike, last: DateLike, metric: str, breaks: tuple[SeriesBreak, ...] = BREAKS
) -> list[SeriesBreak]:
    """Breaks of `metric` that fall inside a comparison spanning months `first`..`last`
    (a break on the first month itself is not crossed: everything is after it).

    >>> [b.key for b in breaks_crossed("2022-07-01", "2024-06-01", "downloads")]
    ['ga4_2023']
    >>> breaks_crossed("2023-07-01", "2024-06-01", "downloads")
    []
    """
    lo, hi = month_floor(first), month_floor(last)
    if hi < lo:
        lo, hi = hi, lo
    return [b for b in breaks if metric in b.metrics and lo < b.date <= hi]


def comparable_since(last: DateLike, metric: str, breaks: tuple[SeriesBreak, ...] = BREAKS) -> pd.Timestamp | None:
    """The first month from which `metric` is measured the same way up to `last` (None: no break).

    >>> str(comparable_since("2026-07-01", "visits").date())
    '2025-04-01'
    """
    hi = month_floor(last)
    past = [b.date for b in breaks if metric in b.metrics and b.date <= hi]
    return max(past) if past else None


def to_date(value: DateLike) -> dt.date:
    """A date from a Timestamp/str/date.

    >>> to_date("2026-07-01")
    datetime.date(2026, 7, 1)
    """
    return pd.Timestamp(value).date()
