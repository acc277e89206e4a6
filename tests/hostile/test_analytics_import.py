"""Items 8 and 10 (analytics) of issue 21: ``import analytics`` refuses a file that counts the same thing
twice with other values (naming both lines), negative counts, numbers above what a count can hold and
years like 99999; it reports every bad row (up to 50, then how many more); nothing is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from opengov.cli import main
from opengov.store import models as m
from opengov.store.db import session_scope

TOP = ["id", "title", "titre", "department", "ministere", "downloads_telechargements", "month_mois", "year_annee"]
MONTHLY = ["year_annee", "month_mois", "visits_visites", "downloads_telechargements"]


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _dataset(i: int, downloads: object, month: object = 6, year: object = 2023) -> list[object]:
    return [f"ds-{i:04d}", f"Dataset {i}", f"Jeu {i}", "Dept", "Min", downloads, month, year]


def _usage_count(url: str) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(m.UsageStat))


def _refused(url: str, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = _usage_count(url)
    assert main(["import", "analytics", str(path)]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "Traceback" not in err
    assert _usage_count(url) == before
    with session_scope(url) as s:
        assert s.get(m.Source, "import:dataset_downloads") is None and s.get(m.Source, "import:monthly_usage") is None
    return err


def test_same_dataset_and_month_with_two_counts_is_refused_naming_both_lines(cli_store, tmp_path, capsys) -> None:
    rows = [_dataset(1, 120), _dataset(2, 5), _dataset(1, 95), _dataset(2, 5)]  # line 5 repeats line 3 exactly
    err = _refused(cli_store, _write(tmp_path / "top.csv", TOP, rows), capsys)
    assert "top.csv, line 4: year 2023, month 6, dataset_id ds-0001 is also on line 2 with another value" in err
    assert "(95 here, 120 there)" in err
    assert "line 5" not in err  # a row repeated with the same count is not a conflict
    # the same for the monthly totals
    err = _refused(cli_store, _write(tmp_path / "m.csv", MONTHLY, [[2023, 6, 10, 2], [2023, 6, 11, 2]]), capsys)
    assert "m.csv, line 3: year 2023, month 6 is also on line 2 with another value (11, 2 here, 10, 2 there)" in err


def test_negative_counts_are_refused(cli_store, tmp_path, capsys) -> None:
    err = _refused(cli_store, _write(tmp_path / "m.csv", MONTHLY, [[2023, 5, 10, 2], [2023, 6, -4, 2]]), capsys)
    assert "line 3: column 'visits_visites' is a count and cannot be negative (-4)" in err
    err = _refused(cli_store, _write(tmp_path / "t.csv", TOP, [_dataset(1, "-1")]), capsys)
    assert "line 2: column 'downloads_telechargements' is a count and cannot be negative (-1)" in err


def test_every_bad_row_is_reported_up_to_fifty(cli_store, tmp_path, capsys) -> None:
    rows = [_dataset(i, -i if i % 2 else "many") for i in range(1, 121)]  # 120 bad rows, two kinds
    err = _refused(cli_store, _write(tmp_path / "t.csv", TOP, rows), capsys)
    reported = [ln.split("t.csv, ", 1)[1] for ln in err.splitlines() if "t.csv, line " in ln]
    assert len(reported) == 50
    assert reported[0].startswith("line 2: column 'downloads_telechargements' is a count")
    assert reported[1] == "line 3: column 'downloads_telechargements' should be a whole number, got 'many'."
    assert "... and 70 more problem(s)" in err


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ([2023, 6, 10**30, 2], "line 2: column 'visits_visites' holds 31 digits, more than the largest count"),
        ([2023, 6, 2**63, 2], "line 2: column 'visits_visites' holds 19 digits, more than the largest count"),
        ([99999, 6, 10, 2], "line 2: year 99999 is outside 2000-"),
        ([2023, 13, 10, 2], "line 2: month 13 is outside 1-12."),
    ],
    ids=["1e30", "2^63", "year-99999", "month-13"],
)
def test_numbers_out_of_range_are_clear_errors(cli_store, tmp_path, capsys, row, expected) -> None:
    err = _refused(cli_store, _write(tmp_path / "m.csv", MONTHLY, [row]), capsys)
    assert expected in err


def test_a_good_file_still_imports(cli_store, tmp_path, capsys) -> None:
    rows = [_dataset(1, 120), _dataset(2, 5), _dataset(1, 120)]  # an exact repeat is kept once
    assert main(["import", "analytics", str(_write(tmp_path / "top.csv", TOP, rows))]) == 0
    assert "2 usage rows" in capsys.readouterr().out
    before = _usage_count(cli_store)
    # a newer file of the same layout replaces the rows of the first, in one transaction
    rows = [_dataset(1, 130), _dataset(2, 7), _dataset(3, 1)]
    assert main(["import", "analytics", str(_write(tmp_path / "top.csv", TOP, rows))]) == 0
    assert _usage_count(cli_store) == before + 1
    with session_scope(cli_store) as s:
        got = s.execute(
            select(m.UsageStat.dimension_key, m.UsageStat.value, m.UsageStat.rank)
            .where(m.UsageStat.source_id == "import:dataset_downloads")
            .order_by(m.UsageStat.rank)
        ).all()
        assert [tuple(r) for r in got] == [("ds-0001", 130.0, 1), ("ds-0002", 7.0, 2), ("ds-0003", 1.0, 3)]
        assert s.get(m.Source, "import:dataset_downloads").rows_loaded == 3
