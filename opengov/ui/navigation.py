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
    nav_key: str | None = None  # shorter label for the sidebar, when the page title is long

    @property
    def nav_title_key(self) -> str:
        return self.nav_key or self.title_key


#: Every page of the product in navigation order. Each url_path equals its file's name: Streamlit's
#: legacy pages/ mode, which answers the first request of a new server process, only knows file names.
#: Tests check that every file in pages/ is listed here and that every page listed exists.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/overview.py", "overview", "page.overview.title", ":material/dashboard:", "overview_window", ("12", "6")
    ),
    PageSpec(
        "pages/usage.py", "usage", "page.usage.title", ":material/monitoring:", "usage_metric", ("downloads", "visits")
    ),
    PageSpec(
        "pages/jurisdictions.py",
        "jurisdictions",
        "page.jurisdictions.title",
        ":material/map:",
        "jurisdictions_view",
        ("total", "per_capita"),
        "nav.jurisdictions",
    ),
    PageSpec(
        "pages/profile.py",
        "profile",
        "page.profile.title",
        ":material/account_balance:",
        "profile_jur",
        ("QC", "YT"),
        "nav.profile",
    ),
    PageSpec("pages/plans.py", "plans", "page.plans.title", ":material/flag:", "plans_plan", ("NAP5", "CSIS-PMOGO")),
    PageSpec(
        "pages/working_group.py",
        "working_group",
        "page.wg.title",
        ":material/groups:",
        "working_group_year",
        ("2021", "2022"),
        "nav.wg",
    ),
    PageSpec(
        "pages/sources.py", "sources", "page.sources.title", ":material/fact_check:", "sources_kind", ("all", "seed")
    ),
)


def route(spec: PageSpec) -> str:
    """The URL path of a page: the default (first) page lives at the root '/'."""
    return "" if PAGES and spec == PAGES[0] else spec.url_path


#: Addresses that moved, old URL path -> new: the frame serves each as a hidden page that opens the new
#: one with the same query string, so bookmarks and links in reports keep working.
MOVED: dict[str, str] = {"action_plans": "plans"}
