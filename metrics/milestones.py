"""Milestone status roll-ups: complete, on track, overdue, at risk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pandas.api.typing import NaTType

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

    return pd.Series([one(s, e) for s, e in zip(status, end, strict=True)], index=milestones.index, name="state")


def status_summary(milestones: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, int]:
    """Counts by state at `as_of` plus the total reported.

    >>> f = pd.DataFrame({"status": ["complete", "complete", "on_track"],
    ...                   "end_date": pd.to_datetime(["2015-01-01", "2015-06-01", "2019-01-01"])})
    >>> status_summary(f, pd.Timestamp("2018-10-22"))  # doctest: +NORMALIZE_WHITESPACE
    {'complete': 2, 'on_track': 1, 'overdue': 0, 'not_started': 0, 'delayed': 0, 'withdrawn': 0,
     'not_reported': 0, 'total': 3}
    """
    states = classify(milestones, as_of)
    keys = ("complete", "on_track", "overdue", "not_started", "delayed", "withdrawn", "not_reported")
    out = {k: int((states == k).sum()) for k in keys}
    out["total"] = int(len(milestones))
    return out


# --------------------------------------------------------------------------- timeline, lists, roll-ups
DONE_STATES = frozenset({"complete", "withdrawn"})
WEAK_STATUSES = frozenset({"not_started", "limited", "delayed"})


def deadline_windows(milestones: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Planned window of each milestone: its own dates, else its deadline text, else its indicators' deadlines.

    Adds ``planned_start``, ``planned_end``, ``deadline_text`` (the original text, kept) and
    ``deadline_kind`` (a metrics.deadlines kind, ``dates`` when real dates exist, ``none`` when no
    deadline is given). Does not change the input.

    >>> ms = pd.DataFrame({"id": [1, 2], "start_date": [pd.NaT, pd.NaT],
    ...                    "end_date": [pd.Timestamp("2016-03-31"), pd.NaT],
    ...                    "deadline_en": ["", ""], "deadline_fr": ["", ""]})
    >>> ind = pd.DataFrame({"milestone_id": [2, 2], "deadline_en": ["By fall 2027", "Ongoing"],
    ...                     "deadline_fr": ["", ""]})
    >>> out = deadline_windows(ms, ind)
    >>> out["planned_end"].dt.date.tolist(), out["deadline_kind"].tolist()
    ([datetime.date(2016, 3, 31), datetime.date(2027, 11, 30)], ['dates', 'season'])
    """
    from metrics.deadlines import parse_first

    out = milestones.copy()
    texts: dict[int, list[tuple[str, str]]] = {}
    if indicators is not None and not indicators.empty:
        for mid, en, fr in zip(
            indicators["milestone_id"], indicators["deadline_en"], indicators["deadline_fr"], strict=True
        ):
            if en or fr:
                texts.setdefault(int(mid), []).append((en or "", fr or ""))
    starts, ends, kinds, shown = [], [], [], []
    for _, r in out.iterrows():
        end = r.get("end_date")
        if pd.notna(end):
            starts.append(r.get("start_date"))
            ends.append(end)
            kinds.append("dates")
            shown.append(r.get("end_text", "") or "")
            continue
        cands = []
        if r.get("deadline_en") or r.get("deadline_fr"):
            cands.append((r.get("deadline_en") or "", r.get("deadline_fr") or ""))
        cands += texts.get(int(r["id"]), [])
        parsed = [parse_first(en, fr) for en, fr in cands]
        dated = [(d.due, d) for d in parsed if d.due is not None]
        if dated:
            last_due, last = max(dated, key=lambda pair: pair[0])
            known_starts = [d.start for _, d in dated if d.start]
            starts.append(pd.Timestamp(min(known_starts) if known_starts else last_due))
            ends.append(pd.Timestamp(last_due))
            kinds.append(last.kind)
            shown.append(last.text)
        elif parsed:
            starts.append(pd.NaT)
            ends.append(pd.NaT)
            kinds.append(parsed[0].kind)
            shown.append(parsed[0].text)
        else:
            starts.append(pd.NaT)
            ends.append(pd.NaT)
            kinds.append("none")
            shown.append("")
    out["planned_start"] = pd.to_datetime(pd.Series(starts, index=out.index, dtype="object"))
    out["planned_end"] = pd.to_datetime(pd.Series(ends, index=out.index, dtype="object"))
    out["deadline_kind"] = kinds
    out["deadline_text"] = shown
    return out


def _reported(s: object) -> bool:
    return s is not None and not (isinstance(s, float) and pd.isna(s))


