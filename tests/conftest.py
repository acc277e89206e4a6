"""Shared fixtures: a real PostgreSQL server, per-test databases, the running app, Chromium.

Everything these fixtures need is installed by ``./scripts/test.sh``. A missing
PostgreSQL or Chromium is a test *failure*, never a silent skip; the only opt-out is
``OPENGOV_SKIP_PG=1`` for the PostgreSQL-backed tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.browser import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    REPO_ROOT,
    StreamlitServer,
    free_port,
)

SETUP_HINT = "run ./scripts/test.sh, which installs it"


# --------------------------------------------------------------------------- PostgreSQL


def _pg_bindir() -> Path | None:
    """Newest /usr/lib/postgresql/<major>/bin holding initdb and pg_ctl."""
    candidates = []
    for path in Path("/usr/lib/postgresql").glob("*/bin"):
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            try:
                major = int(path.parent.name.split(".")[0])
            except ValueError:
                major = 0
            candidates.append((major, path))
    return max(candidates)[1] if candidates else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb/postgres refuse to run as root: run them as the postgres OS user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], what: str) -> None:
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"{what} failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")


def _pg_admin_connect(port: int, dbname: str = "postgres") -> Any:
    import psycopg

    return psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True)


class _PgServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # As root the server runs as the postgres user, who must reach the directory:
        # use /tmp rather than a TMPDIR that may be private to root.
        parent = "/tmp" if os.geteuid() == 0 and Path("/tmp").is_dir() else None
        self.root = Path(tempfile.mkdtemp(prefix="opengov-pg-", dir=parent))
        self.data = self.root / "data"
        self.sockets = self.root / "sock"
        self.sockets.mkdir()
        self.logfile = self.root / "server.log"
        self.port = 0
        if os.geteuid() == 0:
            self.root.chmod(0o700)
            for p in (self.root, self.sockets):
                shutil.chown(p, "postgres", "postgres")

    def start(self) -> None:
        _run(
            _as_postgres([
                str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
            ]),
            "initdb",
        )  # fmt: skip
        last_error = ""
        for _attempt in range(3):  # the free port may be taken between choice and bind
            self.port = free_port()
            opts = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.sockets} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            res = subprocess.run(
                _as_postgres([
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile),
                    "-o", opts, "-w", "-t", "60", "start",
                ]),
                capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
            if res.returncode == 0:
                return
            last_error = res.stdout + res.stderr + self._log_tail()
        raise RuntimeError(f"pg_ctl start failed 3 times:\n{last_error}")

    def _log_tail(self) -> str:
        return self.logfile.read_text(errors="replace")[-4000:] if self.logfile.exists() else ""

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            pg_ctl = str(self.bindir / "pg_ctl")
            subprocess.run(
                _as_postgres([pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[_PgServer]:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust auth), removed at session end."""
    if os.environ.get("OPENGOV_SKIP_PG") == "1":
        pytest.skip("PostgreSQL tests disabled by OPENGOV_SKIP_PG=1")
    bindir = _pg_bindir()
    if bindir is None:
        pytest.fail(f"PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: {SETUP_HINT}")
    server = _PgServer(bindir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        server.stop()
        pytest.fail(f"could not start PostgreSQL from {bindir}: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: _PgServer) -> str:
    """SQLAlchemy URL of a database created on the session's PostgreSQL server."""
    dbname = "opengov_test"
    with _pg_admin_connect(pg_server.port) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:{pg_server.port}/{dbname}"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    ids=["sqlite", "postgresql"],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each supported kind, fresh for every test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 't.db'}"
        return
    request.getfixturevalue("pg_url")  # make sure the server is up
    server: _PgServer = request.getfixturevalue("pg_server")
    dbname = f"t_{uuid.uuid4().hex[:16]}"
    with _pg_admin_connect(server.port) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/{dbname}"
    finally:
        with _pg_admin_connect(server.port) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


# --------------------------------------------------------------------------- the app


@pytest.fixture(scope="session", autouse=True)
def streamlit_runner_options() -> None:
    """Every AppTest of the session runs with the server's ``runner.postScriptGC`` (no full garbage
    collection after each script run), read from .streamlit/config.toml whatever the working
    directory was when Streamlit first parsed its config. (Streamlit 1.67's AppTest runner never runs
    that collection itself; this keeps AppTest on the server's setting should a later one do so.)"""
    import tomllib

    from streamlit import config as st_config

    with (REPO_ROOT / ".streamlit" / "config.toml").open("rb") as f:
        runner = tomllib.load(f).get("runner", {})
    st_config.set_option("runner.postScriptGC", runner.get("postScriptGC", True))


@pytest.fixture(scope="session")
def app_server_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store URL of ``app_server`` (e.g. to add accounts with ``python -m opengov users add``)."""
    return f"sqlite:///{tmp_path_factory.mktemp('app_server_db') / 'browser.db'}"


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, app_server_db_url: str) -> Iterator[str]:
    """``streamlit run serve.py`` (what ./scripts/run.sh starts: app.py behind the page-shell
    middleware) on a free port with a temp SQLite store; yields the base URL."""
    app = REPO_ROOT / "serve.py"
    if not app.is_file():
        pytest.fail(f"{app} does not exist")
    tmp = tmp_path_factory.mktemp("app_server")
    server = StreamlitServer(
        app,
        log_dir=tmp,
        env={"OPENGOV_DATABASE_URL": app_server_db_url},
        name="app",
    )
    try:
        server.wait_healthy(timeout_s=90)
    except RuntimeError as exc:
        server.stop()
        print(exc)
        pytest.fail(f"the app did not start:\n{exc}")
    try:
        yield server.base_url
    finally:
        server.stop()


# --------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (no Playwright browser download)."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"{CHROMIUM_PATH} is missing (Debian package 'chromium'): {SETUP_HINT}")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    try:
        yield b
    finally:
        b.close()
        pw.stop()


@pytest.fixture
def browser_locale(request: pytest.FixtureRequest) -> str:
    """Browser locale of ``page``; override it by indirect parametrization."""
    return getattr(request, "param", "en-CA")


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Factory: ``new_page(locale="fr-CA")`` opens a tab in a fresh context (1400x1000)."""
    contexts: list[Any] = []

    def make(locale: str = "en-CA") -> Any:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page: Callable[..., Any], browser_locale: str) -> Any:
    """A fresh browser context and tab (1400x1000, locale ``browser_locale``) per test."""
    return new_page(browser_locale)
