"""Every page is in the navigation, and every navigation page is covered by both page suites."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LANGS = ("en", "fr")
SUITES = {
    "apptest": (
        REPO / "tests" / "app" / "test_apptest_pages.py",
        "test_page_runs_in_language",
    ),
    "browser": (
        REPO / "tests" / "browser" / "test_pages_browser.py",
        "test_page_renders_translated_and_accessible",
    ),
}


def _pages() -> list[Any]:
    from opengov.ui.navigation import PAGES

    assert PAGES, "opengov.ui.navigation.PAGES is empty"
    return list(PAGES)


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None, path
    assert spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expected_ids() -> set[str]:
    return {f"{spec.url_path}-{lang}" for spec in _pages() for lang in LANGS}


def test_every_page_file_is_in_navigation() -> None:
    pages = _pages()
    in_nav = {Path(spec.path).as_posix() for spec in pages}
    on_disk = {p.relative_to(REPO).as_posix() for p in (REPO / "pages").glob("*.py") if p.name != "__init__.py"}
    assert on_disk, "no pages/*.py files found"
    assert on_disk - in_nav == set(), f"page files missing from opengov.ui.navigation.PAGES: {sorted(on_disk - in_nav)}"
    assert in_nav - on_disk == set(), f"PAGES entries without a pages/*.py file: {sorted(in_nav - on_disk)}"
    url_paths = [spec.url_path for spec in pages]
    assert len(url_paths) == len(set(url_paths)), f"duplicate url_path in PAGES: {url_paths}"


def test_parametrization_sources_cover_every_page() -> None:
    expected = _expected_ids()
    for name, (path, _func) in SUITES.items():
        module = _load(path, f"_opengov_coverage_{name}")
        ids = {case.id for case in module.page_cases()}
        missing, extra = sorted(expected - ids), sorted(ids - expected)
        assert ids == expected, f"{path.name}.page_cases(): missing {missing}, extra {extra}"


def test_collected_test_ids_cover_every_page() -> None:
    """Ask pytest itself which tests the two suites collect (catches renames, filters...)."""
    paths = [str(path.relative_to(REPO)) for path, _func in SUITES.values()]
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    res = subprocess.run(
        [*cmd, "-o", "addopts=", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert res.returncode == 0, f"collection failed:\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}"
    collected = {line.strip() for line in res.stdout.splitlines() if "::" in line}
    expected = _expected_ids()
    for path, func in SUITES.values():
        prefix = f"{path.relative_to(REPO).as_posix()}::{func}["
        ids = {node[len(prefix) : -1] for node in collected if node.startswith(prefix)}
        assert ids == expected, f"{prefix}...]: missing {sorted(expected - ids)}, extra {sorted(ids - expected)}"
