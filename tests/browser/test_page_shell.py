"""serve.py's page-shell middleware, against the real server (``app_server`` runs serve.py): the HTML
page declares the backend base URL and the document language; assets and the health endpoint pass
through unchanged; a deep link connects without probing a wrong base path."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from tests.helpers.browser import format_violations, run_axe, wait_for_app_idle

pytestmark = pytest.mark.browser


def _get(url: str, gzip: bool = True) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip else {})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()


@pytest.mark.parametrize(
    ("path", "lang"),
    [("/usage?lang=fr", "fr"), ("/?lang=en", "en"), ("/jurisdictions?lang=xx", "en"), ("/plans", "en")],
)
def test_page_shell_declares_base_url_and_language(app_server: str, path: str, lang: str) -> None:
    status, headers, body = _get(app_server + path)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "content-encoding" not in headers and int(headers["content-length"]) == len(body)
    html = body.decode()
    assert f'<html lang="{lang}">' in html  # an unknown ?lang= keeps the default
    assert html.count("BACKEND_BASE_URL:location.origin+'/'") == 1
    assert html.index("BACKEND_BASE_URL") < html.index('<script type="module"')  # before Streamlit's bundle


def test_assets_and_health_pass_through(app_server: str) -> None:
    status, _, body = _get(app_server + "/_stcore/health")
    assert status == 200 and body == b"ok"
    _, _, html = _get(app_server + "/", gzip=False)
    bundle = html.decode().split('src="./static/js/', 1)[1].split('"', 1)[0]
    status, headers, js = _get(f"{app_server}/static/js/{bundle}")
    assert status == 200 and b"BACKEND_BASE_URL:location.origin" not in js[:2000]
    assert "javascript" in headers["content-type"]


def test_deep_link_connects_without_probing_the_page_path(app_server: str, new_page: Callable[..., Any]) -> None:
    page = new_page("en-CA")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(f"{app_server}/usage?lang=fr")
    wait_for_app_idle(page)
    assert not [u for u in asked if "/usage/_stcore/" in u], asked
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").first.inner_text().strip() == "Utilisation du portail"


def test_skip_link_speaks_the_page_language_and_follows_a_switch(app_server: str, new_page: Callable[..., Any]) -> None:
    """Streamlit's skip link is English only; the page shell keeps it in the page's language."""
    page = new_page("fr-CA")
    page.goto(f"{app_server}/usage?lang=fr")
    wait_for_app_idle(page)
    link = page.locator('[data-testid="stSkipToContent"]')
    assert link.text_content() == "Passer au contenu principal"
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    wait_for_app_idle(page)
    assert link.text_content() == "Skip to main content"


def test_opened_data_table_and_sign_in_form_pass_axe(app_server: str, new_page: Callable[..., Any]) -> None:
    """The tables and the sign-in form are built when opened; opened, they are accessible too."""
    page = new_page("fr-CA")
    page.goto(f"{app_server}/usage?lang=fr")
    wait_for_app_idle(page)
    assert page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').count() == 0
    page.get_by_text("Tableau de données").first.click()
    page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first.wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("Connexion pour modifier").click()
    page.get_by_role("textbox", name="Nom d’utilisateur").wait_for()
    wait_for_app_idle(page)
    violations = run_axe(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("path", ["/?lang=fr", "/usage?lang=en"])
def test_a_page_load_asks_nothing_outside_the_app(app_server: str, new_page: Callable[..., Any], path: str) -> None:
    """Works offline and leaks nothing: every request of a page load (favicon included: a Material
    page icon used to be fetched from Google's font servers) goes to the app's own server."""
    page = new_page("fr-CA")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(f"{app_server}{path}")
    wait_for_app_idle(page)
    page.wait_for_timeout(300)  # the favicon is set after the first run
    outside = [u for u in asked if not u.startswith((app_server, "data:", "blob:"))]
    assert not outside, outside
    assert any("/media/" in u and u.endswith(".png") for u in asked), asked  # the shipped favicon
