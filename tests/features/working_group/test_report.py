"""The yearly progress report: PDF text in both languages, a page rendered to PNG, accessible escaped HTML."""

from __future__ import annotations

import datetime as dt
import html.parser
import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from opengov.features.working_group.report import WgData, build_report, find_fonts
from tests.features.working_group.conftest import pdf_text

TODAY = dt.date(2026, 8, 24)


def test_font_found() -> None:
    reg, bold = find_fonts()
    assert reg.name.startswith("DejaVuSans") and reg.is_file() and bold.is_file()


def test_french_pdf_2021(wg_data: WgData) -> None:
    pdf = build_report(wg_data, 2021, "fr", "pdf", today=TODAY)
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title.startswith("Groupe de travail sur le gouvernement ouvert du Canada (GTGOC)")
    # one paper size for the product's PDFs: Letter, as the executive brief (612 x 792 pt)
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (612, 792) for p in reader.pages)
    assert b"/Lang (fr-CA)" in pdf
    text = " ".join(pdf_text(pdf).split())
    for needle in (
        "Contexte",
        "Situation actuelle",
        "Priorités du GTGOC pour 2021",
        "Réunions et activités en 2021",
        "le GTGOC a tenu 8 réunions internes",
        "12 janvier 2021",
        "Pas de réunion",
        "août 2021",
        "Annexe A – Réunions internes du GTGOC en 2021",
        "Annexe B",
        "Annexe C",
        "Priorités pour l’avenir",
        "Source : Rapport d’étape 2021-2022 du GTGOC",
        "données en date du 31 juillet 2022",
        "Avancement des plans d’action par état déclaré, plans actifs en 2021",  # Québec's 2021-2023 plan
        "Réunions par mois, 2021",
        "Interventions aux réunions par administration, 2021",
        "Figure 1",
        "Figure 2",
    ):
        assert needle in text, needle
    assert "Meetings" not in text  # nothing left in English


def test_english_pdf_2022(wg_data: WgData) -> None:
    pdf = build_report(wg_data, 2022, "en", "pdf", today=TODAY)
    text = " ".join(pdf_text(pdf).split())
    for needle in (
        "Context",
        "the COGWG held 7 internal meetings",
        "January 11, 2022",
        "No meeting",
        "Months not covered by the data: September 2022, October 2022, November 2022 and December 2022",
        "4 agenda topics were done",
        "Done on May 10, 2022",
        "Source: COGWG progress report 2021–2022",
        "data as of July 31, 2022",
        "Annex A – COGWG internal meetings in 2022",
        "Manitoba",
    ):
        assert needle in text, needle
    assert "Réunions" not in text


def test_pdf_page_renders(wg_data: WgData, out_dir: Path) -> None:
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) not installed: run ./scripts/test.sh")
    pdf = out_dir / "r.pdf"
    pdf.write_bytes(build_report(wg_data, 2022, "fr", "pdf", today=TODAY))
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(pdf), str(out_dir / "p")], check=True)
    from PIL import Image

    pages = sorted(out_dir.glob("p-*.png"))
    assert len(pages) == 2
    with Image.open(pages[1]) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert any(
        c[1] == (0, 114, 178) or abs(c[1][0] - 0) + abs(c[1][1] - 114) + abs(c[1][2] - 178) < 30 for c in colours
    ), "the month strip's blue is not on page 2"


def test_pdftotext_agrees(wg_data: WgData, out_dir: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext (poppler-utils) not installed: run ./scripts/test.sh")
    pdf = out_dir / "r.pdf"
    pdf.write_bytes(build_report(wg_data, 2021, "fr", "pdf", today=TODAY))
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "12 janvier 2021" in out and "Réunions" in out


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts += 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_html_accessible(wg_data: WgData, lang: str) -> None:
    doc = build_report(wg_data, 2021, lang, "html", today=TODAY).decode("utf-8")
    p = _Collect()
    p.feed(doc)
    tags = [t for t, _ in p.tags]
    assert p.tags[0] == ("html", {"lang": f"{lang}-CA"})
    assert tags.count("h1") == 1 and "h2" in tags and "h3" in tags
    ths = [a for t, a in p.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    assert tags.count("caption") == tags.count("table") >= 2
    svgs = [a for t, a in p.tags if t == "svg"]
    assert len(svgs) >= 2 and all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert tags.count("title") >= 1 + len(svgs) and tags.count("desc") >= len(svgs)
    assert p.scripts == 0
    assert ("12 janvier 2021" if lang == "fr" else "January 12, 2021") in doc


def test_html_escapes_data(wg_data: WgData) -> None:
    bad = "<script>alert('x')</script>"
    acts = wg_data.activities.copy()
    acts.loc[acts.index[0], ["text_fr", "text_en"]] = [f"Note {bad}", f"Note {bad}"]
    meetings = wg_data.meetings.copy()
    meetings.loc[meetings["id"] == "2021-08-none", ["no_meeting_reason_fr", "no_meeting_reason_en"]] = [
        '<img src=x onerror="alert(1)">',
        '<img src=x onerror="alert(1)">',
    ]
    agenda = pd.concat(
        [
            wg_data.agenda,
            pd.DataFrame(
                [
                    {
                        "id": "AG2021-01",
                        "year": 2021,
                        "topic_en": bad,
                        "topic_fr": bad,
                        "presenter_fr": bad,
                        "presenter_jurisdiction": "",
                        "status": "pending",
                        "done_date": pd.NaT,
                        "version": 1,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    data = WgData(**{**wg_data.__dict__, "activities": acts, "meetings": meetings, "agenda": agenda})
    for lang in ("fr", "en"):
        doc = build_report(data, 2021, lang, "html", today=TODAY).decode("utf-8")
        assert "<script" not in doc and "<img" not in doc
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in doc
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in doc
        p = _Collect()
        p.feed(doc)
        assert p.scripts == 0
    # the PDF carries the text as text
    assert "<script>alert('x')</script>" in " ".join(pdf_text(build_report(data, 2021, "en", "pdf")).split())


def test_cli_report(shipped_url: str, out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opengov.cli import main

    monkeypatch.setenv("OPENGOV_DATABASE_URL", shipped_url)
    out = out_dir / "r.html"
    assert main(["report", "--year", "2022", "--lang", "fr", "--format", "html", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", "--year", "1999", "--lang", "fr", "--format", "pdf", "--out", str(out_dir / "x.pdf")]) == 2
    assert not (out_dir / "x.pdf").exists()


def test_action_plan_progress_with_status_date(wg_data: WgData) -> None:
    # CSIS-PMOGO (2014-10-09 .. 2020-03-31) reports statuses as of 2018-10-22 and the 2018-2020 national plan
    # three indicators as of March 2019: the 2019 report charts both, counted as the plans page counts them
    doc = build_report(wg_data, 2019, "en", "html", today=TODAY).decode("utf-8")
    assert "Action-plan progress by reported status, plans active in 2019" in doc
    assert "latest status reported as of October 22, 2018" in doc
    assert "latest status reported as of March 31, 2019" in doc
    assert "Complete 35" in doc  # 33 CSIS milestones + 2 NAP4 indicators, in the chart's text alternative
    fr = " ".join(pdf_text(build_report(wg_data, 2019, "fr", "pdf", today=TODAY)).split())
    assert "dernier état déclaré en date du 22 octobre 2018" in fr
