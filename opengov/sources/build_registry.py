"""Build ``data/portals.csv`` from the 2020 list of Canadian open-data catalogues.

Run: ``python -m opengov.sources.build_registry [--src CSV] [--out CSV]``.

Source: github:jpmckinney/open_data_canada ``tables/catalogs.csv`` at f12f5014
(2020-03-11, MIT; personal contact columns removed), copied as
``data/research/canada_open_data_catalogs_list_2020.csv`` (see ``data/PROVENANCE.md``).

Rules (deliberately conservative - unknown stays unknown):

* ``platform`` comes from the ``Software`` column ONLY (blank → blank). No
  guessing from URLs, even for ``*.opendata.arcgis.com`` hosts.
* ``api_base_url`` is filled only when the platform is known AND its documented
  convention gives the API address from the catalogue URL:
  - CKAN: ``{site}/api/3/action`` where ``{site}`` is the catalogue URL when its
    path is the site root, or the part before a CKAN route
    (``[/en|/fr]/dataset``, ``[/en|/fr]/organization/<slug>``; the latter also
    sets ``ckan_organization``). Any other path (e.g. a WordPress front page)
    → blank.
  - Socrata: the Discovery API ``https://api.us.socrata.com/api/catalog/v1``
    (domain = homepage host).
  - ArcGIS Hub / ArcGIS Open Data: ``{site}/api/search/v1`` when the catalogue
    URL is the Hub site root.
  Scheme is set to ``https`` (the client refuses scheme-changing redirects).
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["PT_BY_SGC", "build_rows", "main", "platform_from_software"]

DEFAULT_SRC = Path(__file__).resolve().parents[2] / "data" / "research" / "canada_open_data_catalogs_list_2020.csv"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "data" / "portals.csv"
SOURCE_LABEL = "jpmckinney/open_data_canada tables/catalogs.csv @ f12f5014 (2020-03-11, MIT)"

PT_BY_SGC: dict[str, str] = {
    "10": "NL",
    "11": "PE",
    "12": "NS",
    "13": "NB",
    "24": "QC",
    "35": "ON",
    "46": "MB",
    "47": "SK",
    "48": "AB",
    "59": "BC",
    "60": "YT",
    "61": "NT",
    "62": "NU",
}
NAME_FR: dict[str, str] = {
    "01": "Canada",
    "10": "Terre-Neuve-et-Labrador",
    "11": "Île-du-Prince-Édouard",
    "12": "Nouvelle-Écosse",
    "13": "Nouveau-Brunswick",
    "24": "Québec",
    "35": "Ontario",
    "46": "Manitoba",
    "47": "Saskatchewan",
    "48": "Alberta",
    "59": "Colombie-Britannique",
    "60": "Yukon",
    "61": "Territoires du Nord-Ouest",
    "62": "Nunavut",
}
TERRITORIES = {"60", "61", "62"}

SOFTWARE_TO_PLATFORM: dict[str, str] = {
    "https://ckan.org/": "ckan",
    "https://socrata.com/": "socrata",
    "http://opendata.arcgis.com/": "arcgis_hub",
    "https://www.opendatasoft.com/": "opendatasoft",
    "custom": "custom",
    "https://www.voyagersearch.com/": "voyager",
    "https://github.com/openlab/OGDI-DataLab": "ogdi_datalab",
}
SOCRATA_DISCOVERY = "https://api.us.socrata.com/api/catalog/v1"

COLUMNS = [
    "id",
    "name_en",
    "name_fr",
    "level",
    "geo_type",
    "pt_code",
    "sgc_code",
    "population_2011",
    "platform",
    "api_base_url",
    "ckan_organization",
    "homepage",
    "license_url",
    "source",
]

_CKAN_ROUTE = re.compile(r"^(?P<root>.*?)(?:/(?:en|fr))?/(?:dataset|organization/(?P<org>[^/]+))/?$")


def platform_from_software(software: str) -> str:
    """Map the ``Software`` cell to a platform id (blank stays blank, unknown URL → its host)."""
    value = (software or "").strip()
    if not value:
        return ""
    if value in SOFTWARE_TO_PLATFORM:
        return SOFTWARE_TO_PLATFORM[value]
    host = urlsplit(value).hostname or value
    return re.sub(r"[^a-z0-9]+", "_", host.lower()).strip("_")


def _https_site(url: str, path: str = "") -> str:
    parts = urlsplit(url)
    return f"https://{parts.netloc.lower()}{path.rstrip('/')}"


def api_for(platform: str, catalog_url: str) -> tuple[str, str]:
    """Return ``(api_base_url, ckan_organization)`` for a documented convention, else blanks."""
    parts = urlsplit(catalog_url.strip())
    if not parts.netloc or parts.query:
        return "", ""
    path = parts.path or "/"
    if platform == "ckan":
        if path in ("", "/"):
            return _https_site(catalog_url) + "/api/3/action", ""
        m = _CKAN_ROUTE.match(path)
        if m:
            return _https_site(catalog_url, m.group("root")) + "/api/3/action", m.group("org") or ""
        return "", ""
    if platform == "socrata":
        return SOCRATA_DISCOVERY, ""
    if platform == "arcgis_hub" and path in ("", "/"):
        return _https_site(catalog_url) + "/api/search/v1", ""
    return "", ""


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _level(code: str, geo_type: str) -> str:
    if code == "01":
        return "federal"
    if len(code) == 2 and not geo_type:
        return "territorial" if code in TERRITORIES else "provincial"
    return "municipal"


def build_rows(src: Path) -> list[dict[str, str]]:
    """Read the 2020 catalogue list and return registry rows (see module docstring)."""
    with src.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    rows: list[dict[str, str]] = []
    for rec in raw:
        name = rec["Geographic name"].strip()
        geo_type = rec["Geographic type"].strip()
        code = rec["Geographic code"].strip()
        level = _level(code, geo_type)
        pt = "" if level == "federal" else PT_BY_SGC.get(code[:2], "")
        base_name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
        if level in ("federal", "provincial", "territorial"):
            name_en, name_fr = name, NAME_FR[code]
        elif " / " in base_name:  # officially bilingual, e.g. "Greater Sudbury / Grand Sudbury (Ont.)"
            suffix = name[len(base_name) :]
            en, fr = (p.strip() for p in base_name.split(" / ", 1))
            name_en, name_fr = en + suffix, fr + suffix
        else:
            name_en = name_fr = name
        platform = platform_from_software(rec["Software"])
        api, org = api_for(platform, rec["Catalog URL"])
        slug_base = _slug(base_name.split(" / ")[0])
        ident = "canada" if level == "federal" else f"{slug_base}-{pt.lower()}" if level == "municipal" else pt.lower()
        rows.append(
            {
                "id": ident,
                "name_en": name_en,
                "name_fr": name_fr,
                "level": level,
                "geo_type": geo_type,
                "pt_code": pt,
                "sgc_code": code,
                "population_2011": rec["Population, 2011"].strip(),
                "platform": platform,
                "api_base_url": api,
                "ckan_organization": org,
                "homepage": rec["Catalog URL"].strip(),
                "license_url": rec["License URL"].strip(),
                "source": SOURCE_LABEL,
            }
        )
    counts = Counter(r["id"] for r in rows)
    for r in rows:  # disambiguate homonyms (e.g. Waterloo region vs city) with the stable SGC code
        if counts[r["id"]] > 1:
            r["id"] = f"{r['id']}-{r['sgc_code']}"
    assert len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    return rows


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: write the registry and print counts by level and platform."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    rows = build_rows(args.src)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} portals to {args.out}")
    print("by level:", dict(Counter(r["level"] for r in rows).most_common()))
    print("by platform:", dict(Counter(r["platform"] or "(unknown)" for r in rows).most_common()))
    print("with api_base_url:", sum(1 for r in rows if r["api_base_url"]))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
