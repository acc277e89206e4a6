"""The planning table of seed 003 (section 7 of the CSIS open government implementation plan) imported whole.

The fixture tests/fixtures/plans/seed003_section7_plan_table.csv is that table as a department would keep it:
the seed's five columns, its year headings as rows, its French dates as written ("1er novembre 2015", "En
cours"). Its fifth year lists two milestones twice with other dates (recurring milestones): four milestones,
not two duplicates. Only a row equal in reference, text and dates repeats a milestone.
"""

from __future__ import annotations

import collections
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opengov.auth import Actor
from opengov.features.plans.imports import ImportRejected, ParsedImport, norm_text, parse_file, write_import
from opengov.store import models as m
from opengov.store.db import read_data_version, session_scope

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "seed003_section7_plan_table.csv"
SEED = Path(__file__).resolve().parents[3] / "data" / "seeds" / "documents" / "003_c17dd84d76512011.txt"
EDITOR = Actor("importer", "editor")
PLAN = "TEST-CSIS"
AS_OF = dt.date(2018, 10, 22)  # the date of the seed's statuses
MILESTONES = 48
#: Year 5: "Mettre à jour le répertoire ..." (6.3) and "Dans le cadre d'un processus ..." (6.3), each twice.
RECURRING = {(40, 49), (41, 50)}


def _text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def _parse(data: bytes | str, plan: str = PLAN, name: str = "seed003_section7_plan_table.csv") -> ParsedImport:
    return parse_file(data.encode() if isinstance(data, str) else data, name, plan)


