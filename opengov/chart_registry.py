"""Charts that can be exported by name outside the app: `python -m opengov export chart PAGE CHART`.

Each `opengov/charts_<feature>.py` module may define `EXPORTS: dict[tuple[page, chart], builder]`
where `builder(lang, url) -> (chart, alt_text, data_table)` reads the store (no Streamlit) and
builds the chart with the same function its page uses, with the page's default filters.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

Builder = Callable[[str, str | None], tuple[object, str, pd.DataFrame]]


@lru_cache(maxsize=1)
def registry() -> dict[tuple[str, str], Builder]:
    import opengov

    out: dict[tuple[str, str], Builder] = {}
    for info in pkgutil.iter_modules(opengov.__path__):
        if info.name.startswith("charts_"):
            mod = importlib.import_module(f"opengov.{info.name}")
            for key, builder in getattr(mod, "EXPORTS", {}).items():
                if key in out:
                    raise ValueError(f"chart {key} exported twice")
                out[key] = builder
    return out


def available() -> list[str]:
    return [f"{p} {c}" for p, c in sorted(registry())]


def build(page: str, chart: str, lang: str, url: str | None = None):
    try:
        builder = registry()[(page, chart)]
    except KeyError:
        raise KeyError(f"unknown chart {page!r} {chart!r}; available: {', '.join(available())}") from None
    return builder(lang, url)
