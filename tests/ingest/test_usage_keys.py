"""`settle`: one current row per figure, on SQLite and PostgreSQL; only contested figures are ranked, so a
long import of new figures settles in a fraction of a second (issue 21: the write lock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select

from opengov.ingest.usage_keys import settle
from opengov.store import models as m
from opengov.store.db import get_engine, session_scope
from tests.ingest.refresh.conftest import copy_template_store

DAY = dt.date(1990, 1, 1)  # a month no shipped file has


@pytest.fixture
def store(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    yield copy_template_store(db_url, request)
    get_engine(db_url).dispose()


def _row(source: str, value: int, key: str = "k1", current: bool = True) -> m.UsageStat:
    return m.UsageStat(
        source_id=source,
        portal_id="canada",
        metric="downloads",
        grain="month",
        period_start=DAY,
        period_end=dt.date(1990, 1, 31),
        dimension="dataset",
        dimension_key=key,
        value=value,
        is_current=current,
    )


def _current(url: str) -> dict[str, list[tuple[str, int]]]:
    with session_scope(url) as s:
        rows = s.execute(
            select(m.UsageStat.dimension_key, m.UsageStat.source_id, m.UsageStat.value, m.UsageStat.is_current).where(
                m.UsageStat.period_start == DAY
            )
        ).all()
    out: dict[str, list[tuple[str, int]]] = {}
    for key, source, value, current in rows:
        if current:
            out.setdefault(key, []).append((source, value))
    return out


def test_an_import_beats_a_shipped_file_and_a_lone_row_becomes_current(store: str) -> None:
    with session_scope(store) as s:
        s.add_all(
            [
                m.Source(id="t_shipped", kind="shipped_file", title_en="S", title_fr="S", as_of=dt.date(2020, 1, 1)),
                m.Source(id="t_import", kind="import", title_en="I", title_fr="I", as_of=dt.date(2019, 1, 1)),
            ]
        )
        s.flush()
        s.add_all([_row("t_shipped", 10), _row("t_import", 12), _row("t_shipped", 5, "k2", current=False)])
        s.flush()
        assert settle(s, "t_import") == 1  # the shipped row of k1 is kept apart
    assert _current(store) == {"k1": [("t_import", 12)], "k2": [("t_shipped", 5)]}
    with session_scope(store) as s:  # the import's row goes: the shipped one is current again
        s.execute(delete(m.UsageStat).where(m.UsageStat.source_id == "t_import"))
        s.add(_row("t_import", 7, "k3"))  # the source still writes the series
        s.flush()
        assert settle(s, "t_import") == 0
    assert _current(store) == {"k1": [("t_shipped", 10)], "k2": [("t_shipped", 5)], "k3": [("t_import", 7)]}
    with session_scope(store) as s:  # settling everything changes nothing more
        settle(s)
    assert _current(store) == {"k1": [("t_shipped", 10)], "k2": [("t_shipped", 5)], "k3": [("t_import", 7)]}
