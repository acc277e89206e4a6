"""Row-batch writes for long imports: all or nothing, fast, and without locking editors out.

:func:`write_in_batches` inserts rows given as batches of dicts (per model, in foreign-key order), then
runs the caller's ``finish(session)`` (updates of existing rows, counters) and commits, or writes nothing:

* **SQLite** has one writer at a time: a transaction that inserted 200,000 rows row by row held the write
  lock for minutes and an editor's save failed with "database is locked". Here the batches first go into
  ``TEMP`` tables of one connection (the temporary database is the connection's own: the store is not
  locked while Python builds and sends the rows), that transaction is committed, then ONE short write
  transaction copies each staged table with ``INSERT INTO t (...) SELECT ... FROM temp.stage`` (SQLite's own
  loop, no Python per row), runs ``finish`` and commits. Its first statement is a write, so it never reads
  from an out-of-date snapshot (WAL mode; ``busy_timeout`` makes an editor's save wait for that short copy,
  not fail). A failure anywhere (an ``IntegrityError`` because an editor added the same key meanwhile, an
  ``EditConflict`` in ``finish``, a crash or ``kill -9``) leaves the store as it was: the copy is one
  transaction, and the temporary tables vanish with the connection.
* **PostgreSQL** locks rows, not the database: one transaction sends the batches (``executemany``), runs
  ``finish`` and commits; editors' saves of other rows never wait, and the data-version row is only
  updated at the commit.

Memory stays bounded by one batch: ``batches`` may be a generator that builds each batch when asked.
The commit bumps the data version like every store write (`opengov.store.version`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Column, MetaData, Table, UniqueConstraint, delete, insert, text
from sqlalchemy.orm import Session

from opengov.store.db import get_engine

__all__ = ["BATCH_ROWS", "complete_row", "reserve_ids", "write_in_batches"]

#: Rows sent per statement: large enough for speed, small enough for memory.
BATCH_ROWS = 5000

T = TypeVar("T")


def complete_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with every column of ``table`` it lacks set to the column's default (a plain value, or a
    function called now), None when there is none. The store's tables keep their defaults in Python."""
    out = dict(row)
    for col in table.columns:
        if col.name in out or _auto_id(table, col):
            continue
        default = col.default
        if default is None:
            out[col.name] = None
        elif getattr(default, "is_callable", False):
            out[col.name] = getattr(default, "arg")(None)  # noqa: B009 - DefaultGenerator has no typed arg
        else:
            out[col.name] = getattr(default, "arg", None)
    return out


def _auto_id(table: Table, col: Column[Any]) -> bool:
    """An integer primary key the database numbers (the audit log's id)."""
    return bool(col.primary_key and col.autoincrement in (True, "auto") and col.type.python_type is int)


def _name(model: type) -> str:
    return str(model.__table__.name)  # type: ignore[attr-defined]


def _unique_key(table: Table) -> list[str]:
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            return [c.name for c in constraint.columns]
    return [c.name for c in table.primary_key.columns]


def _delete_unstaged(session: Session, table: Table, stage: Table, match: dict[str, Any]) -> None:
    """Delete the rows of ``table`` matching ``match`` that are not staged exactly as they are (SQLite)."""
    where = _match_sql(match)
    same = " AND ".join(f's."{c.name}" IS "{table.name}"."{c.name}"' for c in stage.columns)
    stmt = (
        f'DELETE FROM "{table.name}" WHERE {where} AND NOT EXISTS (SELECT 1 FROM temp."{stage.name}" AS s WHERE {same})'
    )
    session.execute(text(stmt), _match_params(match))


def _match_sql(match: dict[str, Any]) -> str:
    return " AND ".join(f'"{k}" = :m_{k}' for k in match)


def _match_params(match: dict[str, Any]) -> dict[str, Any]:
    return {f"m_{k}": v for k, v in match.items()}


def _sorted_by(table: Table) -> str:
    """``ORDER BY`` the columns of the table's unique constraint: rows then reach its indexes in order, which
    makes the copy (the time the store is locked) about a third shorter for the usage table."""
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            return " ORDER BY " + ", ".join(f'"{c.name}"' for c in constraint.columns)
    return ""


