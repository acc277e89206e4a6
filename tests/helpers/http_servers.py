"""Real loopback HTTP servers shared by the test suites (no mocking of requests or our code).

``LoopbackServer`` is a ``ThreadingHTTPServer`` on 127.0.0.1 (ephemeral port) that serves scripted
:class:`Reply` objects per path (or computes them with a handler); ``FAST`` is a client config with
short timeouts for tests. Used by ``tests/sources`` and ``tests/refresh``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from opengov.sources.http import ClientConfig

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "http"


@dataclass
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes | str | Any = b""
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    declared_length: int | None = None  # send a Content-Length different from the body
    no_length: bool = False  # omit Content-Length (body delimited by connection close)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


Handler = Callable[[str, dict[str, list[str]]], Reply]


class LoopbackServer:
    """ThreadingHTTPServer on 127.0.0.1 with a per-path script of replies."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Handler] = {}
        self.hits: list[tuple[float, str, dict[str, list[str]]]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        outer = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: Any) -> None:  # silence
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query, keep_blank_values=True)
                with outer._lock:
                    outer.hits.append((time.monotonic(), parts.path, query))
                    outer.in_flight += 1
                    outer.max_in_flight = max(outer.max_in_flight, outer.in_flight)
                try:
                    reply = outer._reply_for(parts.path, query)
                    if reply.delay:
                        time.sleep(reply.delay)
                    body = reply.payload()
                    self.send_response(reply.status)
                    if reply.content_type:
                        self.send_header("Content-Type", reply.content_type)
                    if not reply.no_length:
                        length = reply.declared_length if reply.declared_length is not None else len(body)
                        self.send_header("Content-Length", str(length))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with outer._lock:
                        outer.in_flight -= 1

        class _S(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request: Any, client_address: Any) -> None:  # quiet
                pass

        self.httpd = _S(("127.0.0.1", 0), _H)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.host = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()

    def _reply_for(self, path: str, query: dict[str, list[str]]) -> Reply:
        with self._lock:
            route = self.routes.get(path)
            if route is None:
                return Reply(404, {"error": "not found"})
            if callable(route):
                handler = route
            else:
                return route.pop(0) if len(route) > 1 else route[0]
        return handler(path, query)

    def add(self, path: str, *replies: Reply) -> None:
        """Serve ``replies`` in order on ``path``; the last one repeats."""
        self.routes[path] = list(replies)

    def add_handler(self, path: str, handler: Handler) -> None:
        """Compute the reply per request."""
        self.routes[path] = handler

    def count(self, path: str) -> int:
        return sum(1 for _, p, _ in self.hits if p == path)

    def queries(self, path: str) -> list[dict[str, list[str]]]:
        return [q for _, p, q in self.hits if p == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


FAST = ClientConfig(
    connect_timeout=1.0,
    read_timeout=0.5,
    total_retries=2,
    backoff_factor=0.01,
    backoff_max=0.05,
    retry_after_cap=2.0,
    max_bytes=256 * 1024,
    max_redirects=4,
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
