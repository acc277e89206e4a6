"""Charts that can be exported by name outside the app: `python -m opengov export chart PAGE CHART`.

Each feature's `exports.py` defines `EXPORTS: dict[tuple[page, chart], builder]` where
`builder(lang, url) -> Figure` reads the store (no Streamlit) and builds the
chart with the same function its page uses, with the page's default filters. The list of features is
explicit: a feature that fails to import is an error, not a silent disappearance.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from opengov.charts.figure import Figure

Builder = Callable[[str, str | None], Figure]


@lru_cache(maxsize=1)
def registry() -> dict[tuple[str, str], Builder]:
    from opengov.features.jurisdictions import exports as jurisdictions
    from opengov.features.overview import exports as overview
    from opengov.features.plans import exports as plans
    from opengov.features.profiles import exports as profiles
    from opengov.features.usage import exports as usage
    from opengov.features.working_group import exports as working_group

    out: dict[tuple[str, str], Builder] = {}
    for mod in (overview, usage, jurisdictions, plans, working_group, profiles):
        for key, builder in mod.EXPORTS.items():
            if key in out:
                raise ValueError(f"chart {key} exported twice")
            out[key] = builder
    return out


@lru_cache(maxsize=1)
def blocks() -> dict[str, tuple[str, str]]:
    """Every page's chart block (its `show` key) and the registered chart it exports as: each
    feature's `exports.BLOCKS`. tests/charts/test_export.py checks that every block of every page is here."""
    from opengov.features.jurisdictions import exports as jurisdictions
    from opengov.features.overview import exports as overview
    from opengov.features.plans import exports as plans
    from opengov.features.profiles import exports as profiles
    from opengov.features.usage import exports as usage
    from opengov.features.working_group import exports as working_group

    out: dict[str, tuple[str, str]] = {}
    for mod in (overview, usage, jurisdictions, plans, working_group, profiles):
        for key, chart in getattr(mod, "BLOCKS", {}).items():
            page = next(p for p, c in mod.EXPORTS if c == chart)
            out[key] = (page, chart)
    return out


def available() -> list[str]:
    return [f"{p} {c}" for p, c in sorted(registry())]


def build(page: str, chart: str, lang: str, url: str | None = None) -> Figure:
    try:
        builder = registry()[(page, chart)]
    except KeyError:
        raise KeyError(f"unknown chart {page!r} {chart!r}; available: {', '.join(available())}") from None
    return builder(lang, url)
