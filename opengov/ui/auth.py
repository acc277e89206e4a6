"""Sign-in in the sidebar: OpenID Connect (`st.login`) when `[auth]` is configured in secrets,
otherwise local accounts (argon2, throttled by opengov.auth.authenticate).

Reading never needs an account. The signed-in Actor lives in st.session_state (server side);
every write path checks its role again (opengov.editing.apply_edit / require_role).
"""

from __future__ import annotations

import streamlit as st

from opengov.auth import LOCK_MINUTES, MAX_FAILURES, Actor, AuthError
from opengov.i18n import t

ACTOR_KEY = "auth_actor"


def oidc_configured() -> bool:
    try:
        return bool(st.secrets.get("auth"))
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def secrets_problems_now() -> list[str]:
    """The ``[auth]`` secrets that are still placeholders (see opengov.auth.secrets_problems)."""
    from opengov.auth import secrets_problems

    try:
        auth = st.secrets.get("auth")
    except Exception:  # noqa: BLE001 - no secrets file at all
        return []
    return secrets_problems(dict(auth) if auth else None)


def current_actor() -> Actor | None:
    """The signed-in Actor of this session, or None (anonymous reader)."""
    actor = st.session_state.get(ACTOR_KEY)
    if isinstance(actor, Actor):
        return actor
    if oidc_configured():
        try:
            if st.user.is_logged_in:
                return _oidc_actor()
        except Exception:  # noqa: BLE001 - st.user unavailable outside a browser session
            return None
    return None


def _oidc_actor() -> Actor | None:
    from opengov import cache
    from opengov.auth import actor_for_oidc
    from opengov.store.db import session_scope

    email = st.user.get("email") or st.user.get("sub")
    if not email:
        return None
    with session_scope(cache.url()) as s:
        actor = actor_for_oidc(s, str(email))
    st.session_state[ACTOR_KEY] = actor
    return actor


def sign_in(username: str, password: str) -> Actor:
    """Check a local account (throttled). Raises AuthError(bad_credentials | locked | bad_input)."""
    from opengov import cache
    from opengov.auth import authenticate
    from opengov.store.db import session_scope

    if not username.strip() or not password:
        raise AuthError("bad_input")
    with session_scope(cache.url()) as s:
        actor = authenticate(s, username, password)
    st.session_state[ACTOR_KEY] = actor
    return actor


def sign_out() -> None:
    st.session_state.pop(ACTOR_KEY, None)


def _signed_in_box(actor: Actor, lang: str) -> None:
    st.sidebar.caption(t("auth.signed_in_as", lang, name=actor.username, role=t(f"auth.role.{actor.role}", lang)))
    if actor.via == "oidc":
        if st.sidebar.button(t("auth.sign_out", lang), key="auth_sign_out"):
            sign_out()
            st.logout()
    elif st.sidebar.button(t("auth.sign_out", lang), key="auth_sign_out"):
        sign_out()
        st.rerun()


def sidebar_sign_in(lang: str) -> Actor | None:
    """A small sidebar form (username, password, sign in) or the signed-in user and a sign-out button."""
    actor = current_actor()
    if actor is not None:
        _signed_in_box(actor, lang)
        return actor
    if oidc_configured():
        if st.sidebar.button(t("auth.sign_in_oidc", lang), key="auth_oidc"):
            st.login()
        return None
    # The form is built when the expander is opened (it reruns), so readers' pages don't carry it.
    box = st.sidebar.expander(t("auth.sign_in_title", lang), key="auth_box", on_change="rerun")
    if not box.open:
        return None
    with box:
        with st.form("auth_form", clear_on_submit=False, border=False):
            username = st.text_input(t("auth.username", lang), key="auth_username", autocomplete="username")
            password = st.text_input(
                t("auth.password", lang), type="password", key="auth_password", autocomplete="current-password"
            )
            submitted = st.form_submit_button(t("auth.sign_in", lang))
        if submitted:
            try:
                actor = sign_in(username, password)
            except AuthError as exc:
                # One message for a wrong password, an unknown account and a locked one: the page never
                # tells which accounts exist (opengov.auth.authenticate takes the same time for all three).
                if exc.code == "bad_input":
                    st.error(t("auth.error.bad_input", lang))
                else:
                    st.error(t("auth.error.bad_credentials", lang, attempts=MAX_FAILURES, minutes=LOCK_MINUTES))
                return None
            st.rerun()
        st.caption(t("auth.read_without", lang))
    return None
