"""Milestone status roll-ups: complete, on track, overdue, at risk."""

from __future__ import annotations

import pandas as pd

ACTIVE_ON_TRACK = frozenset({"in_progress", "on_track", "substantial"})


def classify(milestones: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Classify each milestone at `as_of` into complete / overdue / on_track / not_started / not_reported.

    Overdue: the end date is before `as_of` and the status is not complete. A milestone with no
    reported status is `not_reported`, never assumed complete or late.

    >>> f = pd.DataFrame({"status": ["complete", "on_track", "not_started", None],
    ...                   "end_date": pd.to_datetime(["2015-01-01", "2020-01-01", "2016-01-01", "2016-01-01"])})
    >>> classify(f, pd.Timestamp("2018-10-22")).tolist()
    ['complete', 'on_track', 'overdue', 'not_reported']
    """
    if not {"status", "end_date"} <= set(milestones.columns):
        raise KeyError("milestones need 'status' and 'end_date' columns")
    end = pd.to_datetime(milestones["end_date"])
    status = milestones["status"]

    def one(st: object, e: pd.Timestamp) -> str:
        if st is None or (isinstance(st, float) and pd.isna(st)):
            return "not_reported"
        if st == "complete":
            return "complete"
        if st == "withdrawn":
            return "withdrawn"
        if pd.notna(e) and e < as_of:
            return "overdue"
        if st in ACTIVE_ON_TRACK:
            return "on_track"
        return "not_started" if st == "not_started" else "delayed" if st == "delayed" else "on_track"

    return pd.Series([one(s, e) for s, e in zip(status, end)], index=milestones.index, name="state")


def status_summary(milestones: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, int]:
    """Counts by state at `as_of` plus the total reported.

    >>> f = pd.DataFrame({"status": ["complete", "complete", "on_track"],
    ...                   "end_date": pd.to_datetime(["2015-01-01", "2015-06-01", "2019-01-01"])})
    >>> status_summary(f, pd.Timestamp("2018-10-22"))
    {'complete': 2, 'on_track': 1, 'overdue': 0, 'not_started': 0, 'delayed': 0, 'withdrawn': 0, 'not_reported': 0, 'total': 3}
    """
    states = classify(milestones, as_of)
    keys = ("complete", "on_track", "overdue", "not_started", "delayed", "withdrawn", "not_reported")
    out = {k: int((states == k).sum()) for k in keys}
    out["total"] = int(len(milestones))
    return out