def reserve_ids(url: str | None, model: type, n: int) -> list[int]:
    """``n`` ids for new rows of ``model`` (its numbered ``id``), so that a batched import can write rows
    that point at them (audit rows, status histories) before they exist. PostgreSQL: taken from the
    column's sequence (no other writer can get them). SQLite: the next ``n`` after the largest id; a row
    another writer adds meanwhile makes the import's copy fail whole (``IntegrityError``: nothing written)."""
    if n <= 0:
        return []
    table = _name(model)
    engine = get_engine(url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            ids = conn.execute(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table, "n": n},
            )
            out = [int(i) for i in ids.scalars()]
            conn.commit()
            return out
        start = int(conn.execute(text(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')).scalar() or 0)
        return list(range(start + 1, start + 1 + n))


def write_in_batches(
    url: str | None,
    batches: Iterable[tuple[type, list[dict[str, Any]]]],
    finish: Callable[[Session], T] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    before: Callable[[Session], None] | None = None,
    order: Iterable[type] = (),
    replace: tuple[type, dict[str, Any]] | None = None,
) -> T | None:
    """Insert every batch ``(Model, rows)`` then run ``finish(session)`` and commit, all or nothing (see the
    module docstring). ``before(session)`` runs first in the final transaction (its first statement must
    write, e.g. a DELETE of the rows being replaced); ``order`` lists the models whose rows must be copied
    first (parents before children), the others follow in the order they came. ``progress(rows_sent)`` is
    called after each batch. Returns what ``finish`` returned. The batches may raise (a problem found while
    they are built): nothing is written.

    ``replace=(Model, {column: value})``: the batches of Model are the new whole set of its rows matching those
    values (an import replacing its earlier file). On SQLite only what differs is written: rows of the set that
    are not staged as they are deleted, staged rows the set lacks inserted (compared on every column; matched on
    the table's unique key, indexed in the stage beforehand), so re-importing a file, or a newer one that adds a
    month, keeps the store locked for the changes only. On PostgreSQL the set is deleted, then inserted."""
    from opengov.store.version import StoreSession

    engine = get_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        staged: dict[str, tuple[Table, Table]] = {}  # table name -> (store table, stage)
        copied: list[str] = []
        session: Session | None = None
        try:
            sent = 0
            if sqlite:
                meta = MetaData()
                for model, rows in batches:
                    if not rows:  # nothing to stage: no table, no copy (an unchanged import writes nothing)
                        continue
                    table: Table = model.__table__  # type: ignore[attr-defined]
                    if table.name not in staged:
                        # a numbered id is left to the database unless the rows carry it (`reserve_ids`)
                        cols = [
                            Column(c.name, c.type) for c in table.columns if not _auto_id(table, c) or c.name in rows[0]
                        ]
                        stage = Table(f"stage_{table.name}_{uuid.uuid4().hex[:8]}", meta, *cols, prefixes=["TEMPORARY"])
                        stage.create(conn, checkfirst=False)
                        staged[table.name] = (table, stage)
                        copied.append(table.name)
                    stage = staged[table.name][1]
                    if rows:
                        conn.execute(insert(stage), [complete_row(table, r) for r in rows])
                    sent += len(rows)
                    if progress:
                        progress(sent)
                if replace is not None and replace[0].__table__.name in staged:  # type: ignore[attr-defined]
                    rtable, rstage = staged[replace[0].__table__.name]  # type: ignore[attr-defined]
                    key = ", ".join(f'"{c}"' for c in _unique_key(rtable))
                    conn.exec_driver_sql(f'CREATE INDEX temp."ix_{rstage.name}" ON "{rstage.name}" ({key})')
                conn.commit()  # the staging transaction: temporary tables only
            if sqlite:  # the copy updates every index of the table: a larger page cache for it (32 MB)
                conn.exec_driver_sql("PRAGMA cache_size=-32768")
            session = StoreSession(bind=conn)
            if replace is not None:
                rmodel, match = replace
                rname = rmodel.__table__.name  # type: ignore[attr-defined]
                if not sqlite or rname not in staged:
                    session.execute(delete(rmodel).where(*[getattr(rmodel, k) == v for k, v in match.items()]))
                else:
                    _delete_unstaged(session, *staged[rname], match)
            if before is not None:
                before(session)
            if sqlite:
                first = [m.__table__.name for m in order if m.__table__.name in staged]  # type: ignore[attr-defined]
                for name in [*first, *(n for n in copied if n not in first)]:
                    table, stage = staged[name]
                    names = ", ".join(f'"{c.name}"' for c in stage.columns)
                    copy = f'INSERT INTO "{name}" ({names}) SELECT {names} FROM temp."{stage.name}" AS s'
                    kept_match = replace[1] if replace is not None and name == _name(replace[0]) else None
                    has_rows = (
                        kept_match is not None
                        and session.execute(
                            text(f'SELECT 1 FROM "{name}" WHERE {_match_sql(kept_match)} LIMIT 1'),
                            _match_params(kept_match),
                        ).first()
                    )
                    if has_rows:  # rows kept from the earlier file: insert only what they lack
                        same_key = " AND ".join(f't."{c}" IS s."{c}"' for c in _unique_key(table))
                        copy += f' WHERE NOT EXISTS (SELECT 1 FROM "{name}" AS t WHERE {same_key})'
                    session.execute(text(copy + _sorted_by(table)))
            else:
                for model, rows in batches:
                    if rows:
                        session.execute(insert(model), rows)
                    sent += len(rows)
                    if progress:
                        progress(sent)
            result = finish(session) if finish is not None else None
            session.commit()  # flushes and bumps the data version, in the connection's transaction
            conn.commit()  # (the session joined the transaction the connection had begun: commit it here)
            return result
        except BaseException:
            if session is not None:
                session.rollback()
            conn.rollback()
            raise
        finally:
            if session is not None:
                session.close()
            for _table, stage in staged.values():
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{stage.name}"')
            if staged:
                conn.commit()
