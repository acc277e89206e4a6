"""Chart files: PNG at 2x, SVG that parses, PDF with the title, filters, source line, caveats and attribution;
typed CSV/XLSX with an About sheet; every page's chart blocks registered; file names; CLI."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
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


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as pdftotext reads it, spaces (no-break, thin) normalised, lines joined."""
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("\u00a0", " ").replace("\u202f", " ").split())


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture(scope="module")
def store_sources(store_url: str):
    from opengov.store.reads import sources

    return sources(store_url).set_index("id")


#: Charts drawn from data an operator adds (a plan's coded challenges, catalogue refreshes): nothing to draw
#: on the shipped data.
EMPTY_ON_SHIPPED_DATA = {("plans", "challenges"), ("jurisdictions", "refresh-growth")}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("key", sorted(registry()))
def test_every_registered_chart_exports_five_files(key, lang: str, store_url: str, store_sources, tmp_path) -> None:
    """PNG (2x), SVG, PDF with the title and the source line in `lang`; CSV and XLSX with typed cells and an
    About sheet - maps and the timeline included, none through a browser."""
    from opengov.charts.export import figure_bytes, figure_meta
    from opengov.exports import _date, _number

    try:
        fig = build(*key, lang, store_url)
    except LookupError:
        if key in EMPTY_ON_SHIPPED_DATA:
            pytest.skip(f"{key}: drawn from operator-imported data only (none shipped)")
        raise
    assert key not in EMPTY_ON_SHIPPED_DATA, "has shipped data now: remove it from EMPTY_ON_SHIPPED_DATA"
    assert fig.alt_text and not fig.table.empty
    meta = figure_meta(fig, lang, store_sources)
    assert meta.title, f"{key}: exported charts carry their title"
    png = figure_bytes(fig, "png", lang, store_sources)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 2 * EXPORT_WIDTH and height > 200  # 2x scale
    assert ET.fromstring(figure_bytes(fig, "svg", lang, store_sources)).tag.endswith("svg")
    text = _pdf_text(figure_bytes(fig, "pdf", lang, store_sources), tmp_path)
    assert _norm(meta.title)[:40] in text, (meta.title, text[:300])
    assert ("Source : " if lang == "fr" else "Source: ") in text
    if meta.as_of != "–":
        assert _norm(meta.as_of) in text
    if meta.attribution:
        assert _norm(meta.attribution)[:40] in text
    # data files: numbers stay numbers
    wb = openpyxl.load_workbook(io.BytesIO(figure_bytes(fig, "xlsx", lang, store_sources)))
    data, about = wb.worksheets
    assert about.title == ("À propos" if lang == "fr" else "About")
    for col in data.iter_cols(min_row=2, values_only=True):
        texts = [v for v in col if isinstance(v, str)]
        assert "–" not in texts and "" not in texts, key  # unknown is an empty cell
        if texts:  # no column of numbers or dates written as text
            assert not all(_number(v, lang) is not None for v in texts), (key, texts[:3])
            worded = [v for v in texts if not v[:4].isdigit()]  # a year or a code is text
            assert not worded or not all(_date(v, lang) is not None for v in worded), (key, texts[:3])
    rows = {r[0]: r[1] for r in about.iter_rows(values_only=True)}
    assert rows["Source"] == meta.source and rows["En date du" if lang == "fr" else "As of"] == meta.as_of
    csv_text = figure_bytes(fig, "csv", lang, store_sources).decode("utf-8-sig")
    assert "–" not in csv_text.split("\r\n", 1)[1] or "–" in " ".join(map(str, fig.data.to_numpy().ravel()))


