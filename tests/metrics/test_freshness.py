"""Freshness of records against their declared frequency, and of portals against their refreshes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from metrics.freshness import (
    classify_records,
    declared_share,
    expected_update,
    parse_frequency,
    portal_refresh_status,
    status_counts,
    status_from_days,
)

AS_OF = dt.date(2026, 8, 22)


@pytest.mark.parametrize(
    ("freq", "modified", "expected"),
    [
        ("P1D", dt.date(2026, 5, 27), dt.date(2026, 5, 28)),
        ("P1W", dt.date(2026, 5, 27), dt.date(2026, 6, 3)),
        ("P1M", dt.date(2026, 5, 27), dt.date(2026, 6, 27)),
        ("P1M", dt.date(2026, 1, 31), dt.date(2026, 2, 28)),  # day clamped to the month's end
        ("P3M", dt.date(2026, 5, 27), dt.date(2026, 8, 27)),
        ("P6M", dt.date(2026, 5, 27), dt.date(2026, 11, 27)),
        ("P1Y", dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # leap day
        ("P3Y", dt.date(2026, 5, 27), dt.date(2029, 5, 27)),
        ("P0.5W", dt.date(2026, 5, 27), dt.date(2026, 5, 31)),  # 3.5 days rounded up
    ],
)
def test_expected_update_by_hand(freq: str, modified: dt.date, expected: dt.date) -> None:
    assert expected_update(modified, freq) == expected


@pytest.mark.parametrize(
    "freq", ["as_needed", "irregular", "continual", "not_planned", "unknown", "", None, "P", float("nan")]
)
def test_frequencies_without_a_period_cannot_be_checked(freq: object) -> None:
    assert parse_frequency(freq) is None
    assert expected_update(dt.date(2026, 5, 27), freq) is None


def test_status_boundaries() -> None:
    assert [status_from_days(d) for d in (-86, -1, 0, 5, 7, 8, 355)] == [
        "late",
        "late",
        "due_soon",
        "due_soon",
        "due_soon",
        "current",
        "current",
    ]
    assert status_from_days(None) == "unknown" and status_from_days(pd.NA) == "unknown"


def test_classify_records_by_hand_and_does_not_mutate() -> None:
    f = pd.DataFrame(
        {
            "metadata_modified": pd.to_datetime(
                ["2026-05-27T16:00:53", "2026-05-27T00:00:00", "2026-07-22", "2024-07-24", "2026-05-27", None],
                format="ISO8601",
            ),
            "frequency": ["P1M", "P3M", "P3M", "P1Y", "as_needed", "P1D"],
        }
    )
    before = f.copy()
    r = classify_records(f, AS_OF)
    pd.testing.assert_frame_equal(f, before)
    assert r["days_until_update_days"].tolist()[:4] == [-56, 5, 61, -394]
    assert r["computed_status"].tolist() == ["late", "due_soon", "current", "late", "unknown", "unknown"]


def test_status_counts_keep_every_status_in_order() -> None:
    c = status_counts(pd.Series(["late", "late", "unknown"]))
    assert c["status"].tolist() == ["current", "due_soon", "late", "unknown"]
    assert c["records_count"].tolist() == [0, 0, 2, 1]
    assert c["share_pct"].round(1).tolist() == [0.0, 0.0, 66.7, 33.3]
    assert declared_share(c) == 100.0
    assert declared_share(status_counts(pd.Series(["unknown"]))) is None
    assert status_counts(pd.Series([], dtype=object))["share_pct"].isna().all()


def test_agrees_with_the_shipped_freshcheck_file() -> None:
    """Our computation reproduces the status (and the day count) TBS's FreshCheck wrote in the file."""
    from opengov.features.jurisdictions.queries import municipal_freshness

    mf = municipal_freshness()
    assert len(mf) == 285
    r = classify_records(mf, mf["as_of_date"].max())
    assert (r["computed_status"] == r["freshness_status"]).all(), r.loc[
        r["computed_status"] != r["freshness_status"], ["frequency", "metadata_modified", "freshness_status"]
    ]
    given = r["days_until_expected_update"].notna()
    assert given.sum() == 121
    assert (r.loc[given, "days_until_update_days"] == r.loc[given, "days_until_expected_update"]).all()
    assert (r.loc[given, "expected_update_date"] == r.loc[given, "expected_update_date"]).all()
    assert status_counts(r["computed_status"])["records_count"].tolist() == [54, 8, 59, 164]


def test_portal_refresh_status_ignores_failures_and_other_origins() -> None:
    portals = pd.DataFrame({"id": ["a", "b", "c", "d"]})
    snaps = pd.DataFrame(
        {
            "portal_id": ["a", "a", "b", "b", "c", "d"],
            "origin": ["refresh", "refresh", "refresh", "refresh", "ogp_packages_daily", "refresh"],
            "ok": [True, False, False, True, True, False],
            "snapshot_date": pd.to_datetime(
                ["2026-09-01", "2026-09-02", "2026-09-01", "2026-09-03", "2026-08-22", "2026-09-05"]
            ),
        }
    )
    r = portal_refresh_status(portals, snaps).set_index("portal_id")
    assert r.loc["a", "refresh_status"] == "failed" and r.loc["a", "last_success_date"] == pd.Timestamp("2026-09-01")
    assert r.loc["b", "refresh_status"] == "ok" and r.loc["b", "last_success_date"] == pd.Timestamp("2026-09-03")
    assert r.loc["c", "refresh_status"] == "never" and pd.isna(r.loc["c", "last_success_date"])
    assert r.loc["d", "refresh_status"] == "failed" and pd.isna(r.loc["d", "last_success_date"])


def test_portal_refresh_status_with_no_snapshot_at_all() -> None:
    empty = pd.DataFrame(columns=["portal_id", "origin", "ok", "snapshot_date"])
    r = portal_refresh_status(pd.DataFrame({"id": ["a", "b"]}), empty)
    assert r["refresh_status"].tolist() == ["never", "never"]
    assert r["last_success_date"].isna().all()
