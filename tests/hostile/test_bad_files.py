"""Items 10 and 11 of issue 21 (imports): clear errors with the line and the column, in the user's
language, and nothing written, instead of tracebacks or misleading reasons: a working-group cell over
131,072 characters; a plan reference or code longer than its column (PostgreSQL refuses what SQLite
keeps); a portal's sgc_code over 10 characters; UTF-16 files ("save the file as UTF-8", while UTF-8 with
a BOM still imports); ``2031-01-15garbage`` as a date; a NUL character (PostgreSQL cannot store one)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from opengov.cli import main
from opengov.i18n import t
from opengov.store import models as m
from opengov.store.db import session_scope


def _csv_text(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


def _counts(url: str) -> tuple[int, ...]:
    with session_scope(url) as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (m.Milestone, m.ActionPlan, m.WgMeeting, m.WgActivity, m.Portal, m.UsageStat, m.AuditLog)
        )


PLAN_HEADER = ["Reference", "Milestone", "Start date", "End date", "Status"]
MEETING_HEADER = ["meeting_date", "held", "activity_kind", "activity_en", "activity_fr"]


def _run(url: str, args: list[str], capsys: pytest.CaptureFixture[str], code: int) -> str:
    before = _counts(url)
    assert main(args) == code
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert _counts(url) == before, "nothing written"
    return out.err


# --------------------------------------------------------------------------- column sizes, both databases
def test_plan_reference_and_plan_id_longer_than_their_columns(cli_store, tmp_path, capsys) -> None:
    f = tmp_path / "long.csv"
    f.write_text(
        _csv_text(
            [
                PLAN_HEADER,
                ["6.4", "Fine", "2015-01-15", "2015-10-31", "Completed"],
                ["R" * 25, "Too long a reference", "2015-01-15", "2015-10-31", "Completed"],
            ]
        )
    )
    err = _run(cli_store, ["import", "milestones", str(f), "--plan", "LONG-REF"], capsys, 2)
    assert "line 3: Référence / Reference: 25 characters, more than the 20 this column can hold." in err
    err = _run(cli_store, ["import", "milestones", str(f), "--plan", "P" * 41], capsys, 2)
    assert "line 0: --plan: 41 characters, more than the 40 this column can hold." in err
    from opengov.features.plans.imports import parse_file

    parsed = parse_file(f.read_bytes(), "long.csv", "LONG-REF")
    fr = [e.message("fr") for e in parsed.errors]
    assert fr == ["Référence / Reference : 25 caractères, alors que cette colonne en accepte au plus 20."]


def test_nap_tracker_codes_longer_than_their_columns(cli_store, tmp_path, capsys) -> None:
    f = tmp_path / "nap.csv"
    header = ["reporting_period", "commitments", "milestones", "indicators", "status"]
    f.write_text(_csv_text([header, ["2019-03", "C01", "C01.7", "C01.7." + "1" * 43, "LP"]]))
    err = _run(cli_store, ["import", "milestones", str(f), "--plan", "NEW-NAP"], capsys, 2)
    assert "line 2: indicators: 49 characters, more than the 40 this column can hold." in err


def test_portal_sgc_code_longer_than_its_column(cli_store, tmp_path, capsys) -> None:
    f = tmp_path / "p.csv"
    header = ["id", "name_en", "name_fr", "level", "pt_code", "platform", "api_base_url", "homepage", "sgc_code"]
    f.write_text(_csv_text([header, ["longsgc", "A", "A", "municipal", "QC", "", "", "", "2466023" * 3]]))
    err = _run(cli_store, ["import", "portals", str(f)], capsys, 1)
    assert "line 2: sgc_code: 21 characters, more than the 10 the column holds" in err


def test_nul_character_is_refused_before_the_database_sees_it(cli_store, tmp_path, capsys) -> None:
    f = tmp_path / "nul.csv"
    f.write_text(_csv_text([PLAN_HEADER, ["6.4", "Bad\x00title", "2015-01-15", "2015-10-31", "Completed"]]))
    err = _run(cli_store, ["import", "milestones", str(f), "--plan", "NUL-PLAN"], capsys, 2)
    assert "line 2: The file holds a NUL character: it is not a text file." in err
    m_csv = tmp_path / "m.csv"
    m_csv.write_text(_csv_text([MEETING_HEADER, ["2024-01-10", "yes", "presentation", "Bad\x00", "Mauvais"]]))
    err = _run(cli_store, ["import", "meetings", str(m_csv)], capsys, 1)
    assert "line 2: the file holds a NUL character" in err


# --------------------------------------------------------------------------- working-group cells, dates
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_working_group_cell_over_the_csv_limit(sqlite_cli_store, tmp_path, capsys, lang) -> None:
    f = tmp_path / "wg.csv"
    f.write_text(_csv_text([MEETING_HEADER, ["2024-01-10", "yes", "presentation", "x" * 140_000, "y"]]))
    err = _run(sqlite_cli_store, ["import", "meetings", str(f), "--lang", lang], capsys, 1)
    assert f"line 2: {t('wg.import.err.cell_too_long', lang, n='131,072')}" in err


def test_a_date_with_anything_after_it_is_not_a_date(sqlite_cli_store, tmp_path, capsys) -> None:
    f = tmp_path / "wg.csv"
    f.write_text(_csv_text([MEETING_HEADER, ["2031-01-15garbage", "yes", "presentation", "Talk", "Exposé"]]))
    err = _run(sqlite_cli_store, ["import", "meetings", str(f)], capsys, 1)
    assert "line 2: meeting_date: '2031-01-15garbage' is not a date (YYYY-MM-DD)" in err
    f.write_text(_csv_text([MEETING_HEADER, ["2031-01-15", "yes", "presentation", "Talk", "Exposé"]]))
    assert main(["import", "meetings", str(f)]) == 0


# --------------------------------------------------------------------------- UTF-16 and UTF-8 with a BOM
ANALYTICS = "year_annee,month_mois,visits_visites,downloads_telechargements\r\n2023,6,246595,106948\r\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_told_to_save_as_utf8(sqlite_cli_store, tmp_path, capsys, encoding) -> None:
    url = sqlite_cli_store
    plan = tmp_path / "plan.csv"
    plan.write_bytes(
        _csv_text([PLAN_HEADER, ["6.4", "Établir", "2015-01-15", "2015-10-31", "Terminé"]]).encode(encoding)
    )
    err = _run(url, ["import", "milestones", str(plan), "--plan", "U16"], capsys, 2)
    assert "The file is UTF-16 text: save it as UTF-8" in err
    wg = tmp_path / "wg.csv"
    wg.write_bytes(
        _csv_text([MEETING_HEADER, ["2024-01-10", "yes", "presentation", "Talk", "Exposé"]]).encode(encoding)
    )
    err = _run(url, ["import", "meetings", str(wg), "--lang", "fr"], capsys, 1)
    assert "le fichier est encodé en UTF-16 : enregistrez-le en UTF-8" in err
    a = tmp_path / "monthly.csv"
    a.write_bytes(ANALYTICS.encode(encoding))
    err = _run(url, ["import", "analytics", str(a)], capsys, 1)
    assert "line 1: the file is UTF-16 text: save it as UTF-8" in err


def test_utf8_with_a_bom_still_imports(sqlite_cli_store, tmp_path, capsys) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_bytes(
        _csv_text([PLAN_HEADER, ["6.4", "Établir", "2015-01-15", "2015-10-31", "Terminé"]]).encode("utf-8-sig")
    )
    assert main(["import", "milestones", str(plan), "--plan", "BOM-PLAN"]) == 0
    wg = tmp_path / "wg.csv"
    wg.write_bytes(
        _csv_text([MEETING_HEADER, ["2024-01-10", "yes", "presentation", "Talk", "Exposé"]]).encode("utf-8-sig")
    )
    assert main(["import", "meetings", str(wg)]) == 0
    a = tmp_path / "monthly.csv"
    a.write_bytes(ANALYTICS.encode("utf-8-sig"))
    assert main(["import", "analytics", str(a)]) == 0


def test_page_import_says_utf16_in_the_page_language() -> None:
    from opengov.features.plans.imports import parse_file

    data = _csv_text([PLAN_HEADER, ["6.4", "Établir", "2015-01-15", "2015-10-31", "Terminé"]]).encode("utf-16")
    errors = parse_file(data, "plan.csv", "U16").errors
    assert [e.message("fr") for e in errors] == [t("plans.import.error.utf16", "fr")]
    assert "UTF-8" in errors[0].message("fr") and "UTF-16" in errors[0].message("fr")
