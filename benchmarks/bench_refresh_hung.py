"""Benchmark: a refresh with one hung portal (a byte every 5 s, forever) among 20 healthy ones.

Run: ``python benchmarks/bench_refresh_hung.py [--deadline 30]`` (from the repo root).

The hung portal answers its headers, then trickles its body one byte every 5 s: each read returns long
before the 20 s read timeout, so only the per-portal deadline (``ClientConfig.deadline_s``, 30 s by
default) stops it. The 20 healthy loopback portals answer in 1 s. Prints the wall time of the whole
refresh, when the last healthy portal was stored, and the hung portal's recorded error. Target: the
whole refresh within the deadline plus 2 s, the healthy portals not held back (stored within 3 s).
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_refresh import _start_portal  # noqa: E402
from opengov.ingest.init import ensure_store  # noqa: E402
from opengov.ingest.refresh import refresh_portals  # noqa: E402
from opengov.sources.http import ClientConfig  # noqa: E402
from opengov.store import models as m  # noqa: E402
from opengov.store.db import session_scope  # noqa: E402


def _hung_server(gap: float = 5.0) -> tuple[socket.socket, int]:
    sock = socket.create_server(("127.0.0.1", 0))

    def serve(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            while True:
                time.sleep(gap)
                conn.sendall(b" ")
        except OSError:
            conn.close()

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return sock, sock.getsockname()[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--portals", type=int, default=20)
    ap.add_argument("--deadline", type=float, default=ClientConfig().deadline_s)
    args = ap.parse_args(argv)
    servers = [_start_portal(1.0, 100 + i) for i in range(args.portals)]
    hung, hung_port = _hung_server()
    tmp = tempfile.TemporaryDirectory(prefix="bench-hung-")
    url = f"sqlite:///{tmp.name}/bench.db"
    ensure_store(url)
    ids = [f"bench-{i}" for i in range(args.portals)]
    with session_scope(url) as s:
        ports = [("hung", hung_port), *((i, srv.server_address[1]) for i, srv in zip(ids, servers, strict=True))]
        for pid, port in ports:
            s.add(
                m.Portal(
                    id=pid,
                    name_en=pid,
                    name_fr=pid,
                    level="municipal",
                    pt_code="ON",
                    platform="arcgis_hub",
                    api_base_url=f"http://127.0.0.1:{port}/api/search/v1",
                    homepage=f"http://127.0.0.1:{port}/",
                )
            )
    done: dict[str, float] = {}
    t0 = time.monotonic()
    summary = refresh_portals(
        url,
        ["hung", *ids],
        max_workers=16,
        client_config=ClientConfig(deadline_s=args.deadline),
        progress=lambda _d, _t, pid, _ok: done.setdefault(pid, time.monotonic() - t0),
    )
    wall = time.monotonic() - t0
    hung_out = next(p for p in summary.portals if p.portal_id == "hung")
    healthy = max(done[i] for i in ids)
    ok = wall <= args.deadline + 2 and healthy <= 3 and len(summary.succeeded) == args.portals
    print(
        "| portals | hung portal | deadline | refresh wall s | last healthy portal stored at s"
        " | hung portal error | result |"
    )
    print("|---:|---|---:|---:|---:|---|:---:|")
    print(
        f"| {args.portals} + 1 | a byte every 5 s | {args.deadline:g} s | {wall:.1f} | {healthy:.1f} | "
        f"{hung_out.error_code} | {'PASS' if ok else 'FAIL'} |"
    )
    hung.close()
    for srv in servers:
        srv.shutdown()
    tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
