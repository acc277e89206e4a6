"""Imports of meetings, agenda items and priorities: encodings, delimiters, EN/FR headers, XLSX,
all-or-nothing with problems reported by line, audit rows; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opengov.auth import Actor, AuthError
from opengov.features.working_group.imports import ImportRejected, import_file
from opengov.ingest.init import ensure_store
from opengov.store import models as m
from opengov.store.db import session_scope

EDITOR = Actor("eve", "editor")


@pytest.fixture
def url(db_url: str) -> str:
    ensure_store(db_url)
    return db_url


def counts(url: str) -> dict[str, int]:
    with session_scope(url) as s:
        return {
            t: s.scalar(select(func.count()).select_from(model))
            for t, model in (
                ("meetings", m.WgMeeting),
                ("activities", m.WgActivity),
                ("agenda", m.WgAgendaItem),
                ("priorities", m.WgPriority),
                ("audit", m.AuditLog),
            )
        }


MEETINGS_EN = (
    "meeting_date,held,year,month,no_meeting_reason_en,no_meeting_reason_fr,activity_kind,activity_en,activity_fr,"
    "presenter,presenter_jurisdiction\n"
    "2023-01-10,yes,,,,,presentation,Presentation on open data in Montréal,"
    "Présentation sur les données ouvertes à Montréal,"
    "Ville de Montréal,municipal\n"
    "2023-01-10,yes,,,,,,Discussion on the 2023 agenda,Discussion sur l’ordre du jour 2023,,\n"
    ",no,2023,2,Winter break,Pause hivernale,,,,,\n"
)
MEETINGS_FR_SEMI = (
    "Date de la réunion;Réunion tenue;Année;Mois;Raison FR;Raison EN;Type d’activité;Activité FR;Activité EN;"
    "Présentateur;Administration\n"
    "2023-03-14;oui;;;;;présentation;Présentation sur le portail du Yukon;Presentation on the Yukon portal;"
    "gouvernement du Yukon;Yukon\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_meetings_csv_encodings(url: str, encoding: str) -> None:
    before = counts(url)
    res = import_file("meetings", MEETINGS_EN.encode(encoding), "meetings.csv", EDITOR, url)
    assert (res.inserted, res.updated) == (2, 0)
    after = counts(url)
    assert after["meetings"] == before["meetings"] + 2
    assert after["activities"] == before["activities"] + 2
    with session_scope(url) as s:
        meet = s.get(m.WgMeeting, "2023-01-10")
        assert (meet.year, meet.month, meet.held, meet.version) == (2023, 1, True, 1)
        acts = s.scalars(
            select(m.WgActivity).where(m.WgActivity.meeting_id == "2023-01-10").order_by(m.WgActivity.id)
        ).all()
        assert [a.kind for a in acts] == ["presentation", "discussion"]  # second inferred from its text
        assert acts[0].text_fr == "Présentation sur les données ouvertes à Montréal"
        assert acts[0].presenter_jurisdiction == "municipal"
        feb = s.get(m.WgMeeting, "2023-02-none")
        assert (feb.held, feb.no_meeting_reason_fr) == (False, "Pause hivernale")
        audit = s.scalars(select(m.AuditLog).where(m.AuditLog.entity_id == "2023-01-10")).all()
        assert audit and {a.actor for a in audit} == {"eve"} and {a.action for a in audit} == {"insert"}
    # importing the same file again changes nothing (idempotent activities, unchanged meetings)
    res2 = import_file("meetings", MEETINGS_EN.encode(encoding), "meetings.csv", EDITOR, url)
    assert (res2.inserted, res2.updated, res2.unchanged) == (0, 0, 2)
    assert counts(url)["activities"] == after["activities"]


def test_meetings_french_headers_semicolon(url: str) -> None:
    res = import_file("meetings", MEETINGS_FR_SEMI.encode("utf-8"), "reunions.csv", EDITOR, url)
    assert res.inserted == 1
    with session_scope(url) as s:
        act = s.scalars(select(m.WgActivity).where(m.WgActivity.meeting_id == "2023-03-14")).one()
        assert (act.presenter_jurisdiction, act.text_en) == ("YT", "Presentation on the Yukon portal")


def test_agenda_xlsx(url: str) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Année", "Sujet FR", "Sujet EN", "État", "Date d’achèvement", "Administration"])
    ws.append([2023, "Présentation sur l’IA", "Presentation on AI", "achevé", dt.datetime(2023, 3, 14), "Québec"])
    ws.append([2023, "Bilan de l’année", "Year in review", "en attente", None, None])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_file("agenda", buf.getvalue(), "ordre.xlsx", EDITOR, url)
    assert res.inserted == 2
    with session_scope(url) as s:
        items = s.scalars(select(m.WgAgendaItem).where(m.WgAgendaItem.year == 2023).order_by(m.WgAgendaItem.id)).all()
        assert [(i.id, i.status, i.done_date, i.presenter_jurisdiction) for i in items] == [
            ("AG2023-01", "done", dt.date(2023, 3, 14), "QC"),
            ("AG2023-02", "pending", None, ""),
        ]


def test_priorities_update_with_version_and_conflict(url: str) -> None:
    csv = (
        "priority_id,year,rank,kind,priority_en,priority_fr,status_text_en,status_text_fr,version\n"
        "P2021-2,2021,2,workplan_priority,Create open data ecosystems,Créer des écosystèmes de données ouvertes,"
        "Done in 2022,Fait en 2022,1\n"
    )
    res = import_file("priorities", csv.encode(), "p.csv", EDITOR, url)
    assert res.updated == 1
    with session_scope(url) as s:
        p = s.get(m.WgPriority, "P2021-2")
        assert (p.status_text_fr, p.version) == ("Fait en 2022", 2)
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.entity_id == "P2021-2")).all()
        assert {(r.field, r.old_value, r.new_value) for r in rows} >= {("status_text_fr", "", "Fait en 2022")}
    before = counts(url)
    with pytest.raises(ImportRejected) as exc:  # the same file again: version 1 is now stale
        import_file("priorities", csv.replace("Fait en 2022", "Autre").encode(), "p.csv", EDITOR, url)
    assert [(i.line, i.code) for i in exc.value.issues] == [(2, "stale_version")]
    assert "changed since version 1 (now 2)" in exc.value.issues[0].message("en")
    assert counts(url) == before


def test_bad_meetings_file_reports_lines_and_writes_nothing(url: str) -> None:
    before = counts(url)
    bad = (
        "date,tenue,annee,mois,activite_fr,administration\n"
        "2023-13-01,oui,,,,\n"  # 2 bad date
        "2023-04-11,peut-être,,,,\n"  # 3 bad yes/no
        ",non,2023,,,\n"  # 4 no month
        "2023-05-09,oui,,,Présentation X,Atlantide\n"  # 5 unknown jurisdiction
        "2023-06-13,oui,2022,,,\n"  # 6 year does not match the date
        "2023-07-11,oui,,,,\n"
    )  # 7 fine
    with pytest.raises(ImportRejected) as exc:
        import_file("meetings", bad.encode(), "bad.csv", EDITOR, url)
    got = [(i.line, i.code) for i in exc.value.issues]
    assert got == [(2, "bad_date"), (3, "bad_bool"), (4, "need_month"), (5, "bad_jurisdiction"), (6, "date_mismatch")]
    assert "ligne" not in exc.value.issues[0].message("en")
    assert exc.value.issues[3].message("fr").startswith("administration 'Atlantide' inconnue")
    assert counts(url) == before


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("meetings", "when,what\n2023-01-01,x\n", [(1, "unknown_columns"), (1, "missing_columns")]),
        (
            "agenda",
            "year,topic_en,status,done_date\n2023,A,done,\n2023,,pending,\n2023,C,maybe,\n2023,D,pending,2023-01-01\n",
            [(2, "need_done_date"), (3, "need_text"), (4, "bad_status"), (5, "done_date_pending")],
        ),
        (
            "priorities",
            "priority_id,year,priority_en,kind\nX,2023,A,\nX,2023,B,\nY,20x3,C,\nZ,2023,D,secret\n",
            [(3, "duplicate"), (4, "bad_int"), (5, "bad_priority_kind")],
        ),
        ("agenda", "year,topic_en,status\n", [(0, "empty")]),
        ("agenda", 'year,topic_en,status\n2023,"multi\nline",pending\n2023,x,nope\n', [(4, "bad_status")]),
    ],
)
def test_bad_inputs(url: str, kind: str, text: str, expected: list) -> None:
    before = counts(url)
    with pytest.raises(ImportRejected) as exc:
        import_file(kind, text.encode(), "f.csv", EDITOR, url)
    assert [(i.line, i.code) for i in exc.value.issues] == expected
    assert counts(url) == before


def test_refused_without_editor_role(url: str) -> None:
    before = counts(url)
    with pytest.raises(AuthError) as exc:
        import_file("meetings", MEETINGS_EN.encode(), "m.csv", Actor("vic", "viewer"), url)
    assert exc.value.code == "forbidden"
    with pytest.raises(AuthError):
        import_file("meetings", MEETINGS_EN.encode(), "m.csv", None, url)
    assert counts(url) == before


def test_unreadable_files(url: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        import_file("meetings", b"PK\x03\x04 not a workbook", "m.xlsx", EDITOR, url)
    assert exc.value.issues[0].code == "unreadable"
    with pytest.raises(ImportRejected) as exc:
        import_file("meetings", b"x", "m.pdf", EDITOR, url)
    assert exc.value.issues[0].code == "bad_format"


def test_cli_import(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from opengov.cli import main

    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    good = tmp_path / "m.csv"
    good.write_bytes(MEETINGS_EN.encode("cp1252"))
    assert main(["import", "meetings", str(good), "--actor", "ops"]) == 0
    assert "2 added" in capsys.readouterr().out
    bad = tmp_path / "a.csv"
    bad.write_text("annee;sujet_fr;etat\n2023;X;peut-être\n", encoding="utf-8")
    before = counts(url)
    assert main(["import", "agenda", str(bad), "--lang", "fr"]) == 1
    err = capsys.readouterr().err
    assert "line 2:" in err and "l’état 'peut-être' n’est pas achevé ou en attente" in err
    assert counts(url) == before
    with session_scope(url) as s:
        assert s.scalars(select(m.AuditLog.actor).where(m.AuditLog.entity_id == "2023-01-10")).first() == "ops"
