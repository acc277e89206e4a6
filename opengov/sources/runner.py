"""Concurrent refresh of many portals (no database code here).

:func:`refresh_all` runs each portal's adapter in a bounded
``ThreadPoolExecutor``; one portal failing never stops the others, and a
:class:`PortalResult` is returned for every spec, in the order of ``specs``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime

from opengov.sources.http import ClientConfig, HttpClient, SourceError
from opengov.sources.registry import Adapter, PortalSnapshot, PortalSpec, get_adapter, utc_now

__all__ = ["PortalResult", "ProgressCallback", "default_client_factory", "refresh_all", "refresh_one"]

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str, bool], None]
ClientFactory = Callable[[PortalSpec], HttpClient]


@dataclass
class PortalResult:
    """Outcome of refreshing one portal."""

    portal_id: str
    ok: bool
    snapshot: PortalSnapshot | None
    error_code: str | None
    error_message: str | None
    started_at: datetime
    finished_at: datetime
    duration_s: float


def default_client_factory(config: ClientConfig | None = None) -> ClientFactory:
    """Return a factory building one :class:`HttpClient` per portal, limited to its allowed hosts."""

    def factory(spec: PortalSpec) -> HttpClient:
        return HttpClient(config, allowed_hosts=spec.effective_allowed_hosts())

    return factory


def refresh_one(
    spec: PortalSpec,
    client_factory: ClientFactory,
    adapter_resolver: Callable[[str], Adapter | None] = get_adapter,
    run_ends: float | None = None,
) -> PortalResult:
    """Refresh a single portal, converting every failure into a :class:`PortalResult`."""
    started_at = utc_now()
    t0 = time.monotonic()
    snapshot: PortalSnapshot | None = None
    code: str | None = None
    message: str | None = None
    adapter = adapter_resolver(spec.platform)
    if run_ends is not None and t0 >= run_ends:
        code, message = "run_deadline", "The refresh run's time was up before this portal's turn."
    elif adapter is None:
        code = "unsupported_platform"
        message = f"No adapter for platform {spec.platform or '(unknown)'!r}."
    else:
        client: HttpClient | None = None
        try:
            client = client_factory(spec)
            snapshot = adapter(spec, client)
        except SourceError as exc:
            code, message = exc.code, exc.message
        except Exception as exc:  # noqa: BLE001 - a bug in one adapter must not stop the run
            log.exception("adapter crashed for %s", spec.id)
            code, message = "internal_error", f"Unexpected error ({type(exc).__name__})."
        finally:
            if client is not None:
                client.close()
    return PortalResult(
        portal_id=spec.id,
        ok=snapshot is not None,
        snapshot=snapshot,
        error_code=code,
        error_message=message,
        started_at=started_at,
        finished_at=utc_now(),
        duration_s=time.monotonic() - t0,
    )


def refresh_all(
    specs: Sequence[PortalSpec],
    client_factory: ClientFactory | None = None,
    max_workers: int = 8,
    progress: ProgressCallback | None = None,
    *,
    adapter_resolver: Callable[[str], Adapter | None] = get_adapter,
    on_result: Callable[[PortalResult], None] | None = None,
    run_deadline_s: float | None = None,
) -> list[PortalResult]:
    """Refresh ``specs`` concurrently with at most ``max_workers`` threads.

    Args:
        specs: portals to refresh.
        client_factory: ``spec -> HttpClient`` (default: :func:`default_client_factory`).
        max_workers: pool size (≥ 1).
        progress: called from the calling thread as ``progress(done, total, portal_id, ok)``
            after each portal; exceptions it raises are logged and ignored.
        adapter_resolver: ``platform -> adapter`` (default :func:`get_adapter`).
        run_deadline_s: the whole run's deadline: a portal not started by then is not fetched and fails
            with ``run_deadline`` (each portal's own deadline is its client's, ``ClientConfig.deadline_s``).
        on_result: called from the calling thread with each :class:`PortalResult` as soon as that
            portal is done (before ``progress``), e.g. to store it right away. Unlike ``progress``,
            an exception it raises is NOT swallowed: it stops the run (the pool is shut down,
            running fetches finish) and propagates.

    Returns:
        One :class:`PortalResult` per spec, in the order of ``specs``.
    """
    factory = client_factory or default_client_factory()
    total = len(specs)
    results: list[PortalResult | None] = [None] * total
    if total == 0:
        return []
    workers = max(1, min(int(max_workers), total))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="portal-refresh") as pool:
        run_ends = None if run_deadline_s is None else time.monotonic() + run_deadline_s
        futures = {
            pool.submit(refresh_one, spec, factory, adapter_resolver, run_ends): i for i, spec in enumerate(specs)
        }
        try:
            _collect(futures, specs, results, total, on_result, progress)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # do not start queued portals
            raise
    return [r for r in results if r is not None]


def _collect(
    futures: dict[Future[PortalResult], int],
    specs: Sequence[PortalSpec],
    results: list[PortalResult | None],
    total: int,
    on_result: Callable[[PortalResult], None] | None,
    progress: ProgressCallback | None,
) -> None:
    """Gather results as they complete, in the calling thread."""
    done = 0
    for fut in as_completed(futures):
        idx = futures[fut]
        try:
            res = fut.result()
        except Exception as exc:  # noqa: BLE001 - refresh_one already catches; belt and braces
            now = utc_now()
            res = PortalResult(specs[idx].id, False, None, "internal_error", str(exc), now, now, 0.0)
        results[idx] = res
        done += 1
        if on_result is not None:
            on_result(res)
        if progress is not None:
            try:
                progress(done, total, res.portal_id, res.ok)
            except Exception:  # noqa: BLE001
                log.exception("progress callback failed")
