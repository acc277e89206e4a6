"""Benchmark: refresh 20 loopback portals that each take 1 s to answer.

Run: ``python benchmarks/bench_refresh.py`` (from the repo root).

Each portal is its own ``ThreadingHTTPServer`` on 127.0.0.1 speaking the ArcGIS
Hub search shape (one request per portal) and sleeping ``--latency`` seconds.
Prints a Markdown table: sequential (max_workers=1) vs concurrent (default pool
of :func:`refresh_all`, plus a wider pool for reference). Target: concurrent
wall time ≤ 3 s.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opengov.sources.http import ClientConfig  # noqa: E402
from opengov.sources.registry import PortalSpec  # noqa: E402
from opengov.sources.runner import default_client_factory, refresh_all  # noqa: E402

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

        def do_GET(self) -> None:  # noqa: N802
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
    specs = [
        PortalSpec(
            f"bench-{i}",
            f"Bench {i}",
            f"Banc {i}",
            "municipal",
            "ON",
            "arcgis_hub",
            f"http://127.0.0.1:{s.server_address[1]}/api/search/v1",
            f"http://127.0.0.1:{s.server_address[1]}/",
            (f"127.0.0.1:{s.server_address[1]}",),
        )
        for i, s in enumerate(servers)
    ]
    factory = default_client_factory(ClientConfig(connect_timeout=2, read_timeout=max(5.0, args.latency * 3)))
    default_pool = inspect.signature(refresh_all).parameters["max_workers"].default

    def run(workers: int | None) -> tuple[float, int]:
        t0 = time.monotonic()
        res = refresh_all(specs, factory) if workers is None else refresh_all(specs, factory, max_workers=workers)
        return time.monotonic() - t0, sum(r.ok for r in res)

    seq_s, seq_ok = run(1)
    con_s, con_ok = run(None)
    wide_s, wide_ok = run(args.wide_pool)
    for s in servers:
        s.shutdown()
        s.server_close()

    print(
        f"| portals | per-portal latency | sequential wall s (1 worker) | concurrent wall s "
        f"(default pool = {default_pool}) | target | result | concurrent wall s (pool = {args.wide_pool}) | result |"
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
