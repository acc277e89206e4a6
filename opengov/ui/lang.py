"""The UI language of a session: from the URL (?lang=), the session, the settings or the browser;
the sidebar switch; and the page's document language for assistive technology."""

from __future__ import annotations

import streamlit as st

from opengov import config
from opengov.i18n import LANGS, normalise_lang, t

LANG_KEY = "lang"
FRAME_SEEN = "_opengov_frame_seen"


def current_lang() -> str:
    """Language from the URL (?lang=), else the session, else the browser's locale, else English."""
    q = st.query_params.get(LANG_KEY)
    if q:
        return normalise_lang(q)
    if LANG_KEY in st.session_state:
        return st.session_state[LANG_KEY]
    forced = config.get("OPENGOV_DEFAULT_LANG")
    if forced:
        return normalise_lang(forced)
    try:
        return normalise_lang(st.context.locale)
    except Exception:  # noqa: BLE001 - no browser context (tests, bare mode)
        return "en"


def language_switch(lang: str) -> str:
    """Sidebar radio; the choice is kept in the URL and the session."""
    labels = {"en": "English", "fr": "Français"}
    choice = st.sidebar.radio(
        t("app.language", lang),
        LANGS,
        index=LANGS.index(lang),
        format_func=labels.__getitem__,
        key="app_lang_radio",
        horizontal=True,
    )
    if choice != lang:
        lang = choice
    st.session_state[LANG_KEY] = lang
    st.query_params[LANG_KEY] = lang
    return lang


#: Set by serve.py: its page shell already sends ``<html lang>`` from ``?lang=`` (else Streamlit's
#: page says "en" whatever the URL asks).
PAGE_SHELL_SETS_LANG = False
SHELL_LANG_KEY = "_opengov_shell_lang"
LANG_SWITCHED_KEY = "_opengov_lang_switched"


def page_shell_language() -> str:
    """The ``<html lang>`` the session's page was served with, read on the session's first run
    (before the frame writes ``?lang=``) and kept for the session."""
    if SHELL_LANG_KEY not in st.session_state:
        st.session_state[SHELL_LANG_KEY] = (
            normalise_lang(st.query_params.get(LANG_KEY)) if PAGE_SHELL_SETS_LANG else "en"
        )
    return st.session_state[SHELL_LANG_KEY]


def set_document_language(lang: str, shell_lang: str) -> None:
    """Tell assistive technology the page's language (WCAG 3.1.1). The page shell already says
    `shell_lang`; a script sets the language once the session's language differs from it (the
    browser's preference, a switch) and on every run after that, so the page never goes back to a
    stale value. Most readers arrive by a link with ?lang= and never need the script."""
    if lang != shell_lang:
        st.session_state[LANG_SWITCHED_KEY] = True
    if st.session_state.get(LANG_SWITCHED_KEY):
        st.html(f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True)
