"""Browser-side helpers: Streamlit server lifecycle, "app is idle" detection, axe-core.

Used by ``tests/conftest.py``, the browser tests and ``benchmarks/bench_pages.py``.

"Idle" (see ``IDLE_PREDICATE_JS``) means, all at once and continuously for ``settle_ms``:

* ``document.readyState == "complete"`` and ``document.fonts.status == "loaded"``;
* ``[data-testid="stApp"]`` exists with ``data-test-connection-state="CONNECTED"`` and
  ``data-test-script-state`` equal to ``notRunning`` (or ``compilationError``, so that a
  broken page is reported by the caller instead of timing out);
* no ``[data-testid="stStatusWidgetRunningIcon"]`` / ``stStatusWidgetRunningManIcon``
  (the top-right "Running... / Stop" status widget);
* no ``[data-testid="stSkeleton"]``, ``stSkeletonElement``, ``stAppSkeleton``,
  ``stSpinner``, no ``[data-stale="true"]`` element and no ``[aria-busy="true"]``
  (Streamlit lazy-loads the Vega and Plotly renderers and shows a skeleton meanwhile);
* every ``.vega-embed`` / ``[data-testid="stVegaLiteChart"]`` contains a ``canvas`` or
  ``svg``, and every ``.js-plotly-plot`` / ``[data-testid="stPlotlyChart"]`` contains a
  ``.main-svg``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http import HTTPStatus
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LANGS = ("en", "fr")
# Browser locale used for each ?lang= value: the *other* language, so that the tests prove
# the query string wins over the browser's preferred language.
OPPOSITE_LOCALE = {"en": "fr-CA", "fr": "en-CA"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

IDLE_PREDICATE_JS = r"""
(settleMs) => {
  const reason = (() => {
    if (document.readyState !== 'complete') return 'document.readyState=' + document.readyState;
    if (document.fonts && document.fonts.status !== 'loaded') return 'fonts loading';
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return 'no [data-testid=stApp]';
    const conn = app.getAttribute('data-test-connection-state');
    if (conn !== 'CONNECTED') return 'connection-state=' + conn;
    const state = app.getAttribute('data-test-script-state');
    if (state !== 'notRunning' && state !== 'compilationError') return 'script-state=' + state;
    const busy = [
      '[data-testid="stStatusWidgetRunningIcon"]',
      '[data-testid="stStatusWidgetRunningManIcon"]',
      '[data-testid="stSkeleton"]',
      '[data-testid="stSkeletonElement"]',
      '[data-testid="stAppSkeleton"]',
      '[data-testid="stSpinner"]',
      '[data-stale="true"]',
      '[aria-busy="true"]',
    ];
    for (const sel of busy) {
      if (document.querySelector(sel)) return 'present: ' + sel;
    }
    const vega = document.querySelectorAll('.vega-embed, [data-testid="stVegaLiteChart"]');
    for (const el of vega) {
      if (!el.querySelector('canvas, svg')) return 'vega chart not drawn';
    }
    const plotly = document.querySelectorAll('.js-plotly-plot, [data-testid="stPlotlyChart"]');
    for (const el of plotly) {
      if (!el.querySelector('.main-svg')) return 'plotly chart not drawn';
    }
    return null;
  })();
  const s = window.__ogIdle || (window.__ogIdle = { since: null, reason: null });
  s.reason = reason;
  const now = performance.now();
  if (reason !== null) {
    s.since = null;
    return false;
  }
  if (s.since === null) s.since = now;
  return now - s.since >= settleMs ? s.since : false;
}
"""


class AppNotIdleError(AssertionError):
    """The Streamlit app did not become idle in time."""


def wait_for_app_idle(page: Any, timeout_ms: float = 60_000, settle_ms: float = 300) -> float:
    """Wait until the Streamlit app has run its script and drawn everything.

    Returns the time, in ms since the current document's navigation start
    (``performance.now()``), at which the app first became idle (the settle window is
    not included), which is what the benchmark reports.
    """
    page.evaluate("() => { window.__ogIdle = { since: null, reason: null }; }")
    try:
        handle = page.wait_for_function(IDLE_PREDICATE_JS, arg=settle_ms, timeout=timeout_ms, polling="raf")
    except PlaywrightError as exc:  # TimeoutError, or the page went away
        try:
            reason = page.evaluate("() => window.__ogIdle && window.__ogIdle.reason")
        except PlaywrightError:  # page closed or navigated away
            reason = "unknown"
        raise AppNotIdleError(
            f"Streamlit app at {page.url} not idle after {timeout_ms:.0f} ms (last blocker: {reason}): {exc}"
        ) from exc
    return float(handle.json_value())


def run_axe(page: Any, tags: list[str] | None = None) -> list[dict[str, Any]]:
    """Inject axe-core from node_modules and return the WCAG 2.0/2.1 A+AA violations."""
    if not AXE_PATH.is_file():
        raise AssertionError(f"{AXE_PATH} is missing: run ./scripts/test.sh (npm ci installs axe-core)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations;
        }""",
        tags or AXE_TAGS,
    )


