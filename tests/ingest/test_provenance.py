"""Every shipped file is described in data/PROVENANCE.md and registered with the loader."""

from __future__ import annotations

from pathlib import Path

from opengov.ingest.shipped import GEOJSON, SHIPPED

DATA = Path(__file__).resolve().parents[2] / "data"
#: Inputs kept for builds and tests only, never loaded into the store (documented in PROVENANCE.md): the
#: source documents checked by tests/ingest/test_seed_transcriptions.py and the list
#: opengov/sources/build_registry.py builds from.
NOT_LOADED_DIRS = ("seeds/documents/",)
NOT_LOADED: set[str] = set()  # the 2020 list is now an extra file of the registry source
#: Licence files kept beside the data they cover (copied with it, described in PROVENANCE.md, not loaded).
LICENCE_FILES = {"research/ytgov_ckan_open_government_portal_metrics/LICENSE"}


def test_every_data_file_is_in_provenance() -> None:
    prov = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    files = [p for p in DATA.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"]
    assert files
    undocumented = [str(p.relative_to(DATA)) for p in files if f"`{p.name}`" not in prov]
    assert undocumented == []


def test_every_data_file_is_registered_with_the_loader() -> None:
    registered = {s.file for s in SHIPPED} | {f for s in SHIPPED for f in s.extra_files} | {GEOJSON}
    files = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*") if p.is_file() and p.name != "PROVENANCE.md"}
    not_loaded = {f for f in files if f.startswith(NOT_LOADED_DIRS)} | (files & (NOT_LOADED | LICENCE_FILES))
    assert NOT_LOADED | LICENCE_FILES <= files and not_loaded & registered == set()
    files -= not_loaded
    assert files - registered == {
        "research/ogp_analytics_dataset_resources_layout.csv",
        "research/ckanext_canada_dataset_schema_fields.csv",
    }
    assert registered <= files
