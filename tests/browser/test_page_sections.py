"""The sections of the jurisdictions, action-plans and working-group pages are tabs of which only the open one is drawn:
every click opens its tab (none swallowed), the open section is kept in the link, and each section, in
both languages, has no axe-core violation (WCAG 2.1 AA) and holds still while it loads."""

from __future__ import annotations

import pytest

from tests.helpers.browser import format_violations, run_axe, wait_for_app_idle

pytestmark = pytest.mark.browser

SECTIONS = ("level", "pt", "federal", "growth", "freshness", "directory")
PLAN_SECTIONS = ("list", "deadlines", "groups", "edit")
WG_SECTIONS = ("year", "compare", "report", "edit")
VIEWS = (
    [("jurisdictions", "jur_section", s) for s in SECTIONS]
    + [("plans", "section", s) for s in PLAN_SECTIONS]
    + [("working_group", "wg_section", s) for s in WG_SECTIONS]
)


def test_each_section_click_opens_it_and_the_link_reopens_it(app_server: str, new_page) -> None:
    page = new_page("en-CA")
    page.goto(f"{app_server}/jurisdictions?lang=fr")
    wait_for_app_idle(page)
    tabs = page.get_by_role("tab")
    names = tabs.all_inner_texts()
    assert len(names) == len(SECTIONS)
    for i in (1, 2, 5, 3, 0, 4):
        tabs.nth(i).click()
        wait_for_app_idle(page)
        assert page.locator("[role=tab][aria-selected=true]").inner_text() == names[i]
        assert page.locator("h2").first.inner_text().strip()  # the section's own heading is drawn
    tabs.nth(1).click()
    wait_for_app_idle(page)
    assert "jur_section=pt" in page.url
    other = new_page("fr-CA")
    other.goto(page.url)
    wait_for_app_idle(other)
    assert other.locator("[role=tab][aria-selected=true]").inner_text() == names[1]
    assert other.locator('[data-testid="stPlotlyChart"]').count() == 1  # the map, in that section only


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("path", "param", "section"), VIEWS, ids=[f"{p}-{s}" for p, _, s in VIEWS])
def test_every_section_passes_axe_and_holds_still(
    app_server: str, new_page, path: str, param: str, section: str, lang: str
) -> None:
    page = new_page("en-CA")
    page.add_init_script(
        "window.__ogShifts=[];new PerformanceObserver(l=>{for(const e of l.getEntries())"
        "if(!e.hadRecentInput)window.__ogShifts.push(e.value)}).observe({type:'layout-shift',buffered:true});"
    )
    page.goto(f"{app_server}/{path}?lang={lang}&{param}={section}", wait_until="commit")
    wait_for_app_idle(page, timeout_ms=90_000)
    violations = run_axe(page)
    assert violations == [], format_violations(violations)
    assert sum(page.evaluate("() => window.__ogShifts")) <= 0.1


def test_plans_sections_open_on_click_and_keep_the_link(app_server: str, new_page) -> None:
    page = new_page("en-CA")
    page.goto(f"{app_server}/plans?lang=en&plan=CSIS-PMOGO")
    wait_for_app_idle(page)
    tabs = page.get_by_role("tab")
    names = tabs.all_inner_texts()
    assert len(names) == len(PLAN_SECTIONS)
    for i in (1, 2, 3, 0, 1):
        tabs.nth(i).click()
        wait_for_app_idle(page)
        assert page.locator("[role=tab][aria-selected=true]").inner_text() == names[i]
    assert "section=deadlines" in page.url and "plan=CSIS-PMOGO" in page.url
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1  # the timeline
