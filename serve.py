"""OpenGov Impact server entry point: ``streamlit run serve.py`` (what ./scripts/run.sh starts).

It serves ``app.py`` unchanged through ``st.App`` and adds one small ASGI middleware for the HTML
page that Streamlit sends for every page URL (``/``, ``/usage``, ``/jurisdictions?lang=fr`` ...):

* **No base-path probing.** For a page URL such as ``/usage`` Streamlit's front end does not know
  whether ``/usage`` is the app's base path, so it first asks ``/usage/_stcore/health``, gets a
  404, waits 100 ms and only then tries ``/``. Every shared link pays that (about 0.1-0.2 s). The
  middleware declares the base URL up front (``window.__streamlit.BACKEND_BASE_URL``, Streamlit's
  documented embedding setting), so the front end connects at once.
* **The right document language from the first byte.** ``<html lang>`` follows ``?lang=fr|en``
  (WCAG 3.1.1); the frame still sets it again after a language switch. A small script keeps
  Streamlit's "Skip to main content" link in that language ("Passer au contenu principal").

``streamlit run app.py`` keeps working (AppTest and the benchmarks' rerun timings use it); only
those two start-up details differ.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import streamlit as st
from starlette.middleware import Middleware

from opengov.i18n import LANGS, normalise_lang, t
from opengov.ui import lang as ui_lang

# Paths that are never the app's HTML page.
_ASSET_PREFIXES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/favicon")
_HEAD = b"<head>"


# Served at the site root, the backend is the page's origin. (Under server.baseUrlPath the base
# URL is not declared and Streamlit finds its base path as usual.)
_BASE_SCRIPT = (
    b"<script>window.__streamlit=Object.assign(window.__streamlit||{},{BACKEND_BASE_URL:location.origin+'/'});</script>"
)


# Streamlit's "Skip to main content" link (the first thing a keyboard or screen-reader user meets) is
# English only. This keeps its text in the page's language (the catalogue's chrome.skip_to_content),
# following <html lang> (which the frame updates after a language switch), from the first byte; the
# frame's own script (opengov.ui.chrome) does the same for Streamlit's other texts once the app runs.
# One querySelector per batch of DOM changes.
_SKIP_LINK_SCRIPT = (
    b"<script>(function(){var T="
    + json.dumps({lang: t("chrome.skip_to_content", lang) for lang in LANGS}).encode()
    + b";function f(){var a=document.querySelector('[data-testid=\"stSkipToContent\"]');"
    b"if(a){var t=T[document.documentElement.lang]||T.en;if(a.textContent!==t)a.textContent=t;}}"
    b"new MutationObserver(f).observe(document.documentElement,{subtree:true,childList:true,"
    b"attributes:true,attributeFilter:['lang']});})();</script>"
)


# Streamlit draws the sidebar only once the script's navigation arrives, some 300 ms after the first
# frame; until then its main column spans the whole window, then jumps 300 px to the right (a layout shift
# of about 0.22 on every page, the bare one-chart page in a navigation shell included). The column keeps
# the sidebar's default width (300 px) free from the first frame on wide screens, where the sidebar is
# drawn beside the page (on narrow screens it overlays the page and nothing moves). A user who widened
# the sidebar sees the column move by the difference only. tests/ui/test_shell_layout.py checks the
# structure this relies on.
SIDEBAR_WIDTH_PX = 300
_SHELL_STYLE = (
    b'<style>@media (min-width: 768px){[data-testid="stAppViewContainer"]'
    b':not(:has(> [data-testid="stSidebar"])) > div:has(> [data-testid="stMain"])'
    b"{margin-left:" + str(SIDEBAR_WIDTH_PX).encode() + b"px}}"
    # The frame's sidebar controls (language, sign-in) arrive before the page list that goes above them:
    # they wait, unseen, for the list (at most 3 s, so that nothing can stay hidden), instead of being
    # drawn and then pushed down by it.
    b'[data-testid="stSidebarContent"]:not(:has([data-testid="stSidebarNav"]))'
    b' [data-testid="stSidebarUserContent"]{visibility:hidden;animation:og-reveal 0s 3s forwards}'
    b"@keyframes og-reveal{to{visibility:visible}}"
    # Every page is laid out wide (opengov.ui.frame), but the first frames are drawn in Streamlit's
    # narrow layout until the page configuration arrives: the content then widens from 736 px to the
    # whole column. The narrow layout takes the wide one's measures (no maximum width; 5rem sides
    # from 864 px, as Streamlit's wide layout has).
    b'[data-testid="stAppViewContainer"][data-layout="narrow"] [data-testid="stMainBlockContainer"]'
    b'{max-width:none}@media (min-width: 864px){[data-testid="stAppViewContainer"][data-layout="narrow"]'
    b' [data-testid="stMainBlockContainer"]{padding-left:5rem;padding-right:5rem}}'
    # Nearly every Streamlit element (widgets, metrics, tables, charts) is drawn first as a 40 px
    # skeleton while its code loads, then at its own height, and a chart's box grows when Vega or Plotly
    # draws it: everything below it moved each time. What follows a block still loading waits, unseen,
    # in its place (at every level of nesting), and appears where it stays; at most 3 s, so that a block
    # that never finishes cannot hide the rest of the page.
    b'[data-testid="stVerticalBlock"]>:has([data-testid="stSkeleton"],'
    b'[data-testid="stVegaLiteChart"]:empty,[data-testid="stPlotlyChart"]:empty)'
    b"~*{visibility:hidden;animation:og-reveal 0s 3s forwards}</style>"
)


def _page_lang(query_string: bytes) -> str:
    """The page's language as the frame reads it: ``?lang=`` if supported, else English."""
    return normalise_lang(parse_qs(query_string.decode("latin-1")).get("lang", [None])[0])


