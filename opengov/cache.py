"""One cache for the whole app, keyed by the store's data version.

Every write to the store (shipped-data load, import, edit, refresh, account change) bumps one
counter in the same transaction (`opengov.store.version`). Each script run reads that counter once
(`begin_run`, called by the frame) and every cached read takes it as the first part of its key. So
a write seen by the database is on every screen at the next rerun, whichever process or replica
made it (a cron refresh, an import from the command line, an edit on a second server), and there is
no list of caches to clear by hand.

`cached` is the only way the app caches data: `st.cache_data` (or `st.cache_resource` for objects
that are shared and only read, such as frozen Plotly figures), with `ttl` and `max_entries` set.
The TTL no longer decides freshness; it only bounds how long an unused entry holds memory.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from opengov import config
from opengov.ingest.init import ensure_store
from opengov.store import version as store_version
from opengov.store.db import read_data_version

TTL = int(config.get("OPENGOV_CACHE_TTL"))

P = ParamSpec("P")
R = TypeVar("R")


@st.cache_resource(show_spinner=False, max_entries=4)
def store_ready(url: str) -> dict[str, int]:
    """Create/migrate the store and load shipped data once per process (idempotent, locked)."""
    return ensure_store(url)


def url() -> str:
    """The store URL of this process (part of every cache key)."""
    return config.database_url()


class _RunVersions(threading.local):
    """The data versions read by the script run on this thread ({store url: version}); None outside
    a run. Streamlit runs each session's script on a thread of its own, and the frame calls
    `begin_run` at the top of every run, so each run starts from a fresh read."""

    versions: dict[str, int] | None = None


_run = _RunVersions()


def begin_run(store_url: str | None = None) -> int:
    """Read the store's data version for this script run (one single-row query) and keep it for the
    run's cached reads. The frame calls it at the top of every run."""
    u = store_url or url()
    v = read_data_version(u)
    _run.versions = {u: v}
    return v


def data_version(store_url: str | None = None) -> int:
    """The data version this run reads the store at: the one `begin_run` read, else (outside a
    Streamlit run, or after a write in this run) read now."""
    u = store_url or url()
    seen = _run.versions
    if seen is None:
        return read_data_version(u)
    if u not in seen:
        seen[u] = read_data_version(u)
    return seen[u]


def wrote() -> None:
    """Forget this run's data versions after a write committed on this thread, so that what the run
    reads next sees the write (every later run, everywhere, reads the new version anyway)."""
    if _run.versions is not None:
        _run.versions = {}


store_version.on_write(wrote)


def cached(max_entries: int, *, resource: bool = False) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a read of the store (or a figure made only from such reads) under the store's data
    version: `@cached(max_entries=16)` over a function whose `url` keyword names the store.

    `resource=True` caches one shared object instead of a pickled copy per caller (a Plotly figure
    re-validates every trace when it is unpickled): callers must only read it.
    """

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        def versioned(data_version: int, *args: Any, **kwargs: Any) -> R:
            return fn(*args, **kwargs)

        # Streamlit keys a cache by the function's module and qualified name: each wrapped function
        # keeps its own (two features caching the same query share its entries).
        versioned.__module__ = fn.__module__
        versioned.__qualname__ = fn.__qualname__
        versioned.__name__ = fn.__name__
        versioned.__doc__ = fn.__doc__
        decorate = st.cache_resource if resource else st.cache_data
        store = decorate(ttl=TTL, max_entries=max_entries, show_spinner=False)(versioned)

        signature = inspect.signature(fn)
        url_position = list(signature.parameters).index("url") if "url" in signature.parameters else None

        @functools.wraps(fn)
        def read(*args: P.args, **kwargs: P.kwargs) -> R:
            u = kwargs.get("url")
            if u is None and url_position is not None and len(args) > url_position:
                u = args[url_position]  # the store named positionally
            return store(data_version(u if isinstance(u, str) and u else None), *args, **kwargs)

        return read

    return wrap
