"""Data & sources: every source, its licence, as-of date and freshness; refresh status."""
