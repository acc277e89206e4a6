"""The working group's year at a glance: meetings by month, participation by jurisdiction, topics done,
year comparison and the action-plan progress of the plans active in a year.

Pure pandas: frames in, frames out; inputs are never modified. Frames have the columns of
`opengov.queries.working_group` (meetings: id, year, month, meeting_date, held, no_meeting_reason_en/fr;
activities: id, meeting_id, year, meeting_date, kind, presenter_jurisdiction; agenda: id, year, status,
done_date, presenter_jurisdiction; priorities: year, ...).
"""

from __future__ import annotations

import pandas as pd

from metrics.vocab import CANONICAL

#: Jurisdiction codes in display order: federal, provinces, territories, municipal, international, unknown ("").
PT_CODES: tuple[str, ...] = ("BC", "AB", "SK", "MB", "ON", "QC", "NB", "NS", "PE", "NL", "YT", "NT", "NU")
JURISDICTIONS: tuple[str, ...] = ("federal", *PT_CODES, "municipal", "international", "")
#: Kinds of contribution counted by participation: meeting activities plus agenda topics done.
CONTRIBUTION_KINDS: tuple[str, ...] = ("presentation", "discussion", "other", "agenda_topic")
MONTH_STATES: tuple[str, ...] = ("held", "not_held", "no_record")


