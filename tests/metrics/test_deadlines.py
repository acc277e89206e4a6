"""Deadline texts read as date windows (metrics/deadlines.py)."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

import metrics.deadlines as deadlines
from metrics.deadlines import parse_date, parse_deadline, parse_first

D = dt.date

CASES = [
    # text, kind, start, end
    ("Fall 2027", "season", D(2027, 9, 1), D(2027, 11, 30)),
    ("Automne 2027", "season", D(2027, 9, 1), D(2027, 11, 30)),
    ("By fall 2025", "season", D(2025, 9, 1), D(2025, 11, 30)),
    ("D'ici l'automne 2025", "season", D(2025, 9, 1), D(2025, 11, 30)),
    ("By winter 2025", "season", D(2024, 12, 1), D(2025, 2, 28)),
    ("Hiver 2025", "season", D(2024, 12, 1), D(2025, 2, 28)),
    ("D'ici l'hiver 2025", "season", D(2024, 12, 1), D(2025, 2, 28)),
    ("D’ici l’hiver 2028", "season", D(2027, 12, 1), D(2028, 2, 29)),
    ("Spring 2026", "season", D(2026, 3, 1), D(2026, 5, 31)),
    ("D'ici le printemps 2026", "season", D(2026, 3, 1), D(2026, 5, 31)),
    ("By summer 2025", "season", D(2025, 6, 1), D(2025, 8, 31)),
    ("D'ici l'été 2025", "season", D(2025, 6, 1), D(2025, 8, 31)),
    ("Décembre 2018", "month", D(2018, 12, 1), D(2018, 12, 31)),
    ("March 2029", "month", D(2029, 3, 1), D(2029, 3, 31)),
    ("Mars 2029", "month", D(2029, 3, 1), D(2029, 3, 31)),
    ("By February 2024", "month", D(2024, 2, 1), D(2024, 2, 29)),
    ("D'ici février 2022", "month", D(2022, 2, 1), D(2022, 2, 28)),
    ("Q2 2026", "quarter", D(2026, 4, 1), D(2026, 6, 30)),
    ("T4 2026", "quarter", D(2026, 10, 1), D(2026, 12, 31)),
    ("2026 Q1", "quarter", D(2026, 1, 1), D(2026, 3, 31)),
    ("2027-28", "fiscal_year", D(2027, 4, 1), D(2028, 3, 31)),
    ("2026\u20112027", "fiscal_year", D(2026, 4, 1), D(2027, 3, 31)),
    ("By fiscal year 2023-24", "fiscal_year", D(2023, 4, 1), D(2024, 3, 31)),
    ("D'ici l'exercice 2023-2024", "fiscal_year", D(2023, 4, 1), D(2024, 3, 31)),
    ("2025 to 2028", "span", D(2025, 1, 1), D(2028, 12, 31)),
    ("De 2025 à 2029", "span", D(2025, 1, 1), D(2029, 12, 31)),
    ("By 2026", "year", D(2026, 1, 1), D(2026, 12, 31)),
    ("D'ici 2029", "year", D(2029, 1, 1), D(2029, 12, 31)),
    ("By end of 2028", "year", D(2028, 1, 1), D(2028, 12, 31)),
    ("D'ici la fin de 2025", "year", D(2025, 1, 1), D(2025, 12, 31)),
    ("By early 2026", "year", D(2026, 1, 1), D(2026, 4, 30)),
    ("D'ici le début de 2026", "year", D(2026, 1, 1), D(2026, 4, 30)),
    ("1er novembre 2015", "day", D(2015, 11, 1), D(2015, 11, 1)),
    ("31 octobre\n2015", "day", D(2015, 10, 31), D(2015, 10, 31)),
    ("March 31, 2016", "day", D(2016, 3, 31), D(2016, 3, 31)),
    ("2016-03-31", "day", D(2016, 3, 31), D(2016, 3, 31)),
    ("By February 2022 and February 2023", "multiple", D(2022, 2, 1), D(2023, 2, 28)),
    ("D'ici février 2022 et février 2023", "multiple", D(2022, 2, 1), D(2023, 2, 28)),
]


@pytest.mark.parametrize(("text", "kind", "start", "end"), CASES, ids=[c[0] for c in CASES])
def test_windows(text: str, kind: str, start: dt.date, end: dt.date) -> None:
    d = parse_deadline(text)
    assert (d.kind, d.start, d.end, d.due) == (kind, start, end, end)
    assert d.text == text  # the original text is kept


@pytest.mark.parametrize(
    ("text", "recurrence", "due"),
    [
        ("Biannually until 2029", "semiannual", D(2029, 12, 31)),
        ("Deux fois par année jusqu'en 2029", "semiannual", D(2029, 12, 31)),
        ("Annually", "annual", None),
        ("Chaque année", "annual", None),
        ("Quarterly until 2027", "quarterly", D(2027, 12, 31)),
    ],
)
def test_recurring(text: str, recurrence: str, due: dt.date | None) -> None:
    d = parse_deadline(text)
    assert (d.kind, d.recurrence, d.due) == ("recurring", recurrence, due)


@pytest.mark.parametrize("text", ["Ongoing", "En cours", "Permanent"])
def test_ongoing(text: str) -> None:
    d = parse_deadline(text)
    assert d.kind == "ongoing" and d.ongoing and d.due is None


def test_ongoing_with_start_and_combined() -> None:
    d = parse_deadline("Mai 2023 et en cours")
    assert (d.kind, d.start, d.due) == ("ongoing", D(2023, 5, 1), None)
    d = parse_deadline("Ongoing, annually")
    assert (d.kind, d.recurrence, d.ongoing) == ("recurring", "annual", True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "TBD",
        "Feedback will be compiled in March 2027 and at the end of the commitment and published in a report.",
        "Completion by March 2025; report initial progress by 2024",
        "Q5 2026",
        "31 février 2016",
        "2027-25",
        "Fall",
        "Sometime soon",
        "2026-13-01",
    ],
)
def test_unparsed_is_shown_as_such(text: str) -> None:
    d = parse_deadline(text)
    assert d.kind == "unparsed" and not d.parsed and d.start is None and d.due is None and d.text == text


def test_parse_date_only_days() -> None:
    assert parse_date("31 mars 2016") == D(2016, 3, 31)
    assert parse_date("Mars 2016") is None
    assert parse_date("En cours") is None


def test_parse_first_prefers_a_readable_text() -> None:
    assert parse_first("", "D'ici mars 2027").due == D(2027, 3, 31)
    assert parse_first("vague", "also vague").kind == "unparsed"
    assert parse_first(None, None).kind == "unparsed"


def test_every_shipped_nap6_deadline_is_read_or_marked() -> None:
    import csv

    from opengov import config

    with open(
        config.data_dir() / "research/nap_canada_commitments_milestones_indicators_nap4_nap5_nap6.csv", encoding="utf-8"
    ) as fh:
        rows = [r for r in csv.DictReader(fh) if r["plan"] == "NAP6"]
    assert rows
    read = [parse_first(r["deadline_en"], r["deadline_fr"]) for r in rows]
    assert sum(d.parsed for d in read) >= 55  # a handful of free-text deadlines stay unparsed
    for d in read:
        assert d.text  # original kept
        if d.due is not None:
            assert D(2024, 1, 1) <= d.due <= D(2029, 12, 31)


def test_doctests() -> None:
    assert doctest.testmod(deadlines).failed == 0
