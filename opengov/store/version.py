"""The store's data version: one counter that every write bumps in its own transaction.

Readers (the app's cache, `opengov.cache`) read it with `opengov.store.db.read_data_version` once
per script run and key every cached read with it, so a write made anywhere (another replica on the
same PostgreSQL, a cron refresh, an import from the command line) shows at the next rerun of every
session.

Every session of the store (`opengov.store.db.session_scope`) is a `StoreSession`: when it has
written anything (ORM changes, or INSERT/UPDATE/DELETE statements run through it), its commit adds
``UPDATE data_version SET version = version + 1`` to the same transaction. A session that only
updates bookkeeping that no page shows (sign-in failure counters) opts out with `quiet(session)`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, Result, event, text
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.sql.elements import TextClause

from opengov.store.models import Base, utcnow

_WROTE = "opengov_wrote"
_BUMPED = "opengov_bumped"
_QUIET = "opengov_quiet"
#: a textual statement that writes (``session.execute(text("UPDATE ..."))``)
_TEXT_DML = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
_BUMP = text("UPDATE data_version SET version = version + 1, changed_at = :now WHERE id = 1")


class DataVersion(Base):
    """One row (id 1): the number of committed writes the store has seen, and when the last was."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoreSession(Session):
    """A session whose commit bumps the data version when it wrote (see the module docstring)."""


def quiet(session: Session) -> None:
    """Writes of this session do not bump the data version (bookkeeping no page reads)."""
    session.info[_QUIET] = True


@event.listens_for(StoreSession, "after_flush")
def _after_flush(session: Session, _ctx: object) -> None:
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        session.info[_WROTE] = True


@event.listens_for(StoreSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> Result[Any] | None:
    stmt = state.statement
    sql = stmt.text if isinstance(stmt, TextClause) else ""
    textual = bool(_TEXT_DML.match(sql))
    returning = bool(getattr(stmt, "returning_column_descriptions", None)) or (textual and "RETURNING" in sql.upper())
    if state.is_insert or returning:  # with RETURNING, the row count is known only once the rows are read
        state.session.info[_WROTE] = True
    elif state.is_update or state.is_delete or textual:
        # An UPDATE or DELETE that matched no row changed nothing: no bump (a reader's housekeeping, such
        # as marking long-dead refresh runs interrupted, would otherwise empty every cache at each read).
        result = state.invoke_statement()
        if getattr(result, "rowcount", -1) != 0:  # unknown (-1) counts as a write
            state.session.info[_WROTE] = True
        return result
    return None


@event.listens_for(StoreSession, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()
    if session.info.pop(_WROTE, False) and not session.info.get(_QUIET):
        # on the session's own connection: the same transaction as the writes
        session.connection().execute(_BUMP, {"now": dt.datetime.now(dt.UTC)})
        session.info[_BUMPED] = True


_listeners: list[Callable[[], None]] = []


def on_write(callback: Callable[[], None]) -> None:
    """Call `callback()` after each commit that bumped the version in this process (the app's cache
    forgets the version its current run read, so the rest of the run sees the write too)."""
    if callback not in _listeners:
        _listeners.append(callback)


@event.listens_for(StoreSession, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_BUMPED, False):
        for callback in list(_listeners):
            callback()


@event.listens_for(StoreSession, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_WROTE, None)
    session.info.pop(_BUMPED, None)
