"""What a store column can hold, checked before anything is written.

SQLite stores a 25-character text in a ``VARCHAR(20)`` without a word; PostgreSQL refuses the whole
transaction with a ``DataError`` that surfaces as a traceback or as "the database cannot be opened". So
every import checks its values against the column sizes of the models first, and reports the line and
the column (:func:`too_long`), on both databases alike. No Streamlit; plumbing only.

>>> from opengov.store import models as m
>>> column_limit(m.Milestone.reference), column_limit(m.Milestone.title_en)
(20, None)
>>> too_long({"reference": "R" * 25, "title_en": "x" * 9999}, {"reference": m.Milestone.reference,
...                                                          "title_en": m.Milestone.title_en})
[('reference', 25, 20)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["column_limit", "nul_fields", "too_long"]


def column_limit(attribute: Any) -> int | None:
    """The most characters the model column ``attribute`` (e.g. ``m.Milestone.reference``) holds, or None."""
    column = getattr(attribute, "property", None)
    columns = getattr(column, "columns", None)
    col = columns[0] if columns else attribute
    return getattr(getattr(col, "type", None), "length", None)


def too_long(values: Mapping[str, Any], columns: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """``(key, length, limit)`` of every text in ``values`` longer than its column in ``columns`` (key ->
    model attribute); keys without a column, or columns without a size, are not checked."""
    out: list[tuple[str, int, int]] = []
    for key, attribute in columns.items():
        value = values.get(key)
        limit = column_limit(attribute)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            out.append((key, len(value), limit))
    return out


def nul_fields(values: Mapping[str, Any]) -> list[str]:
    """The keys of ``values`` whose text holds a NUL character, which PostgreSQL cannot store (a form's field,
    a cell): refused with the field's name rather than left to fail in the database.

    >>> nul_fields({"title_en": "Open\\x00data", "notes": "fine", "n": 3})
    ['title_en']
    """
    return [k for k, v in values.items() if isinstance(v, str) and "\x00" in v]
