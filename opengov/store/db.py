"""Engine, sessions and migrations of the store.

`ensure_store()` is what the app and `python -m opengov init` call: it creates or migrates the
schema under a lock (a PostgreSQL advisory lock, or an exclusive file lock beside a SQLite file),
so two processes starting at once on a fresh database never race.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from opengov import config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
PG_LOCK_KEY = 727_0011_2026  # arbitrary, constant advisory-lock key


class StoreError(RuntimeError):
    """A store problem the user can act on; `code` selects the translated message."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:  # pragma: no cover - trivial
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL per process (None = the configured OPENGOV_DATABASE_URL, read now)."""
    return _engine(url or config.database_url())


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    return engine


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    """Sessions of the store: each commit that wrote bumps the data version (opengov.store.version)."""
    from opengov.store.version import StoreSession

    return sessionmaker(get_engine(url), class_=StoreSession, expire_on_commit=False)


@contextlib.contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: commit on success, roll back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revisions() -> set[str]:
    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


@contextlib.contextmanager
def init_lock(engine: Engine) -> Iterator[None]:
    """Serialise schema creation and data loading across processes."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_LOCK_KEY})
                conn.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        lock_path = str(engine.url.database) + ".init-lock"
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
    else:
        yield


def migrate(engine: Engine) -> set[str]:
    """Bring the schema to the head revision(s); return them. Caller holds init_lock."""
    try:
        current = current_revisions(engine)
    except SQLAlchemyError as exc:
        raise StoreError("db_unreachable", str(exc.orig if hasattr(exc, "orig") else exc)) from exc
    script = ScriptDirectory(str(MIGRATIONS))
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = current - known
    if unknown:
        raise StoreError("unknown_revision", ", ".join(sorted(unknown)))
    heads = set(script.get_heads())
    if current != heads:
        run_migration(engine, lambda cfg: command.upgrade(cfg, "heads"))
    return heads


def run_migration(engine: Engine, step: Callable[[Any], None]) -> None:
    """Run an Alembic command in one transaction. On SQLite, foreign keys are off while it runs (SQLite
    rebuilds a table to change a column, and dropping the old table would fail on the rows that reference
    it), and checked before the commit: any broken reference rolls the whole migration back."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: before BEGIN
            conn.commit()
        try:
            with conn.begin():
                cfg = _alembic_config(engine)
                cfg.attributes["connection"] = conn
                step(cfg)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StoreError("migration_failed", f"broken references after migrating: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def read_data_version(url: str | None = None) -> int:
    """The store's current data version (one indexed single-row read).

    >>> from opengov.ingest.init import ensure_store
    >>> import tempfile, os
    >>> u = "sqlite:///" + os.path.join(tempfile.mkdtemp(), "v.db")
    >>> _ = ensure_store(u)
    >>> v = read_data_version(u)
    >>> from opengov.store import models as m
    >>> with session_scope(u) as s:
    ...     s.add(m.AppMeta(key="doctest", value="1"))
    >>> read_data_version(u) == v + 1
    True
    """
    try:
        with get_engine(url).connect() as conn:
            value = conn.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        raise StoreError("db_unreachable", str(getattr(exc, "orig", exc))) from exc
    return int(value or 0)
