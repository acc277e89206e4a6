"""Every shipped file is described in data/PROVENANCE.md and registered with the loader."""

from __future__ import annotations

from pathlib import Path

from opengov.loaders import GEOJSON, SHIPPED

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_data_file_is_in_provenance() -> None:
    prov = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    files = [p for p in DATA.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"]
    assert files
    undocumented = [str(p.relative_to(DATA)) for p in files if f"`{p.name}`" not in prov]
    assert undocumented == []


def test_every_data_file_is_registered_with_the_loader() -> None:
    registered = {s.file for s in SHIPPED} | {GEOJSON}
    files = {str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"}
    assert files - registered == {"research/ogp_analytics_dataset_resources_layout.csv",
                                  "research/ckanext_canada_dataset_schema_fields.csv",
                                  "research/nap_canada_tracker_layout.csv"}
    assert registered <= files