def overdue_list(milestones: pd.DataFrame, ref_date: pd.Timestamp, end_col: str = "planned_end") -> pd.DataFrame:
    """Milestones whose planned end is before `ref_date` and whose reported status is not complete
    (nor withdrawn), with ``days_overdue``. Milestones without a reported status are left out
    (see `past_due_unreported`).

    >>> f = pd.DataFrame({"status": ["complete", "not_started", None],
    ...                   "planned_end": pd.to_datetime(["2015-01-01"] * 3)})
    >>> overdue_list(f, pd.Timestamp("2015-01-31"))["days_overdue"].tolist()
    [30]
    """
    end = pd.to_datetime(milestones[end_col])
    mask = (end < ref_date) & milestones["status"].map(_reported) & ~milestones["status"].isin(DONE_STATES)
    out = milestones.loc[mask].copy()
    out["days_overdue"] = (ref_date - pd.to_datetime(out[end_col])).dt.days.astype(int)
    return out.sort_values("days_overdue", ascending=False)


def past_due_unreported(milestones: pd.DataFrame, ref_date: pd.Timestamp, end_col: str = "planned_end") -> int:
    """How many milestones are past their planned end with no reported status (neither late nor done).

    >>> past_due_unreported(pd.DataFrame({"status": [None, "complete"],
    ...                                   "planned_end": pd.to_datetime(["2015-01-01"] * 2)}),
    ...                     pd.Timestamp("2016-01-01"))
    1
    """
    end = pd.to_datetime(milestones[end_col])
    return int(((end < ref_date) & ~milestones["status"].map(_reported)).sum())


def at_risk_list(
    milestones: pd.DataFrame, ref_date: pd.Timestamp, days: int, end_col: str = "planned_end"
) -> pd.DataFrame:
    """Milestones due within `days` days after `ref_date` (inclusive) that are not started, delayed or
    show limited progress, with ``days_left``.

    >>> f = pd.DataFrame({"status": ["not_started", "on_track", "limited", "not_started"],
    ...                   "planned_end": pd.to_datetime(["2019-01-10", "2019-01-10", "2019-03-01", "2018-12-01"])})
    >>> at_risk_list(f, pd.Timestamp("2019-01-01"), 30)["days_left"].tolist()
    [9]
    """
    end = pd.to_datetime(milestones[end_col])
    mask = (
        (end >= ref_date) & (end <= ref_date + pd.Timedelta(days=int(days))) & milestones["status"].isin(WEAK_STATUSES)
    )
    out = milestones.loc[mask].copy()
    out["days_left"] = (pd.to_datetime(out[end_col]) - ref_date).dt.days.astype(int)
    return out.sort_values("days_left")


def slippage(milestones: pd.DataFrame, ref_date: pd.Timestamp, end_col: str = "planned_end") -> pd.DataFrame:
    """Planned against actual end: ``actual_or_ref_end`` (the actual end when reported, else `ref_date`
    for open milestones past due), ``slip_days`` (positive = late) and ``slip_flag``
    (late_complete | overdue | on_time | open | unknown).

    >>> f = pd.DataFrame({"status": ["complete", "complete", "on_track", None],
    ...                   "planned_end": pd.to_datetime(["2016-01-01", "2016-01-01", "2016-01-01", "2016-01-01"]),
    ...                   "actual_end_date": pd.to_datetime(["2016-02-01", None, None, None])})
    >>> slippage(f, pd.Timestamp("2016-03-01"))[["slip_days", "slip_flag"]].values.tolist()
    [[31.0, 'late_complete'], [nan, 'unknown'], [60.0, 'overdue'], [nan, 'unknown']]
    """
    out = milestones.copy()
    planned = pd.to_datetime(out[end_col])
    actual = pd.to_datetime(out["actual_end_date"]) if "actual_end_date" in out else pd.Series(pd.NaT, index=out.index)
    flags: list[str] = []
    ends: list[pd.Timestamp | NaTType] = []
    slips: list[float] = []

    def add(flag: str, end: pd.Timestamp | NaTType, slip: float) -> None:
        flags.append(flag)
        ends.append(end)
        slips.append(slip)

    for st, p, a in zip(out["status"], planned, actual, strict=True):
        if pd.isna(p) or not _reported(st):
            add("unknown", pd.NaT, float("nan"))
        elif st in DONE_STATES:
            if pd.isna(a):
                add("unknown", pd.NaT, float("nan"))
            else:
                d = (a - p).days
                add("late_complete" if d > 0 else "on_time", a, float(d))
        elif p < ref_date:
            add("overdue", ref_date, float((ref_date - p).days))
        else:
            add("open", pd.NaT, float("nan"))
    out["actual_or_ref_end"] = pd.to_datetime(pd.Series(ends, index=out.index, dtype="object"))
    out["slip_days"] = slips
    out["slip_flag"] = flags
    return out


def display_state(milestones: pd.DataFrame) -> pd.Series:
    """The reported status, or ``not_reported`` when none was reported (never guessed).

    >>> display_state(pd.DataFrame({"status": ["complete", None]})).tolist()
    ['complete', 'not_reported']
    """
    return milestones["status"].map(lambda s: s if _reported(s) else "not_reported").rename("state")


