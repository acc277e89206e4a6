"""Every page of the real app, in both languages, in headless Chromium.

Checks per page and language: no Streamlit exception or traceback, the single ``h1`` is the
translated page title, ``<html lang>`` follows the language, zero axe-core WCAG 2.0/2.1
A+AA violations; a full-page screenshot goes to ``artifacts/screens/<url_path>-<lang>.png``.

The browser locale is deliberately the *other* language (``OPPOSITE_LOCALE``) so that the
tests show that ``?lang=`` wins over the browser default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.helpers.browser import (
    OPPOSITE_LOCALE,
    REPO_ROOT,
    format_violations,
    run_axe,
    wait_for_app_idle,
)
from tests.helpers.pages import PagesUnavailable, page_cases  # noqa: F401  (page_cases: read by the coverage test)

pytestmark = pytest.mark.browser

SCREENS = REPO_ROOT / "artifacts" / "screens"


def _require(spec: Any) -> Any:
    if isinstance(spec, PagesUnavailable):
        pytest.fail(spec.reason)
    return spec


def _assert_no_modal(page: Any, what: str) -> None:
    """No modal over the app (e.g. Streamlit's "Page not found" dialog, which makes #root inert)."""
    dialogs = page.locator('[role="dialog"]:visible')
    texts = [" ".join(x.split()) for x in dialogs.all_inner_texts()]
    assert not texts, f"modal dialog open after {what} ({page.url}): {texts}"


def _open(new_page: Callable[..., Any], url: str, locale: str) -> Any:
    page = new_page(locale)
    page.goto(url)
    wait_for_app_idle(page)
    _assert_no_modal(page, f"loading {url} with browser locale {locale}")
    return page


def _fit_viewport_to_content(page: Any) -> None:
    """Streamlit scrolls inside its main container, so grow the viewport to the content."""
    height = page.evaluate(
        """() => Math.max(
              document.documentElement.scrollHeight,
              ...Array.from(document.querySelectorAll(
                  '[data-testid="stMain"], [data-testid="stSidebar"], section, main'
              )).map(e => e.scrollHeight))"""
    )
    viewport = page.viewport_size or {"width": 1400, "height": 1000}
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 50, 12_000)})
        wait_for_app_idle(page)


@pytest.mark.parametrize(("spec", "lang"), page_cases())
def test_page_renders_translated_and_accessible(
    spec: Any, lang: str, app_server: str, new_page: Callable[..., Any]
) -> None:
    spec = _require(spec)
    from opengov.i18n import t
    from opengov.ui.navigation import route

    page = _open(new_page, f"{app_server}/{route(spec)}?lang={lang}", OPPOSITE_LOCALE[lang])

    # Screenshot first, so that a failing check below still leaves a picture behind.
    _fit_viewport_to_content(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{spec.url_path}-{lang}.png"), full_page=True)

    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, "Streamlit exception(s) on the page:\n" + "\n".join(exceptions.all_inner_texts())
    body_text = page.inner_text("body")
    assert "Traceback" not in body_text, body_text[:3000]

    headings = [h.strip() for h in page.locator("h1").all_inner_texts()]
    assert headings == [t(spec.title_key, lang)], f"h1 elements: {headings}"

    html_lang = page.evaluate("() => document.documentElement.lang || ''")
    if not html_lang.lower().startswith(lang):
        # the app may set it from a component script just after the first render
        try:
            page.wait_for_function(
                "(l) => (document.documentElement.lang || '').toLowerCase().startsWith(l)",
                arg=lang,
                timeout=5_000,
            )
        except PlaywrightTimeoutError:
            html_lang = page.evaluate("() => document.documentElement.lang || ''")
            pytest.fail(f"<html lang={html_lang!r}>, expected a {lang!r} language tag")

    violations = run_axe(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize(
    ("spec", "lang"),
    [c for c in page_cases() if c.values[1] == "fr" or isinstance(c.values[0], PagesUnavailable)],
)
def test_lang_stays_in_url(spec: Any, lang: str, app_server: str, new_page: Callable[..., Any]) -> None:
    """The sidebar language switch must not drop or rewrite ``?lang=`` on load."""
    spec = _require(spec)
    from opengov.ui.navigation import route

    page = _open(new_page, f"{app_server}/{route(spec)}?lang={lang}", OPPOSITE_LOCALE[lang])
    assert f"lang={lang}" in page.url, page.url


def test_navigation_keeps_language(app_server: str, new_page: Callable[..., Any]) -> None:
    """Following the app's own navigation links from a French page stays in French."""
    from opengov.i18n import t
    from opengov.ui.navigation import PAGES

    assert PAGES, "opengov.ui.navigation.PAGES is empty"
    page = _open(new_page, f"{app_server}/?lang=fr", OPPOSITE_LOCALE["fr"])
    for spec in PAGES[1:]:
        link = page.locator(f'a[href$="/{spec.url_path}"], a[href*="/{spec.url_path}?"]').first
        assert link.count() == 1, f"no navigation link to /{spec.url_path} on {page.url}"
        try:
            link.click(timeout=15_000)
        except PlaywrightTimeoutError as exc:
            blocker = link.evaluate(
                "(a) => { const b = a.closest('[inert]'); "
                "return b ? b.outerHTML.slice(0, 300) : document.activeElement?.outerHTML"
                ".slice(0, 300); }"
            )
            SCREENS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENS / "navigation-click-failure.png"))
            pytest.fail(f"cannot click the link to /{spec.url_path} ({blocker}): {exc}")
        page.wait_for_url(f"**/{spec.url_path}**")
        wait_for_app_idle(page)
        _assert_no_modal(page, f"following the link to /{spec.url_path}")
        assert "lang=fr" in page.url, f"language dropped from the URL after navigating: {page.url}"
        headings = [h.strip() for h in page.locator("h1").all_inner_texts()]
        assert headings == [t(spec.title_key, "fr")], f"after navigating to {page.url}: h1 = {headings}"


@pytest.mark.parametrize(
    ("browser_locale", "lang"),
    [("fr-CA", "fr"), ("en-CA", "en")],
    indirect=["browser_locale"],
)
def test_default_language_follows_browser_locale(page: Any, lang: str, app_server: str) -> None:
    """Without ``?lang=``, the default page is in the browser's language."""
    from opengov.i18n import t
    from opengov.ui.navigation import PAGES

    assert PAGES, "opengov.ui.navigation.PAGES is empty"
    page.goto(f"{app_server}/")
    wait_for_app_idle(page)
    _assert_no_modal(page, f"loading / with browser locale {lang}")
    headings = [h.strip() for h in page.locator("h1").all_inner_texts()]
    assert headings == [t(PAGES[0].title_key, lang)], f"h1 = {headings} at {page.url}"
