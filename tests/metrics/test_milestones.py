"""Milestone roll-ups, lists and series (metrics/milestones.py)."""

from __future__ import annotations

import doctest

import pandas as pd

import metrics.milestones as mm

T = pd.Timestamp


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "code": ["a", "b", "c", "d", "e"],
            "reference": ["6.3", "6.3", "7.1", "6.4", "6.4"],
            "status": ["complete", "not_started", "limited", None, "on_track"],
            "start_date": [pd.NaT] * 5,
            "end_date": pd.to_datetime(["2016-01-31", "2016-02-29", "2016-06-30", "2015-12-31", "2017-01-01"]),
            "actual_end_date": pd.to_datetime(["2016-03-01", None, None, None, None]),
            "status_as_of": pd.to_datetime(["2016-04-01"] * 5),
            "deadline_en": [""] * 5,
            "deadline_fr": [""] * 5,
        }
    )


def test_inputs_not_mutated_and_windows() -> None:
    f = frame()
    before = f.copy()
    out = mm.deadline_windows(f)
    pd.testing.assert_frame_equal(f, before)
    assert out["planned_end"].tolist() == f["end_date"].tolist()
    assert set(out["deadline_kind"]) == {"dates"}


def test_overdue_at_risk_and_unreported() -> None:
    f = mm.deadline_windows(frame())
    od = mm.overdue_list(f, T("2016-04-01"))
    assert od["code"].tolist() == ["b"] and od["days_overdue"].tolist() == [32]
    assert mm.past_due_unreported(f, T("2016-04-01")) == 1  # 'd': no status, never called late
    risk = mm.at_risk_list(f, T("2016-04-01"), 90)
    assert risk["code"].tolist() == ["c"] and risk["days_left"].tolist() == [90]
    assert mm.at_risk_list(f, T("2016-04-01"), 89).empty


def test_slippage_flags() -> None:
    s = mm.slippage(mm.deadline_windows(frame()), T("2016-04-01")).set_index("code")
    assert s.loc["a", "slip_flag"] == "late_complete" and s.loc["a", "slip_days"] == 30
    assert s.loc["b", "slip_flag"] == "overdue"
    assert s.loc["d", "slip_flag"] == "unknown"
    assert s.loc["e", "slip_flag"] == "open"


def test_progress_by_and_not_reported() -> None:
    p = mm.progress_by(frame(), "reference")
    assert p[p["reference"] == "6.4"].set_index("state")["milestones_count"].to_dict() == {
        "not_reported": 1,
        "on_track": 1,
    }


def test_burnup_uses_reported_completion_not_plan() -> None:
    f = mm.deadline_windows(frame())
    done = mm.completion_dates(f, pd.DataFrame({"milestone_id": [], "status": [], "as_of": []}))
    assert done.iloc[0] == T("2016-03-01") and done.iloc[1:].isna().all()
    b = mm.burnup(f, done)
    last = b[b["month"] == b["month"].max()].set_index("series")["milestones_count"]
    assert last.to_dict() == {"planned": 5, "completed": 1}


def test_nap_deadlines_from_indicators() -> None:
    ms = pd.DataFrame(
        {
            "id": [7],
            "start_date": [pd.NaT],
            "end_date": [pd.NaT],
            "deadline_en": [""],
            "deadline_fr": [""],
            "status": [None],
        }
    )
    ind = pd.DataFrame(
        {
            "milestone_id": [7, 7],
            "deadline_en": ["By summer 2025", "Biannually until 2029"],
            "deadline_fr": ["D'ici l'été 2025", "Deux fois par année jusqu'en 2029"],
        }
    )
    out = mm.deadline_windows(ms, ind)
    assert out.loc[0, "planned_end"] == T("2029-12-31") and out.loc[0, "deadline_kind"] == "recurring"
    assert mm.display_state(out).tolist() == ["not_reported"]


def test_challenge_counts_empty_and_full() -> None:
    assert mm.challenge_counts(pd.DataFrame(), "department").empty
    ch = pd.DataFrame({"commitment_code": ["C01", "C01", "C02"], "code": ["funding", "other", "funding"]})
    assert mm.challenge_counts(ch, "commitment_code")["challenges_count"].sum() == 3


def test_doctests() -> None:
    assert doctest.testmod(mm).failed == 0
