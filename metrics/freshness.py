"""Freshness: of catalogue records against their declared update frequency, and of portals against
their last successful refresh.

Record freshness follows the rule of TBS's FreshCheck report for open.canada.ca: the next update is
expected one declared period (an ISO-8601 duration such as ``P1D``, ``P1M``, ``P1Y``) after the
record's ``metadata_modified`` date; ``late`` when that date has passed at the as-of date,
``due_soon`` when it falls within the next ``DUE_SOON_DAYS`` days, else ``current``. Frequencies
that are not a duration (``as_needed``, ``irregular``, ``continual``, ``not_planned``, ``unknown``)
give ``unknown``: no expectation can be checked.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re

import pandas as pd

STATUSES: tuple[str, ...] = ("current", "due_soon", "late", "unknown")
DUE_SOON_DAYS = 7
_DURATION = re.compile(
    r"P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
)


def parse_frequency(freq: object) -> dict[str, float] | None:
    """The date parts of an ISO-8601 duration frequency, or None when it is not one.

    >>> parse_frequency("P3M")
    {'years': 0.0, 'months': 3.0, 'weeks': 0.0, 'days': 0.0}
    >>> parse_frequency("as_needed") is None, parse_frequency("P") is None, parse_frequency(None) is None
    (True, True, True)
    """
    if freq is None or (isinstance(freq, float) and math.isnan(freq)):
        return None
    match = _DURATION.fullmatch(str(freq).strip().upper())
    if not match:
        return None
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return parts if any(parts.values()) else None


def _add_months(day: dt.date, months: int) -> dt.date:
    idx = day.month - 1 + months
    year, month = day.year + idx // 12, idx % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def expected_update(modified: dt.date | pd.Timestamp | None, freq: object) -> dt.date | None:
    """Date of the next expected update: calendar months and years first (day clamped to the month's
    end), then weeks and days; a fractional month counts as 30 days per month, rounded up.

    >>> expected_update(dt.date(2026, 1, 31), "P1M"), expected_update(dt.date(2026, 5, 27), "P1W")
    (datetime.date(2026, 2, 28), datetime.date(2026, 6, 3))
    >>> expected_update(dt.date(2026, 5, 27), "irregular") is None
    True
    """
    parts = parse_frequency(freq)
    if parts is None or modified is None or pd.isna(modified):
        return None
    day = pd.Timestamp(modified).date()
    months_total = parts["years"] * 12 + parts["months"]
    whole = int(months_total)
    out = _add_months(day, whole) if whole else day
    extra_days = parts["weeks"] * 7 + parts["days"] + (months_total - whole) * 30
    return out + dt.timedelta(days=math.ceil(extra_days)) if extra_days else out


def status_from_days(days_until: float | None) -> str:
    """'late' (< 0), 'due_soon' (0..DUE_SOON_DAYS), 'current', or 'unknown' (no expectation).

    >>> [status_from_days(d) for d in (-1, 0, 7, 8, None)]
    ['late', 'due_soon', 'due_soon', 'current', 'unknown']
    """
    if days_until is None or pd.isna(days_until):
        return "unknown"
    if days_until < 0:
        return "late"
    return "due_soon" if days_until <= DUE_SOON_DAYS else "current"


def classify_records(
    records: pd.DataFrame,
    as_of: dt.date | pd.Timestamp,
    modified_col: str = "metadata_modified",
    freq_col: str = "frequency",
) -> pd.DataFrame:
    """Copy of `records` with `expected_update_date`, `days_until_update_days` (nullable) and
    `computed_status`.

    >>> f = pd.DataFrame({"metadata_modified": pd.to_datetime(["2026-05-27", "2026-05-27", "2026-08-20"]),
    ...                   "frequency": ["P1M", "P3M", "irregular"]})
    >>> r = classify_records(f, dt.date(2026, 8, 22))
    >>> r["days_until_update_days"].tolist(), r["computed_status"].tolist()
    ([-56, 5, <NA>], ['late', 'due_soon', 'unknown'])
    """
    missing = {modified_col, freq_col} - set(records.columns)
    if missing:
        raise KeyError(f"missing columns: {sorted(missing)}")
    ref = pd.Timestamp(as_of).date()
    out = records.copy()
    expected = [expected_update(m, f) for m, f in zip(out[modified_col], out[freq_col], strict=True)]
    out["expected_update_date"] = pd.to_datetime(pd.Series(expected, index=out.index, dtype="object"))
    out["days_until_update_days"] = pd.array(
        [(e - ref).days if e is not None else None for e in expected], dtype="Int64"
    )
    out["computed_status"] = [status_from_days(d) for d in out["days_until_update_days"]]
    return out


def status_counts(statuses: pd.Series) -> pd.DataFrame:
    """Records per status in the fixed order current, due soon, late, unknown (zeros kept), with the
    share of all records in percent.

    >>> status_counts(pd.Series(["late", "current", "late", "unknown"]))["records_count"].tolist()
    [1, 0, 2, 1]
    """
    counts = statuses.value_counts()
    out = pd.DataFrame({"status": list(STATUSES), "records_count": [int(counts.get(s, 0)) for s in STATUSES]})
    total = out["records_count"].sum()
    out["share_pct"] = out["records_count"] / total * 100.0 if total else float("nan")
    return out


def declared_share(counts: pd.DataFrame) -> float | None:
    """Share (percent) of `late` records among those whose frequency can be checked (not unknown).

    >>> declared_share(pd.DataFrame({"status": ["current", "due_soon", "late", "unknown"],
    ...                              "records_count": [30, 10, 60, 900]}))
    60.0
    """
    c = counts.set_index("status")["records_count"]
    checkable = float(c.get("current", 0) + c.get("due_soon", 0) + c.get("late", 0))
    return None if checkable == 0 else float(c.get("late", 0)) / checkable * 100.0


def portal_refresh_status(portals: pd.DataFrame, snapshots: pd.DataFrame, origin: str = "refresh") -> pd.DataFrame:
    """One row per portal: `last_success_date` (latest snapshot of `origin` with ok=True), `last_attempt_date`,
    `last_attempt_ok` and `refresh_status` in {'ok', 'failed', 'never'}. Failed attempts never count as
    a successful refresh; a portal whose latest attempt failed is 'failed' even if it succeeded before.

    >>> p = pd.DataFrame({"id": ["a", "b", "c"]})
    >>> s = pd.DataFrame({"portal_id": ["a", "a", "b"], "origin": ["refresh"] * 3, "ok": [True, False, True],
    ...                   "snapshot_date": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01"])})
    >>> r = portal_refresh_status(p, s)
    >>> r["refresh_status"].tolist(), r["last_success_date"].dt.strftime("%Y-%m-%d").tolist()
    (['failed', 'ok', 'never'], ['2026-01-01', '2026-01-01', nan])
    """
    base = portals[["id"]].rename(columns={"id": "portal_id"})
    snaps = snapshots[snapshots["origin"] == origin] if not snapshots.empty else snapshots
    cols = ["portal_id", "last_success_date", "last_attempt_date", "last_attempt_ok"]
    if snaps.empty:
        agg = pd.DataFrame(columns=cols)
    else:
        snaps = snaps.assign(snapshot_date=pd.to_datetime(snaps["snapshot_date"]))
        ordered = snaps.sort_values(["portal_id", "snapshot_date"], kind="stable")
        last = ordered.groupby("portal_id", as_index=False).tail(1)[["portal_id", "snapshot_date", "ok"]]
        last = last.rename(columns={"snapshot_date": "last_attempt_date", "ok": "last_attempt_ok"})
        good = (
            ordered[ordered["ok"].astype(bool)]
            .groupby("portal_id")["snapshot_date"]
            .max()
            .reset_index()
            .rename(columns={"snapshot_date": "last_success_date"})
        )
        agg = last.merge(good, on="portal_id", how="left")[cols]
    out = base.merge(agg, on="portal_id", how="left")
    out["last_success_date"] = pd.to_datetime(out["last_success_date"])
    out["last_attempt_date"] = pd.to_datetime(out["last_attempt_date"])
    out["refresh_status"] = [
        "never" if pd.isna(d) else "ok" if bool(ok) else "failed"
        for d, ok in zip(out["last_attempt_date"], out["last_attempt_ok"], strict=True)
    ]
    return out
