"""opengov.ui.heap.settle: the long-lived heap is frozen once per new set of modules, and garbage made
after it is still collected (the post-run collection only walks what a run creates)."""

from __future__ import annotations

import gc
import sys
import types
import weakref

from opengov.ui import heap


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_settle_freezes_once_per_new_modules_and_later_garbage_is_collected() -> None:
    gc.unfreeze()
    sys.modules["_opengov_test_new_module"] = types.ModuleType("_opengov_test_new_module")
    try:
        assert heap.settle() is True
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # the test process's modules, classes and objects
        assert heap.settle() is False  # no new module since: nothing to do
        assert gc.get_freeze_count() == frozen
        # a reference cycle made after the freeze is found by a collection that skips the frozen heap
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
        gc.collect()
        assert ref() is None
        assert len(gc.get_objects()) < frozen  # a collection walks only what came after the freeze
    finally:
        del sys.modules["_opengov_test_new_module"]
        gc.unfreeze()
