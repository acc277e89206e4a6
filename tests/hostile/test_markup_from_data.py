"""Item 5 of issue 21: text from imported data is shown as plain text: an imported plan's title in every
chart's "Source:" caption (Markdown), milestone codes and titles in the timeline's Plotly labels, hover
texts and title (which read a subset of HTML)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import markdown_it
import pytest
from streamlit.testing.v1 import AppTest

from opengov.charts.plain import escape_markdown, escape_plotly
from opengov.cli import main
from tests.helpers.browser import REPO_ROOT

EVIL_TITLE = "![x](http://evil/x.png) **bold** <a href=x>y</a> :red[red] $x^2$ [link](http://evil)\n# heading"
EVIL_REF = "<a href=x>y</a>"  # a milestone's reference: 15 of its 20 characters
EVIL_MILESTONE = "<b>big</b><br><span style='font-size:90px'>huge</span> **md**"

_MD = markdown_it.MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_TAG = re.compile(r"<(?!/?p>)[a-z/!]", re.IGNORECASE)  # any element but the paragraph around the text
_TABLE_TAG = re.compile(r"</?(?:table|thead|tbody|tr|th|td)>", re.IGNORECASE)  # a Markdown table's own


def _rendered(markdown: str) -> str:
    return _MD.render(markdown)


def test_escape_markdown_leaves_only_text() -> None:
    html = _rendered(escape_markdown(EVIL_TITLE))
    assert not _TAG.search(html), html  # no <img>, <strong>, <a>, <h1>, raw HTML
    assert "![x](http://evil/x.png) **bold**" in html and "# heading" in html
    assert "&lt;a href=x&gt;y&lt;/a&gt;" in html  # the characters as typed
    assert _rendered(escape_markdown("Plan d’action 2022-2024 (Canada)")) == "<p>Plan d’action 2022-2024 (Canada)</p>\n"


def test_escape_plotly_leaves_no_tag() -> None:
    out = escape_plotly(EVIL_MILESTONE + " & " + EVIL_REF)
    assert "<" not in out and ">" not in out and "&amp;" in out


def _csv_text(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


@pytest.fixture
def evil_plan(sqlite_cli_store: str, tmp_path: Path) -> str:
    table = tmp_path / "evil.csv"
    table.write_text(
        _csv_text(
            [
                ["Reference", "Milestone", "Start date", "End date", "Status"],
                [EVIL_REF, EVIL_MILESTONE, "2015-01-15", "2015-10-31", "Completed"],
                ["6.3", "Plain milestone", "2015-01-15", "2030-10-31", "In progress"],
            ]
        )
    )
    assert main(["import", "milestones", str(table), "--plan", "EVIL-PLAN", "--title", EVIL_TITLE]) == 0
    return sqlite_cli_store


def _plotly_strings(spec: dict) -> list[str]:
    """Every text a Plotly figure shows: trace names, y categories, hover texts, title, annotations."""
    out: list[str] = []
    for trace in spec.get("data", []):
        for key in ("y", "hovertext", "text"):
            value = trace.get(key)
            if isinstance(value, list):
                out += [v for v in value if isinstance(v, str)]
            elif isinstance(value, str):
                out.append(value)
        out.append(str(trace.get("name", "")))
    layout = spec.get("layout", {})
    title = layout.get("title", {})
    out.append(title.get("text", "") if isinstance(title, dict) else str(title))
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_plans_page_shows_imported_markup_as_text(evil_plan: str, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.chdir(REPO_ROOT)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["plan"] = "EVIL-PLAN"
    at.query_params["section"] = "deadlines"  # the timeline's section (the Source caption is above the tabs)
    at.run()
    at.switch_page("pages/plans.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="plans_plan").value == "EVIL-PLAN"
    # Every Markdown element of the page (captions, text, alerts) renders to text only
    shown = [*at.caption, *at.markdown, *at.success, *at.info, *at.warning, *at.error, *at.subheader]
    with_title = [e.value for e in shown if "evil" in e.value]
    assert with_title, "the imported title appears in a Source caption"
    for value in with_title:
        html = _rendered(value)
        assert "<img" not in html and "<strong>bold" not in html and 'href="http://evil' not in html, html
        assert "<a href=x>" not in html and "<h1>" not in html
    # The timeline's labels, hover texts and title: no tag from the data
    charts = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert charts, "the plan's timeline"
    texts = [s for spec in charts for s in _plotly_strings(spec)]
    joined = "\n".join(texts)
    assert "big" in joined and "huge" in joined and "href=x" in joined
    for tag in ("<a href", "<b>big", "<br><span", "<span", "</a>"):
        assert tag not in joined, (tag, [s for s in texts if tag in s])
    assert "&lt;a href=x&gt;y&lt;/a&gt;" in joined and "&lt;b&gt;big&lt;/b&gt;" in joined


def test_overview_plans_table_shows_an_imported_title_as_text(evil_plan: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The overview's plans table is one Markdown table: the imported title stays its characters (no
    image, link, bold or heading, no "|" ending its cell), on one line."""
    monkeypatch.chdir(REPO_ROOT)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "fr"
    at.run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tables = [m.value for m in at.markdown if m.value.startswith("| ") and "evil" in m.value]
    assert tables, "the imported plan is a row of the table"
    for table in tables:
        html = _TABLE_TAG.sub("", _rendered(table))
        assert not _TAG.search(html), html  # nothing but the table's own cells
        assert "![x](http://evil/x.png) **bold**" in html and "# heading" in html


def test_plain_table_links_only_plain_web_addresses() -> None:
    from opengov.ui.blocks import link_cell

    for url in ("javascript:alert(1)", "https://a.ca/x)(javascript:alert(1)", "https://a.ca/<b>x</b>", "data:x"):
        assert 'href="' not in _rendered(str(link_cell(url))), url
    assert 'href="https://open.yukon.ca/?q=1&amp;r=2"' in _rendered(str(link_cell("https://open.yukon.ca/?q=1&r=2")))