def progress_by(milestones: pd.DataFrame, by: str) -> pd.DataFrame:
    """Milestone counts by `by` (e.g. year_index, reference) and reported state, long format:
    columns `by`, ``state``, ``milestones_count``.

    >>> f = pd.DataFrame({"reference": ["6.3", "6.3", "7.1"], "status": ["complete", None, "complete"]})
    >>> progress_by(f, "reference").values.tolist()
    [['6.3', 'complete', 1], ['6.3', 'not_reported', 1], ['7.1', 'complete', 1]]
    """
    f = pd.DataFrame(
        {
            by: milestones[by].fillna("").astype(str) if milestones[by].dtype == object else milestones[by],
            "state": display_state(milestones),
        }
    )
    return f.groupby([by, "state"], sort=True).size().rename("milestones_count").reset_index()


def completion_dates(milestones: pd.DataFrame, history: pd.DataFrame | None = None) -> pd.Series:
    """When each complete milestone is known to have been complete: its actual end date, else the
    first status date at which it was reported complete (history), else its status date.

    >>> ms = pd.DataFrame({"id": [1, 2], "status": ["complete", "on_track"], "actual_end_date": [pd.NaT, pd.NaT],
    ...                    "status_as_of": pd.to_datetime(["2018-10-22", "2018-10-22"])})
    >>> completion_dates(ms).tolist()
    [Timestamp('2018-10-22 00:00:00'), NaT]
    """
    first: dict[int, pd.Timestamp] = {}
    if history is not None and not history.empty:
        done = history[history["status"] == "complete"]
        for mid, d in zip(done["milestone_id"], pd.to_datetime(done["as_of"]), strict=True):
            if int(mid) not in first or d < first[int(mid)]:
                first[int(mid)] = d
    out: list[pd.Timestamp | NaTType] = []
    for _, r in milestones.iterrows():
        if r["status"] != "complete":
            out.append(pd.NaT)
        elif pd.notna(r.get("actual_end_date")):
            out.append(pd.Timestamp(r["actual_end_date"]))
        elif int(r["id"]) in first:
            out.append(first[int(r["id"])])
        else:
            out.append(pd.Timestamp(r["status_as_of"]) if pd.notna(r.get("status_as_of")) else pd.NaT)
    return pd.Series(pd.to_datetime(pd.Series(out, dtype="object")).values, index=milestones.index, name="completed_on")


def burnup(milestones: pd.DataFrame, completed_on: pd.Series, end_col: str = "planned_end") -> pd.DataFrame:
    """Cumulative milestones planned to be done and reported complete, by month (long format:
    ``month``, ``series`` in {planned, completed}, ``milestones_count``).

    >>> ms = pd.DataFrame({"planned_end": pd.to_datetime(["2015-01-15", "2015-03-10"])})
    >>> done = pd.Series(pd.to_datetime(["2015-02-01", None]))
    >>> b = burnup(ms, done); b[b["series"] == "completed"]["milestones_count"].tolist()
    [0, 1, 1]
    """
    planned = pd.to_datetime(milestones[end_col]).dropna()
    done = pd.to_datetime(completed_on).dropna()
    if planned.empty and done.empty:
        return pd.DataFrame(columns=["month", "series", "milestones_count"])
    lo = min(
        x
        for x in (planned.min() if not planned.empty else None, done.min() if not done.empty else None)
        if x is not None
    )
    hi = max(
        x
        for x in (planned.max() if not planned.empty else None, done.max() if not done.empty else None)
        if x is not None
    )
    months = pd.date_range(lo.to_period("M").to_timestamp(), hi.to_period("M").to_timestamp(), freq="MS")
    rows = []
    for mo in months:
        nxt = mo + pd.offsets.MonthBegin(1)
        rows.append({"month": mo, "series": "planned", "milestones_count": int((planned < nxt).sum())})
        rows.append({"month": mo, "series": "completed", "milestones_count": int((done < nxt).sum())})
    return pd.DataFrame(rows)


def challenge_counts(challenges: pd.DataFrame, by: str) -> pd.DataFrame:
    """Challenges counted by `by` (commitment_code, department or reporting_period) and code.

    >>> ch = pd.DataFrame({"department": ["TBS", "TBS", "ESDC"], "code": ["funding", "funding", "other"]})
    >>> challenge_counts(ch, "department").values.tolist()
    [['ESDC', 'other', 1], ['TBS', 'funding', 2]]
    """
    if challenges.empty:
        return pd.DataFrame(columns=[by, "code", "challenges_count"])
    f = challenges.assign(**{by: challenges[by].fillna("").astype(str)})
    return f.groupby([by, "code"]).size().rename("challenges_count").reset_index()
