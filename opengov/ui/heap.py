"""Keep Streamlit's garbage collection after each script run cheap.

Streamlit runs ``gc.collect(2)`` after every script run (``runner.postScriptGC``) while it still
holds the messages of the run's end (the last elements and "script finished"): the event loop
cannot send them until the collection returns. In this app's process the collector has to walk
some 230,000 long-lived objects (pandas, Altair's schema classes, Plotly, SQLAlchemy, the app's own
modules), which took about 120 ms on every run: every page load and every click waited for it.

``settle()`` moves the objects alive at the end of a run into the collector's permanent
generation (``gc.freeze()``), after one full collection so that no garbage is frozen with them.
It does so only when the run imported new modules (a page opened for the first time in this
process), so it happens a handful of times per process, and the first run of each page pays one
full collection (about 120 ms) once. Later collections walk only what a run creates: about 1 ms.
Frozen objects are still freed by reference counting as usual: the frames the caches held at a
freeze are freed when the caches drop them. Only an object caught in a reference cycle would stay;
most of what is frozen (modules, classes, compiled schemas) lives as long as the process anyway.
"""

from __future__ import annotations

import gc
import sys

_frozen_at_modules = 0


def settle() -> bool:
    """Freeze the long-lived heap if this run imported new modules; True when it froze (a second
    call with no new module since returns False; see tests/test_heap.py)."""
    global _frozen_at_modules
    n = len(sys.modules)
    if n <= _frozen_at_modules:
        return False
    gc.collect()
    gc.freeze()
    _frozen_at_modules = n
    return True
