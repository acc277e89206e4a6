"""metrics.working_group against hand-computed answers from the shipped seed transcriptions.

Hand counts (data/seeds/cogwg_*.csv, seed 001):
* 2021: 8 meetings held (Jan-Jul, Nov); no meeting in Aug, Sep, Oct, Dec (reason given collectively).
* 2022: 7 meetings held (Jan-Jul); no meeting in Aug (seasonal holidays); Sep-Dec not covered.
* 2021 activities: 21 (9 presentations, 7 discussions, 5 other); presenters: federal 3, NT 2, ON 2,
  QC 1, BC 1, NS 1, international 1, not named 10 -> 7 jurisdictions.
* 2022 activities: 10 (7 presentations, 1 discussion, 2 other); federal 6, BC 1, NS 1, international 1,
  not named 1; plus 4 agenda topics done (federal 2, MB 1, QC 1) -> 6 jurisdictions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from metrics import working_group as wg

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    meetings = pd.read_csv(SEEDS / "cogwg_meetings.csv", dtype=str, keep_default_na=False)
    meetings = pd.DataFrame(
        {
            "id": meetings["meeting_id"],
            "year": meetings["year"].astype(int),
            "month": meetings["month"].astype(int),
            "meeting_date": pd.to_datetime(meetings["meeting_date"].replace("", None)),
            "held": meetings["meeting_held"] == "true",
            "no_meeting_reason_en": meetings["no_meeting_reason_en"],
            "no_meeting_reason_fr": meetings["no_meeting_reason_fr"],
        }
    )
    acts = pd.read_csv(SEEDS / "cogwg_activities.csv", dtype=str, keep_default_na=False)
    acts = acts.rename(columns={"activity_id": "id"}).merge(
        meetings[["id", "year", "meeting_date"]].rename(columns={"id": "meeting_id"}), on="meeting_id"
    )
    agenda = pd.read_csv(SEEDS / "cogwg_agenda_2022.csv", dtype=str, keep_default_na=False)
    agenda = agenda.rename(columns={"item_id": "id"}).assign(
        year=2022, done_date=pd.to_datetime(agenda["done_date"].replace("", None))
    )
    return {"meetings": meetings, "activities": acts, "agenda": agenda}


def test_2021_meetings_by_month(frames: dict[str, pd.DataFrame]) -> None:
    before = frames["meetings"].copy()
    months = wg.meetings_by_month(frames["meetings"], 2021)
    pd.testing.assert_frame_equal(frames["meetings"], before)  # input not mutated
    assert len(months) == 12
    assert months["meetings_held_count"].sum() == 8
    assert months.loc[months["state"] == "not_held", "month"].tolist() == [8, 9, 10, 12]
    assert (months["state"] == "no_record").sum() == 0
    aug = months.set_index("month").loc[8]
    assert "élection fédérale" in aug["reason_fr"] and "federal election" in aug["reason_en"]
    assert months.set_index("month").loc[11, "meeting_dates"] == "2021-11-09"


def test_2022_meetings_by_month(frames: dict[str, pd.DataFrame]) -> None:
    months = wg.meetings_by_month(frames["meetings"], 2022).set_index("month")
    assert months["meetings_held_count"].sum() == 7
    assert (months.loc[1:7, "state"] == "held").all()
    assert months.loc[8, "state"] == "not_held"
    assert "seasonal holidays" in months.loc[8, "reason_en"]
    assert months.loc[9:12, "state"].tolist() == ["no_record"] * 4


def test_participation_matches_activities_file(frames: dict[str, pd.DataFrame]) -> None:
    acts = frames["activities"]
    for year in (2021, 2022):
        part = wg.participation_by_jurisdiction(acts, frames["agenda"], year)
        from_acts = part[part["kind"] != "agenda_topic"].groupby("jurisdiction")["contributions_count"].sum().to_dict()
        expected = acts[acts["year"] == year].groupby("presenter_jurisdiction").size().to_dict()
        assert from_acts == expected
    p21 = wg.participation_totals(wg.participation_by_jurisdiction(acts, frames["agenda"], 2021))
    assert dict(zip(p21["jurisdiction"], p21["contributions_count"], strict=True)) == {
        "federal": 3,
        "BC": 1,
        "ON": 2,
        "QC": 1,
        "NS": 1,
        "NT": 2,
        "international": 1,
        "": 10,
    }
    assert p21["jurisdiction"].tolist()[0] == "federal" and p21["jurisdiction"].tolist()[-1] == ""
    p22 = wg.participation_totals(wg.participation_by_jurisdiction(acts, frames["agenda"], 2022))
    assert dict(zip(p22["jurisdiction"], p22["contributions_count"], strict=True)) == {
        "federal": 8,
        "BC": 1,
        "MB": 1,
        "QC": 1,
        "NS": 1,
        "international": 1,
        "": 1,
    }


def test_year_summary_and_comparison(frames: dict[str, pd.DataFrame]) -> None:
    s21 = wg.year_summary(frames["meetings"], frames["activities"], frames["agenda"], 2021)
    assert (s21["meetings_held_count"], s21["months_not_held_count"], s21["months_no_record_count"]) == (8, 4, 0)
    assert (s21["activities_count"], s21["presentations_count"], s21["discussions_count"]) == (21, 9, 7)
    assert s21["jurisdictions_count"] == 7 and s21["topics_done_count"] == 0
    s22 = wg.year_summary(frames["meetings"], frames["activities"], frames["agenda"], 2022)
    assert (s22["meetings_held_count"], s22["months_not_held_count"], s22["months_no_record_count"]) == (7, 1, 4)
    assert (s22["activities_count"], s22["presentations_count"], s22["discussions_count"]) == (10, 7, 1)
    assert s22["jurisdictions"] == ["federal", "BC", "MB", "QC", "NS", "international"]
    assert s22["topics_done_count"] == 4
    cmp_ = wg.compare_years(frames["meetings"], frames["activities"], frames["agenda"], 2021, 2022).set_index("measure")
    assert cmp_.loc["meetings_held_count"].tolist() == [8, 7, -1]
    assert cmp_.loc["presentations_count"].tolist() == [9, 7, -2]
    assert cmp_.loc["jurisdictions_count"].tolist() == [7, 6, -1]
    assert cmp_.loc["topics_done_count"].tolist() == [0, 4, 4]


def test_topics_done_and_pending(frames: dict[str, pd.DataFrame]) -> None:
    done = wg.topics_done(frames["agenda"], 2022)
    assert done["id"].tolist() == ["AG2022-01", "AG2022-02", "AG2022-03", "AG2022-04"]
    assert [d.date().isoformat() for d in done["done_date"]] == ["2022-01-11", "2022-02-08", "2022-03-08", "2022-05-10"]
    assert len(wg.topics_pending(frames["agenda"], 2022)) == 11
    assert wg.topics_done(frames["agenda"], 2021).empty


def test_years_with_data(frames: dict[str, pd.DataFrame]) -> None:
    assert wg.years_with_data(frames["meetings"], frames["agenda"]) == [2021, 2022]
    assert wg.years_with_data(frames["meetings"].iloc[0:0]) == []


def test_plan_progress_states_status_or_nothing() -> None:
    plans = pd.DataFrame(
        {
            "id": ["CSIS", "NAP5"],
            "period_start": pd.to_datetime(["2014-10-09", "2022-01-01"]),
            "period_end": pd.to_datetime(["2020-03-31", "2024-12-31"]),
            "status_as_of": pd.to_datetime(["2018-10-22", None]),
        }
    )
    ms = pd.DataFrame(
        {
            "plan_id": ["CSIS"] * 3 + ["NAP5"],
            "status": ["complete", "complete", "not_started", None],
            "status_as_of": pd.to_datetime(["2018-10-22"] * 3 + [None]),
        }
    )
    p18 = wg.plan_progress(ms, plans, 2018)
    assert p18[["status", "milestones_count"]].values.tolist() == [["not_started", 1], ["complete", 2]]
    assert p18["status_as_of"].iloc[0] == pd.Timestamp("2018-10-22")
    assert wg.plan_progress(ms, plans, 2021).empty  # no plan active
    assert wg.plan_progress(ms, plans, 2022).empty  # active plan, but no status reported