def format_violations(violations: list[dict[str, Any]], max_targets: int = 3) -> str:
    """Readable multi-line summary of axe violations for assertion messages."""
    lines = [f"{len(violations)} axe violation(s):"]
    for v in violations:
        nodes = v.get("nodes", [])
        targets = [" ".join(map(str, n.get("target", []))) for n in nodes[:max_targets]]
        more = f" (+{len(nodes) - max_targets} more)" if len(nodes) > max_targets else ""
        lines.append(
            f"- [{v.get('impact')}] {v.get('id')}: {v.get('help')} "
            f"({len(nodes)} node(s)) targets: {targets}{more}\n  {v.get('helpUrl', '')}"
        )
    return "\n".join(lines)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(script: str | Path, port: int, python: str | None = None) -> list[str]:
    """Command line that starts ``script`` headless on 127.0.0.1:``port``."""
    venv_python = REPO_ROOT / ".venv" / "bin" / "python"
    exe = python or (str(venv_python) if venv_python.exists() else sys.executable)
    return [
        exe, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        # real exception messages in test failures, whatever .streamlit/config.toml says
        "--client.showErrorDetails", "full",
    ]  # fmt: skip


class StreamlitServer:
    """A ``streamlit run`` subprocess whose output goes to files in ``log_dir``."""

    def __init__(
        self,
        script: str | Path,
        log_dir: Path,
        env: dict[str, str] | None = None,
        cwd: Path = REPO_ROOT,
        name: str = "streamlit",
    ) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout_path = log_dir / f"{name}.stdout.log"
        self.stderr_path = log_dir / f"{name}.stderr.log"
        full_env = dict(os.environ)
        full_env.update(env or {})
        full_env.setdefault("PYTHONUNBUFFERED", "1")
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                streamlit_command(script, self.port),
                cwd=cwd,
                env=full_env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )

    def logs(self) -> str:
        parts = []
        for p in (self.stdout_path, self.stderr_path):
            text = p.read_text(errors="replace") if p.exists() else ""
            parts.append(f"--- {p.name} ---\n{text[-8000:]}")
        return "\n".join(parts)

    def wait_healthy(self, timeout_s: float = 90) -> None:
        """Wait for ``GET /_stcore/health`` to answer ``ok``; raise with the logs if not."""
        deadline = time.monotonic() + timeout_s
        url = f"{self.base_url}/_stcore/health"
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {self.proc.returncode} before it was healthy\n" + self.logs()
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    body = resp.read().decode().strip()
                    if resp.status == HTTPStatus.OK and body == "ok":
                        return
                    last = f"HTTP {resp.status}: {body[:100]}"
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.25)
        raise RuntimeError(f"streamlit not healthy at {url} after {timeout_s:.0f} s ({last})\n" + self.logs())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)
