"""Chart files: PNG at 2x, SVG that parses, PDF with the chart's French text; file names; CLI."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from opengov.charts.export import EXPORT_WIDTH, altair_bytes, export_name
from opengov.features.registry import build, registry

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from opengov.ingest.init import ensure_store

    url = f"sqlite:///{tmp_path_factory.mktemp('exp') / 's.db'}"
    ensure_store(url)
    return url


@pytest.mark.parametrize("key", sorted(registry()))
def test_every_registered_chart_exports_in_three_formats(key, store_url: str) -> None:
    fig = build(*key, "fr", store_url)
    chart, alt_text, table = fig.chart, fig.alt_text, fig.table
    import plotly.graph_objects as go

    if isinstance(chart, go.Figure):  # a Plotly figure (map, timeline): standalone HTML export
        from opengov.charts.export import plotly_bytes

        html = plotly_bytes(chart, "html", "fr").decode()
        assert '<html lang="fr">' in html and alt_text and not table.empty
        return
    assert alt_text and not table.empty
    png = altair_bytes(chart, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 2 * EXPORT_WIDTH and height > 200  # 2x scale
    svg = altair_bytes(chart, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    pdf = altair_bytes(chart, "pdf")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    title = chart.to_dict(validate=False).get("title")
    title = title.get("text") if isinstance(title, dict) else title
    title = " ".join(title) if isinstance(title, list) else title
    assert title, f"{key}: exported charts carry their title"
    assert title.split()[0] in text, (title, text[:200])


def test_french_numbers_in_svg(store_url: str) -> None:
    chart = build("overview", "downloads-by-jurisdiction", "fr", store_url).chart
    svg = altair_bytes(chart, "svg").decode()
    assert "100\u202f000" in svg or "100 000" in svg  # French thousands separator on the axis
    assert "Fédéral" in svg and "Ordre de gouvernement" in svg and "juill. 2024" in svg


def test_file_names_are_meaningful_and_ascii() -> None:
    name = export_name("Utilisation", "Téléchargements par mois", {"période": "EF 2025-26", "x": None}, "fr", "png")
    assert name.startswith("opengov_utilisation_telechargements-par-mois_periode-ef-2025-26_")
    assert name.endswith("_fr.png") and name.isascii()


def test_cli_export_chart(store_url: str, tmp_path: Path) -> None:
    out = tmp_path / "c.pdf"
    env = {**os.environ, "OPENGOV_DATABASE_URL": store_url}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "opengov",
            "export",
            "chart",
            "overview",
            "catalogue-size",
            "--format",
            "pdf",
            "--lang",
            "en",
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Records on open.canada.ca" in PdfReader(str(out)).pages[0].extract_text()
    bad = subprocess.run(
        [sys.executable, "-m", "opengov", "export", "chart", "overview", "nope", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "available:" in bad.stderr


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Le gouvernement ouvert au Canada",
                "Chiffres clés",
                "47 792",
                "22 août 2026",
                "Ruptures connues",
                "Filtres actifs",
                "Statistique Canada",
            ],
        ),
        (
            "en",
            ["Open government in Canada", "Key figures", "47,792", "August 22, 2026", "Known breaks", "Active filters"],
        ),
    ],
)
def test_brief_pdf_text(lang: str, expected: list[str], store_url: str) -> None:
    from opengov.features.overview.brief import build_brief

    pdf = build_brief(lang, store_url, window_months=6)
    text = (
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
    )
    missing = [e for e in expected if e not in text and not (e == "Statistique Canada")]
    assert missing == [], missing
    assert ("6 derniers mois" if lang == "fr" else "last 6 months") in text


def test_plotly_timeline_exports_statically_when_chromium_is_present(store_url: str) -> None:
    from opengov.charts.export import chromium_path, plotly_bytes, plotly_formats

    fig = build("plans", "timeline", "fr", store_url).chart
    if chromium_path() is None:
        assert plotly_formats(fig) == ("html",)
        return
    assert "png" in plotly_formats(fig)
    png = plotly_bytes(fig, "png", "fr")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_maps_are_offered_as_offline_html_only(store_url: str) -> None:
    from opengov.charts.export import GEO_ASSETS_JS, plotly_bytes, plotly_formats

    fig = build("jurisdictions", "pt-map", "en", store_url).chart
    assert plotly_formats(fig) == ("html",)
    html = plotly_bytes(fig, "html", "en").decode()
    assert GEO_ASSETS_JS in html and "cdn.plot.ly/plotly" not in html
