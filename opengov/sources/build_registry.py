"""Build ``data/portals.csv``: the 2026 registry of Canadian data catalogues merged with the 2020 list.

Run: ``python -m opengov.sources.build_registry [--cdi CSV] [--list2020 CSV] [--out CSV]``.

Sources (see ``data/PROVENANCE.md``):

* ``data/research/cdi_dataportals_registry_canada_2026-08-22.csv``: Common Data Index / Dateno
  dataportals-registry @ 08638eaf (2026-08-22), CC BY 4.0: 579 Canadian catalogues with catalogue type,
  software, owner, owner type, province or territory and API endpoints.
* ``data/research/canada_open_data_catalogs_list_2020.csv``: jpmckinney/open_data_canada
  ``tables/catalogs.csv`` @ f12f5014 (2020-03-11, MIT): 123 catalogues with census codes and 2011 populations.

Rules (deliberately conservative - unknown stays unknown):

* **One row per portal.** A 2026 row and a 2020 row are the same portal when their hosts match (``www.``
  ignored); the row keeps the 2020 id (its snapshots and usage keep their key). A province's or
  territory's own government portal whose host changed since 2020 (Prince Edward Island, Ontario, New
  Brunswick) takes the 2020 row's id too, and says where it was (``previous_homepage``). A 2020 portal
  missing from the 2026 registry is kept, listed ``2020`` ("not listed since 2020").
* **Level** from the 2026 owner type: Central government → federal (provincial or territorial when the
  registry codes a province or territory and the owner is that government); Regional government → the
  province's or territory's government (provincial / territorial) unless the owner is a regional body
  (regional district, metropolitan community, county, conservation authority…) → regional; Local
  government → municipal; academic, civil-society, business and other owners → other.
* **Catalogue type** is the registry's (Open data portal, Geoportal, Scientific data repository…); a 2020
  row not in the registry is an "Open data portal" (that list is of open-data catalogues).
* **Platform** from the registry's software id when it is one this app knows (``KNOWN_PLATFORMS``);
  otherwise blank, and the unknown value is written in ``field_sources`` (``platform=unknown:<id>``), never
  guessed. Exception stated in the registry's own caveats: a catalogue labelled DKAN whose endpoints
  include a CKAN API (``ckan:`` endpoint type) is CKAN (open.yukon.ca).
* **API endpoint** by :func:`opengov.sources.endpoints.api_base` (the registry's endpoint when it is the
  platform's API, else the platform's documented convention from the home page).
* ``field_sources`` says where each field came from: ``cdi2026``, ``list2020``, ``endpoint`` (the
  registry's endpoint), ``convention`` (derived from the home page), ``census2011``.
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from opengov.sources.endpoints import api_base

__all__ = [
    "CATALOGUE_TYPES",
    "COLUMNS",
    "KNOWN_PLATFORMS",
    "PLATFORM_NAMES",
    "PT_BY_SGC",
    "RegistryError",
    "build_rows",
    "main",
    "merge",
    "platform_from_software",
    "rows_from_cdi",
    "rows_from_2020",
]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CDI = ROOT / "data" / "research" / "cdi_dataportals_registry_canada_2026-08-22.csv"
DEFAULT_2020 = ROOT / "data" / "research" / "canada_open_data_catalogs_list_2020.csv"
DEFAULT_OUT = ROOT / "data" / "portals.csv"
SOURCE_2020 = "jpmckinney/open_data_canada tables/catalogs.csv @ f12f5014 (2020-03-11, MIT)"
SOURCE_CDI = "Common Data Index / Dateno dataportals-registry @ 08638eaf (2026-08-22, CC BY 4.0)"

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
SGC_BY_PT = {v: k for k, v in PT_BY_SGC.items()}
NAME_EN: dict[str, str] = {
    "NL": "Newfoundland and Labrador",
    "PE": "Prince Edward Island",
    "NS": "Nova Scotia",
    "NB": "New Brunswick",
    "QC": "Quebec",
    "ON": "Ontario",
    "MB": "Manitoba",
    "SK": "Saskatchewan",
    "AB": "Alberta",
    "BC": "British Columbia",
    "YT": "Yukon",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
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
TERRITORIES = {"YT", "NT", "NU"}
LEVELS = ("federal", "provincial", "territorial", "regional", "municipal", "other")

SOFTWARE_TO_PLATFORM: dict[str, str] = {  # the 2020 list's Software column
    "https://ckan.org/": "ckan",
    "https://socrata.com/": "socrata",
    "http://opendata.arcgis.com/": "arcgis_hub",
    "https://www.opendatasoft.com/": "opendatasoft",
    "custom": "custom",
    "https://www.voyagersearch.com/": "voyager",
    "https://github.com/openlab/OGDI-DataLab": "ogdi_datalab",
}
#: The 2026 registry's software ids this app knows, and their platform id here (an adapter exists for
#: ckan, socrata, opendatasoft and arcgis_hub; the others are named but not refreshed).
KNOWN_PLATFORMS: dict[str, str] = {
    "ckan": "ckan",
    "socrata": "socrata",
    "opendatasoft": "opendatasoft",
    "arcgishub": "arcgis_hub",
    "arcgisserver": "arcgis_server",
    "custom": "custom",
    "dkan": "dkan",
    "jkan": "jkan",
    "drupal": "drupal",
    "erddap": "erddap",
    "nesstar": "nesstar",
    "geonetwork": "geonetwork",
    "geoserver": "geoserver",
    "geonode": "geonode",
    "dataverse": "dataverse",
    "dspace": "dspace",
    "mapproxy": "mapproxy",
    "pxweb": "pxweb",
    "thredds": "thredds",
}

#: Platform names as their makers write them (proper names: the same in both languages).
PLATFORM_NAMES: dict[str, str] = {
    "arcgis_hub": "ArcGIS Hub",
    "arcgis_server": "ArcGIS Server",
    "ckan": "CKAN",
    "dataverse": "Dataverse",
    "dkan": "DKAN",
    "drupal": "Drupal",
    "dspace": "DSpace",
    "erddap": "ERDDAP",
    "geonetwork": "GeoNetwork",
    "geonode": "GeoNode",
    "geoserver": "GeoServer",
    "jkan": "JKAN",
    "mapproxy": "MapProxy",
    "nesstar": "Nesstar",
    "ogdi_datalab": "OGDI DataLab",
    "opendatasoft": "OpenDataSoft",
    "pxweb": "PxWeb",
    "socrata": "Socrata",
    "thredds": "THREDDS",
    "voyager": "Voyager",
}
#: The registry's catalogue types and their catalogue keys.
CATALOGUE_TYPES: dict[str, str] = {
    "Open data portal": "open_data",
    "Geoportal": "geoportal",
    "Scientific data repository": "scientific",
    "Microdata catalog": "microdata",
    "Indicators catalog": "indicators",
    "Machine learning catalog": "machine_learning",
    "Data search engine": "search_engine",
}


COLUMNS = [
    "id",
    "name_en",
    "name_fr",
    "level",
    "owner_type",
    "owner_name",
    "catalog_type",
    "geo_type",
    "pt_code",
    "sgc_code",
    "population_2011",
    "platform",
    "api_base_url",
    "ckan_organization",
    "homepage",
    "license_url",
    "listing",
    "previous_homepage",
    "registry_uid",
    "field_sources",
    "source",
]

_CKAN_ROUTE = re.compile(r"^(?P<root>.*?)(?:/(?:en|fr))?/(?:dataset|organization/(?P<org>[^/]+))/?$")
#: A "Regional government" owner that is a regional body, not the province's or territory's government.
_REGIONAL_BODY = re.compile(
    r"regional|metropolitan|métropolitaine|metro |district|county|conservation|municipality|communauté|"
    r"commission|prosperity|cree|muskoka|bruce|region\b|not specified|arcgis|city of",
    re.IGNORECASE,
)


class RegistryError(ValueError):
    """A registry row that cannot be taken (unknown province or territory code), with its line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


