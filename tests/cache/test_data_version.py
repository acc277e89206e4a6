"""The store's data version (opengov.store.version) and the cache keyed by it (opengov.cache).

Every write path bumps the version in the transaction of its writes, and nothing else does; a store of an
older schema (no data version yet) is migrated, never a traceback; a write made by another process shows at
the next rerun of a page whose reads are cached (the command line on SQLite; a second app process on one
PostgreSQL); and `cached` keeps each function's entries apart and keys them by the version.

What each transaction ran is observed with SQLAlchemy's engine events (nothing of the code is replaced); the
HTTP portal of the refresh test is a real loopback server, the databases are real.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, text

from opengov import cache
from opengov.auth import Actor, AuthError, authenticate
from opengov.cache import cached
from opengov.editing import EditConflict
from opengov.features.plans import edits
from opengov.features.working_group.imports import import_file
from opengov.i18n import t
from opengov.ingest.init import ensure_store
from opengov.store import models as m
from opengov.store.db import StoreError, get_engine, read_data_version, session_scope
from opengov.store.version import quiet

REPO = Path(__file__).resolve().parents[2]
EDITOR = Actor("ed", "editor")
PLAN = "CSIS-PMOGO"
NOT_STARTED = ("CSIS-Y5-01", "CSIS-Y5-02")  # two CSIS milestones "not started" in the shipped data
TIMEOUT = 120  # seconds, for any subprocess or answer (a hang fails, it never blocks the suite)

BUMP = re.compile(r"^UPDATE data_version\b", re.IGNORECASE)
DML = re.compile(r"^(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)


# --------------------------------------------------------------------------- helpers
class Transactions:
    """The statements of each transaction run on a store's engine while the block is active, from the engine's
    own events: `committed` and `rolled_back` are lists of transactions, each a list of statements (an UPDATE
    or DELETE that matched no row is left out: it wrote nothing)."""

    def __init__(self, url: str) -> None:
        self.engine = get_engine(url)
        self.open: dict[int, list[str]] = {}
        self.committed: list[list[str]] = []
        self.rolled_back: list[list[str]] = []
        self._events = (
            ("begin", self._begin),
            ("commit", self._commit),
            ("rollback", self._rollback),
            ("after_cursor_execute", self._statement),
        )

    def __enter__(self) -> Transactions:
        for name, fn in self._events:
            event.listen(self.engine, name, fn)
        return self

    def __exit__(self, *_exc: object) -> None:
        for name, fn in self._events:
            event.remove(self.engine, name, fn)

    def _begin(self, conn: Any) -> None:
        self.open[id(conn)] = []

    def _statement(self, conn: Any, cursor: Any, statement: str, *_rest: Any) -> None:
        text_ = " ".join(statement.split())[:160]
        nothing = getattr(cursor, "rowcount", -1) == 0 and "RETURNING" not in statement.upper()
        if re.match(r"(UPDATE|DELETE)\b", text_, re.IGNORECASE) and nothing:
            return  # it changed nothing: not a write (opengov.store.version does not bump for it)
        self.open.setdefault(id(conn), []).append(text_)

    def _commit(self, conn: Any) -> None:
        self.committed.append(self.open.pop(id(conn), []))

    def _rollback(self, conn: Any) -> None:
        self.rolled_back.append(self.open.pop(id(conn), []))

    def bumps(self) -> list[list[str]]:
        """The committed transactions that bumped the data version."""
        return [tx for tx in self.committed if any(BUMP.match(s) for s in tx)]

    def written_tables(self, tx: list[str]) -> set[str]:
        """The store tables a transaction wrote (a long import's TEMP staging tables, opengov.store.bulk, are the
        connection's own, not the store's)."""
        names = {g.group(1).lower() for s in tx if (g := DML.match(s))} - {"data_version"}
        return {n for n in names if not n.startswith("stage_")}

    def assert_every_write_bumped(self, expected: int | None = None) -> None:
        """Each committed transaction that wrote (outside a schema migration) ran exactly one bump, after its
        last write; `expected`: how many such transactions there were."""
        writing = [
            tx for tx in self.committed if self.written_tables(tx) and "alembic_version" not in self.written_tables(tx)
        ]
        for tx in writing:
            dml = [s for s in tx if DML.match(s)]
            assert sum(bool(BUMP.match(s)) for s in dml) == 1, dml[-5:]
            assert BUMP.match(dml[-1]), f"the bump is not the transaction's last write: {dml[-5:]}"
        assert len(self.bumps()) == len(writing)
        if expected is not None:
            assert len(writing) == expected, [sorted(self.written_tables(tx)) for tx in writing]


def env_for(url: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "OPENGOV_DATABASE_URL": url, "PYTHONPATH": path}
    env.pop("OPENGOV_CACHE_TTL", None)  # the default (600 s): only the data version can explain a refresh
    return env


def cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m opengov ARGS` in its own process on the store `url`."""
    return subprocess.run(
        [sys.executable, "-m", "opengov", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(url),
        cwd=REPO,
        timeout=TIMEOUT,
        check=False,
    )


def milestone(url: str, code: str) -> tuple[int, int, str | None]:
    with session_scope(url) as s:
        ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == PLAN, m.Milestone.code == code))
        return ms.id, ms.version, ms.status


