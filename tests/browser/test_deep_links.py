"""Deep links: the query string carries the page, the filters and the language, and opening a link
reproduces the view; changing a filter updates the link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.browser import wait_for_app_idle

pytestmark = pytest.mark.browser


def _open(new_page: Callable[..., Any], url: str, locale: str = "en-CA") -> Any:
    page = new_page(locale)
    page.goto(url)
    wait_for_app_idle(page)
    return page


def test_overview_link_reproduces_language_and_window(app_server: str, new_page) -> None:
    page = _open(new_page, f"{app_server}/?lang=fr&window=6")
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Téléchargements, 6 derniers mois").count() == 1
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert "window=6" in page.url and "lang=fr" in page.url


def test_changing_a_filter_updates_the_link_and_the_link_reopens_it(app_server: str, new_page) -> None:
    page = _open(new_page, f"{app_server}/?lang=en")
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Compare usage over").click()
    page.get_by_role("option", name="the last 3 months").click()
    wait_for_app_idle(page)
    page.wait_for_url("**window=3**")
    link = page.url
    again = _open(new_page, link, "fr-CA")  # another person, another browser language
    assert again.locator('[data-testid="stMain"]').get_by_text("Downloads, last 3 months").count() == 1


def test_sources_link_with_filter(app_server: str, new_page) -> None:
    page = _open(new_page, f"{app_server}/sources?lang=fr&kind=seed")
    assert "kind=seed" in page.url
    assert page.locator('[data-testid="stMain"]').get_by_text("Sources (7)").count() == 1


def test_unknown_filter_value_falls_back_without_error(app_server: str, new_page) -> None:
    page = _open(new_page, f"{app_server}/?lang=en&window=banana")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stMain"]').get_by_text("Downloads, last 12 months").count() == 1


def test_an_old_address_opens_its_page_with_its_filters(app_server: str, new_page) -> None:
    """/action_plans was the Action plans page's address before it took its feature's name (/plans): a
    bookmark or a link in a report still opens it, with the language and filters of the link."""
    page = _open(new_page, f"{app_server}/action_plans?lang=fr&plan=NAP6")
    page.wait_for_url("**/plans?**")
    wait_for_app_idle(page)
    assert "lang=fr" in page.url and "plan=NAP6" in page.url
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_role("heading", name="Plans d’action").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
