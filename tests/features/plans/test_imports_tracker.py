"""The official NAP tracker import on its real layout: NAP5 rows of the Government of Canada tracker
(tests/fixtures/plans/nap5_tracker_*.csv) with English labels, French labels and codes.

One status observation per (plan, reporting period, indicator): the same file twice adds nothing, a later file
updates the observation in place (new version, audit rows with old and new values), and an unknown indicator, an
unknown status or a reporting period outside the plan rejects the whole file, each with its line.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from opengov.auth import Actor
from opengov.features.plans.imports import (
    TRACKER_LAYOUT_FILE,
    TRACKER_STATUS_FILE,
    ImportRejected,
    ParsedImport,
    check_against_store,
    parse_file,
    tracker_vocabulary,
    write_import,
)
from opengov.ingest.status import least_advanced
from opengov.store import models as m
from opengov.store.db import get_engine, migrate, read_data_version, session_scope
from opengov.store.models_plans import PlanChallenge, PlanProgressReport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
REPO = Path(__file__).resolve().parents[3]
EDITOR = Actor("importer", "editor")
ROWS = 25  # NAP5 rows with a status in each fixture
NAP5_PERIODS = ("2022-03", "2024-12")


def _bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _parse(data: bytes | str, name: str = "nap5.csv", plan: str | None = "NAP5") -> ParsedImport:
    return parse_file(data.encode() if isinstance(data, str) else data, name, plan)


def _en_text() -> str:
    return _bytes("nap5_tracker_en.csv").decode("utf-8")


def _observations(p: ParsedImport) -> list[tuple[str, str, str | None, str]]:
    return [(r["indicator"], r["reporting_period"], r["status"], r["evidence_en"]) for r in p.rows]


def _snapshot(url: str) -> tuple[int, ...]:
    """Rows of every table an import writes, and the data version."""
    with session_scope(url) as s:
        counts = tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (PlanProgressReport, PlanChallenge, m.AuditLog, m.StatusHistory, m.Indicator, m.Milestone)
        )
    return (*counts, read_data_version(url))


def _report(url: str, indicator: str, period: str) -> PlanProgressReport:
    with session_scope(url) as s:
        rep = s.scalar(
            select(PlanProgressReport).where(
                PlanProgressReport.plan_id == "NAP5",
                PlanProgressReport.indicator_code == indicator,
                PlanProgressReport.reporting_period == period,
            )
        )
        assert rep is not None
        s.expunge(rep)
        return rep


@pytest.fixture
def bare_store(store: str) -> Iterator[str]:
    """The shipped store without any NAP5 status observation (as before the tracker's shipped rows)."""
    with session_scope(store) as s:
        s.execute(delete(PlanChallenge).where(PlanChallenge.plan_id == "NAP5"))
        s.execute(delete(PlanProgressReport).where(PlanProgressReport.plan_id == "NAP5"))
        ms_ids = select(m.Milestone.id).where(m.Milestone.plan_id == "NAP5")
        s.execute(update(m.Indicator).where(m.Indicator.milestone_id.in_(ms_ids)).values(status=None))
        s.execute(update(m.Milestone).where(m.Milestone.plan_id == "NAP5").values(status=None, status_as_of=None))
    yield store


# --------------------------------------------------------------------------- parsing the real layout
def test_the_three_fixtures_say_the_same() -> None:
    en, fr, codes = (_parse(_bytes(f"nap5_tracker_{k}.csv")) for k in ("en", "fr", "codes"))
    for p in (en, fr, codes):
        assert p.errors == [] and p.layout == "nap_tracker" and len(p.rows) == ROWS
    assert fr.header_lang == "fr" and en.header_lang == "en"
    assert _observations(en) == _observations(fr) == _observations(codes)
    history = [r["status"] for r in en.rows if r["indicator"] == "C02.3.1"]
    assert history == ["limited", "limited", "substantial", "complete", "complete"]  # 2022-03 .. 2023-03
    assert {r["status_term"] for r in fr.rows} == {"Progrès limité", "Progrès important", "Réalisé", "Non commencé"}
    assert fr.rows[0]["commitment"] == "C01" and fr.rows[0]["milestone"] == "C01.1"


def test_the_fixture_has_the_tracker_layout_of_nap5() -> None:
    with open(REPO / "data" / TRACKER_LAYOUT_FILE, encoding="utf-8") as fh:
        layout = {r["plan"]: r for r in csv.DictReader(fh)}
    header = _bytes("nap5_tracker_en.csv").decode("utf-8").splitlines()[0].split(",")
    assert header == layout["NAP5"]["columns"].split(";")
    assert tracker_vocabulary().periods["NAP5"] == tuple(layout["NAP5"]["reporting_period_choices"].split(";"))


def test_the_status_codes_are_read_where_the_ingest_reads_them() -> None:
    from opengov.ingest.shipped import SHIPPED

    assert TRACKER_STATUS_FILE in {src.file for src in SHIPPED}


@pytest.mark.parametrize(
    ("term", "status"),
    [
        ("LP", "limited"),
        ("lp", "limited"),
        ("LP: Limited progress", "limited"),
        ("LP - Limited progress", "limited"),
        ("LIMITED PROGRESS", "limited"),
        ("Progrès limité", "limited"),
        ("progres limite", "limited"),
        ("PROGRÈS  LIMITÉ", "limited"),
        ("SP: Progrès important", "substantial"),
        ("Substantial progress", "substantial"),
        ("C", "complete"),
        ("Réalisé", "complete"),
        ("realise", "complete"),
        ("C: Complete", "complete"),
        ("NS", "not_started"),
        ("Non commencé", "not_started"),
        ("not started", "not_started"),
    ],
)
def test_status_as_code_or_label_in_either_language(term: str, status: str) -> None:
    p = _parse(f"reporting_period,indicators,status\n2022-09,C01.1.2,{term}\n")
    assert p.errors == [] and p.rows[0]["status"] == status and p.rows[0]["status_term"] == term


@pytest.mark.parametrize("term", ["Half done", "Terminé", "Delayed", "LP: Complete", "XX: Limited progress"])
def test_a_status_the_tracker_does_not_have_is_refused(term: str) -> None:
    p = _parse(f"reporting_period,indicators,status\n2022-09,C01.1.2,SP\n2022-12,C01.1.2,{term}\n")
    assert [(e.line, e.code, e.params["value"]) for e in p.errors] == [(3, "unknown_status", term)]


@pytest.mark.parametrize("period", ["2031-03", "2022-04", "2021-12", "2025-03"])
def test_a_period_the_plan_does_not_report_is_refused(period: str) -> None:
    p = _parse(f"reporting_period,indicators,status\n2024-12,C01.1.2,SP\n{period},C01.1.2,SP\n")
    assert [(e.line, e.code) for e in p.errors] == [(3, "period_outside_plan")]
    e = p.errors[0]
    assert (e.params["first"], e.params["last"]) == NAP5_PERIODS
    assert e.message("en") == f"Reporting period {period} is not a reporting period of plan NAP5 (2022-03 to 2024-12)."
    assert period in e.message("fr") and "NAP5" in e.message("fr")


def test_each_plan_its_own_periods() -> None:
    text = (
        "plan,reporting_period,indicators,status\n"
        "NAP4,2021-12,C01.7.1,LP\nNAP6,2025-12,C01.1.1,NS\nNAP6,2026-03,C01.1.1,NS\n"  # NAP6 reports every 6 months
    )
    p = _parse(text, plan=None)
    assert [(e.line, e.code, e.params["plan"]) for e in p.errors] == [(4, "period_outside_plan", "NAP6")]


# --------------------------------------------------------------------------- writing, on SQLite and PostgreSQL
def test_first_import_adds_and_the_same_file_again_adds_nothing(bare_store: str) -> None:
    store = bare_store
    res = write_import(_parse(_bytes("nap5_tracker_en.csv"), "nap5_tracker_en.csv"), EDITOR, store)
    assert (res.added, res.updated, res.unchanged) == (ROWS, 0, 0)
    with session_scope(store) as s:
        reps = s.scalars(select(PlanProgressReport).where(PlanProgressReport.plan_id == "NAP5")).all()
        assert len(reps) == ROWS
        assert {(r.version, r.source_id, r.import_file, r.imported_by) for r in reps} == {
            (1, None, "nap5_tracker_en.csv", "importer")
        }
        ind = s.scalar(
            select(m.Indicator)
            .join(m.Milestone, m.Milestone.id == m.Indicator.milestone_id)
            .where(m.Milestone.plan_id == "NAP5", m.Indicator.code == "C02.3.1")
        )
        assert ind is not None and ind.status == "complete"  # its latest period, 2023-03
        ms = s.get(m.Milestone, ind.milestone_id)
        siblings = s.scalars(select(m.Indicator.status).where(m.Indicator.milestone_id == ms.id)).all()
        assert ms.status == least_advanced(list(siblings)) and ms.status_as_of == dt.date(2023, 3, 31)
        inserts = s.scalar(
            select(func.count())
            .select_from(m.AuditLog)
            .where(m.AuditLog.entity == "plan_progress_reports", m.AuditLog.action == "insert")
        )
        assert inserts and inserts >= ROWS
    before = _snapshot(store)
    for name in ("nap5_tracker_en.csv", "nap5_tracker_fr.csv", "nap5_tracker_codes.csv"):
        again = write_import(_parse(_bytes(name), name), EDITOR, store)
        assert (again.added, again.updated, again.unchanged) == (0, 0, ROWS), name
        assert (again.reports, again.reports_updated, again.milestones_added, again.milestones_updated) == (0, 0, 0, 0)
        assert _snapshot(store) == before, name  # no row, no audit row, no new data version


def test_idempotent_on_the_shipped_store(store: str) -> None:
    first = write_import(_parse(_bytes("nap5_tracker_en.csv")), EDITOR, store)
    assert first.added + first.updated + first.unchanged == ROWS
    before = _snapshot(store)
    again = write_import(_parse(_bytes("nap5_tracker_en.csv")), EDITOR, store)
    assert (again.added, again.updated, again.unchanged) == (0, 0, ROWS)
    assert _snapshot(store) == before


def test_a_later_file_updates_the_observation_in_place(bare_store: str) -> None:
    store = bare_store
    write_import(_parse(_bytes("nap5_tracker_en.csv"), "nap5_tracker_en.csv"), EDITOR, store)
    old_status = _report(store, "C05.2.14", "2023-12")
    old_evidence = _report(store, "C02.4.2", "2022-03")
    lines = _en_text().splitlines()
    status_line = next(i for i, x in enumerate(lines) if x.startswith("2023-12,C05,C05.2,C05.2.14,"))
    evidence_line = next(i for i, x in enumerate(lines) if x.startswith("2022-03,C02,C02.4,C02.4.2,"))
    lines[status_line] = "2023-12,C05,C05.2,C05.2.14,SP,,,The Knowledge Hub on GBA Plus is in testing.,,,,,,"
    lines[evidence_line] = lines[evidence_line].replace("18-month scoping study", "18 month scoping study")
    challenge_line = lines.index("2022-03,C02,C02.3,C02.3.2,Not started,,,,,,,,,")
    lines[challenge_line] = '2022-03,C02,C02.3,C02.3.2,Not started,,,,,"Lack of resources, Delay in approvals",,,,'
    old_challenged = _report(store, "C02.3.2", "2022-03")
    before = _snapshot(store)
    res = write_import(_parse("\n".join(lines) + "\n", "nap5_later.csv"), EDITOR, store)
    assert (res.added, res.updated, res.unchanged, res.challenges) == (0, 3, ROWS - 3, 2)
    after = _snapshot(store)
    assert (after[0], after[1]) == (before[0], before[1] + 2)  # the same observations, updated: not re-inserted
    challenged = _report(store, "C02.3.2", "2022-03")
    assert (challenged.id, challenged.version, challenged.status) == (old_challenged.id, 2, "not_started")
    new_status = _report(store, "C05.2.14", "2023-12")
    assert (new_status.id, new_status.version) == (old_status.id, old_status.version + 1)
    assert (new_status.status, new_status.status_source_term) == ("substantial", "SP")
    assert new_status.evidence_en == "The Knowledge Hub on GBA Plus is in testing."
    assert new_status.import_file == "nap5_later.csv"
    new_evidence = _report(store, "C02.4.2", "2022-03")
    assert (new_evidence.id, new_evidence.version, new_evidence.status) == (old_evidence.id, 2, "complete")
    with session_scope(store) as s:
        audit = {
            (a.field, a.old_value, a.new_value)
            for a in s.scalars(
                select(m.AuditLog).where(
                    m.AuditLog.entity == "plan_progress_reports",
                    m.AuditLog.entity_id == str(old_status.id),
                    m.AuditLog.action == "update",
                )
            )
        }
        assert ("status", "limited", "substantial") in audit
        assert ("status_source_term", "Limited progress", "SP") in audit
        assert ("evidence_en", old_status.evidence_en, "The Knowledge Hub on GBA Plus is in testing.") in audit
        assert ("import_file", "nap5_tracker_en.csv", "nap5_later.csv") in audit
        challenge_audit = s.scalars(
            select(m.AuditLog).where(
                m.AuditLog.entity_id == str(challenged.id), m.AuditLog.entity == "plan_progress_reports"
            )
        ).all()
        assert [(a.action, a.field, a.old_value, a.new_value) for a in challenge_audit if a.action == "update"] == [
            ("update", "challenges", "", "approvals,resources")
        ]
        codes = s.scalars(select(PlanChallenge.code).where(PlanChallenge.report_id == challenged.id)).all()
        assert sorted(codes) == ["approvals", "resources"]
        ind = s.scalar(
            select(m.Indicator)
            .join(m.Milestone, m.Milestone.id == m.Indicator.milestone_id)
            .where(m.Milestone.plan_id == "NAP5", m.Indicator.code == "C05.2.14")
        )
        assert ind is not None and ind.status == "substantial"  # 2023-12 is its latest period
    # The later file again: nothing more.
    before = _snapshot(store)
    res = write_import(_parse("\n".join(lines) + "\n", "nap5_later.csv"), EDITOR, store)
    assert (res.added, res.updated, res.unchanged) == (0, 0, ROWS) and _snapshot(store) == before


def test_bad_rows_are_refused_with_their_lines_and_nothing_is_written(store: str) -> None:
    lines = _en_text().splitlines()
    lines[1] = lines[1].replace(",C01.1,C01.1.2,", ",C01.1,C01.1.9,")  # line 2: no such indicator in NAP5
    lines[4] = lines[4].replace(",Limited progress,", ",Half done,")  # line 5
    lines[7] = "2031-03" + lines[7][len("2022-12") :]  # line 8: after the plan
    assert lines[4] != _en_text().splitlines()[4] and lines[7].startswith("2031-03,")
    parsed = _parse("\n".join(lines) + "\n")
    assert [(e.line, e.code) for e in parsed.errors] == [(5, "unknown_status"), (8, "period_outside_plan")]
    assert [(e.line, e.code) for e in check_against_store(parsed, store)] == [(2, "unknown_indicator")]
    before = _snapshot(store)
    with pytest.raises(ImportRejected) as info:
        write_import(parsed, EDITOR, store)
    errors = info.value.errors
    assert [(e.line, e.code) for e in errors] == [
        (2, "unknown_indicator"),
        (5, "unknown_status"),
        (8, "period_outside_plan"),
    ]
    assert errors[0].message("en") == "Indicator C01.1.9 is not in plan NAP5."
    assert "C01.1.9" in errors[0].message("fr") and "Half done" in errors[1].message("fr")
    assert _snapshot(store) == before


def test_an_unknown_commitment_of_a_shipped_plan_is_never_invented(store: str) -> None:
    text = "reporting_period,commitments,milestones,indicators,status\n2022-09,C09,C09.1,C09.1.1,SP\n"
    before = _snapshot(store)
    with pytest.raises(ImportRejected) as info:
        write_import(_parse(text), EDITOR, store)
    assert [(e.line, e.code) for e in info.value.errors] == [(2, "unknown_indicator")]
    assert _snapshot(store) == before


def test_a_tracker_plan_missing_from_the_store_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(get_engine(url))  # the schema, without the shipped plans
    with pytest.raises(ImportRejected) as info:
        write_import(_parse(_bytes("nap5_tracker_codes.csv")), EDITOR, url)
    assert {e.code for e in info.value.errors} == {"unknown_indicator"} and len(info.value.errors) == ROWS
    with session_scope(url) as s:
        assert s.get(m.ActionPlan, "NAP5") is None
        assert s.scalar(select(func.count()).select_from(m.Indicator)) == 0


def test_a_new_plan_id_is_created_then_holds_to_its_indicators_and_period(store: str) -> None:
    text = "reporting_period,commitments,milestones,indicators,status\n2030-06,C01,C01.1,C01.1.1: Publish data,LP\n"
    res = write_import(_parse(text, plan="CITY-2030"), EDITOR, store, plan_title="City plan")
    assert (res.added, res.milestones_added) == (1, 1)
    with pytest.raises(ImportRejected) as info:  # the plan exists now: no more invented indicators
        write_import(_parse(text.replace("C01.1.1", "C01.1.2"), plan="CITY-2030"), EDITOR, store)
    assert [(e.line, e.code) for e in info.value.errors] == [(2, "unknown_indicator")]
    with session_scope(store) as s:
        plan = s.get(m.ActionPlan, "CITY-2030")
        assert plan is not None
        plan.period_start, plan.period_end = dt.date(2030, 1, 1), dt.date(2031, 12, 31)
    rows = "".join(f"{p},C01,C01.1,C01.1.1,SP\n" for p in ("2029-12", "2030-01", "2032-06", "2032-07"))
    with pytest.raises(ImportRejected) as info:  # a plan the layout file does not list: its period, +6 months
        write_import(
            _parse("reporting_period,commitments,milestones,indicators,status\n" + rows, plan="CITY-2030"),
            EDITOR,
            store,
        )
    assert [(e.line, e.code, e.params["first"], e.params["last"]) for e in info.value.errors] == [
        (2, "period_outside_plan", "2030-01", "2032-06"),
        (5, "period_outside_plan", "2030-01", "2032-06"),
    ]