def quiet_write(url: str, fn: Any) -> None:
    """A real committed write that opts out of the bump (`quiet`): what a cache without the version would see."""
    before = read_data_version(url)
    with session_scope(url) as s:
        quiet(s)
        fn(s)
    assert read_data_version(url) == before


def downgrade_to_0005(url: str) -> None:
    """Make the store look like one created before the data version (revision 0005): the later revisions'
    downgrades first (0008's and 0007's, real ones), then the data version dropped."""
    from alembic import command

    from opengov.store.db import run_migration

    run_migration(get_engine(url), lambda cfg: command.downgrade(cfg, "0006"))
    with get_engine(url).begin() as conn:
        conn.execute(text("DROP TABLE data_version"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    with pytest.raises(StoreError) as info:
        read_data_version(url)
    assert info.value.code == "db_unreachable"


_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def store(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A complete SQLite store (schema + shipped data): a copy of one built once per session."""
    if "sqlite" not in _TEMPLATE:
        path = tmp_path_factory.mktemp("cache_template") / "template.db"
        url = f"sqlite:///{path}"
        ensure_store(url)
        with get_engine(url).connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        get_engine(url).dispose()
        _TEMPLATE["sqlite"] = path
    target = tmp_path / "store.db"
    shutil.copyfile(_TEMPLATE["sqlite"], target)
    url = f"sqlite:///{target}"
    assert ensure_store(url) == {}
    yield url
    get_engine(url).dispose()


@pytest.fixture
def pg_store(pg_server: Any) -> Iterator[str]:
    """A complete store in a fresh database of the session's PostgreSQL server, dropped afterwards."""
    from tests.conftest import _pg_admin_connect

    dbname = f"cache_{uuid.uuid4().hex[:12]}"
    with _pg_admin_connect(pg_server.port) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:{pg_server.port}/{dbname}"
    try:
        ensure_store(url)
        yield url
    finally:
        get_engine(url).dispose()
        with _pg_admin_connect(pg_server.port) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def new_app(url: str, page: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An AppTest of app.py on the store `url`, switched to `page` and run."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OPENGOV_DATABASE_URL", url)
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: Any) -> dict[str, str]:
    return {x.label: x.value for x in at.metric}


# --------------------------------------------------------------------------- 1. every write path bumps
def test_first_load_bumps_in_its_transaction_and_an_unchanged_reload_does_not(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    with Transactions(url) as tx:
        assert ensure_store(url)  # a fresh store: every shipped file is loaded
    assert read_data_version(url) == 2  # 1 from the migration, +1 by the load's one transaction
    tx.assert_every_write_bumped(expected=1)
    assert {"milestones", "wg_meetings", "usage_stats"} <= tx.written_tables(tx.bumps()[0])
    with Transactions(url) as again:
        assert ensure_store(url) == {}
    assert read_data_version(url) == 2
    assert again.bumps() == []


def test_milestone_edit_bumps_once_in_its_transaction(store: str) -> None:
    mid, version, status = milestone(store, NOT_STARTED[0])
    assert status == "not_started"
    before = read_data_version(store)
    with Transactions(store) as tx:
        assert edits.save_milestone(store, EDITOR, mid, version, {"status": "complete"}, note="t") == version + 1
    assert read_data_version(store) == before + 1
    tx.assert_every_write_bumped(expected=1)
    assert {"milestones", "audit_log", "status_history"} <= tx.written_tables(tx.bumps()[0])


def test_stale_edit_raises_and_does_not_bump(store: str) -> None:
    mid, version, _ = milestone(store, NOT_STARTED[0])
    edits.save_milestone(store, EDITOR, mid, version, {"notes": "first"})
    before = read_data_version(store)
    with Transactions(store) as tx, pytest.raises(EditConflict):
        edits.save_milestone(store, EDITOR, mid, version, {"notes": "second, on a stale version"})
    assert read_data_version(store) == before
    assert tx.bumps() == []
    assert milestone(store, NOT_STARTED[0])[1] == version + 1


def test_write_that_raises_after_its_flush_rolls_back_without_a_bump(store: str) -> None:
    before = read_data_version(store)
    with Transactions(store) as tx, pytest.raises(RuntimeError, match="after the write"):
        with session_scope(store) as s:
            s.add(m.AppMeta(key="tests.cache", value="x"))
            s.flush()  # the INSERT ran: the session has written
            raise RuntimeError("after the write")
    assert any("app_meta" in tx.written_tables(t_) for t_ in tx.rolled_back)
    assert tx.bumps() == [] and read_data_version(store) == before
    with session_scope(store) as s:
        assert s.get(m.AppMeta, "tests.cache") is None
    with session_scope(store) as s:  # the next session of the same process is not marked by the failed one
        s.scalar(select(m.AppMeta).limit(1))
    assert read_data_version(store) == before


def test_working_group_import_bumps_and_an_unchanged_reimport_does_not(store: str) -> None:
    data = (
        "meeting_date,held,activity_kind,activity_en,activity_fr,presenter_jurisdiction\n"
        "2022-09-13,yes,presentation,Open data in Yukon,Données ouvertes au Yukon,YT\n"
    ).encode()
    before = read_data_version(store)
    with Transactions(store) as tx:
        res = import_file("meetings", data, "m.csv", EDITOR, store)
    assert res.inserted == 1
    assert read_data_version(store) == before + 1  # one transaction (all or nothing), one bump
    tx.assert_every_write_bumped(expected=1)
    assert {"wg_meetings", "wg_activities", "audit_log"} <= tx.written_tables(tx.bumps()[0])
    with Transactions(store) as again:
        res = import_file("meetings", data, "m.csv", EDITOR, store)
    assert (res.inserted, res.updated, res.unchanged) == (0, 0, 1)
    assert read_data_version(store) == before + 1 and again.bumps() == []


def test_plan_import_bumps_once_in_its_transaction(store: str) -> None:
    from opengov.features.plans.imports import parse_file, write_import

    data = (
        b"Reference,Milestone,Start date,End date,Status\n"
        b'"Year one (October 9, 2014 to October 31, 2015)",,,,\n'
        b'6.4,Establish the plan.,2015-01-15,"October 31, 2015",Completed\n'
    )
    parsed = parse_file(data, "plan.csv", "TEST-CACHE")
    assert not parsed.errors, [e.message("en") for e in parsed.errors]
    before = read_data_version(store)
    with Transactions(store) as tx:
        res = write_import(parsed, EDITOR, store, status_as_of=dt.date(2026, 1, 5), plan_title="Cache test plan")
    assert res.milestones_added == 1
    assert read_data_version(store) == before + 1
    tx.assert_every_write_bumped(expected=1)
    assert {"action_plans", "milestones", "audit_log"} <= tx.written_tables(tx.bumps()[0])


def test_textual_dml_through_a_session_bumps(store: str) -> None:
    with session_scope(store) as s:
        s.add(m.AppMeta(key="tests.cache.text", value="1"))
    before = read_data_version(store)
    with session_scope(store) as s:
        assert s.execute(text("UPDATE app_meta SET value = '2' WHERE key = 'tests.cache.text'")).rowcount == 1
    assert read_data_version(store) == before + 1


def test_a_write_that_matches_no_row_does_not_bump(store: str) -> None:
    """An UPDATE or DELETE that changes nothing leaves every cache as it is: reading the refresh runs
    (the sources page does, at each load) marks long-dead runs interrupted, and with none it must not
    empty every session's cache. One that matches a row still bumps."""
    from opengov.ingest.refresh import mark_interrupted_runs, recent_runs
    from opengov.store.models_refresh import RefreshRun

    before = read_data_version(store)
    recent_runs(store)
    assert mark_interrupted_runs(store) == 0
    with session_scope(store) as s:
        assert s.execute(text("UPDATE app_meta SET value = 'x' WHERE key = 'no such key'")).rowcount == 0
        s.execute(text("DELETE FROM app_meta WHERE key = 'no such key'"))
    assert read_data_version(store) == before
    with session_scope(store) as s:
        s.add(
            RefreshRun(
                actor="t", status="running", portals_requested=0, started_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
            )
        )
    assert read_data_version(store) == before + 1
    assert mark_interrupted_runs(store) == 1
    assert read_data_version(store) == before + 2


def test_cli_users_add_bumps_and_failed_sign_in_does_not(store: str) -> None:
    before = read_data_version(store)
    res = cli(store, "users", "add", "ann", "--role", "editor", "--password-stdin", stdin="correct horse 42\n")
    assert res.returncode == 0, res.stderr
    assert read_data_version(store) == before + 1
    with Transactions(store) as tx, pytest.raises(AuthError) as info:
        with session_scope(store) as s:
            authenticate(s, "ann", "wrong password!")
    assert info.value.code == "bad_credentials"
    # the failure counter and its audit row were committed: a real write that no page shows, so no bump
    # (the counter is reserved in a transaction of its own, before the hash is checked; see authenticate)
    assert {"users", "audit_log"} <= set().union(*(tx.written_tables(t_) for t_ in tx.committed))
    assert tx.bumps() == [] and read_data_version(store) == before + 1
    with session_scope(store) as s:
        assert s.scalar(select(m.User.failed_logins).where(m.User.username == "ann")) == 1
        assert authenticate(s, "ann", "correct horse 42").role == "editor"  # resets the counter, quietly
    assert read_data_version(store) == before + 1


def test_refresh_from_a_real_local_portal_bumps_in_each_writing_transaction(store: str) -> None:
    from opengov.ingest.refresh import refresh_portals
    from tests.helpers.http_servers import LoopbackServer
    from tests.ingest.refresh.conftest import CKAN_PREFIX, CONFIG, add_portal, serve_ckan

    srv = LoopbackServer()
    try:
        serve_ckan(srv, 1234)
        add_portal(store, "ckan-cache", "ckan", srv.base + CKAN_PREFIX)
        before = read_data_version(store)
        with Transactions(store) as tx:
            summary = refresh_portals(
                store, ["ckan-cache"], client_config=CONFIG, now=dt.datetime(2026, 11, 20, 14, 0, tzinfo=dt.UTC)
            )
        assert summary.exit_code == 0, [(p.portal_id, p.error_code) for p in summary.portals]
        assert srv.count(CKAN_PREFIX + "/package_search") >= 1
    finally:
        srv.close()
    assert read_data_version(store) == before + len(tx.bumps()) > before
    tx.assert_every_write_bumped()
    assert any("portal_snapshots" in tx.written_tables(b) for b in tx.bumps())


# --------------------------------------------------------------------------- 2. an older store is migrated
def test_init_migrates_a_store_without_data_version(store: str) -> None:
    downgrade_to_0005(store)
    get_engine(store).dispose()
    res = cli(store, "init")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    assert read_data_version(store) >= 1
    with session_scope(store) as s:
        assert s.scalar(text("SELECT version_num FROM alembic_version")) == "0008"
    before = read_data_version(store)
    mid, version, _ = milestone(store, NOT_STARTED[0])
    edits.save_milestone(store, EDITOR, mid, version, {"notes": "after the migration"})
    assert read_data_version(store) == before + 1


def test_app_migrates_a_store_without_data_version_at_start_up(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    downgrade_to_0005(store)
    at = new_app(store, "pages/overview.py", monkeypatch)
    assert not at.error, [e.value for e in at.error]
    assert metrics(at)[t("overview.plans.kpi.overdue", "en")].isdigit()
    assert read_data_version(store) >= 1


# --------------------------------------------------------------------------- 3. freshness: CLI, SQLite
def test_cli_import_in_another_process_shows_at_the_next_rerun(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from metrics import working_group as wg
    from opengov.features.working_group import queries as q

    assert "OPENGOV_CACHE_TTL" not in os.environ and cache.TTL == 600
    label = t("wg.kpi.meetings_held", "en")
    at = new_app(store, "pages/working_group.py", monkeypatch)
    assert at.selectbox(key="working_group_year").value == "2022"
    shown = int(metrics(at)[label])

    def held_in_store() -> int:  # uncached, straight from the store
        return int(
            wg.year_summary(q.meetings(store), q.activities(store), q.agenda(store), 2022)["meetings_held_count"]
        )

    assert held_in_store() == shown
    # Without a bump the page keeps what it read: a committed write that does not bump stays unseen.
    quiet_write(
        store,
        lambda s: s.add(
            m.WgMeeting(id="2022-10-11", year=2022, month=10, held=True, meeting_date=dt.date(2022, 10, 11), version=1)
        ),
    )
    assert held_in_store() == shown + 1
    at.run()
    assert not at.exception and int(metrics(at)[label]) == shown  # stale: cached under the same version

    meetings = tmp_path / "meetings.csv"
    meetings.write_text("meeting_date,held\n2022-09-13,yes\n", encoding="utf-8")
    before = read_data_version(store)
    res = cli(store, "import", "meetings", str(meetings), "--actor", "ops")
    assert res.returncode == 0, res.stderr
    assert "1 added" in res.stdout
    assert read_data_version(store) == before + 1

    at.run()  # the same session, the next rerun
    assert not at.exception, [e.value for e in at.exception]
    assert int(metrics(at)[label]) == shown + 2  # both writes: every cached read was read anew


# --------------------------------------------------------------------------- 4. freshness: two app processes
class Worker:
    """tests/cache/worker.py in its own process: commands on stdin, one JSON answer per line."""

    def __init__(self, url: str, log: Path, page: str, label_key: str) -> None:
        self.log_path = log
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.cache.worker", page, label_key],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env=env_for(url),
            cwd=REPO,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def answer(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no answer in {timeout} s:\n{self.log_tail()}") from None
        if line is None:
            raise AssertionError(f"the worker exited ({self.proc.poll()}):\n{self.log_tail()}")
        reply = json.loads(line)
        assert reply["ok"], reply["error"]
        return reply

    def ask(self, command: str) -> dict[str, Any]:
        self.send(command)
        return self.answer()

    def log_tail(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send("quit")
                self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self._log.close()


def shown(reply: dict[str, Any]) -> int:
    assert reply["exceptions"] == [], reply["exceptions"]
    assert reply["value"] is not None and reply["value"].isdigit(), reply
    return int(reply["value"])


@pytest.mark.postgres
def test_edit_on_one_app_process_shows_on_another_sharing_postgresql(pg_store: str, tmp_path: Path) -> None:
    workers: list[Worker] = []
    try:
        a = Worker(pg_store, tmp_path / "a.log", "pages/overview.py", "overview.plans.kpi.overdue")
        workers.append(a)
        b = Worker(pg_store, tmp_path / "b.log", "pages/overview.py", "overview.plans.kpi.overdue")
        workers.append(b)
        a.send("run")
        b.send("run")  # both start at once
        done = shown(a.answer())
        assert shown(b.answer()) == done

        # Without a bump, A keeps what it read (its own cache): a write that does not bump stays unseen.
        def complete(s: Any) -> None:
            ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == PLAN, m.Milestone.code == NOT_STARTED[1]))
            assert ms.status == "not_started"
            ms.status = "complete"

        quiet_write(pg_store, complete)
        assert shown(a.ask("run")) == done

        before = read_data_version(pg_store)
        mid, version, status = milestone(pg_store, NOT_STARTED[0])
        assert status == "not_started"
        edit = b.ask(f"edit {NOT_STARTED[0]} status=complete")
        assert (edit["milestone"], edit["version"]) == (mid, version + 1)
        assert read_data_version(pg_store) == before + 1

        assert shown(a.ask("run")) == done - 2  # A's next rerun reads everything anew: both writes (two fewer late)
        assert shown(b.ask("run")) == done - 2
    finally:
        for w in workers:
            w.stop()


# --------------------------------------------------------------------------- 5. opengov.cache.cached
CALLS: collections.Counter[str] = collections.Counter()


@cached(max_entries=4)
def first_reader(n: int, url: str = "") -> tuple[str, int]:
    CALLS["first_reader"] += 1
    return "first_reader", n


@cached(max_entries=4)
def second_reader(n: int, url: str = "") -> tuple[str, int]:
    CALLS["second_reader"] += 1
    return "second_reader", n


@cached(max_entries=4, resource=True)
def first_resource(n: int, url: str = "") -> list[Any]:
    CALLS["first_resource"] += 1
    return ["first_resource", n]


@cached(max_entries=4, resource=True)
def second_resource(n: int, url: str = "") -> list[Any]:
    CALLS["second_resource"] += 1
    return ["second_resource", n]


@pytest.mark.parametrize(
    "pair", [(first_reader, second_reader), (first_resource, second_resource)], ids=["data", "resource"]
)
def test_two_cached_functions_keep_their_own_entries(store: str, pair: tuple[Any, Any]) -> None:
    one, two = pair
    CALLS.clear()
    got = [tuple(one(7, url=store)), tuple(two(7, url=store)), tuple(one(7, url=store)), tuple(two(7, url=store))]
    assert got == [(one.__name__, 7), (two.__name__, 7)] * 2
    assert CALLS == {one.__name__: 1, two.__name__: 1}  # each ran once and was then read from its own entry


@pytest.mark.parametrize("fn", [first_reader, first_resource], ids=["data", "resource"])
def test_cache_key_follows_the_data_version(store: str, fn: Any) -> None:
    CALLS.clear()
    name = fn.__name__
    assert tuple(fn(3, url=store)) == (name, 3)
    assert tuple(fn(3, url=store)) == (name, 3)
    assert CALLS[name] == 1  # no write: cached
    assert cache.data_version(store) == read_data_version(store)  # outside a run: read now
    with session_scope(store) as s:  # any write bumps the version, and with it every key
        s.add(m.AppMeta(key="tests.cache.key", value="1"))
    assert tuple(fn(3, url=store)) == (name, 3)
    assert CALLS[name] == 2
    assert tuple(fn(3, url=store)) == (name, 3)
    assert CALLS[name] == 2
    quiet_write(store, lambda s: s.add(m.AppMeta(key="tests.cache.quiet", value="1")))
    assert tuple(fn(3, url=store)) == (name, 3)
    assert CALLS[name] == 2  # a quiet write keeps the key: the body did not run again
