"""Fixtures of the refresh tests: a real store (SQLite and PostgreSQL) and loopback portals.

Creating a store (migrations + every shipped file) takes seconds, so each dialect builds it ONCE per
session with ``ensure_store`` into a template (a SQLite file / a PostgreSQL template database); every
test then gets a fresh copy of it in the database the ``db_url`` fixture created, and calls
``ensure_store`` on it again (a no-op check that the copy is complete and up to date).
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from opengov.ingest.init import ensure_store
from opengov.sources.http import ClientConfig
from opengov.store import models as m
from opengov.store.db import get_engine, session_scope
from tests.helpers.http_servers import FAST, LoopbackServer, Reply, fixture_json

#: Short timeouts and one retry: a timeout costs ~1 s, a 503 a few milliseconds.
CONFIG: ClientConfig = dataclasses.replace(FAST, total_retries=1, read_timeout=0.5)

_TEMPLATES: dict[str, Any] = {}


def _sqlite_template(tmp_factory: pytest.TempPathFactory) -> Path:
    if "sqlite" not in _TEMPLATES:
        path = tmp_factory.mktemp("store_template") / "template.db"
        url = f"sqlite:///{path}"
        ensure_store(url)
        engine = get_engine(url)
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
        _TEMPLATES["sqlite"] = path
    return _TEMPLATES["sqlite"]


def _pg_template(server: Any, admin: Callable[..., Any]) -> str:
    if "postgresql" not in _TEMPLATES:
        name = "opengov_refresh_template"
        with admin(server.port) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/{name}"
        ensure_store(url)
        get_engine(url).dispose()
        _TEMPLATES["postgresql"] = name
    return _TEMPLATES["postgresql"]


def copy_template_store(db_url: str, request: pytest.FixtureRequest) -> str:
    """Fill the empty database at ``db_url`` with the session's template store; return ``db_url``."""
    if db_url.startswith("sqlite"):
        target = Path(db_url.split("///", 1)[1])
        shutil.copyfile(_sqlite_template(request.getfixturevalue("tmp_path_factory")), target)
    else:
        from tests.conftest import _pg_admin_connect

        server = request.getfixturevalue("pg_server")
        template = _pg_template(server, _pg_admin_connect)
        dbname = db_url.rsplit("/", 1)[1]
        with _pg_admin_connect(server.port) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
    assert ensure_store(db_url) == {}  # already complete: nothing to load
    return db_url


