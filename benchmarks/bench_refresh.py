"""Benchmark: refresh 20 loopback portals that each take 1 s to answer.

Run: ``python benchmarks/bench_refresh.py`` (from the repo root).

Each portal is its own ``ThreadingHTTPServer`` on 127.0.0.1 speaking the ArcGIS
Hub search shape (one request per portal) and sleeping ``--latency`` seconds.
The portals are registered in a temporary SQLite store and refreshed end to end
with :func:`opengov.ingest.refresh.refresh_portals` (fetch + one write transaction per
portal + run/audit rows), exactly what ``python -m opengov refresh`` does.
Prints a Markdown table: sequential (``--workers 1``) vs concurrent (the refresh
command's default pool, 16 workers, plus a wider pool for reference). Target:
concurrent wall time ≤ 3 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opengov.ingest.init import ensure_store
from opengov.ingest.refresh import DEFAULT_WORKERS, refresh_portals
from opengov.sources.http import ClientConfig
from opengov.store import models as m
from opengov.store.db import session_scope

TARGET_S = 3.0


def _start_portal(latency: float, count: int) -> ThreadingHTTPServer:
    body = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [],
            "numberMatched": count,
            "numberReturned": 0,
            "links": [],
        }
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 64

    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return srv


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the Markdown table; exit 1 if the default pool misses the target."""
    ap = argparse.ArgumentParser(description="Sequential vs concurrent portal refresh on loopback.")
    ap.add_argument("--portals", type=int, default=20)
    ap.add_argument("--latency", type=float, default=1.0)
    ap.add_argument("--wide-pool", type=int, default=20)
    args = ap.parse_args(argv)

    servers = [_start_portal(args.latency, 100 + i) for i in range(args.portals)]
    tmp = tempfile.TemporaryDirectory(prefix="bench-refresh-")
    url = f"sqlite:///{tmp.name}/bench.db"
    ensure_store(url)  # schema + shipped data (not timed)
    ids = [f"bench-{i}" for i in range(args.portals)]
    with session_scope(url) as s:
        for pid, srv in zip(ids, servers, strict=True):
            port = srv.server_address[1]
            s.add(
                m.Portal(
                    id=pid,
                    name_en=f"Bench {pid}",
                    name_fr=f"Banc {pid}",
                    level="municipal",
                    pt_code="ON",
                    platform="arcgis_hub",
                    api_base_url=f"http://127.0.0.1:{port}/api/search/v1",
                    homepage=f"http://127.0.0.1:{port}/",
                )
            )
    config = ClientConfig(connect_timeout=2, read_timeout=max(5.0, args.latency * 3))
    default_pool = DEFAULT_WORKERS

    def run(workers: int) -> tuple[float, int]:
        t0 = time.monotonic()
        summary = refresh_portals(url, ids, max_workers=workers, client_config=config)
        return time.monotonic() - t0, len(summary.succeeded)

    seq_s, seq_ok = run(1)
    con_s, con_ok = run(default_pool)
    wide_s, wide_ok = run(args.wide_pool)
    for srv in servers:
        srv.shutdown()
        srv.server_close()
    tmp.cleanup()

    print(
        f"| portals | per-portal latency | sequential wall s (1 worker) | concurrent wall s "
        f"(refresh command default pool = {default_pool}) | target | result | "
        f"concurrent wall s (pool = {args.wide_pool}) | result |"
    )
    print("|---:|---:|---:|---:|---:|:---:|---:|:---:|")
    ok_default = con_s <= TARGET_S and con_ok == args.portals
    ok_wide = wide_s <= TARGET_S and wide_ok == args.portals
    print(
        f"| {args.portals} | {args.latency:.1f} s | {seq_s:.2f} | {con_s:.2f} | ≤ {TARGET_S:.0f} s | "
        f"{'PASS' if ok_default else 'FAIL'} | {wide_s:.2f} | {'PASS' if ok_wide else 'FAIL'} |"
    )
    print(
        f"\nsuccessful refreshes: sequential {seq_ok}/{args.portals}, default pool {con_ok}/{args.portals}, "
        f"pool {args.wide_pool} {wide_ok}/{args.portals}"
    )
    return 0 if ok_default else 1


if __name__ == "__main__":
    raise SystemExit(main())
