"""Every click on a usage tab opens that tab (no swallowed clicks), and the tab is kept in the link."""

from __future__ import annotations

import pytest

from tests.helpers.browser import wait_for_app_idle

pytestmark = pytest.mark.browser


def test_each_tab_click_opens_the_tab_and_the_link_reopens_it(app_server: str, new_page) -> None:
    page = new_page("fr-CA")
    page.goto(f"{app_server}/usage?lang=fr")
    wait_for_app_idle(page)
    tabs = page.get_by_role("tab")
    names = tabs.all_inner_texts()
    assert len(names) == 6
    for i in (1, 2, 3, 2, 0, 5):
        tabs.nth(i).click()
        wait_for_app_idle(page)
        assert page.locator("[role=tab][aria-selected=true]").inner_text() == names[i]
    tabs.nth(2).click()
    wait_for_app_idle(page)
    assert "usage_tab=datasets" in page.url
    other = new_page("en-CA")
    other.goto(page.url)
    wait_for_app_idle(other)
    assert other.locator("[role=tab][aria-selected=true]").inner_text() == names[2]
