"""Accounts, password hashing (argon2id), roles and sign-in throttling.

Roles: viewer < editor < admin. Reading needs no account. Every write path calls
`require_role(actor, "editor")` on the server side, whatever the UI shows.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.store import models as m
from opengov.store.version import quiet

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}
MAX_FAILURES = 5
LOCK_MINUTES = 15
_hasher = PasswordHasher()
# A real hash to verify against when the user does not exist, so timing does not reveal accounts.


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when there is no real one to check (made once per process, on the first
    sign-in, not at import: every command line run would pay it)."""
    return _hasher.hash("not-a-real-password")


class AuthError(PermissionError):
    """Refused: `code` is one of not_signed_in, forbidden, bad_credentials, locked, bad_input."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Actor:
    """Who is acting. `username` is also what the audit log records."""

    username: str
    role: str
    via: str = "local"  # local | oidc | cli

    def can(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


def require_role(actor: Actor | None, role: str) -> Actor:
    """Raise AuthError unless `actor` holds at least `role`."""
    if actor is None:
        raise AuthError("not_signed_in")
    if role not in _RANK or actor.role not in _RANK:
        raise AuthError("forbidden", f"unknown role {role!r}/{actor.role!r}")
    if not actor.can(role):
        raise AuthError("forbidden", f"{actor.username} is {actor.role}, {role} required")
    return actor


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add_user(session: Session, username: str, password: str, role: str) -> m.User:
    """Create or update a local account (password hashed with argon2id)."""
    username = username.strip()
    if not username or len(username) > 80:
        raise AuthError("bad_input", "username must be 1-80 characters")
    if role not in _RANK:
        raise AuthError("bad_input", f"role must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise AuthError("bad_input", "password must have at least 10 characters")
    user = session.scalar(select(m.User).where(m.User.username == username))
    if user is None:
        user = m.User(username=username, role=role, password_hash=hash_password(password))
        session.add(user)
    else:
        user.role, user.password_hash = role, hash_password(password)
        user.failed_logins, user.locked_until = 0, None
    session.add(
        m.AuditLog(actor="cli", action="user_upsert", entity="user", entity_id=username, field="role", new_value=role)
    )
    return user


def _refuse(password: str, code: str) -> AuthError:
    """Spend the time of a real check (a dummy hash), then refuse: an unknown account, a locked one and a
    wrong password take about as long."""
    try:
        _hasher.verify(_dummy_hash(), password)
    except VerificationError:
        pass
    return AuthError(code)


def authenticate(session: Session, username: str, password: str, now: dt.datetime | None = None) -> Actor:
    """Check a password. Failures are counted per account; after MAX_FAILURES the account is locked
    for LOCK_MINUTES (throttling is stored in the database, so it holds across app replicas).

    The counter is atomic, so simultaneous attempts cannot all be checked: each attempt first *reserves*
    itself with one ``UPDATE users SET failed_logins = failed_logins + 1 ... RETURNING`` (committed at
    once, before the slow hash), counted as a failure until its password is found right. The attempt that
    reaches MAX_FAILURES locks the account in that same statement, so of 20 simultaneous wrong passwords
    exactly MAX_FAILURES are checked and the others are refused as locked without a check. A right password
    clears the counter and the lock. An unknown or locked account costs the same hash as a wrong password;
    the UI shows one message for all three (``auth.error.bad_credentials``), so it never tells which
    accounts exist."""
    _dummy_hash()  # made before any branch: the first sign-in of a process costs the same either way
    from sqlalchemy import case, or_, update

    now = (now or m.utcnow()).astimezone(dt.UTC)  # stored as UTC: compared as such
    name = username.strip()
    quiet(session)  # failure counters and sign-in audit rows: no page shows them, no cache is dropped
    session.commit()  # the reservation below must be the first statement of its transaction (SQLite locks)
    reaches = m.User.failed_logins + 1 >= MAX_FAILURES
    row = session.execute(
        update(m.User)
        .where(m.User.username == name, or_(m.User.locked_until.is_(None), m.User.locked_until <= now))
        .values(
            failed_logins=case((reaches, 0), else_=m.User.failed_logins + 1),
            locked_until=case((reaches, now + dt.timedelta(minutes=LOCK_MINUTES)), else_=None),
        )
        .returning(m.User.id, m.User.username, m.User.role, m.User.password_hash)
        .execution_options(synchronize_session=False)
    ).first()
    session.commit()
    if row is None:
        known = session.scalar(select(m.User.id).where(m.User.username == name)) is not None
        session.commit()
        raise _refuse(password, "locked" if known else "bad_credentials")
    user_id, user_name, role, password_hash = row
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        session.add(m.AuditLog(actor=user_name, action="sign_in_failed", entity="user", entity_id=user_name))
        session.commit()
        raise AuthError("bad_credentials") from None
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if _hasher.check_needs_rehash(password_hash):
        values["password_hash"] = hash_password(password)
    session.execute(
        update(m.User).where(m.User.id == user_id).values(**values).execution_options(synchronize_session=False)
    )
    return Actor(user_name, role)


#: The committed example of .streamlit/secrets.toml: its values are placeholders, never secrets.
SECRETS_EXAMPLE = Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.toml.example"
#: A cookie secret signs every session cookie: shorter ones can be guessed.
MIN_COOKIE_SECRET = 32


def _example_auth() -> dict[str, Any]:
    try:
        with SECRETS_EXAMPLE.open("rb") as f:
            return dict(tomllib.load(f).get("auth", {}))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def secrets_problems(auth: Mapping[str, Any] | None) -> list[str]:
    """The keys of an ``[auth]`` secrets section that cannot be used as they are: a value left as the
    committed example's placeholder (``cookie_secret``, ``client_secret``), or a ``cookie_secret`` shorter than
    MIN_COOKIE_SECRET characters. Empty when there is no section (local accounts) or all is well.

    >>> secrets_problems(None), secrets_problems({"cookie_secret": "change-me-to-a-long-random-string"})
    ([], ['cookie_secret'])
    >>> secrets_problems({"cookie_secret": "k" * 48, "client_secret": "change-me"})
    ['client_secret']
    """
    if not auth:
        return []
    example = _example_auth()
    out = []
    for key in ("cookie_secret", "client_secret"):
        value = auth.get(key)
        if value is None:
            continue
        text = str(value).strip()
        if text == str(example.get(key, "")).strip() or text.lower().startswith("change-me"):
            out.append(key)
        elif key == "cookie_secret" and len(text) < MIN_COOKIE_SECRET:
            out.append(key)
    return out


def check_secrets_file(path: Path | None = None) -> int:
    """Start-up check of ``.streamlit/secrets.toml`` (``./scripts/run.sh`` runs it before the server): 0 when
    it is usable or absent, else 2 with the reason on stderr."""
    import sys

    path = path or SECRETS_EXAMPLE.with_name("secrets.toml")
    if not path.is_file():
        return 0
    try:
        with path.open("rb") as f:
            auth = tomllib.load(f).get("auth")
    except tomllib.TOMLDecodeError as exc:
        print(f"error: {path} is not valid TOML ({exc}); the app will not start.", file=sys.stderr)
        return 2
    bad = secrets_problems(auth)
    if bad:
        print(
            f"error: {path}: [auth] {', '.join(bad)} is still the example's placeholder (or a cookie_secret shorter "
            f"than {MIN_COOKIE_SECRET} characters). Put a long random value, e.g. the output of\n"
            '  python -c "import secrets; print(secrets.token_urlsafe(48))"\n'
            "then start the app again.",
            file=sys.stderr,
        )
        return 2
    return 0


def actor_for_oidc(session: Session, email: str) -> Actor:
    """An OIDC user's role comes from a local account of the same name (e-mail); else viewer."""
    user = session.scalar(select(m.User).where(m.User.username == email))
    return Actor(email, user.role if user else "viewer", via="oidc")
