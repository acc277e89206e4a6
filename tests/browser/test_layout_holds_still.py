"""Pages hold still while they load (issue 18): the page shell (serve.py) keeps the sidebar's column
and the wide layout from the first frame, and what follows a block still loading waits unseen in its
place. Measured as the browser does (``layout-shift`` entries without recent input), on every page in
both languages, and against the structure of Streamlit's page that the shell's style relies on (so
that a Streamlit upgrade that changes it fails here, not silently on screen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from opengov.ui.navigation import PAGES, route
from serve import SIDEBAR_WIDTH_PX
from tests.helpers.browser import LANGS, wait_for_app_idle

pytestmark = pytest.mark.browser

CLS_TARGET = 0.1  # "good" by the Web Vitals definition

SHIFTS_JS = """
window.__ogShifts = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__ogShifts.push(e.value);
}).observe({type: 'layout-shift', buffered: true});
"""

# Where the shell's rules apply, before and after Streamlit draws the sidebar and the page configuration.
STRUCTURE_JS = """() => {
  const view = document.querySelector('[data-testid="stAppViewContainer"]');
  const sidebar = view && view.querySelector(':scope > [data-testid="stSidebar"]');
  const column = view && view.querySelector(':scope > div:has(> [data-testid="stMain"])');
  return {
    layout: view && view.getAttribute('data-layout'),
    sidebarWidth: sidebar && Math.round(sidebar.getBoundingClientRect().width),
    columnX: column && Math.round(column.getBoundingClientRect().x),
    blockMaxWidth: getComputedStyle(document.querySelector('[data-testid="stMainBlockContainer"]')).maxWidth,
  };
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_holds_still_while_it_loads(app_server: str, new_page: Callable[..., Any], spec: Any, lang: str) -> None:
    page = new_page("en-CA")
    page.add_init_script(SHIFTS_JS)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{app_server}/{route(spec)}?lang={lang}", wait_until="commit")
    wait_for_app_idle(page, timeout_ms=90_000)
    page.wait_for_timeout(500)  # a late shift would come now
    shifts = page.evaluate("() => window.__ogShifts")
    assert sum(shifts) <= CLS_TARGET, (spec.url_path, lang, shifts)
    layout = page.evaluate(STRUCTURE_JS)
    # the sidebar drawn beside the page, at the width the shell keeps free for it; the wide layout
    assert layout["sidebarWidth"] == SIDEBAR_WIDTH_PX and layout["columnX"] == SIDEBAR_WIDTH_PX, layout
    assert layout["layout"] == "wide" and layout["blockMaxWidth"] == "none", layout


def test_the_shell_style_is_on_the_page_before_streamlit(app_server: str, new_page: Callable[..., Any]) -> None:
    """Before the script's first message the column already leaves the sidebar's width and the block has
    the wide layout's measures; the loading skeleton the style waits for is the one Streamlit draws."""
    page = new_page("en-CA")
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.route_web_socket("**/_stcore/stream", lambda ws: None)  # never connected: the first frame stays
    page.goto(f"{app_server}/sources?lang=en")
    page.wait_for_selector('[data-testid="stMainBlockContainer"]', state="attached", timeout=30_000)
    early = page.evaluate(STRUCTURE_JS)
    assert early["layout"] == "narrow" and early["sidebarWidth"] is None, early  # nothing from the script yet
    assert early["columnX"] == SIDEBAR_WIDTH_PX and early["blockMaxWidth"] == "none", early
    # the loading placeholder whose followers wait: Streamlit's Suspense fallback, in its bundle
    bundle = page.evaluate("() => document.querySelector('script[type=module]').src")
    js = page.request.get(bundle).text()
    assert "fallback:" in js and '"data-testid":`stSkeleton`' in js
