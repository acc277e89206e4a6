"""The canonical milestone-status vocabulary shared by the metrics and the store.

Pure data, no imports of the app: `opengov.ingest.status` re-exports it and maps each source's own terms
onto it. The statuses are ordered from least to most advanced, which is the order of roll-ups,
legends and sorted tables.

>>> CANONICAL[0], CANONICAL[-2]
('not_started', 'complete')
>>> sorted(["complete", "delayed", "on_track"], key=CANONICAL.index)
['delayed', 'on_track', 'complete']
"""

from __future__ import annotations

#: Canonical statuses, least advanced first.
CANONICAL: tuple[str, ...] = (
    "not_started",
    "delayed",
    "limited",
    "in_progress",
    "on_track",
    "substantial",
    "complete",
    "withdrawn",
)
