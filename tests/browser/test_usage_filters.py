"""The usage page's filter bar, the download menus built when opened and the document language,
in a real headless Chromium against serve.py: a shared link's filters show in the summary line and
in the "Filters" popover, reset goes back to the defaults (and out of the link), every opened menu
passes axe-core, and ``<html lang>`` follows the language when the page shell could not know it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.browser import format_violations, run_axe, wait_for_app_idle

pytestmark = pytest.mark.browser

SUMMARY = '[data-testid="stMain"] [data-testid="stCaptionContainer"]'


def _summary(page: Any, start: str) -> str:
    return page.locator(SUMMARY).filter(has_text=start).first.inner_text()


def test_filters_from_a_link_show_in_the_summary_and_reset(app_server: str, new_page: Callable[..., Any]) -> None:
    page = new_page("en-CA")
    page.goto(f"{app_server}/usage?lang=fr&usage_jur=federal&usage_range=2025-01&usage_range=2026-07")
    wait_for_app_idle(page)
    summary = _summary(page, "Affiché")
    assert "ordres de gouvernement : Fédéral" in summary and "de janvier 2025 à juillet 2026" in summary, summary
    button = page.get_by_role("button", name="Filtres (modifiés : 2)")
    button.click()
    page.get_by_text("Mois affichés", exact=True).wait_for()
    wait_for_app_idle(page)
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    wait_for_app_idle(page)
    page.keyboard.press("Escape")
    wait_for_app_idle(page)
    summary = _summary(page, "Affiché")
    assert "ordres de gouvernement : tous" in summary and "de janvier 2022 à août 2026" in summary, summary
    assert "usage_range" not in page.url and "usage_jur" not in page.url
    assert page.get_by_role("button", name="Filtres", exact=True).count() == 1


def test_download_menu_is_built_when_opened(app_server: str, new_page: Callable[..., Any]) -> None:
    page = new_page("fr-CA")
    page.goto(f"{app_server}/usage?lang=fr")
    wait_for_app_idle(page)
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    page.get_by_role("button", name="Télécharger").first.click()
    page.get_by_role("button", name="Graphique en image PNG").wait_for()
    wait_for_app_idle(page)
    assert page.get_by_role("button", name="Données en CSV").count() == 1
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_document_language_follows_the_browser_and_a_switch(app_server: str, new_page: Callable[..., Any]) -> None:
    """No ?lang= in the link: the shell says English, the frame picks French from the browser and
    sets <html lang> itself; after a switch to English it follows again."""
    page = new_page("fr-CA")
    page.goto(f"{app_server}/usage")
    wait_for_app_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Utilisation du portail"
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    wait_for_app_idle(page)
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.locator("h1").first.inner_text().strip() == "Portal usage"