def _year_of(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce").dt.year


def years_with_data(
    meetings: pd.DataFrame, agenda: pd.DataFrame | None = None, priorities: pd.DataFrame | None = None
) -> list[int]:
    """Sorted years that have at least one meeting row, agenda item or priority.

    >>> years_with_data(pd.DataFrame({"year": [2022, 2021, 2022]}), pd.DataFrame({"year": [2023]}))
    [2021, 2022, 2023]
    """
    years: set[int] = set()
    for f in (meetings, agenda, priorities):
        if f is not None and len(f) and "year" in f:
            years |= {int(y) for y in f["year"].dropna()}
    return sorted(years)


def meetings_by_month(meetings: pd.DataFrame, year: int) -> pd.DataFrame:
    """Twelve rows for `year`: one per month, with the meetings held and why none was held.

    Columns: month (1-12), month_start, meetings_held_count, meeting_dates (ISO dates joined by ", "),
    state (held | not_held | no_record), reason_en, reason_fr. `not_held` means the record says no
    meeting took place (its reason, if known, is kept); `no_record` means the data do not cover the month.

    >>> f = pd.DataFrame({"year": [2021, 2021], "month": [1, 8], "held": [True, False],
    ...                   "meeting_date": [pd.Timestamp("2021-01-12"), pd.NaT],
    ...                   "no_meeting_reason_en": ["", "Election"], "no_meeting_reason_fr": ["", "Élection"]})
    >>> out = meetings_by_month(f, 2021)
    >>> out.loc[out["month"].isin([1, 8, 9]), ["month", "meetings_held_count", "state", "reason_en"]].values.tolist()
    [[1, 1, 'held', ''], [8, 0, 'not_held', 'Election'], [9, 0, 'no_record', '']]
    """
    need = {"year", "month", "held"}
    if not need <= set(meetings.columns):
        raise KeyError(f"meetings need columns {sorted(need)}")
    f = meetings[meetings["year"] == year]
    # A year has a dozen rows: plain Python over them, not twelve rounds of frame filtering (this
    # runs several times on every rerun of the working-group page).
    recs = f.to_dict("records")
    rows = []
    for month in range(1, 13):
        in_month = [r for r in recs if r["month"] == month]
        held = [r for r in in_month if bool(r["held"])]
        not_held = [r for r in in_month if not bool(r["held"])]
        dates = sorted(
            d for d in pd.to_datetime(pd.Series([r.get("meeting_date") for r in held], dtype="object")).dropna()
        )
        if held:
            state, reason_en, reason_fr = "held", "", ""
        elif not_held:
            state = "not_held"
            reason_en = " ".join(dict.fromkeys(str(v) for r in not_held if (v := r.get("no_meeting_reason_en"))))
            reason_fr = " ".join(dict.fromkeys(str(v) for r in not_held if (v := r.get("no_meeting_reason_fr"))))
        else:
            state, reason_en, reason_fr = "no_record", "", ""
        rows.append(
            {
                "month": month,
                "month_start": pd.Timestamp(year=year, month=month, day=1),
                "meetings_held_count": len(held),
                "meeting_dates": ", ".join(d.date().isoformat() for d in dates),
                "state": state,
                "reason_en": reason_en,
                "reason_fr": reason_fr,
            }
        )
    return pd.DataFrame(rows)


def activities_of_year(activities: pd.DataFrame, year: int) -> pd.DataFrame:
    """The activities of meetings held in `year` (a copy), sorted by date and id.

    >>> f = pd.DataFrame({"id": ["b", "a"], "year": [2021, 2022],
    ...                   "meeting_date": pd.to_datetime(["2021-01-12", "2022-01-11"])})
    >>> activities_of_year(f, 2021)["id"].tolist()
    ['b']
    """
    f = activities[activities["year"] == year]
    return f.sort_values(["meeting_date", "id"]).reset_index(drop=True)


def topics_done(agenda: pd.DataFrame, year: int) -> pd.DataFrame:
    """Agenda topics marked done on a date of `year`, by date (a copy).

    >>> f = pd.DataFrame({"id": ["a", "b", "c"], "status": ["done", "pending", "done"],
    ...                   "done_date": pd.to_datetime(["2022-02-08", None, "2021-05-01"])})
    >>> topics_done(f, 2022)["id"].tolist()
    ['a']
    """
    done = agenda[(agenda["status"] == "done") & (_year_of(agenda["done_date"]) == year)]
    return done.sort_values(["done_date", "id"]).reset_index(drop=True)


def topics_pending(agenda: pd.DataFrame, year: int) -> pd.DataFrame:
    """Agenda topics of the `year` agenda that are still pending (a copy).

    >>> f = pd.DataFrame({"id": ["a", "b"], "year": [2022, 2022], "status": ["done", "pending"]})
    >>> topics_pending(f, 2022)["id"].tolist()
    ['b']
    """
    return agenda[(agenda["year"] == year) & (agenda["status"] == "pending")].sort_values("id").reset_index(drop=True)


def participation_by_jurisdiction(activities: pd.DataFrame, agenda: pd.DataFrame, year: int) -> pd.DataFrame:
    """Contributions to the year's meetings by presenting jurisdiction and kind.

    A contribution is a meeting activity (presentation, discussion, other) or an agenda topic done in
    the year. The jurisdiction is the presenter's ("" when the source names none). Columns:
    jurisdiction, kind, contributions_count; ordered federal, provinces/territories, municipal,
    international, unknown.

    >>> acts = pd.DataFrame({"year": [2021, 2021, 2021], "kind": ["presentation", "discussion", "presentation"],
    ...                      "presenter_jurisdiction": ["ON", "ON", ""],
    ...                      "meeting_date": pd.to_datetime(["2021-01-12"] * 3), "id": ["1", "2", "3"]})
    >>> ag = pd.DataFrame({"status": ["done"], "done_date": pd.to_datetime(["2021-02-09"]),
    ...                    "presenter_jurisdiction": ["federal"], "id": ["x"]})
    >>> participation_by_jurisdiction(acts, ag, 2021).values.tolist()
    [['federal', 'agenda_topic', 1], ['ON', 'presentation', 1], ['ON', 'discussion', 1], ['', 'presentation', 1]]
    """
    acts = activities_of_year(activities, year)
    parts = [
        pd.DataFrame(
            {"jurisdiction": acts["presenter_jurisdiction"].fillna("").astype(str), "kind": acts["kind"].astype(str)}
        )
    ]
    done = topics_done(agenda, year)
    if len(done):
        parts.append(
            pd.DataFrame(
                {"jurisdiction": done["presenter_jurisdiction"].fillna("").astype(str), "kind": "agenda_topic"}
            )
        )
    allp = pd.concat(parts, ignore_index=True)
    if allp.empty:
        return pd.DataFrame(
            {
                "jurisdiction": pd.Series(dtype=str),
                "kind": pd.Series(dtype=str),
                "contributions_count": pd.Series(dtype=int),
            }
        )
    out = allp.groupby(["jurisdiction", "kind"], as_index=False).size().rename(columns={"size": "contributions_count"})
    order = {j: i for i, j in enumerate(JURISDICTIONS)}
    korder = {k: i for i, k in enumerate(CONTRIBUTION_KINDS)}
    out["_j"] = out["jurisdiction"].map(lambda j: order.get(j, len(order) - 1.5))
    out["_k"] = out["kind"].map(lambda k: korder.get(k, 99))
    out = out.sort_values(["_j", "_k"]).drop(columns=["_j", "_k"]).reset_index(drop=True)
    out["contributions_count"] = out["contributions_count"].astype(int)
    return out


def participation_totals(participation: pd.DataFrame) -> pd.DataFrame:
    """One row per jurisdiction (display order kept): jurisdiction, contributions_count.

    >>> p = pd.DataFrame({"jurisdiction": ["ON", "ON", ""], "kind": ["a", "b", "a"], "contributions_count": [1, 2, 4]})
    >>> participation_totals(p).values.tolist()
    [['ON', 3], ['', 4]]
    """
    return participation.groupby("jurisdiction", sort=False)["contributions_count"].sum().reset_index()


def year_summary(
    meetings: pd.DataFrame, activities: pd.DataFrame, agenda: pd.DataFrame, year: int
) -> dict[str, object]:
    """Headline counts of a year.

    Keys: meetings_held_count, months_not_held_count, months_no_record_count, activities_count,
    presentations_count, discussions_count, topics_done_count, jurisdictions_count and jurisdictions
    (codes of the jurisdictions that presented or led a discussion or a topic, display order).

    >>> m = pd.DataFrame({"year": [2021, 2021], "month": [1, 2], "held": [True, False],
    ...                   "meeting_date": pd.to_datetime(["2021-01-12", None])})
    >>> a = pd.DataFrame({"id": ["1"], "year": [2021], "meeting_date": pd.to_datetime(["2021-01-12"]),
    ...                   "kind": ["presentation"], "presenter_jurisdiction": ["QC"]})
    >>> g = pd.DataFrame({"id": [], "year": [], "status": [], "done_date": pd.to_datetime([]),
    ...                   "presenter_jurisdiction": []})
    >>> s = year_summary(m, a, g, 2021)
    >>> (s["meetings_held_count"], s["months_not_held_count"], s["months_no_record_count"], s["jurisdictions"])
    (1, 1, 10, ['QC'])
    """
    counts, jur = _year_counts(meetings, activities, agenda, year)
    return {**counts, "jurisdictions": jur}


def _year_counts(
    meetings: pd.DataFrame, activities: pd.DataFrame, agenda: pd.DataFrame, year: int
) -> tuple[dict[str, int], list[str]]:
    """The counts of `year_summary` (in its key order) and its jurisdictions."""
    months = meetings_by_month(meetings, year)
    acts = activities_of_year(activities, year)
    part = participation_by_jurisdiction(activities, agenda, year)
    jur = [j for j in dict.fromkeys(part["jurisdiction"]) if j]
    counts = {
        "meetings_held_count": int(months["meetings_held_count"].sum()),
        "months_not_held_count": int((months["state"] == "not_held").sum()),
        "months_no_record_count": int((months["state"] == "no_record").sum()),
        "activities_count": int(len(acts)),
        "presentations_count": int((acts["kind"] == "presentation").sum()),
        "discussions_count": int((acts["kind"] == "discussion").sum()),
        "topics_done_count": int(len(topics_done(agenda, year))),
        "jurisdictions_count": len(jur),
    }
    return counts, jur


COMPARISON_MEASURES: tuple[str, ...] = (
    "meetings_held_count",
    "activities_count",
    "presentations_count",
    "discussions_count",
    "jurisdictions_count",
    "topics_done_count",
)


def compare_years(
    meetings: pd.DataFrame, activities: pd.DataFrame, agenda: pd.DataFrame, year_a: int, year_b: int
) -> pd.DataFrame:
    """Side-by-side headline counts of two years: measure, value_a, value_b, change_count (b - a).

    >>> m = pd.DataFrame({"year": [2021, 2022, 2022], "month": [1, 1, 2], "held": [True, True, True],
    ...                   "meeting_date": pd.to_datetime(["2021-01-12", "2022-01-11", "2022-02-08"])})
    >>> a = pd.DataFrame({"id": [], "year": [], "meeting_date": pd.to_datetime([]), "kind": [],
    ...                   "presenter_jurisdiction": []})
    >>> g = pd.DataFrame({"id": [], "year": [], "status": [], "done_date": pd.to_datetime([]),
    ...                   "presenter_jurisdiction": []})
    >>> compare_years(m, a, g, 2021, 2022).loc[0, ["value_a", "value_b", "change_count"]].astype(int).tolist()
    [1, 2, 1]
    """
    sa, _ = _year_counts(meetings, activities, agenda, year_a)
    sb, _ = _year_counts(meetings, activities, agenda, year_b)
    rows = [
        {"measure": k, "value_a": sa[k], "value_b": sb[k], "change_count": sb[k] - sa[k]} for k in COMPARISON_MEASURES
    ]
    return pd.DataFrame(rows)


def plan_progress(milestones: pd.DataFrame, plans: pd.DataFrame, year: int) -> pd.DataFrame:
    """Milestones by canonical status for the action plans active in `year` that report a status.

    A plan is active when its period overlaps the calendar year. Milestones without a status are not
    counted (never assumed). Columns: plan_id, status, milestones_count, status_as_of (the latest
    status date of the plan's milestones, else the plan's own status date; NaT if unknown).
    Empty when no active plan has status data.

    >>> plans = pd.DataFrame({"id": ["P", "Q"], "period_start": pd.to_datetime(["2015-01-01", "2022-01-01"]),
    ...                       "period_end": pd.to_datetime(["2020-03-31", "2024-12-31"]),
    ...                       "status_as_of": pd.to_datetime(["2018-10-22", None])})
    >>> ms = pd.DataFrame({"plan_id": ["P", "P", "Q"], "status": ["complete", "on_track", None],
    ...                    "status_as_of": pd.to_datetime(["2018-10-22", "2018-10-22", None])})
    >>> plan_progress(ms, plans, 2018)[["plan_id", "status", "milestones_count"]].values.tolist()
    [['P', 'on_track', 1], ['P', 'complete', 1]]
    >>> plan_progress(ms, plans, 2022).empty
    True
    """
    cols = ["plan_id", "status", "milestones_count", "status_as_of"]
    if plans.empty or milestones.empty:
        return pd.DataFrame(columns=cols)
    start = pd.to_datetime(plans["period_start"])
    end = pd.to_datetime(plans["period_end"])
    y0, y1 = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    active = plans[(start.isna() | (start <= y1)) & (end.isna() | (end >= y0))]
    ms = milestones[milestones["plan_id"].isin(active["id"]) & milestones["status"].notna()]
    if ms.empty:
        return pd.DataFrame(columns=cols)
    out = ms.groupby(["plan_id", "status"], as_index=False).size().rename(columns={"size": "milestones_count"})
    ms_date = pd.to_datetime(ms["status_as_of"]).groupby(ms["plan_id"]).max()
    plan_date = pd.to_datetime(active.set_index("id")["status_as_of"])
    out["status_as_of"] = out["plan_id"].map(lambda p: ms_date.get(p) if pd.notna(ms_date.get(p)) else plan_date.get(p))
    order = {s: i for i, s in enumerate(CANONICAL)}
    out = (
        out.assign(_o=out["status"].map(lambda s: order.get(s, 99)))
        .sort_values(["plan_id", "_o"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )
    out["milestones_count"] = out["milestones_count"].astype(int)
    return out[cols]
