"""The executive KPIs of the Overview (and of the brief), computed once from tidy frames."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from metrics.coverage import jurisdiction_coverage
from metrics.periods import WindowComparison, latest_with_delta, monthly_totals, window_comparison


@dataclass(frozen=True)
class FiscalFigure:
    start_year: int
    value: float
    period_end: pd.Timestamp
    previous_start_year: int | None = None
    previous_value: float | None = None

    @property
    def change_pct(self) -> float | None:
        if self.previous_value in (None, 0):
            return None
        return (self.value - self.previous_value) / self.previous_value * 100.0


@dataclass(frozen=True)
class OverviewKpis:
    catalogue: dict[str, object] | None
    split_counts: dict[str, int]
    split_total: int
    downloads_monthly: pd.DataFrame
    downloads_window: WindowComparison | None
    fy_downloads: FiscalFigure | None
    fy_visits: FiscalFigure | None
    coverage: dict[str, object] = field(default_factory=dict)


def _fiscal(df: pd.DataFrame) -> FiscalFigure | None:
    if df.empty:
        return None
    d = df.sort_values("period_start")
    cur = d.iloc[-1]
    prev = d.iloc[-2] if len(d) > 1 else None
    return FiscalFigure(
        int(pd.Timestamp(cur["period_start"]).year),
        float(cur["value"]),
        pd.Timestamp(cur["period_end"]),
        int(pd.Timestamp(prev["period_start"]).year) if prev is not None else None,
        float(prev["value"]) if prev is not None else None,
    )


def overview_kpis(
    daily_snapshots: pd.DataFrame,
    jurisdiction_facets: pd.DataFrame,
    downloads_by_jurisdiction: pd.DataFrame,
    fy_downloads: pd.DataFrame,
    fy_visits: pd.DataFrame,
    portals: pd.DataFrame,
    window_months: int = 12,
    basis: str = "year_before",
) -> OverviewKpis:
    """All Overview figures; the downloads window is compared on `basis` (metrics.periods.window_comparison:
    the same months a year before by default, or the months just before).

    >>> snaps = pd.DataFrame({"snapshot_date": pd.to_datetime(["2026-07-01", "2026-08-22"]),
    ...                       "dataset_count": [100, 130]})
    >>> facets = pd.DataFrame({"snapshot_date": pd.to_datetime(["2026-08-22"] * 2), "value": ["federal", "provincial"],
    ...                        "count": [100, 30]})
    >>> dl = pd.DataFrame({"period_start": pd.date_range("2025-01-01", periods=4, freq="MS"), "value": [1, 1, 2, 2]})
    >>> fy = pd.DataFrame({"period_start": pd.to_datetime(["2024-04-01", "2025-04-01"]), "period_end":
    ...                    pd.to_datetime(["2025-03-31", "2026-03-31"]), "value": [100, 80]})
    >>> portals = pd.DataFrame({"level": ["federal", "provincial"], "pt_code": ["", "ON"]})
    >>> k = overview_kpis(snaps, facets, dl, fy, fy, portals, window_months=2, basis="consecutive")
    >>> (k.catalogue["change_abs"], k.split_counts["provincial"], k.downloads_window.change_pct,
    ...  k.fy_downloads.change_pct)
    (30.0, 30, 100.0, -20.0)
    >>> overview_kpis(snaps, facets, dl, fy, fy, portals, window_months=2).downloads_window is None  # no year before
    True
    """
    latest = (
        latest_with_delta(daily_snapshots, "snapshot_date", "dataset_count", lag_days=30)
        if not daily_snapshots.empty
        else None
    )
    split: dict[str, int] = {}
    total = 0
    if not jurisdiction_facets.empty:
        last = jurisdiction_facets[jurisdiction_facets["snapshot_date"] == jurisdiction_facets["snapshot_date"].max()]
        split = {str(v): int(c) for v, c in zip(last["value"], last["count"], strict=True)}
        total = int(last["count"].sum())
    monthly = (
        monthly_totals(downloads_by_jurisdiction)
        if not downloads_by_jurisdiction.empty
        else pd.DataFrame({"month_start": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype=float)})
    )
    return OverviewKpis(
        catalogue=latest,
        split_counts=split,
        split_total=total,
        downloads_monthly=monthly,
        downloads_window=window_comparison(monthly, months=window_months, basis=basis),
        fy_downloads=_fiscal(fy_downloads),
        fy_visits=_fiscal(fy_visits),
        coverage=jurisdiction_coverage(portals),
    )
