"""AppTest helpers shared by the page tests."""

from __future__ import annotations

from typing import Any

from opengov.ui.blocks import TABLE_BOX_SUFFIX


def open_data_tables(at: Any) -> Any:
    """Open every chart's "Data table" expander, as a reader would, and rerun: the tables are only
    built once their expander is open (opengov.ui.data_table)."""
    keys = [k for k in at.session_state.keys() if str(k).endswith(TABLE_BOX_SUFFIX)]
    if keys:
        for k in keys:
            at.session_state[k] = True
        at.run()
    return at
