"""Create or migrate the store and load the shipped data, safely from several processes at once."""

from __future__ import annotations

from sqlalchemy.exc import DatabaseError, OperationalError

from opengov.ingest.shipped import load_shipped
from opengov.store.db import StoreError, get_engine, init_lock, migrate, session_scope


def ensure_store(url: str | None = None) -> dict[str, int]:
    """Migrate to head and load changed shipped files. Returns {source id: rows} loaded this time."""
    engine = get_engine(url)
    try:
        with init_lock(engine):
            migrate(engine)
            with session_scope(url) as s:
                return load_shipped(s)
    except OperationalError as exc:
        raise StoreError("db_unreachable", str(getattr(exc, "orig", exc))) from exc
    except DatabaseError as exc:
        if "file is not a database" in str(exc):
            raise StoreError("db_unreachable", str(getattr(exc, "orig", exc))) from exc
        raise StoreError("load_failed", str(getattr(exc, "orig", exc))) from exc
