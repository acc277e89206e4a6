"""Real loopback HTTP servers for the source tests (no mocking of requests or our code).

The server classes and helpers live in :mod:`tests.helpers.http_servers` (shared with
``tests/refresh``); they are re-exported here for the existing ``from tests.sources.conftest import``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from opengov.sources.http import ClientConfig, HttpClient
from tests.helpers.http_servers import (  # noqa: F401 - re-exported
    FAST,
    FIXTURES,
    Handler,
    LoopbackServer,
    Reply,
    fixture_bytes,
    fixture_json,
)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    yield srv
    srv.close()


@pytest.fixture
def other_server() -> Iterator[LoopbackServer]:
    srv = LoopbackServer()
    yield srv
    srv.close()


@pytest.fixture
def fast_config() -> ClientConfig:
    return FAST


@pytest.fixture
def make_client() -> Iterator[Callable[..., HttpClient]]:
    made: list[HttpClient] = []

    def factory(allowed: list[str] | None = None, config: ClientConfig | None = None) -> HttpClient:
        c = HttpClient(config or FAST, allowed_hosts=allowed)
        made.append(c)
        return c

    yield factory
    for c in made:
        c.close()
