"""The frame every page runs inside: page config, language, store start-up, sign-in.

app.py runs it before `st.navigation`. A page run on its own (Streamlit's legacy pages/ mode,
see `opengov.ui.ensure_frame`) runs it too, so it never renders without language or store.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from opengov import cache
from opengov.auth import MIN_COOKIE_SECRET
from opengov.i18n import t
from opengov.ingest.shipped import ShippedDataError
from opengov.store.db import StoreError
from opengov.ui import chrome
from opengov.ui.lang import FRAME_SEEN, current_lang, language_switch, page_shell_language, set_document_language

FAVICON = Path(__file__).resolve().parents[1] / "assets" / "favicon.png"


PRODUCT = "OpenGov Impact"


def page_title(page: str, lang: str) -> None:
    """The browser tab's title: the page and the product, in the page's language."""
    st.set_page_config(page_title=t("app.page_title", lang, page=page))


def frame(page_title_key: str | None = None) -> str:
    """Render the shared frame and return the UI language. Stops the run with a clear, translated
    message when the store or the shipped data cannot be used. `page_title_key`: the page's title
    for the browser tab, when the frame knows the page (app.py names it once `st.navigation` chose)."""
    # A shipped icon: a Material icon as page_icon makes the browser fetch its image from Google's
    # font servers, which an offline or locked-down government network cannot reach.
    st.set_page_config(page_title=PRODUCT, page_icon=str(FAVICON), layout="wide", initial_sidebar_state="expanded")
    st.session_state[FRAME_SEEN] = True
    shell_lang = page_shell_language()  # before language_switch writes ?lang=
    lang = language_switch(current_lang())
    set_document_language(lang, shell_lang)
    if page_title_key:
        page_title(t(page_title_key, lang), lang)
    try:
        cache.store_ready(cache.url())
        cache.begin_run(cache.url())
    except ShippedDataError as exc:
        reason = t(f"error.shipped.{exc.code}", lang) + (f" ({exc.reason})" if exc.code == "invalid" else "")
        st.error(t("error.shipped_data", lang, file=exc.file, reason=reason, line=exc.line or "–"))
        st.stop()
    except StoreError as exc:
        st.error(t(f"error.store.{exc.code}", lang) + "\n\n" + t("error.detail", lang, detail=exc.detail[:300]))
        st.stop()
    from opengov.ui.auth import secrets_problems_now, sidebar_sign_in

    unsafe = secrets_problems_now()
    if unsafe:  # a placeholder cookie secret would let anyone forge a signed-in session: refuse to run
        st.error(t("error.secrets_placeholder", lang, keys=", ".join(unsafe), n=MIN_COOKIE_SECRET))
        st.stop()
    sidebar_sign_in(lang)
    st.sidebar.caption(t("app.tagline", lang))
    chrome.apply()
    return lang


def ensure_frame(in_frame: bool = False) -> None:
    """Make sure the frame runs around every page.

    Streamlit keeps a legacy mode for apps with a `pages/` folder: until `st.navigation` has been
    called in the server process (and on every AppTest run), a request for a page runs the page
    file alone, without app.py. app.py calls this with in_frame=True to leave that mode. A page
    that finds the mode still on reruns when this is the session's first run (nothing to lose;
    the rerun goes through app.py and its navigation); otherwise it runs the frame itself
    (language, store, sign-in) and goes on, so no click or form input is lost to a rerun.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if in_frame:
            return
        if FRAME_SEEN not in st.session_state:
            st.rerun()
        frame(_calling_page_title_key())


def _calling_page_title_key() -> str | None:
    """The navigation title key of the page file that called `ensure_frame` (the page runs alone)."""
    import sys

    from opengov.ui.navigation import PAGES

    caller = Path(sys._getframe(2).f_code.co_filename).resolve()
    root = Path(__file__).resolve().parents[2]
    return next((p.nav_title_key for p in PAGES if (root / p.path).resolve() == caller), None)
