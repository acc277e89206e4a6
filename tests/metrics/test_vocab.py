"""metrics.vocab is the one definition of the canonical statuses, and metrics/ stays free of the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from metrics import vocab

ROOT = Path(__file__).resolve().parents[2]


def test_canonical_is_ordered_and_unique() -> None:
    assert vocab.CANONICAL[0] == "not_started"
    assert vocab.CANONICAL.index("on_track") < vocab.CANONICAL.index("complete")
    assert len(set(vocab.CANONICAL)) == len(vocab.CANONICAL) == 8


def test_opengov_status_reexports_the_same_object() -> None:
    from opengov.ingest import status

    assert status.CANONICAL is vocab.CANONICAL
    assert list(status.RANK) == list(vocab.CANONICAL)


def test_metrics_import_neither_opengov_nor_sqlalchemy() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import metrics\n"
        "for m in pkgutil.iter_modules(metrics.__path__):\n"
        "    importlib.import_module(f'metrics.{m.name}')\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('opengov', 'sqlalchemy', 'streamlit'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
