"""Datasets by jurisdiction: portals, counts, map, ranking, freshness."""
