"""A deadline per portal: a server that never answers, or trickles one byte at a time (in its headers or its
body), costs at most the deadline, its error is typed, and the other portals are not held back.

Real loopback sockets: a hostile server written with `socket` (http.server cannot trickle headers)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from opengov.sources.http import ClientConfig, DeadlineExceeded, HttpClient
from opengov.sources.registry import PortalSpec
from opengov.sources.runner import default_client_factory, refresh_all
from tests.sources.conftest import Reply

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"


class HostileServer:
    """Accepts connections and answers by `mode`: 'silent' (never a byte), 'trickle_head' (the status line
    and headers one byte every `gap` s), 'trickle_body' (headers at once, then the body one byte per gap)."""

    def __init__(self, mode: str, gap: float = 0.2) -> None:
        self.mode, self.gap = mode, gap
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self.threads.append(t)

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            payload = b""
            if self.mode == "trickle_head":
                payload = HEAD + b"{" + b" " * 38 + b"}"
            elif self.mode == "trickle_body":
                conn.sendall(HEAD)
                payload = b"{" + b" " * 38 + b"}"
            for i in range(len(payload) if payload else 10**6):
                if self.stop.wait(self.gap):
                    return
                if payload:
                    conn.sendall(payload[i : i + 1])
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture(params=["silent", "trickle_head", "trickle_body"])
def hostile(request: pytest.FixtureRequest) -> Iterator[HostileServer]:
    srv = HostileServer(request.param)
    yield srv
    srv.close()


# each read gets an answer well within its read timeout: only the deadline can stop the trickle
CFG = ClientConfig(connect_timeout=1.0, read_timeout=1.0, total_retries=2, backoff_factor=0.0, deadline_s=1.5)


def test_a_hostile_portal_costs_at_most_its_deadline(hostile: HostileServer) -> None:
    t0 = time.monotonic()
    with HttpClient(CFG) as client, pytest.raises(DeadlineExceeded) as info:
        client.get_json(hostile.base + "/api/3/action/package_search")
    elapsed = time.monotonic() - t0
    # 'silent' may end on the 1 s read timeout of each try, retried until the deadline: never past it by much
    assert elapsed < CFG.deadline_s + 1.0, elapsed
    assert info.value.code == "deadline" and "1.5 s" in info.value.message


def test_without_a_deadline_the_trickle_outlasts_the_read_timeout() -> None:
    """The control: per-read timeouts alone do not stop a trickling body (the case the deadline is for)."""
    srv = HostileServer("trickle_body", gap=0.05)
    try:
        cfg = ClientConfig(connect_timeout=1.0, read_timeout=0.5, total_retries=0, deadline_s=None)
        t0 = time.monotonic()
        with HttpClient(cfg) as client:
            client.get(srv.base + "/x")  # 39 bytes at 0.05 s: about 2 s, never a 0.5 s gap
        assert time.monotonic() - t0 > 1.5
    finally:
        srv.close()


def test_a_hung_portal_does_not_hold_the_others_back(server) -> None:
    hung = HostileServer("trickle_body", gap=0.3)
    try:
        server.add("/ok/collections/dataset/items", Reply(body={"numberMatched": 7, "features": []}))
        specs = [
            PortalSpec("hung", "H", "H", "municipal", "ON", "arcgis_hub", hung.base, hung.base + "/", ()),
            *(
                PortalSpec(f"ok{i}", "O", "O", "municipal", "ON", "arcgis_hub", server.base + "/ok", server.base + "/")
                for i in range(3)
            ),
        ]
        specs = [
            PortalSpec(s.id, s.name_en, s.name_fr, s.level, s.pt_code, s.platform, s.api_base_url, s.homepage)
            for s in specs
        ]
        t0 = time.monotonic()
        done_at: dict[str, float] = {}
        results = refresh_all(
            specs,
            default_client_factory(CFG),
            max_workers=4,
            on_result=lambda r: done_at.setdefault(r.portal_id, time.monotonic() - t0),
        )
        by = {r.portal_id: r for r in results}
        assert all(by[f"ok{i}"].ok and by[f"ok{i}"].snapshot.dataset_count == 7 for i in range(3))
        assert max(done_at[f"ok{i}"] for i in range(3)) < 1.0  # not held back by the hung one
        assert not by["hung"].ok and by["hung"].error_code == "deadline"
        assert done_at["hung"] < CFG.deadline_s + 1.0
    finally:
        hung.close()
