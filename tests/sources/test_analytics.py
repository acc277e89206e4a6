"""Open Government Analytics: layout detection, tolerant parsing and the fetch path."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from opengov.sources.analytics import AnalyticsParseError, detect_layout, fetch_analytics, parse_analytics_csv
from opengov.sources.registry import PortalSpec
from tests.sources.conftest import FIXTURES, Reply, fixture_bytes

LAYOUT_CSV = Path(__file__).resolve().parents[2] / "data" / "research" / "ogp_analytics_dataset_resources_layout.csv"
if not LAYOUT_CSV.exists():  # product copy
    LAYOUT_CSV = (
        Path(__file__).resolve().parents[2] / "data" / "research" / "ogp_analytics_dataset_resources_layout.csv"
    )

EXPECTED = {
    "02a92b0f-b26d-4fbd-9601-d27651703715": "monthly_usage",
    "e06f06a9-d897-4a35-9b73-4c2bc1c2d5cf": "visits_by_region",
    "b52ee0b2-f2be-4bc5-a27a-db93a228d38b": "visits_by_region",
    "ba980e38-f110-466a-ad92-3ee0d5a60d49": "dataset_downloads",
    "5a1b343d-2fea-4c31-8652-f77506e3ea37": "datasets_by_department",
    "f09148f9-a09b-46ec-bf5b-52f26720f3f3": "datasets_by_department_month",
    "d9138bac-8f9a-42e3-ac7c-450420c5d272": "datasets_by_department_month_long",
    "4ebc050f-6c3c-4dfd-817e-875b2caf3ec6": "dataset_downloads",
    "c14ba36b-0af5-4c59-a5fd-26ca6a1ef6db": "dataset_visits",
    "b1dfa726-7ed1-4a6b-ae49-77a200abee72": "dataset_downloads",
    "9d395c98-f33f-4d40-9e3b-3d383321c577": "dataset_downloads",
    "15eeafa2-c331-44e7-b37f-d0d54a51d2eb": "open_maps_views",
}
UNDOCUMENTED = {"312a65c5-d0bc-4445-8a24-95b2690cc62b"}  # "id,jurisdiction,... (other columns not seen)"


def _headers_from_layout_file() -> list[tuple[str, str, list[str]]]:
    """(resource_id, form, header) for every NEW and OLD header written in the layout CSV."""
    out = []
    with LAYOUT_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cols = row["columns"]
            older = re.search(r"older header:\s*(.*?)\)\s*$", cols)
            new_part = re.sub(r"\s*\([^()]*\)", "", cols)  # drop annotations "( … )"
            new_part = new_part.replace(
                "<'Mon-YYYY / mois-YYYY' x 12>",
                ",".join(
                    f"{m}-2023 / {f}-2023"
                    for m, f in [
                        ("Jan", "janv"),
                        ("Feb", "févr"),
                        ("Mar", "mars"),
                        ("Apr", "avr"),
                        ("May", "mai"),
                        ("Jun", "juin"),
                        ("Jul", "juil"),
                        ("Aug", "août"),
                        ("Sep", "sept"),
                        ("Oct", "oct"),
                        ("Nov", "nov"),
                        ("Dec", "déc"),
                    ]
                ),
            )
            new_part = new_part.replace("'prior to Mon-YYYY / Avant mois-YYYY'", "prior to Jan-2023 / Avant janv-2023")
            out.append((row["resource_id"], "new", [c.strip().strip("'") for c in new_part.split(",")]))
            if older:
                out.append((row["resource_id"], "old", re.findall(r"'([^']*)'", older.group(1))))
    return out


def test_every_documented_header_is_detected():
    seen = set()
    for rid, form, header in _headers_from_layout_file():
        if rid in UNDOCUMENTED:
            assert detect_layout(header) is None
            continue
        assert detect_layout(header) == EXPECTED[rid], (rid, form, header)
        seen.add((rid, form))
    assert {r for r, _ in seen} == set(EXPECTED)
    assert ("02a92b0f-b26d-4fbd-9601-d27651703715", "old") in seen
    assert ("e06f06a9-d897-4a35-9b73-4c2bc1c2d5cf", "old") in seen


def test_unknown_header():
    assert detect_layout(["foo", "bar"]) is None
    assert detect_layout([]) is None


def test_monthly_usage_new_and_old_give_same_frame():
    lay_new, new = parse_analytics_csv(fixture_bytes("analytics_monthly_usage_new.csv"))
    lay_old, old = parse_analytics_csv(fixture_bytes("analytics_monthly_usage_old.csv"))
    assert lay_new == lay_old == "monthly_usage"
    assert list(new.columns) == ["year", "month", "visits", "downloads"]
    assert new.equals(old)
    june = new[(new.year == 2023) & (new.month == 6)].iloc[0]
    assert (june.visits, june.downloads) == (246595, 106948)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(encoding):
    text = (FIXTURES / "analytics_monthly_usage_old.csv").read_text(encoding="utf-8")
    layout, frame = parse_analytics_csv(text.encode(encoding))
    assert layout == "monthly_usage" and len(frame) == 12
    text2 = (FIXTURES / "analytics_provincial_new.csv").read_text(encoding="utf-8")
    layout2, prov = parse_analytics_csv(text2.encode(encoding))
    assert layout2 == "visits_by_province"
    assert "Île-du-Prince-Édouard" in set(prov.region_fr)


def test_top100_province_country_department():
    layout, top = parse_analytics_csv(fixture_bytes("analytics_top100_new.csv"))
    assert layout == "dataset_downloads"
    assert top.iloc[0].dataset_id == "90fed587-1364-4f33-a9ee-208181dc0b97" and top.iloc[0].downloads == 16985
    assert {"title_en", "title_fr", "department_en", "department_fr"} <= set(top.columns)
    layout, prov = parse_analytics_csv(fixture_bytes("analytics_provincial_new.csv"))
    assert layout == "visits_by_province"
    assert prov.set_index("region_en").loc["British Columbia", "region_fr"] == "Colombie-Britannique"
    layout, ctry = parse_analytics_csv(fixture_bytes("analytics_international_new.csv"))
    assert layout == "visits_by_country" and ctry.visits.sum() == 14848469
    layout, dept = parse_analytics_csv(fixture_bytes("analytics_datasetsbyorg_new.csv"))
    assert layout == "datasets_by_department" and dept.datasets.sum() == 37927


def test_wide_by_month_is_melted():
    text = (
        "department_ministere,datasets_jeux_de_donnees,prior to Jul-2022 / Avant juil-2022,"
        "Jul-2022 / juil-2022,Aug-2022 / août-2022,total\r\n"
        "Agriculture and Agri-Food Canada | Agriculture et Agroalimentaire Canada,x,300,2,,302\r\n"
    )
    layout, frame = parse_analytics_csv(text)
    assert layout == "datasets_by_department_month"
    assert list(frame.period) == ["prior", "2022-07", "2022-08"]
    assert list(frame.datasets) == [300, 2, 0]


def test_bad_row_names_the_line():
    text = (FIXTURES / "analytics_monthly_usage_new.csv").read_text(encoding="utf-8").splitlines()
    text[4] = "2023,3,26a9028,130729"
    with pytest.raises(AnalyticsParseError, match=r"^line 5: column 'visits_visites'") as ei:
        parse_analytics_csv("\n".join(text))
    assert ei.value.line == 5 and ei.value.code == "bad_csv"


def test_short_row_and_bad_month_and_unknown_header():
    with pytest.raises(AnalyticsParseError, match="line 3: expected 4 columns"):
        parse_analytics_csv("year_annee,month_mois,visits_visites,downloads_telechargements\n2023,6,1,2\n2023,5,1\n")
    with pytest.raises(AnalyticsParseError, match="line 2: month 13"):
        parse_analytics_csv("year_annee,month_mois,visits_visites,downloads_telechargements\n2023,13,1,2\n")
    with pytest.raises(AnalyticsParseError, match="line 1: unrecognised header"):
        parse_analytics_csv("a,b,c\n1,2,3\n")


def test_fetch_analytics_end_to_end(server, make_client):
    show = fixture_bytes("ckan_analytics_package_show_template.json").decode().replace("{BASE}", server.base)
    server.add("/data/api/3/action/package_show", Reply(body=show))
    files = {
        "opendataportal.siteanalytics.totalmonthlyusage.bilingual.csv": fixture_bytes(
            "analytics_monthly_usage_old.csv"
        ),
        "opendataportal.siteanalytics.provincialusagebreakdown.bilingual.csv": fixture_bytes(
            "analytics_provincial_new.csv"
        ),
        "opendataportal.siteanalytics.internationalusagebreakdown.bilingual.csv": fixture_bytes(
            "analytics_international_new.csv"
        ),
        "opendataportal.siteanalytics.top100datasets.bilingual.csv": fixture_bytes("analytics_top100_new.csv"),
        "opendataportal.siteanalytics.datasetsbyorg.bilingual.csv": fixture_bytes("analytics_datasetsbyorg_new.csv"),
    }
    for name, body in files.items():
        server.add(f"/analytics/{name}", Reply(body=body, content_type="text/csv"))
    server.add("/analytics/open-maps-analytics.csv", Reply(body=b"<html>error</html>", content_type="text/html"))
    spec = PortalSpec(
        "canada",
        "Canada",
        "Canada",
        "federal",
        "",
        "ckan",
        server.base + "/data/api/3/action",
        server.base + "/",
        (server.host,),
    )
    bundle = fetch_analytics(spec, make_client([server.host]))
    assert bundle.monthly_usage is not None and len(bundle.monthly_usage) == 12
    assert bundle.top100 is not None and len(bundle.top100) == 25
    assert bundle.by_province is not None and bundle.by_country is not None and bundle.by_department is not None
    errors = {r.name: r.error_code for r in bundle.errors}
    assert errors  # the other resources are 404 / HTML here, recorded but not fatal
    assert set(errors.values()) <= {"http_404", "bad_csv"}
