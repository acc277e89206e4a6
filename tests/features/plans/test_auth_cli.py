"""Local accounts: argon2 hashing, throttling, and the `users` / `import milestones` commands."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from opengov.auth import MAX_FAILURES, AuthError, add_user, authenticate
from opengov.store import models as m
from opengov.store.db import session_scope

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"


def test_password_is_hashed_with_argon2(store: str) -> None:
    with session_scope(store) as s:
        add_user(s, "edith", PASSWORD, "editor")
    with session_scope(store) as s:
        u = s.scalar(select(m.User).where(m.User.username == "edith"))
        assert u.password_hash.startswith("$argon2id$") and PASSWORD not in u.password_hash
        actor = authenticate(s, "edith", PASSWORD)
        assert (actor.username, actor.role) == ("edith", "editor")


def test_lock_after_five_failures(store: str) -> None:
    with session_scope(store) as s:
        add_user(s, "edith", PASSWORD, "editor")
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    for _ in range(MAX_FAILURES):
        with pytest.raises(AuthError) as info, session_scope(store) as s:
            authenticate(s, "edith", "wrong password", now=now)
        assert info.value.code == "bad_credentials"
    with pytest.raises(AuthError) as info, session_scope(store) as s:
        authenticate(s, "edith", PASSWORD, now=now + dt.timedelta(minutes=1))  # even the right password
    assert info.value.code == "locked"
    with session_scope(store) as s:  # the lock expires
        assert authenticate(s, "edith", PASSWORD, now=now + dt.timedelta(hours=1)).role == "editor"


def _cli(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENGOV_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "opengov", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=180,
        check=False,
    )


def test_cli_users_add_with_password_stdin(store: str) -> None:
    res = _cli(store, "users", "add", "carla", "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n")
    assert res.returncode == 0, res.stderr
    with session_scope(store) as s:
        assert authenticate(s, "carla", PASSWORD).role == "editor"
        u = s.scalar(select(m.User).where(m.User.username == "carla"))
        assert u.password_hash.startswith("$argon2") and PASSWORD not in u.password_hash
    listing = _cli(store, "users", "list")
    assert "carla\teditor" in listing.stdout
    short = _cli(store, "users", "add", "dan", "--role", "editor", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "10 characters" in short.stderr
    bad_role = _cli(store, "users", "add", "dan", "--role", "boss", "--password-stdin", stdin=PASSWORD)
    assert bad_role.returncode != 0


def test_cli_import_milestones(store: str, tmp_path: Path) -> None:
    good = tmp_path / "plan.csv"
    good.write_bytes(
        "Référence;Jalons;Date de début;Date de fin;Statut\n"
        "Première année (du 1er avril 2026 au 31 mars 2027);;;;\n"
        "6.1;Publier le répertoire.;En cours;31 mars 2027;En cours\n".encode("cp1252")
    )
    res = _cli(store, "import", "milestones", str(good), "--plan", "DEPT-X", "--as-of", "2026-06-01")
    assert res.returncode == 0, res.stderr
    assert "1 row(s) added" in res.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Référence;Jalons;Date de début;Date de fin;Statut\n6.1;A;En cours;31 mars 2027;Fini?\n"
        "6.2;B;En cours;pas de date;Terminé\n",
        encoding="utf-8",
    )
    res = _cli(store, "import", "milestones", str(bad), "--plan", "DEPT-Y")
    assert res.returncode == 2
    assert "line 2: Unknown status" in res.stderr and "line 3:" in res.stderr
    with session_scope(store) as s:
        assert s.get(m.ActionPlan, "DEPT-Y") is None
        ms = s.scalar(select(m.Milestone).where(m.Milestone.plan_id == "DEPT-X"))
        assert ms.status == "in_progress" and ms.status_as_of == dt.date(2026, 6, 1)