def test_fiscal_year_files_carry_the_change_of_tool_note(store_url: str, store_sources, tmp_path: Path) -> None:
    from opengov.charts.export import figure_bytes

    fig = build("usage", "fiscal-years", "en", store_url)
    text = _pdf_text(figure_bytes(fig, "pdf", "en", store_sources, {"metric": "downloads"}), tmp_path)
    assert "Adobe Analytics" in text and "change of measure" in text.replace("-\n", "")
    assert "Filters: measure Downloads" in text
    wb = openpyxl.load_workbook(io.BytesIO(figure_bytes(fig, "xlsx", "en", store_sources)))
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == ["Fiscal year", "Downloads", "Visits"]
    assert all(isinstance(c.value, int) and c.number_format == "#,##0" for c in ws[2][1:])
    assert wb["About"]["B4"].value.startswith("Open Government Licence")  # the source's licence, in English


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_monthly_files_carry_the_series_break_line(lang: str, store_url: str, store_sources, tmp_path: Path) -> None:
    from opengov.charts.export import figure_bytes
    from opengov.i18n import t

    fig = build("usage", "monthly", lang, store_url)
    assert len(fig.caveats) == 1
    text = " ".join(_pdf_text(figure_bytes(fig, "pdf", lang, store_sources), tmp_path).split())
    opening = t("usage.comparable_since", lang, metric="x", month="y").split(" y")[0]  # "Comparable since"
    assert opening in text, text[-600:]
    wb = openpyxl.load_workbook(io.BytesIO(figure_bytes(fig, "xlsx", lang, store_sources)))
    about = [str(c.value) for row in wb.worksheets[1].iter_rows() for c in row if c.value]
    assert fig.caveats[0] in about


def test_maps_carry_the_statistics_canada_attribution(store_url: str, store_sources, tmp_path: Path) -> None:
    from opengov.charts.export import figure_bytes

    for key in (("jurisdictions", "pt-map"), ("usage", "province-map")):
        fig = build(*key, "fr", store_url)
        svg = figure_bytes(fig, "svg", "fr", store_sources).decode()
        assert "<path" in svg and svg.count("<path") >= 13  # the provinces and territories are drawn
        text = _pdf_text(figure_bytes(fig, "pdf", "fr", store_sources), tmp_path)
        assert "Adapté de Statistique Canada" in text, key


def _page_block_keys() -> set[str]:
    """The `key` of every `show(...)` / `show_fig(...)` call of every page (an f-string key: its text up to
    the first placeholder, e.g. "usage_jur_")."""
    import ast

    keys: set[str] = set()
    for page in sorted((REPO / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("show", "show_fig")):
                continue
            arg = next((k.value for k in node.keywords if k.arg == "key"), None)
            if arg is None and getattr(node.func, "id", None) == "show_fig" and len(node.args) > 1:
                arg = node.args[1]
            if isinstance(arg, ast.Constant):
                keys.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                keys.add("".join(v.value for v in arg.values[:1] if isinstance(v, ast.Constant)))
    return keys


#: Chart blocks without a registered export (none today): the test fails when a new block has none.
NOT_YET_EXPORTED: set[str] = set()


def test_every_chart_block_of_every_page_has_an_export() -> None:
    from opengov.features.registry import blocks

    on_pages = _page_block_keys()
    assert len(on_pages) > 20 and "usage_fy" in on_pages  # the scan finds the pages' blocks
    registered = set(blocks())
    assert set(blocks().values()) <= set(registry())
    # an f-string key ("usage_jur_") is covered by the blocks it names ("usage_jur_downloads", ...)
    covered = {k for k in on_pages if k in registered or (k.endswith("_") and any(r.startswith(k) for r in registered))}
    missing = on_pages - covered - NOT_YET_EXPORTED
    assert not missing, f"chart blocks without a registered export: {sorted(missing)}"
    assert not (NOT_YET_EXPORTED & covered), "exported now: remove from NOT_YET_EXPORTED"
    assert NOT_YET_EXPORTED <= on_pages, "no longer on a page: remove from NOT_YET_EXPORTED"
    # a page block's registered chart really builds (the registry's key is the one the page uses)
    assert {"usage_jur_downloads", "profile_usage_canada", "jurisdictions_map"} <= registered


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
    assert bad.returncode == 2 and "available charts:" in bad.stderr
    assert all(f"{p} {c}" in bad.stderr for p, c in registry())  # the list of every chart
    out_x = tmp_path / "c.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "opengov", "export", "chart", "usage", "province-map", "--format", "xlsx"]
        + ["--lang", "fr", "--out", str(out_x)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out_x)
    assert wb.sheetnames == ["Données", "À propos"]
    assert isinstance(wb["Données"]["B2"].value, int)


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
