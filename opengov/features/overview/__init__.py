"""Overview: the executive's one screen (and the executive brief)."""
