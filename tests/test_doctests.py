"""Every module in metrics/ carries runnable docstring examples, and they pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import metrics

MODULES = sorted(f"metrics.{m.name}" for m in pkgutil.iter_modules(metrics.__path__))
EXTRA = [
    "opengov.i18n",
    "opengov.ingest.status",
    "opengov.features.overview.figures",
    "opengov.features.usage.figures",
    "opengov.features.working_group.report",
    "opengov.ingest.shipped",
    "opengov.ingest.tables",
    "opengov.ui.blocks",
    "opengov.ui.jobs",
]


@pytest.mark.parametrize("name", MODULES + EXTRA)
def test_docstring_examples(name: str) -> None:
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0
    if name.startswith("metrics."):
        assert result.attempted > 0, f"{name} has no docstring example"


def test_metrics_never_import_streamlit() -> None:
    import sys

    for name in MODULES:
        importlib.import_module(name)
    assert not any(
        name.startswith("metrics") and "streamlit" in repr(getattr(sys.modules[name], "st", "")) for name in MODULES
    )
    for name in MODULES:
        src = importlib.util.find_spec(name).origin
        text = open(src, encoding="utf-8").read()
        assert "import streamlit" not in text and "from streamlit" not in text, name