class PageShellMiddleware:
    """Rewrite the HTML page shell only: declare the backend base URL and set ``<html lang>``.

    Pure ASGI, so WebSocket and asset responses stream through untouched. The page request is
    passed on without ``Accept-Encoding`` (the shell is about 4 kB) so that it can be edited."""

    def __init__(self, app, base_path: str = "") -> None:
        self.app = app
        self.script = (b"" if base_path.strip("/") else _BASE_SCRIPT) + _SKIP_LINK_SCRIPT + _SHELL_STYLE
        self.prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""

    def _is_page(self, scope) -> bool:
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        path = scope.get("path", "")
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
        last = path.rsplit("/", 1)[-1]
        return not path.startswith(_ASSET_PREFIXES) and "." not in last

    async def __call__(self, scope, receive, send) -> None:
        if not self._is_page(scope):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        lang = _page_lang(scope.get("query_string", b""))
        held: dict[str, object] = {}
        chunks: list[bytes] = []

        async def edit(message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    held["start"] = message
                    return
                await send(message)
                return
            if message["type"] == "http.response.body" and "start" in held:
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = b"".join(chunks).replace(_HEAD, _HEAD + self.script, 1)
                html = html.replace(b'<html lang="en">', b'<html lang="' + lang.encode() + b'">', 1)
                start = dict(held["start"])  # type: ignore[arg-type]
                start["headers"] = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                start["headers"].append((b"content-length", str(len(html)).encode()))
                await send(start)
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)

        await self.app(scope, receive, edit)


def _base_url_path() -> str:
    try:
        return str(st.get_option("server.baseUrlPath") or "")
    except Exception:  # noqa: BLE001 - config not loaded yet: the default (served at /)
        return ""


ui_lang.PAGE_SHELL_SETS_LANG = True  # the frame sends a language script only when the shell's lang is not the page's
app = st.App("app.py", middleware=[Middleware(PageShellMiddleware, base_path=_base_url_path())])
