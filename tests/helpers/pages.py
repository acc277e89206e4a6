"""The (page, language) cases that both the AppTest and the browser suites run."""

from __future__ import annotations

from typing import Any

import pytest

LANGS = ("en", "fr")


class PagesUnavailable:
    """Stand-in parameter when ``opengov.ui.navigation.PAGES`` cannot be loaded or is empty."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def page_cases() -> list[Any]:
    """``pytest.param(spec, lang, id="<url_path>-<lang>")`` for every PAGES entry and language.

    The import is done here rather than at module import so that a broken or missing
    navigation module turns into one failing test instead of a collection error.
    """
    try:
        from opengov.ui.navigation import PAGES
    except Exception as exc:  # noqa: BLE001  (any import-time error of the app must fail a test)
        return [
            pytest.param(
                PagesUnavailable(f"cannot import opengov.ui.navigation.PAGES: {exc!r}"), "en", id="PAGES-unavailable"
            )
        ]
    if not PAGES:
        return [pytest.param(PagesUnavailable("opengov.ui.navigation.PAGES is empty"), "en", id="PAGES-empty")]
    return [pytest.param(spec, lang, id=f"{spec.url_path}-{lang}") for spec in PAGES for lang in LANGS]


def require(spec: Any) -> Any:
    if isinstance(spec, PagesUnavailable):
        pytest.fail(spec.reason)
    return spec