def platform_from_software(software: str) -> str:
    """Map the 2020 list's ``Software`` cell to a platform id (blank stays blank, unknown URL → its host).

    >>> platform_from_software("https://ckan.org/"), platform_from_software("")
    ('ckan', '')
    """
    value = (software or "").strip()
    if not value:
        return ""
    if value in SOFTWARE_TO_PLATFORM:
        return SOFTWARE_TO_PLATFORM[value]
    host = urlsplit(value).hostname or value
    return re.sub(r"[^a-z0-9]+", "_", host.lower()).strip("_")


def host_key(url: str) -> str:
    """The host that identifies a portal: lower case, without ``www.``.

    >>> host_key("https://WWW.Data.Example.ca/fr/"), host_key("not a url")
    ('data.example.ca', '')
    """
    try:
        host = (urlsplit((url or "").strip()).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sources(**fields: str) -> str:
    return ";".join(f"{k}={v}" for k, v in fields.items() if v)


# --------------------------------------------------------------------------- 2020 list
def _level_2020(code: str, geo_type: str) -> str:
    if code == "01":
        return "federal"
    if len(code) == 2 and not geo_type:
        return "territorial" if PT_BY_SGC.get(code) in TERRITORIES else "provincial"
    return "municipal"


def _api_2020(platform: str, catalog_url: str) -> tuple[str, str]:
    """``(api_base_url, ckan_organization)`` of a 2020 row by the platform's convention, else blanks."""
    parts = urlsplit(catalog_url.strip())
    if not parts.netloc or parts.query:
        return "", ""
    path = parts.path or "/"
    if platform == "ckan" and path not in ("", "/"):
        m = _CKAN_ROUTE.match(path)
        if not m:
            return "", ""
        site = f"https://{parts.netloc.lower()}{m.group('root').rstrip('/')}"
        return site + "/api/3/action", m.group("org") or ""
    if platform == "arcgis_hub" and path not in ("", "/"):
        return "", ""
    api, _how = api_base(platform, f"https://{parts.netloc.lower()}/")
    return api, ""


def rows_from_2020(src: Path) -> list[dict[str, str]]:
    """The 2020 list as registry rows (listing ``2020``)."""
    with src.open(encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    rows: list[dict[str, str]] = []
    for rec in raw:
        name = rec["Geographic name"].strip()
        geo_type = rec["Geographic type"].strip()
        code = rec["Geographic code"].strip()
        level = _level_2020(code, geo_type)
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
        api, org = _api_2020(platform, rec["Catalog URL"])
        slug_base = _slug(base_name.split(" / ")[0])
        ident = "canada" if level == "federal" else f"{slug_base}-{pt.lower()}" if level == "municipal" else pt.lower()
        rows.append(
            {
                "id": ident,
                "name_en": name_en,
                "name_fr": name_fr,
                "level": level,
                "owner_type": "",
                "owner_name": "",
                "catalog_type": "Open data portal",
                "geo_type": geo_type,
                "pt_code": pt,
                "sgc_code": code,
                "population_2011": rec["Population, 2011"].strip(),
                "platform": platform,
                "api_base_url": api,
                "ckan_organization": org,
                "homepage": rec["Catalog URL"].strip(),
                "license_url": rec["License URL"].strip(),
                "listing": "2020",
                "previous_homepage": "",
                "registry_uid": "",
                "field_sources": _sources(
                    name="list2020",
                    level="list2020",
                    platform="list2020" if platform else "",
                    api_base_url="convention" if api else "",
                    homepage="list2020",
                    population_2011="census2011" if rec["Population, 2011"].strip() else "",
                ),
                "source": SOURCE_2020,
            }
        )
    counts = Counter(r["id"] for r in rows)
    for r in rows:  # disambiguate homonyms (e.g. Waterloo region vs city) with the stable SGC code
        if counts[r["id"]] > 1:
            r["id"] = f"{r['id']}-{r['sgc_code']}"
    assert len({r["id"] for r in rows}) == len(rows), "ids must be unique"
    return rows


# --------------------------------------------------------------------------- 2026 registry
def _pt_of(subregion: str, owner: str, line: int) -> str:
    sub = (subregion or "").strip()
    if sub:
        code = sub.removeprefix("CA-")
        if not sub.startswith("CA-") or code not in SGC_BY_PT:
            raise RegistryError(line, f"unknown province or territory code {sub!r} (expected CA-AB … CA-YT)")
        return code
    low = owner.lower()
    for code, name in sorted(NAME_EN.items(), key=lambda kv: -len(kv[1])):
        if name.lower() in low or NAME_FR[SGC_BY_PT[code]].lower() in low:
            return code
    return ""


def level_of(owner_type: str, owner_name: str, pt: str) -> str:
    """The level of a 2026 registry row (see the module's rules).

    >>> level_of("Regional government", "Government of Yukon", "YT")
    'territorial'
    >>> level_of("Regional government", "Metro Vancouver", "BC"), level_of("Local government", "City of X", "ON")
    ('regional', 'municipal')
    >>> level_of("Central government", "Nova Scotia Government", "NS"), level_of("Academy", "UBC", "BC")
    ('provincial', 'other')
    """
    ot = (owner_type or "").strip()
    pt_level = "territorial" if pt in TERRITORIES else "provincial"
    if ot == "Central government":
        return pt_level if pt else "federal"
    if ot == "Regional government":
        if _REGIONAL_BODY.search(owner_name or "") or not pt:
            return "regional"
        return pt_level
    if ot == "Local government":
        return "municipal"
    return "other"


def _platform_2026(software_id: str, endpoints: str) -> tuple[str, str]:
    """``(platform, field source)``: known software id, the CKAN exception, or blank with the unknown value."""
    sid = (software_id or "").strip().lower()
    if sid == "dkan" and "ckan:" in (endpoints or ""):
        return "ckan", "endpoint"  # the registry's caveat: labelled DKAN, answers a CKAN API (open.yukon.ca)
    if sid in KNOWN_PLATFORMS:
        return KNOWN_PLATFORMS[sid], "cdi2026"
    return "", f"unknown:{sid}" if sid else ""


def rows_from_cdi(src: Path) -> list[dict[str, str]]:
    """The 2026 registry as registry rows (listing ``2026``); raises :class:`RegistryError` on an unknown
    province or territory code. The id is the registry's own id until :func:`merge` maps it."""
    with src.open(encoding="utf-8-sig", newline="") as fh:
        raw = list(csv.DictReader(fh))
    missing = {"uid", "id", "name", "link", "catalog_type", "software_id", "owner_type", "subregion_id"} - set(
        raw[0] if raw else {}
    )
    if missing:
        raise RegistryError(1, f"missing column(s) {sorted(missing)}: not the registry's export")
    rows: list[dict[str, str]] = []
    for line, rec in enumerate(raw, start=2):
        owner = (rec.get("owner_name") or "").strip()
        pt = _pt_of(rec.get("subregion_id", ""), owner, line)
        level = level_of(rec.get("owner_type", ""), owner, pt)
        platform, platform_src = _platform_2026(rec.get("software_id", ""), rec.get("endpoints", ""))
        link = (rec.get("link") or "").strip()
        api, how = api_base(platform, link, rec.get("primary_api_endpoint", ""), rec.get("endpoints", ""))
        name = (rec.get("name") or "").strip() or link
        rows.append(
            {
                "id": _slug(rec["id"]) or _slug(rec["uid"]),
                "name_en": name,
                "name_fr": name,
                "level": level,
                "owner_type": (rec.get("owner_type") or "").strip(),
                "owner_name": owner,
                "catalog_type": (rec.get("catalog_type") or "").strip(),
                "geo_type": "",
                "pt_code": "" if level == "federal" else pt,
                "sgc_code": "01" if level == "federal" else SGC_BY_PT.get(pt, "") if level != "municipal" else "",
                "population_2011": "",
                "platform": platform,
                "api_base_url": api,
                "ckan_organization": "",
                "homepage": link,
                "license_url": (rec.get("license_url") or "").strip(),
                "listing": "2026",
                "previous_homepage": "",
                "registry_uid": (rec.get("uid") or "").strip(),
                "field_sources": _sources(
                    name="cdi2026",
                    level="cdi2026",
                    catalog_type="cdi2026",
                    platform=platform_src if platform or platform_src else "",
                    api_base_url=how,
                    homepage="cdi2026",
                ),
                "source": SOURCE_CDI,
            }
        )
    return rows


def _prefer(row: dict[str, str]) -> tuple[int, int, int]:
    """Sort key of a province's candidate portals: an open-data portal with an adapter, not a demo site."""
    return (
        0 if row["catalog_type"] == "Open data portal" else 1,
        0 if row["api_base_url"] else 1,
        1 if "demo" in host_key(row["homepage"]) else 0,
    )


def merge(cdi: list[dict[str, str]], old: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per portal from the 2026 rows and the 2020 rows (see the module's rules)."""
    by_host: dict[str, list[dict[str, str]]] = {}
    for r in cdi:
        by_host.setdefault(host_key(r["homepage"]), []).append(r)
    taken: dict[int, dict[str, str]] = {}  # id(cdi row) -> 2020 row
    unmatched: list[dict[str, str]] = []
    for o in old:
        cands = sorted(by_host.get(host_key(o["homepage"]), []), key=_prefer)
        cands = [c for c in cands if id(c) not in taken]
        if cands:
            taken[id(cands[0])] = o
        else:
            unmatched.append(o)
    # a province's or territory's own portal that moved host since 2020
    for o in list(unmatched):
        if o["level"] not in ("provincial", "territorial"):
            continue
        cands = sorted(
            (
                c
                for c in cdi
                if id(c) not in taken
                and c["level"] == o["level"]
                and c["pt_code"] == o["pt_code"]
                and c["catalog_type"] == "Open data portal"
            ),
            key=_prefer,
        )
        if cands:
            taken[id(cands[0])] = {**o, "previous_homepage": o["homepage"]}
            unmatched.remove(o)
    # a municipality's portal that moved host (Vancouver: data.vancouver.ca → opendata.vancouver.ca): the
    # same province, an open-data portal of a local government whose owner names the place
    for o in list(unmatched):
        if o["level"] != "municipal":
            continue
        place = _slug(re.sub(r"\s*\([^)]*\)\s*$", "", o["name_en"]).split(" / ")[0])
        cands = [
            c
            for c in cdi
            if id(c) not in taken
            and c["level"] == "municipal"
            and c["pt_code"] == o["pt_code"]
            and c["catalog_type"] == "Open data portal"
            and re.fullmatch(
                rf"(city|ville|town|municipality|district|county|region)-of-{re.escape(place)}|{re.escape(place)}",
                _slug(re.sub(r"^(the )?", "", c["owner_name"], flags=re.I)),
            )
        ]
        if cands:
            taken[id(sorted(cands, key=_prefer)[0])] = {**o, "previous_homepage": o["homepage"]}
            unmatched.remove(o)
    out: list[dict[str, str]] = []
    have_pt = {o["pt_code"] for o in old if o["level"] in ("provincial", "territorial")}
    for c in cdi:
        o = taken.get(id(c))
        if o is None:
            row = dict(c)
            # a province's or territory's first government open-data portal takes its code as id (``yt``)
            if (
                c["level"] in ("provincial", "territorial")
                and c["catalog_type"] == "Open data portal"
                and c["pt_code"] not in have_pt
            ):
                best = sorted(
                    (
                        x
                        for x in cdi
                        if x["level"] == c["level"]
                        and x["pt_code"] == c["pt_code"]
                        and x["catalog_type"] == "Open data portal"
                    ),
                    key=_prefer,
                )[0]
                if best is c:
                    row["id"] = c["pt_code"].lower()
                    row["name_en"] = NAME_EN[c["pt_code"]]
                    row["name_fr"] = NAME_FR[SGC_BY_PT[c["pt_code"]]]
                    row["field_sources"] = row["field_sources"].replace("name=cdi2026", "name=pt_name")
                    have_pt.add(c["pt_code"])
            out.append(row)
            continue
        fields = dict(item.split("=", 1) for item in c["field_sources"].split(";") if item)
        fields["name"] = "list2020"
        if o.get("population_2011"):
            fields["population_2011"] = "census2011"
        out.append(
            {
                **c,
                "id": o["id"],
                "name_en": o["name_en"],
                "name_fr": o["name_fr"],
                "geo_type": o["geo_type"],
                "pt_code": o["pt_code"] or c["pt_code"],
                "sgc_code": o["sgc_code"],
                "population_2011": o["population_2011"],
                "ckan_organization": o["ckan_organization"] if c["platform"] == o["platform"] else "",
                "license_url": c["license_url"] or o["license_url"],
                "listing": "2026+2020",
                "previous_homepage": o.get("previous_homepage", ""),
                "field_sources": _sources(**fields),
                "source": f"{SOURCE_CDI}; {SOURCE_2020}",
            }
        )
    out.extend(unmatched)
    counts = Counter(r["id"] for r in out)
    for r in out:
        if counts[r["id"]] > 1 and r["registry_uid"]:
            r["id"] = f"{r['id']}-{_slug(r['registry_uid'])}"
    dupes = [k for k, v in Counter(r["id"] for r in out).items() if v > 1]
    assert not dupes, f"ids must be unique: {dupes}"
    order = {lv: i for i, lv in enumerate(LEVELS)}
    return sorted(out, key=lambda r: (order[r["level"]], r["pt_code"], r["id"]))


def build_rows(cdi: Path = DEFAULT_CDI, list2020: Path = DEFAULT_2020) -> list[dict[str, str]]:
    """The merged registry (see the module's rules)."""
    return merge(rows_from_cdi(cdi), rows_from_2020(list2020))


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: write the registry and print counts by level, catalogue type, listing and platform."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cdi", type=Path, default=DEFAULT_CDI)
    ap.add_argument("--list2020", type=Path, default=DEFAULT_2020)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    rows = build_rows(args.cdi, args.list2020)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} portals to {args.out}")
    print("by level:", dict(Counter(r["level"] for r in rows).most_common()))
    print("by catalogue type:", dict(Counter(r["catalog_type"] for r in rows).most_common()))
    print("by listing:", dict(Counter(r["listing"] for r in rows).most_common()))
    print("by platform:", dict(Counter(r["platform"] or "(unknown)" for r in rows).most_common()))
    print("with api_base_url:", sum(1 for r in rows if r["api_base_url"]))
    unknown = sorted({f for r in rows for f in r["field_sources"].split(";") if f.startswith("platform=unknown:")})
    print("unknown platforms (kept blank):", ", ".join(u.split(":", 1)[1] for u in unknown) or "none")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
