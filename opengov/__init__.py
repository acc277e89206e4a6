"""OpenGov Impact: plumbing package (store, sources, i18n, charts, exports, CLI)."""
