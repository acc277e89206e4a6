"""The pages of the app, in navigation order. Tests and benchmarks iterate over PAGES."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the repository root
    url_path: str
    title_key: str
    icon: str
    bench_widget_key: str | None = None
    bench_values: tuple[str, str] | None = None


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", "page.overview.title", ":material/dashboard:",
             "overview_window", ("12", "6")),
    PageSpec("pages/sources.py", "sources", "page.sources.title", ":material/fact_check:",
             "sources_kind", ("all", "seed")),
)
