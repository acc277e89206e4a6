"""Every page, as a reader sees it (issue 19): nothing cut short at 1280 and 1440 px wide in either
language, and nothing of Streamlit's English on a French page.

"Cut short" is what ``tests.helpers.layout.TRUNCATION_JS`` finds: a heading, KPI, widget label, tab or
button text clipped by its box, a select box's value wider than the box, a chart text (title, axis
title or label, legend) that Vega or Plotly ended in "…" or that runs off the chart. The usage page is
checked tab by tab.

English from Streamlit (``ENGLISH_CHROME_JS``) is any of its own texts that ``opengov.ui.chrome``
localizes, or a label of the built-in chart and table toolbars (hidden on every page), found in an
accessible name, tooltip, placeholder or visible text of a French page. The browser tab's title names
the page and the product, in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.helpers.browser import OPPOSITE_LOCALE, wait_for_app_idle
from tests.helpers.layout import ENGLISH_CHROME_JS, TOOLBARS_JS, TRUNCATION_JS
from tests.helpers.pages import page_cases, require

pytestmark = pytest.mark.browser

WIDTHS = (1280, 1440)
#: Select boxes whose options are data values, longer than any box: the dataset to show the history
#: of (its full title is the chart title just below, which wraps).
DATA_VALUED = {"usage_ds"}
#: The built-in toolbars' labels (English only; the toolbars are hidden) and Plotly's mode bar titles.
TOOLBAR_LABELS = (
    "Show data",
    "Download as PNG",
    "Copy Vega-Lite spec",
    "Fullscreen",
    "Search",
    "Download as CSV",
    "Show/hide columns",
    "Download plot as a PNG",
    "Zoom",
    "Pan",
    "Reset axes",
    "Autoscale",
)


def _views(page: Any) -> Iterator[str]:
    """The page, then each of its tabs in turn (the usage page's)."""
    tabs = page.get_by_role("tab")
    if tabs.count() == 0:
        yield "page"
        return
    for i in range(tabs.count()):
        tabs.nth(i).click()
        wait_for_app_idle(page)
        yield f"tab {tabs.nth(i).inner_text().strip()!r}"


def _cut_short(page: Any) -> list[str]:
    """What is cut short at each width, in each view of the page."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)  # the charts fit the new width
        wait_for_app_idle(page)
        for view in _views(page):
            found += [
                f"{width} px, {view}: {f['what']} ({f['why']}): {f['text']!r}"
                for f in page.evaluate(TRUNCATION_JS)
                if f.get("key") not in DATA_VALUED
            ]
    return found


def _streamlit_english(page: Any) -> list[str]:
    """Streamlit's English in the page (the sign-in form opened too), and the checks that its built-in
    toolbars are in the page (the style sheet's selectors still match them) and hidden."""
    from opengov.ui import chrome

    exact = [*chrome.STREAMLIT_TEXTS, *TOOLBAR_LABELS]
    prefixes = [*chrome.STREAMLIT_PREFIXES, *(label + ":" for label in TOOLBAR_LABELS)]
    toolbars = page.evaluate(TOOLBARS_JS)
    kinds = ("stVegaLiteChart", "stDataFrame", "stPlotlyChart")
    blocks = page.locator(", ".join(f'[data-testid="{k}"]' for k in kinds))
    if page.locator('[data-testid="stVegaLiteChart"], [data-testid="stDataFrame"]').count():
        assert toolbars, "no chart or table toolbar found in the page: has Streamlit renamed it?"
    assert set(toolbars) <= {"none"}, f"a built-in toolbar is shown: {toolbars}"
    if blocks.count():
        blocks.first.hover()  # the toolbar showed on hover
        page.wait_for_timeout(300)
        assert page.locator('[data-testid="stElementToolbarButton"]:visible').count() == 0
    found = page.evaluate(ENGLISH_CHROME_JS, [exact, prefixes])
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').first.click()
    wait_for_app_idle(page)
    found += page.evaluate(ENGLISH_CHROME_JS, [exact, prefixes])
    return sorted(set(found))


@pytest.mark.parametrize(("spec", "lang"), page_cases())
def test_page_is_whole_and_in_its_language(spec: Any, lang: str, app_server: str, new_page: Callable[..., Any]) -> None:
    """The tab names the page; nothing is cut short at either width; a French page has none of
    Streamlit's English (one page load for all three: the suite's time)."""
    spec = require(spec)
    from opengov.i18n import t
    from opengov.ui.navigation import route

    url = f"{app_server}/{route(spec)}?lang={lang}"
    page = new_page(OPPOSITE_LOCALE[lang])
    page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    page.goto(url)
    wait_for_app_idle(page)
    assert page.title() == t("app.page_title", lang, page=t(spec.nav_title_key, lang))
    if lang == "fr":
        english = _streamlit_english(page)
        assert english == [], f"Streamlit's English on {url}:\n" + "\n".join(english)
    cut = _cut_short(page)
    assert cut == [], f"cut short on {url}:\n" + "\n".join(cut)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_yukon_usage_is_whole_and_in_its_language(lang: str, app_server: str, new_page: Callable[..., Any]) -> None:
    """The usage page for open.yukon.ca (its own charts, legends and one-line gaps), every tab, checked
    like every page above."""
    url = f"{app_server}/usage?lang={lang}&usage_portal=yt"
    page = new_page(OPPOSITE_LOCALE[lang])
    page.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    page.goto(url)
    wait_for_app_idle(page)
    if lang == "fr":
        english = _streamlit_english(page)
        assert english == [], f"Streamlit's English on {url}:\n" + "\n".join(english)
    cut = _cut_short(page)
    assert cut == [], f"cut short on {url}:\n" + "\n".join(cut)


def test_the_checks_find_what_they_look_for(new_page: Callable[..., Any]) -> None:
    """The checks themselves, on a page made to fail them: a clipped heading and KPI label, a select
    box too narrow for its value, a chart label ellipsised and one running off the chart, Streamlit's
    English in an accessible name and a text; what is whole or hidden passes."""
    page = new_page("fr-CA")
    cut = "white-space: nowrap; overflow: hidden; text-overflow: ellipsis"
    page.set_content(
        f"""<html lang="fr"><body><div data-testid="stMain" style="width: 600px">
        <h2 style="width: 80px; {cut}">Un titre bien trop long</h2>
        <h3>Un titre entier</h3>
        <div data-testid="stMetric"><label data-testid="stMetricLabel">
          <div style="width: 60px; {cut}">Administrations ayant présenté</div>
        </label></div>
        <div data-testid="stSelectbox" class="st-key-demo_pick">
          <input style="width: 90px" value="Toutes les provinces et tous les territoires">
        </div>
        <div data-testid="stVegaLiteChart" style="width: 300px; overflow: hidden"><svg width="400" height="60">
          <text x="10" y="20">Gouvernement provinci…</text><text x="250" y="40">Moyenne mobile sur 12 mois</text>
          <text x="10" y="50">Entier</text><text x="250" y="55" opacity="0">Caché sous un autre</text>
        </svg></div>
        <button aria-label="Help for Fiches fédérales">?</button><span>No results</span>
        <div style="display: none"><button aria-label="Download as CSV"></button></div>
        </div></body></html>"""
    )
    found = {(f["why"], f["text"], f["key"]) for f in page.evaluate(TRUNCATION_JS)}
    assert found == {
        ("clipped by its box", "Un titre bien trop long", None),
        ("clipped by its box", "Administrations ayant présenté", None),
        ("wider than its select box", "Toutes les provinces et tous les territoires", "demo_pick"),
        ("ellipsised", "Gouvernement provinci…", None),
        ("outside the chart", "Moyenne mobile sur 12 mois", None),
    }, found
    english = page.evaluate(ENGLISH_CHROME_JS, [["No results", "Download as CSV"], ["Help for "]])
    assert sorted(english) == ["button[aria-label]: Help for Fiches fédérales", "text: No results"], english


def test_a_language_switch_changes_streamlits_texts_and_the_tab(app_server: str, new_page: Callable[..., Any]) -> None:
    """The sidebar switch puts Streamlit's own texts and the tab's title in the new language, and back."""
    from opengov.i18n import t

    labels = "() => Array.from(document.querySelectorAll('[aria-label]')).map((e) => e.getAttribute('aria-label'))"
    # Not the server's first session: in a new server process, the first session's first click on the
    # switch is lost (Streamlit's legacy pages/ mode answers that session first; see ensure_frame).
    warm = new_page("fr-CA")
    warm.goto(f"{app_server}/?lang=fr")
    wait_for_app_idle(warm)
    page = new_page("fr-CA")
    page.goto(f"{app_server}/?lang=fr")
    wait_for_app_idle(page)
    for lang, choice in (("fr", None), ("en", "English"), ("fr", "Français")):
        if choice:
            page.get_by_text(choice, exact=True).click()
            wait_for_app_idle(page)
            page.wait_for_function("(l) => document.documentElement.lang === l", arg=lang)
        assert page.title() == t("app.page_title", lang, page=t("page.overview.title", lang))
        names = page.evaluate(labels)
        assert t("chrome.collapse_sidebar", lang) in names, names
        assert t("chrome.help_for", lang, rest=t("kpi.datasets_now", lang)) in names, names
