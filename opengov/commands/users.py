"""`python -m opengov users add NAME --role viewer|editor|admin [--password-stdin]` and `users list`."""

from __future__ import annotations

import argparse
import getpass
import sys

from opengov.auth import ROLES


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("Password (10 characters or more): ")
    second = getpass.getpass("Repeat the password: ")
    if first != second:
        print("error: the passwords differ", file=sys.stderr)
        return None
    return first


def cmd_users_add(args: argparse.Namespace) -> int:
    from opengov.auth import AuthError, add_user
    from opengov.ingest.init import ensure_store
    from opengov.store.db import session_scope

    password = _read_password(args)
    if password is None:
        return 2
    ensure_store()
    try:
        with session_scope() as s:
            user = add_user(s, args.name, password, args.role)
            name, role = user.username, user.role
    except AuthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"user {name} saved with role {role}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from opengov.ingest.init import ensure_store
    from opengov.store import models as m
    from opengov.store.db import session_scope

    ensure_store()
    with session_scope() as s:
        users = list(s.scalars(select(m.User).order_by(m.User.username)))
        for u in users:
            locked = f" locked until {u.locked_until.isoformat()}" if u.locked_until else ""
            print(f"{u.username}\t{u.role}{locked}")
        if not users:
            print("no local accounts")
    return 0


def register(sub: argparse._SubParsersAction, groups: dict[str, argparse._SubParsersAction]) -> None:
    p = sub.add_parser("users", help="local accounts (argon2-hashed passwords)")
    usub = p.add_subparsers(dest="users_cmd", required=True)
    add = usub.add_parser("add", help="create an account or change its role and password")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    add.set_defaults(func=cmd_users_add)
    ls = usub.add_parser("list", help="list accounts and roles")
    ls.set_defaults(func=cmd_users_list)
