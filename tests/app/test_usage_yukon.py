"""The Portal usage page for open.yukon.ca (`?usage_portal=yt`), in both languages: its own blocks (Matomo's
visits and pageviews by month, the most downloaded records over the portal's longer period or the last 90 days,
records created by year and type), a line instead of a chart wherever only open.canada.ca has data, every
chart's caption naming its portal and analytics tool, and the portal kept in the URL."""

from __future__ import annotations

import pytest

from opengov.i18n import t

PAGE = "pages/usage.py"
TABS = ("time", "compare", "datasets", "departments", "geo", "jurisdiction")
NBSP = "\u00a0"


def _text(at) -> str:
    return "\n".join(
        [x.value for x in at.markdown]
        + [x.value for x in at.caption]
        + [x.value for x in at.info]
        + [x.value for x in at.warning]
        + [x.value for x in at.header]
        + [x.value for x in at.subheader]
    )


def _cells(at) -> str:
    return "\n".join(d.value.to_string() for d in at.dataframe)


def _charts(at) -> int:
    return len(at.get("vega_lite_chart")) + len(at.get("plotly_chart"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_yukon_usage_page_in_both_languages(run_page, lang: str) -> None:
    portal, fed = "open.yukon.ca", t("usage.portal.canada", lang)
    may12 = ("June 2025", "May 2026") if lang == "en" else ("juin 2025", "mai 2026")
    measured = t("usage.measured_by", lang, portal=portal, tool="Matomo")
    catalogue = t("usage.measured_by_catalogue", lang, portal=portal)
    seen: dict[str, str] = {}
    for tab in TABS:
        at = run_page(PAGE, lang, usage_portal="yt", usage_tab=tab)
        assert at.selectbox(key="usage_portal").value == "yt"
        text = _text(at)
        seen[tab] = text + "\n" + _cells(at)
        # every chart's caption names open.yukon.ca and what counted it; no chart of open.canada.ca is drawn
        captions = [c.value for c in at.caption if c.value.startswith("Source") and "  \n" in c.value]
        assert len(captions) == _charts(at), tab
        assert all(measured in c or catalogue in c for c in captions), tab
        if tab == "compare":
            kpis = {m.label: m.value for m in at.metric}
        if tab == "time":
            time_kpis = {m.label: m.value for m in at.metric}
    # time: Matomo's visits and pageviews, without open.canada.ca's series breaks
    assert t("usage.section.yt_monthly", lang) in seen["time"]
    assert t("usage.yt.no_breaks", lang, portal=portal, fed=fed) in seen["time"]
    assert ("4,462" if lang == "en" else f"4{NBSP}462") in seen["time"]  # May 2026 visits (table)
    assert t("break.ga4_2023.title", lang) not in seen["time"]
    assert time_kpis[t("usage.yt.kpi.visits", lang, span=t("usage.span", lang, start=may12[0], end=may12[1]))] == (
        "57,556" if lang == "en" else f"57{NBSP}556"
    )  # June 2025 to May 2026, the file's last 12 months
    # compare: Matomo's visits, May 2026 against May 2025; no fiscal-year totals (TBS's report)
    assert t("usage.none.fiscal", lang, portal=portal) in seen["compare"]
    may = ("May 2026", "May 2025") if lang == "en" else ("mai 2026", "mai 2025")
    assert kpis[may[0]] == ("4,462" if lang == "en" else f"4{NBSP}462")
    assert kpis[may[1]] == ("4,542" if lang == "en" else f"4{NBSP}542")
    assert (
        t("usage.compare.series.yt_portal", lang, metric=t("usage.metric.visits", lang), portal=portal)
        in (seen["compare"])
    )
    # datasets: top records with their titles, created by year and type, the types apart
    assert t("usage.section.yt_top", lang, portal=portal) in seen["datasets"]
    assert "Hunting Permits" in seen["datasets"] and "Yukon Mineral Deposit Profiles" in seen["datasets"]
    assert t("usage.yt.type.access-requests", lang) in seen["datasets"]  # created by year and type (table)
    assert t("usage.yt.type_one.information", lang) in seen["datasets"]  # Hunting Permits' type (ranking)
    assert t("usage.section.yt_created", lang, portal=portal) in seen["datasets"]
    assert ("3,778" if lang == "en" else f"3{NBSP}778") in seen["datasets"]
    assert t("usage.none.daily", lang, portal=portal) in seen["datasets"]
    # sections only open.canada.ca fills: one line each, naming what would fill them
    assert t("usage.none.departments", lang, portal=portal) in seen["departments"]
    assert t("usage.none.geo", lang, portal=portal) in seen["geo"]
    assert t("usage.none.jurisdiction", lang, portal=portal) in seen["jurisdiction"]
    if lang == "fr":
        assert t("usage.yt.titles_english", lang) in seen["datasets"]


def test_yukon_last_90_days_and_open_data_only(run_page) -> None:
    at = run_page(PAGE, "en", usage_portal="yt", usage_tab="datasets", usage_yt_window="last_90_days")
    assert at.radio(key="usage_yt_window").value == "last_90_days"
    cells = _cells(at)
    assert "List of registered Yukon societies" in cells  # 52 downloads in the last 90 days
    assert "Yukon Mineral Deposit Profiles" not in cells  # 29 over the longer period, none in the last 90 days
    data = run_page(PAGE, "en", usage_portal="yt", usage_tab="datasets", usage_yt_type="data")
    ranking = next(d.value for d in data.dataframe if "Type of record" in d.value.columns)
    assert set(ranking["Type of record"]) == {"Open-data dataset"}
    assert ranking["Record"].iloc[0] == "Yukon Liquor Corporation Wholesale liquor price lists"
    assert data.query_params["usage_portal"] in ("yt", ["yt"])
    assert data.query_params["usage_yt_type"] in ("data", ["data"])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_canada_view_says_where_yukon_blocks_are(run_page, lang: str) -> None:
    fed = t("usage.portal.canada", lang)
    at = run_page(PAGE, lang, usage_tab="time")
    assert t("usage.none.pageviews", lang, portal=fed) in _text(at)
    captions = [c.value for c in at.caption if c.value.startswith("Source") and "  \n" in c.value]
    assert len(captions) == _charts(at) == 1
    tools = t("usage.tool.then", lang).join(t(f"usage.tool.{k}", lang) for k in ("ua", "ga4", "adobe"))
    assert t("usage.measured_by", lang, portal=fed, tool=tools) in captions[0] and "Matomo" not in captions[0]
    datasets = run_page(PAGE, lang, usage_tab="datasets")
    assert t("usage.none.created", lang, portal=fed) in _text(datasets)
    assert "Hunting Permits" not in _cells(datasets)