@pytest.fixture
def store(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A complete store (schema + shipped data) on SQLite and on PostgreSQL."""
    yield copy_template_store(db_url, request)
    get_engine(db_url).dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A complete SQLite store in a file of ``tmp_path`` (for the command-line tests)."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    yield copy_template_store(url, request)
    get_engine(url).dispose()


@pytest.fixture
def portals() -> Iterator[Callable[[], LoopbackServer]]:
    """Factory of loopback servers, all closed at the end of the test."""
    made: list[LoopbackServer] = []

    def make() -> LoopbackServer:
        srv = LoopbackServer()
        made.append(srv)
        return srv

    yield make
    for srv in made:
        srv.close()


# --------------------------------------------------------------------------- portal behaviours
CKAN_PREFIX = "/api/3/action"
ODS_PREFIX = "/api/explore/v2.1"


def _scaled(body: dict[str, Any], count: int) -> dict[str, Any]:
    """The real open.canada.ca answer with its count set to `count` and the organisation facet scaled to
    match (each dataset has one publisher: a plausible answer never has more by organisation than in all)."""
    import copy

    out = copy.deepcopy(body)
    res = out["result"]
    numeric = isinstance(count, int) and not isinstance(count, bool)
    ratio = count / res["count"] if numeric and res["count"] else 1.0
    res["count"] = count
    if numeric and 0 <= count and ratio < 1:
        for item in res["search_facets"]["organization"]["items"]:
            item["count"] = int(item["count"] * ratio)
        res["facets"]["organization"] = {k: int(v * ratio) for k, v in res["facets"]["organization"].items()}
    return out


def serve_ckan(srv: LoopbackServer, count: int = 47792, *, delay: float = 0.0) -> dict[str, Any]:
    """A healthy CKAN (open.canada.ca-shaped facets, 3 organisations, page-view tracking).

    Returns a mutable state dict: change ``state["count"]`` to change the next answers.
    """
    state: dict[str, Any] = {"count": count}
    original = fixture_json("ckan_open_canada_package_search_facets.json")

    def search(_path: str, query: dict[str, list[str]]) -> Reply:
        if query.get("rows") == ["0"]:
            return Reply(body=_scaled(original, state["count"]), delay=delay)
        return Reply(
            body={
                "success": True,
                "result": {
                    "count": state["count"],
                    "results": [
                        {"id": "d1", "name": "one", "title": "One", "tracking_summary": {"total": 900, "recent": 40}},
                        {"id": "d2", "name": "two", "title": "Two", "tracking_summary": {"total": 500, "recent": 60}},
                    ],
                },
            }
        )

    srv.add_handler(CKAN_PREFIX + "/package_search", search)
    srv.add(CKAN_PREFIX + "/organization_list", Reply(body={"success": True, "result": ["a", "b", "c"]}))
    return state


#: Facet rows a CKAN snapshot of :func:`serve_ckan` stores (organisation + format + jurisdiction).
def ckan_facet_rows() -> int:
    facets = fixture_json("ckan_open_canada_package_search_facets.json")["result"]["search_facets"]
    return sum(len({i["name"] for i in block["items"]}) for block in facets.values())


def serve_ods(srv: LoopbackServer, count: int = 197, *, delay: float = 0.0) -> None:
    """A healthy OpenDataSoft Explore v2.1 portal (real Vancouver facets)."""
    srv.add(ODS_PREFIX + "/catalog/datasets", Reply(body={"total_count": count, "results": []}, delay=delay))
    srv.add(
        ODS_PREFIX + "/catalog/facets",
        Reply(body=fixture_json("ods_vancouver_catalog_facets_v2.1_2026-08-17.json"), delay=delay),
    )


def ods_facet_rows() -> int:
    data = fixture_json("ods_vancouver_catalog_facets_v2.1_2026-08-17.json")
    n = 0
    for group in data["facets"]:
        n += len(
            {
                item.get("value", item.get("name"))
                for item in group.get("facets") or []
                if isinstance(item.get("count"), int)
            }
        )
    return n


def serve_fault(srv: LoopbackServer, fault: str, prefix: str = CKAN_PREFIX) -> None:
    """Make a CKAN portal fail: ``http_503``, ``html_instead_of_json`` or ``timeout``."""
    path = prefix + "/package_search"
    if fault == "http_503":
        srv.add(path, Reply(503, {"error": "Service Unavailable"}))
    elif fault == "html_instead_of_json":
        srv.add(path, Reply(200, "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"))
    elif fault == "timeout":
        srv.add(path, Reply(body={"success": True, "result": {"count": 1}}, delay=3.0))
    else:  # pragma: no cover - test typo
        raise ValueError(fault)


def add_portal(
    url: str,
    pid: str,
    platform: str,
    api_base_url: str,
    homepage: str = "",
    *,
    level: str = "municipal",
    pt_code: str = "ON",
    name_en: str | None = None,
) -> None:
    """Insert or update a portal row directly (the CLI tests go through ``import portals`` instead)."""
    with session_scope(url) as s:
        p = s.get(m.Portal, pid)
        values = {
            "name_en": name_en or f"Portal {pid}",
            "name_fr": f"Portail {pid}",
            "level": level,
            "pt_code": pt_code,
            "platform": platform,
            "api_base_url": api_base_url,
            "homepage": homepage or api_base_url,
        }
        if p is None:
            s.add(m.Portal(id=pid, **values))
        else:
            for k, v in values.items():
                setattr(p, k, v)
