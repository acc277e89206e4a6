"""Imports of real-format files: every encoding, delimiter, layout and header language; every bad input
reported with its line number and nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.auth import Actor, AuthError
from opengov.features.plans.imports import ImportRejected, parse_file, write_import
from opengov.store import models as m
from opengov.store.db import session_scope
from opengov.store.models_plans import PlanChallenge, PlanProgressReport

EDITOR = Actor("importer", "editor")

# Section 7 of seed 003, as a departmental table: year headings as rows, "En cours" as a start,
# French dates, a date split over two lines (as in the PDF), Windows-1252 and semicolons.
SEED003 = (
    "Référence;Jalons;Date de début;Date de fin;Statut\r\n"
    "Première année (du 9 octobre 2014 au 31 octobre 2015);;;;\r\n"
    '6.4;Établir le PMOGO du SCRS.;En cours;"31 octobre\n2015";Terminé\r\n'
    "6.4;Signer la partie 2 (Approbations) du PMOGO.;En cours;31 octobre 2015;Terminé\r\n"
    "Deuxième année (du 1er novembre 2015 au 31 octobre 2016);;;;\r\n"
    "6.3;Créer et analyser le répertoire des données.;1er novembre 2015;31 mars 2016;Terminé\r\n"
    "6.2;Communiquer des données en formats accessibles.;1er avril 2016;30 septembre 2016;Respect de l’échéancier\r\n"
    "Éléments s’étendant sur plusieurs années;;;;\r\n"
    "7.1;Superviser la mise en œuvre.;En cours;31 mars 2020;Pas commencé\r\n"
)

ENGLISH = (
    "Reference,Milestone,Start date,End date,Status\n"
    '"Year one (October 9, 2014 to October 31, 2015)",,,,\n'
    '6.4,Establish the plan.,Ongoing,"October 31, 2015",Completed\n'
    "6.3,Inventory method.,2015-01-15,Fall 2015,In progress\n"
    "6.2,Publish data.,,Q2 2016,Delayed\n"
)

NAP4 = (
    "reporting_period,commitments,milestones,indicators,status,progress_en,progress_fr,evidence_en,evidence_fr,"
    "challenges,owner_org_title\n"
    "2019-03,C01 - User-friendly open government,C01.7,C01.7.1,LP,An RFP was posted.,Un appel d'offres a été publié.,"
    'https://buyandsell.gc.ca/,https://achatsetventes.gc.ca/,"CF,OT",Employment and Social Development Canada\n'
    "2019-03,C04 - Digital government and services,C04.5,C04.5.1,C,Canada.ca/analytics is available.,"
    "Canada.ca/analytique est disponible.,http://Canada.ca/analytics,http://Canada.ca/analytique,,"
    "Employment and Social Development Canada\n"
)

NAP4_FR = (
    "Période de déclaration;Engagements;Jalons;Indicateurs;État;Défis;Nom du ministère\n"
    "2019-06;C01;C01.7;C01.7.1: Modèles de microsimulation;Progrès limité;Manque de ressources;EDSC\n"
)


def _parse(text: str, name: str = "f.csv", plan: str | None = "TEST-PLAN", encoding: str = "utf-8"):
    return parse_file(text.encode(encoding), name, plan)


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- pure parsing, every variant
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_seed003_layout_any_encoding(encoding: str) -> None:
    p = _parse(SEED003, encoding=encoding)
    assert p.errors == [] and p.layout == "plan_table" and p.header_lang == "fr"
    assert p.headings == 3
    first, third, fourth, last = p.rows[0], p.rows[2], p.rows[3], p.rows[-1]
    assert first["title_fr"] == "Établir le PMOGO du SCRS." and first["under_way"] and first["start_date"] is None
    assert first["end_date"] == dt.date(2015, 10, 31) and first["status"] == "complete"
    assert first["code"] == "TEST-PLAN-Y1-01" and first["year_start"] == dt.date(2014, 10, 9)
    assert third["start_date"] == dt.date(2015, 11, 1) and third["end_date"] == dt.date(2016, 3, 31)
    assert third["year_index"] == 2 and third["code"] == "TEST-PLAN-Y2-01"
    assert fourth["status"] == "on_track"
    assert last["year_index"] == 0 and last["status"] == "not_started"
    assert [r["line"] for r in p.rows] == [3, 5, 7, 8, 10]  # physical lines (the split date spans 3-4)


def test_english_headers_comma_and_deadline_texts() -> None:
    p = _parse(ENGLISH)
    assert p.errors == [] and p.layout == "plan_table" and p.header_lang == "en"
    assert [r["status"] for r in p.rows] == ["complete", "in_progress", "delayed"]
    assert p.rows[0]["title_en"] == "Establish the plan." and p.rows[0]["under_way"]
    assert p.rows[1]["end_date"] == dt.date(2015, 11, 30) and p.rows[1]["end_text"] == "Fall 2015"
    assert p.rows[2]["end_date"] == dt.date(2016, 6, 30)


def test_xlsx_plan_table() -> None:
    data = _xlsx(
        [
            ["Référence", "Jalons", "Date de début", "Date de fin", "Statut"],
            ["Première année (du 9 octobre 2014 au 31 octobre 2015)"],
            [6.4, "Établir le PMOGO.", "En cours", dt.datetime(2015, 10, 31), "Terminé"],
            [6.3, "Définir une méthode.", "1er novembre 2015", "31 mars 2016", "Pas commencé"],
        ]
    )
    p = parse_file(data, "plan.xlsx", "TEST-PLAN")
    assert p.errors == [] and len(p.rows) == 2 and p.headings == 1
    assert p.rows[0]["reference"] == "6.4" and p.rows[0]["end_date"] == dt.date(2015, 10, 31)
    assert [r["line"] for r in p.rows] == [3, 4]


def test_xlsx_nap_tracker() -> None:
    data = _xlsx([["reporting_period", "indicators", "status"], ["2019-03", "C01.7.1", "LP"]])
    p = parse_file(data, "nap.xlsx", "NAP4")
    assert p.errors == [] and p.layout == "nap_tracker" and p.rows[0]["status"] == "limited"


def test_nap_tracker_layout_english_and_french() -> None:
    p = _parse(NAP4, plan="NAP4")
    assert p.errors == [] and p.layout == "nap_tracker"
    assert [(r["indicator"], r["status"], r["challenges"]) for r in p.rows] == [
        ("C01.7.1", "limited", ["funding", "other"]),
        ("C04.5.1", "complete", []),
    ]
    assert p.rows[0]["milestone"] == "C01.7" and p.rows[0]["period_end"] == dt.date(2019, 3, 31)
    p = _parse(NAP4_FR, plan="NAP4", encoding="cp1252")
    assert p.errors == [] and p.header_lang == "fr"
    assert (p.rows[0]["indicator"], p.rows[0]["status"], p.rows[0]["challenges"]) == (
        "C01.7.1",
        "limited",
        ["resources"],
    )


# --------------------------------------------------------------------------- bad input, with line numbers
@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (SEED003.replace("Pas commencé", "À moitié fait"), "unknown_status", 10),
        (SEED003.replace("31 mars 2016", "31 mars 20XX"), "bad_date", 7),
        (SEED003.replace("1er avril 2016", "le printemps"), "bad_date", 8),
        (SEED003.replace("Date de fin", "Remarque"), "missing_column", 1),
        (SEED003 + "7.1;Superviser la mise en œuvre.;En cours;31 mars 2020;Pas commencé\r\n", None, None),
        (NAP4 + NAP4.splitlines()[1] + "\n", "duplicate_key", 4),
        (NAP4.replace(",LP,", ",XX,"), "unknown_status", 2),
        (NAP4.replace("2019-03,C04", "March 2019,C04"), "bad_period", 3),
        (NAP4.replace('"CF,OT"', '"CF,ZZ"'), "unknown_challenge", 2),
        (NAP4.replace(",C04.5,C04.5.1,", ",C04.5,C04.6.1,"), "inconsistent_codes", 3),
    ],
    ids=[
        "unknown-status",
        "bad-end-date",
        "bad-start-date",
        "missing-column",
        "dup-row-without-key-column",
        "dup-nap-key",
        "nap-unknown-status",
        "nap-bad-period",
        "unknown-challenge",
        "inconsistent-codes",
    ],
)
def test_bad_rows_reported_with_lines(text: str, code: str | None, line: int | None) -> None:
    plan = "NAP4" if text.startswith("reporting_period") else "TEST-PLAN"
    p = _parse(text, plan=plan)
    if code is None:  # the same reference, text and dates again (no code column) repeats a milestone
        assert [(e.code, e.line, e.params["first"]) for e in p.errors] == [("duplicate_row", 11, "10")]
        assert p.errors[0].message("en") == "Line 11 repeats line 10: same reference, milestone and dates."
        return
    assert (code, line) in [(e.code, e.line) for e in p.errors], p.errors
    assert not p.ok
    for e in p.errors:
        assert e.message("en") and e.message("fr")


def test_every_bad_row_is_reported() -> None:
    text = SEED003.replace("Pas commencé", "Bof").replace("31 mars 2016", "jamais")
    p = _parse(text)
    assert sorted((e.line, e.code) for e in p.errors) == [(7, "bad_date"), (10, "unknown_status")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"   \n\n", "empty_file"),
        (b"\xef\xbb\xbf", "empty_file"),
        ("Référence;Jalons;Date de fin;Statut\n".encode(), "no_rows"),
        (b"a,b,c\n1,2,3\n", "missing_column"),
        (b"PK\x03\x04garbage", "unreadable"),
    ],
)
def test_empty_or_unreadable_files(data: bytes, code: str) -> None:
    p = parse_file(data, "x.csv", "TEST-PLAN")
    assert [e.code for e in p.errors] == [code]


def test_plan_is_required() -> None:
    assert [e.code for e in parse_file(SEED003.encode(), "x.csv", None).errors] == ["plan_required"]


# --------------------------------------------------------------------------- writing, on both databases
def _counts(url: str) -> tuple[int, int, int, int]:
    with session_scope(url) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t))
            for t in (m.Milestone, m.AuditLog, PlanProgressReport, PlanChallenge)  # type: ignore[return-value]
        )


def test_write_seed003_new_plan_then_reimport_updates(store: str) -> None:
    p = _parse(SEED003, encoding="cp1252")
    res = write_import(p, EDITOR, store, status_as_of=dt.date(2018, 10, 22), plan_title="Test plan")
    assert (res.milestones_added, res.milestones_updated) == (5, 0)
    with session_scope(store) as s:
        rows = s.scalars(select(m.Milestone).where(m.Milestone.plan_id == "TEST-PLAN").order_by(m.Milestone.id)).all()
        assert [r.status for r in rows] == ["complete", "complete", "complete", "on_track", "not_started"]
        assert rows[0].start_text == "En cours" and rows[0].year_label_fr.startswith("Première année")
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.actor == "importer")).all()
        assert {a.action for a in audit} == {"insert"} and any("line 3" in a.note for a in audit)
    # Re-import with one status changed: one audited update, versions bumped.
    p2 = _parse(SEED003.replace("Pas commencé", "En cours"))
    res2 = write_import(p2, EDITOR, store, status_as_of=dt.date(2019, 1, 1))
    assert (res2.milestones_added, res2.milestones_updated) == (0, 1)
    with session_scope(store) as s:
        ms = s.scalar(select(m.Milestone).where(m.Milestone.code == "TEST-PLAN-Y0-01"))
        assert ms.status == "in_progress" and ms.version == 2


def _with_status(s: Session) -> set[int]:
    return set(s.scalars(select(m.Milestone.id).where(m.Milestone.plan_id == "NAP4", m.Milestone.status.is_not(None))))


def test_write_nap_tracker_fills_status_and_challenges(store: str) -> None:
    with session_scope(store) as s:
        before = _with_status(s)
    res = write_import(_parse(NAP4, plan="NAP4", name="nap4.csv"), EDITOR, store)
    # Added, or updated in place where the shipped tracker observations already hold these two keys.
    assert (res.added + res.updated, res.unchanged, res.challenges) == (2, 0, 2)
    with session_scope(store) as s:
        ind = s.scalar(
            select(m.Indicator)
            .join(m.Milestone, m.Milestone.id == m.Indicator.milestone_id)
            .where(m.Indicator.code == "C01.7.1", m.Milestone.plan_id == "NAP4")
        )
        assert ind.status == "limited"
        ms = s.get(m.Milestone, ind.milestone_id)
        assert ms.status == "limited" and ms.status_as_of == dt.date(2019, 3, 31)  # least advanced, as reported
        ch = s.scalars(select(PlanChallenge).order_by(PlanChallenge.id)).all()
        assert [(c.code, c.department, c.reporting_period) for c in ch] == [
            ("funding", "Employment and Social Development Canada", "2019-03"),
            ("other", "Employment and Social Development Canada", "2019-03"),
        ]
        imported = set(s.scalars(select(m.Milestone.code).where(m.Milestone.id.in_(_with_status(s) - before))))
        assert imported <= {"C01.7", "C04.5"}  # every other NAP milestone keeps its status, or stays "not reported"


@pytest.mark.parametrize("case", ["unknown-indicator", "bad-row", "viewer"])
def test_nothing_written_when_any_row_is_bad(store: str, case: str) -> None:
    before = _counts(store)
    if case == "unknown-indicator":
        text = NAP4.replace("C04.5,C04.5.1", "C04.9,C04.9.9")
        with pytest.raises(ImportRejected) as info:
            write_import(_parse(text, plan="NAP4"), EDITOR, store)
        assert [(e.line, e.code) for e in info.value.errors] == [(3, "unknown_indicator")]
    elif case == "bad-row":
        with pytest.raises(ImportRejected) as info:
            write_import(_parse(SEED003.replace("Pas commencé", "??")), EDITOR, store)
        assert info.value.errors[0].line == 10
    else:
        with pytest.raises(AuthError):
            write_import(_parse(SEED003), Actor("v", "viewer"), store)
        with pytest.raises(AuthError):
            write_import(_parse(SEED003), None, store)
    assert _counts(store) == before
    with session_scope(store) as s:
        assert s.get(m.ActionPlan, "TEST-PLAN") is None


def test_docstring_examples_of_the_import_module() -> None:
    import doctest

    from opengov.features.plans import imports

    result = doctest.testmod(imports)
    assert result.attempted >= 9 and result.failed == 0