def _xlsx(text: str) -> bytes:
    import csv

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in csv.reader(io.StringIO(text)):
        ws.append([c or None for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _snapshot(url: str) -> tuple[int, ...]:
    with session_scope(url) as s:
        counts = tuple(
            s.scalar(select(func.count()).select_from(t)) or 0 for t in (m.Milestone, m.AuditLog, m.StatusHistory)
        )
    return (*counts, read_data_version(url))


def _milestones(url: str, plan: str = PLAN) -> list[m.Milestone]:
    with session_scope(url) as s:
        rows = list(s.scalars(select(m.Milestone).where(m.Milestone.plan_id == plan).order_by(m.Milestone.id)))
        s.expunge_all()
        return rows


# --------------------------------------------------------------------------- the fixture is the seed's table
def test_the_fixture_is_section_7_of_seed_003() -> None:
    seed = SEED.read_text(encoding="utf-8")
    table = seed[seed.index("Référence Jalons Date de début") :]
    flat = re.sub(r"\s+", "", re.sub(r"1\s*\n\s*er\s*\n", "1er", table))  # the PDF splits "1er" and lines
    p = _parse(_text())
    assert p.errors == [] and len(p.rows) == MILESTONES and p.headings == 6
    for r in p.rows:
        for value in (r["start_text"], r["end_text"], r["status_term"]):
            assert re.sub(r"\s+", "", value) in flat, (r["line"], value)
    # The seed's status words, counted in its text ("Pas" and "commencé" may sit lines apart in the PDF's text).
    words = collections.Counter(re.findall(r"Terminé|\bcommencé\b|Respect de", table))
    assert words == {"Terminé": 33, "commencé": 11, "Respect de": 4}
    assert collections.Counter(r["status"] for r in p.rows) == {"complete": 33, "not_started": 11, "on_track": 4}


# --------------------------------------------------------------------------- parsing
def test_french_dates_statuses_and_year_windows() -> None:
    rows = {r["line"]: r for r in _parse(_text()).rows}
    first = rows[3]
    assert (first["reference"], first["under_way"], first["start_date"]) == ("6.4", True, None)  # "En cours"
    assert (first["end_text"], first["end_date"], first["status"]) == (
        "31 octobre 2015",
        dt.date(2015, 10, 31),
        "complete",
    )
    assert (rows[7]["start_text"], rows[7]["start_date"]) == ("1er novembre 2015", dt.date(2015, 11, 1))
    assert (rows[7]["end_date"], rows[7]["year_index"]) == (dt.date(2016, 3, 31), 2)
    assert rows[35]["start_date"] == dt.date(2018, 10, 1)  # "1 October 2018", as the seed writes it
    assert (rows[40]["year_start"], rows[40]["year_end"]) == (dt.date(2018, 11, 1), dt.date(2020, 3, 31))
    assert rows[40]["status"] == "not_started" and rows[52]["status"] == "on_track"
    assert (rows[52]["year_index"], rows[52]["under_way"], rows[52]["end_date"]) == (0, True, dt.date(2020, 3, 31))


def test_recurring_milestones_are_distinct_milestones() -> None:
    p = _parse(_text())
    rows = {r["line"]: r for r in p.rows}
    for a, b in RECURRING:
        assert (rows[a]["reference"], norm_text(rows[a]["title_fr"])) == (
            rows[b]["reference"],
            norm_text(rows[b]["title_fr"]),
        )
        assert rows[a]["end_date"].year + 1 == rows[b]["end_date"].year  # the same work, a year later
        assert rows[a]["code"] != rows[b]["code"]
    assert [rows[a]["code"] for a, _ in sorted(RECURRING)] == ["TEST-CSIS-Y5-01", "TEST-CSIS-Y5-02"]
    assert [rows[b]["code"] for _, b in sorted(RECURRING)] == ["TEST-CSIS-Y5-10", "TEST-CSIS-Y5-11"]
    assert len({r["code"] for r in p.rows}) == MILESTONES


@pytest.mark.parametrize(("copied", "at"), [(41, 56), (3, 56), (52, 56)])
def test_a_row_equal_in_reference_text_and_dates_is_refused_with_both_lines(copied: int, at: int) -> None:
    lines = _text().splitlines()
    p = _parse("\n".join([*lines, lines[copied - 1]]) + "\n")
    assert [(e.line, e.code, e.params["first"]) for e in p.errors] == [(at, "duplicate_row", str(copied))]
    assert p.errors[0].message("en") == f"Line {at} repeats line {copied}: same reference, milestone and dates."
    assert f"{at}" in p.errors[0].message("fr") and f"{copied}" in p.errors[0].message("fr")


def test_the_same_text_with_other_dates_or_in_other_words_is_not_a_repeat() -> None:
    lines = _text().splitlines()
    later = lines[40].replace("30 juin 2019", "30 juin 2021")  # another date: a recurring milestone
    spaced = lines[2].replace("Établir le PMOGO", "établir  le PMOGO")  # case and spacing: still line 3
    p = _parse("\n".join([*lines, later, spaced]) + "\n")
    assert [(e.line, e.code, e.params["first"]) for e in p.errors] == [(57, "duplicate_row", "3")]


def test_the_xlsx_reads_as_the_csv() -> None:
    csv_rows, xlsx_rows = _parse(_text()).rows, _parse(_xlsx(_text()), name="seed003.xlsx").rows
    keys = ("line", "code", "reference", "title_fr", "start_date", "under_way", "end_date", "status", "year_index")
    assert [tuple(r[k] for k in keys) for r in xlsx_rows] == [tuple(r[k] for k in keys) for r in csv_rows]


# --------------------------------------------------------------------------- writing, on SQLite and PostgreSQL
def test_the_table_imports_whole_and_again_changes_nothing(store: str) -> None:
    res = write_import(_parse(_text()), EDITOR, store, status_as_of=AS_OF, plan_title="CSIS (seed 003)")
    assert (res.added, res.updated, res.unchanged) == (MILESTONES, 0, 0)
    rows = _milestones(store)
    assert len(rows) == MILESTONES and len({r.code for r in rows}) == MILESTONES
    assert collections.Counter(r.status for r in rows) == {"complete": 33, "not_started": 11, "on_track": 4}
    by_code = {r.code: r for r in rows}
    y1 = by_code["TEST-CSIS-Y1-01"]
    assert (y1.start_text, y1.start_date, y1.end_date, y1.status_as_of) == (
        "En cours",
        None,
        dt.date(2015, 10, 31),
        AS_OF,
    )
    assert y1.year_label_fr == "Première année (du 9 octobre 2014 au 31 octobre 2015)"
    assert (by_code["TEST-CSIS-Y2-01"].start_date, by_code["TEST-CSIS-Y2-01"].end_date) == (
        dt.date(2015, 11, 1),
        dt.date(2016, 3, 31),
    )
    twins = [(by_code[f"TEST-CSIS-Y5-{a:02d}"], by_code[f"TEST-CSIS-Y5-{b:02d}"]) for a, b in ((1, 10), (2, 11))]
    for a, b in twins:
        assert a.title_fr == b.title_fr and (a.start_date, a.end_date) != (b.start_date, b.end_date)
    assert (twins[0][1].start_date, twins[0][1].end_date) == (dt.date(2019, 11, 1), dt.date(2020, 6, 30))
    before = _snapshot(store)
    for data, name in ((_text(), "seed003.csv"), (_xlsx(_text()), "seed003.xlsx")):
        again = write_import(_parse(data, name=name), EDITOR, store, status_as_of=dt.date(2019, 1, 1))
        assert (again.added, again.updated, again.unchanged) == (0, 0, MILESTONES), name
        assert _snapshot(store) == before, name  # no milestone, no audit row, no new data version


def test_a_changed_date_of_a_recurring_milestone_updates_it_and_not_its_twin(store: str) -> None:
    write_import(_parse(_text()), EDITOR, store, status_as_of=AS_OF)
    lines = _text().splitlines()
    lines[48] = lines[48].replace("30 juin 2020", "31 juillet 2020")  # line 49: the second "Mettre à jour ..."
    res = write_import(_parse("\n".join(lines) + "\n"), EDITOR, store, status_as_of=AS_OF)
    assert (res.added, res.updated, res.unchanged) == (0, 1, MILESTONES - 1)
    by_code = {r.code: r for r in _milestones(store)}
    assert (by_code["TEST-CSIS-Y5-10"].end_date, by_code["TEST-CSIS-Y5-10"].version) == (dt.date(2020, 7, 31), 2)
    assert (by_code["TEST-CSIS-Y5-01"].end_date, by_code["TEST-CSIS-Y5-01"].version) == (dt.date(2019, 6, 30), 1)


def test_rows_moved_within_a_year_still_find_their_milestones(store: str) -> None:
    write_import(_parse(_text()), EDITOR, store, status_as_of=AS_OF)
    lines = _text().splitlines()
    year5 = lines[39:50]  # lines 40-50
    moved = lines[:39] + year5[::-1] + lines[50:]  # the year's rows in reverse order: other positional codes
    before = _snapshot(store)
    res = write_import(_parse("\n".join(moved) + "\n"), EDITOR, store, status_as_of=AS_OF)
    assert (res.added, res.updated, res.unchanged) == (0, 0, MILESTONES)
    assert _snapshot(store) == before


def test_a_new_row_in_a_year_gets_a_code_of_its_own(store: str) -> None:
    write_import(_parse(_text()), EDITOR, store, status_as_of=AS_OF)
    lines = _text().splitlines()
    extra = "6.4,Publier le PMOGO mis à jour.,1er novembre 2019,31 mars 2020,Pas commencé"
    res = write_import(_parse("\n".join([*lines[:39], extra, *lines[39:]]) + "\n"), EDITOR, store, status_as_of=AS_OF)
    assert (res.added, res.updated, res.unchanged) == (1, 0, MILESTONES)
    rows = _milestones(store)
    assert len(rows) == MILESTONES + 1 and len({r.code for r in rows}) == MILESTONES + 1
    assert rows[-1].title_fr == "Publier le PMOGO mis à jour." and rows[-1].code == "TEST-CSIS-Y5-12"


def test_the_shipped_csis_plan_takes_the_table_as_its_own(store: str) -> None:
    """The shipped CSIS plan holds the same 48 milestones under other codes: the import finds them all."""
    before = {r.code: (r.id, r.version) for r in _milestones(store, "CSIS-PMOGO")}
    assert len(before) == MILESTONES
    res = write_import(_parse(_text(), plan="CSIS-PMOGO"), EDITOR, store, status_as_of=AS_OF)
    assert (res.added, res.updated, res.unchanged) == (0, 0, MILESTONES)
    assert {r.code: (r.id, r.version) for r in _milestones(store, "CSIS-PMOGO")} == before


def test_a_repeated_row_rejects_the_whole_table(store: str) -> None:
    lines = _text().splitlines()
    before = _snapshot(store)
    with pytest.raises(ImportRejected) as info:
        write_import(_parse("\n".join([*lines, lines[40]]) + "\n"), EDITOR, store, status_as_of=AS_OF)
    assert [(e.line, e.code, e.params["first"]) for e in info.value.errors] == [(56, "duplicate_row", "41")]
    assert _snapshot(store) == before
    with session_scope(store) as s:
        assert s.get(m.ActionPlan, PLAN) is None
