"""Server-side chart export, no browser: every chart block's files, PNG (report resolution), SVG and
PDF through vl-convert - a Plotly map or timeline through its Altair twin (`opengov.charts.static`) -
carrying the chart's title, active filters, caveats, definition, "Source · as of" line, licences and
attribution in the UI language (`report_spec`); its data as typed CSV and XLSX (`data_bytes`).
Meaningful file names."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

import altair as alt

EXPORT_WIDTH = 860
#: PNG pixels per CSS pixel: 2 x 860 px wide, enough for a printed report page
PNG_SCALE = 2
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def slug(text: str) -> str:
    """ASCII, lower-case, dash-separated: 'Téléchargements (EF 2025)' -> 'telechargements-ef-2025'."""
    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:60]


def export_name(
    page: str, chart: str, filters: dict[str, object] | None, lang: str, ext: str, today: dt.date | None = None
) -> str:
    """opengov_<page>_<chart>[_<filters>]_<date>_<lang>.<ext>

    >>> export_name("usage", "downloads", {"metric": "visits", "from": "2024-01"}, "fr", "png", dt.date(2026, 11, 24))
    'opengov_usage_downloads_metric-visits_from-2024-01_2026-11-24_fr.png'
    """
    today = today or dt.date.today()
    parts = ["opengov", slug(page), slug(chart)]
    for k, v in (filters or {}).items():
        if v not in (None, "", [], ()):
            val = "+".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)
            parts.append(f"{slug(k)}-{slug(val)}")
    parts += [today.isoformat(), lang]
    return "_".join(p for p in parts if p) + f".{ext}"


def _spec(chart: alt.TopLevelMixin) -> str:
    spec = json.loads(chart.to_json())
    if spec.get("width") == "container" or "width" not in spec:
        spec["width"] = EXPORT_WIDTH
    spec.setdefault("background", "white")
    spec.setdefault("padding", 12)
    return json.dumps(spec)


def altair_bytes(chart: alt.TopLevelMixin, fmt: str) -> bytes:
    """Render an Altair chart to png (2x), svg or pdf bytes."""
    import vl_convert as vlc

    spec = _spec(chart)
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=PNG_SCALE)
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "pdf":
        return vlc.vegalite_to_pdf(spec)
    raise ValueError(f"unsupported format {fmt!r}")


#: plotly.js fetches a world topology from its CDN for any geo trace, even with every base layer
#: off; offline that leaves the map blank. An empty topology, registered before plotly draws,
#: lets it draw our own GeoJSON provinces without any network.
GEO_ASSETS_JS = (
    "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
    "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};"
    "window.PlotlyGeoAssets.topojson['world_110m'] = {type: 'Topology', objects: {}, arcs: []};</script>"
)


def has_geo(fig) -> bool:
    return any(getattr(tr, "type", "") in ("choropleth", "scattergeo") for tr in fig.data)


def plotly_bytes(fig, fmt: str, lang: str = "en") -> bytes:
    """A Plotly figure as a standalone HTML file (plotly.js inlined, works offline)."""
    if fmt != "html":
        raise ValueError("a Plotly figure's static files come from its Altair twin (figure_bytes)")
    html = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False, "locale": lang})
    html = html.replace("<html>", f'<html lang="{lang}">', 1)
    if has_geo(fig):
        html = html.replace("<body>", "<body>" + GEO_ASSETS_JS, 1)
    return html.encode("utf-8")


# --------------------------------------------------------------------------- files a report can quote
#: characters per line of the files' title, filter and footer lines (about 860 px of 11-15 px text)
TITLE_CHARS, LINE_CHARS = 95, 140
#: chart, data and metadata formats every chart block offers
CHART_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return [line for part in str(text).splitlines() for line in (textwrap.wrap(part, width) or [""])]


def filters_text(filters: dict[str, object] | None, lang: str) -> str | None:
    """The active filters as one line ('Filters: metric downloads · from 2024-01'), None when none.
    Values are named in `lang` where the catalogue names them (metrics, jurisdictions, provinces)."""
    from opengov.i18n import catalogue, fmt_month, t

    cat = catalogue(lang)

    def name(value: object) -> str:
        text = str(value)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return fmt_month(text + "-01", lang)
        for prefix in ("usage.metric.", "jurisdiction.", "pt.", "jur.level.", "jur.view.", "jur.basis."):
            if prefix + text in cat:
                return cat[prefix + text]
        return text

    parts = []
    for key, value in (filters or {}).items():
        if value in (None, "", [], ()):
            continue
        values = value if isinstance(value, (list, tuple)) else str(value).split("+")
        label = cat.get(f"export.filter.{key}", key)
        parts.append(f"{label} {', '.join(name(v) for v in values)}")
    return t("export.filters", lang, filters=" · ".join(parts)) if parts else None


def _spec_title(spec: dict) -> tuple[str | None, list[str]]:
    title = spec.pop("title", None)
    if title is None:
        return None, []
    if isinstance(title, dict):
        text, sub = title.get("text"), title.get("subtitle") or []
        sub = [sub] if isinstance(sub, str) else list(sub)
    else:
        text, sub = title, []
    text = " ".join(text) if isinstance(text, list) else text
    return (str(text) if text else None), [str(s) for s in sub]


@dataclass(frozen=True)
class Meta:
    """What a chart's files say about it, in one language: title, filters, source and as-of, licences,
    definition, caveats, attribution."""

    title: str
    filters: str | None
    source: str
    as_of: str
    source_line: str
    licences: tuple[str, ...]
    definition: str | None
    caveats: tuple[str, ...]
    attribution: str | None


def figure_meta(fig, lang: str, sources=None, filters: dict[str, object] | None = None) -> Meta:
    """A Figure's metadata as its files carry it (see `Meta`)."""
    from opengov.i18n import fmt_date, pick_bilingual, t

    source, as_of = fig.source(lang, sources)
    when = fmt_date(as_of, lang) if as_of is not None else "–"
    line = (
        t("chip.source_nodate", lang, source=source)
        if when == "–"
        else t("chip.source_asof", lang, source=source, as_of=when)
    )
    title = fig.title
    if title is None:
        chart = fig.static if fig.static is not None else fig.chart
        if isinstance(chart, dict):
            title, _ = _spec_title(dict(chart))
        elif chart is not None and not fig.is_plotly:
            title, _ = _spec_title(chart.to_dict(validate=False))
        elif chart is not None:
            text = getattr(getattr(chart.layout, "title", None), "text", None)
            title = str(text) if text else None
    return Meta(
        title=title or "",
        filters=filters_text(filters, lang),
        source=source,
        as_of=when,
        source_line=line,
        licences=tuple(dict.fromkeys(pick_bilingual(x, lang) for x in fig.licences(sources))),
        definition=fig.definition,
        caveats=tuple(fig.caveats),
        attribution=fig.attribution,
    )


def static_chart(fig, lang: str):
    """The Altair chart a Figure's files are drawn from: its own, or its Plotly chart's twin."""
    if fig.static is not None:
        return fig.static
    if fig.is_plotly:
        from opengov.charts.static import static_twin

        return static_twin(fig.chart, lang, EXPORT_WIDTH)
    return fig.chart


def report_spec(fig, lang: str, sources=None, filters: dict[str, object] | None = None) -> dict:
    """The Vega-Lite spec of a chart's files: the chart as on screen, under its title and the active
    filters, above its caveats, definition, source and as-of line, licences and attribution."""
    from opengov.i18n import t

    meta = figure_meta(fig, lang, sources, filters)
    chart = static_chart(fig, lang)
    inner = dict(chart) if isinstance(chart, dict) else chart.to_dict(validate=False)
    top = {
        k: inner.pop(k) for k in ("$schema", "config", "datasets", "background", "padding", "autosize") if k in inner
    }
    own_title, subtitle = _spec_title(inner)
    title = meta.title or own_title or ""
    if not any(k in inner for k in ("facet", "vconcat", "hconcat", "concat", "repeat")):
        if inner.get("width") in (None, "container"):
            inner["width"] = EXPORT_WIDTH
    elif inner.get("width") == "container":
        inner.pop("width")
    subtitle = [line for s in subtitle for line in _wrap(s, LINE_CHARS)]
    if meta.filters:
        subtitle += _wrap(meta.filters, LINE_CHARS)
    lines: list[str] = []
    for note in meta.caveats:
        lines += _wrap(note, LINE_CHARS)
    if meta.definition:
        lines += _wrap(meta.definition, LINE_CHARS)
    lines += _wrap(meta.source_line, LINE_CHARS)
    if meta.licences:
        lines += _wrap(t("export.licence", lang, licence="; ".join(meta.licences)), LINE_CHARS)
    if meta.attribution:
        lines += _wrap(meta.attribution, LINE_CHARS)
    footer = {
        "data": {"values": [{}]},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": 11,
            "lineHeight": 15,
            "color": "#3e4c59",
            "x": 0,
            "y": 0,
            "text": lines,
        },
        "width": EXPORT_WIDTH,
        "height": 15 * len(lines),
    }
    spec: dict = {
        **top,
        "title": {
            "text": _wrap(title, TITLE_CHARS) if title else "",
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": 15,
            "subtitleFontSize": 11,
            "subtitleColor": "#3e4c59",
            "offset": 10,
        },
        "vconcat": [inner, footer],
        # the chart's legends stay with the chart, above the footer
        "resolve": {"legend": {c: "independent" for c in ("color", "fill", "stroke", "shape", "size", "opacity")}},
        "spacing": 14,
        "background": "white",
        "padding": 16,
    }
    spec.setdefault("config", {}).setdefault("view", {})["stroke"] = None
    return spec


def figure_bytes(fig, fmt: str, lang: str, sources=None, filters: dict[str, object] | None = None) -> bytes:
    """A Figure as a file a report can quote as it is: png (report resolution), svg, pdf of
    `report_spec`; csv or xlsx of its data (typed; the xlsx with an 'About' sheet)."""
    if fmt in DATA_FORMATS:
        return data_bytes(fig, fmt, lang, sources, filters)
    import vl_convert as vlc

    spec = json.dumps(report_spec(fig, lang, sources, filters))
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=PNG_SCALE)
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    if fmt == "pdf":
        return vlc.vegalite_to_pdf(spec)
    raise ValueError(f"unsupported format {fmt!r}")


def about_rows(meta: Meta, lang: str) -> list[tuple[str, str]]:
    """The 'About' sheet's rows: (label, text) in `lang`."""
    from opengov.i18n import t

    rows = [
        (t("export.about.title", lang), meta.title),
        (t("export.about.filters", lang), meta.filters or t("export.about.no_filters", lang)),
        (t("export.about.source", lang), meta.source),
        (t("export.about.licence", lang), "; ".join(meta.licences) or "–"),
        (t("export.about.as_of", lang), meta.as_of),
    ]
    if meta.definition:
        rows.append((t("export.about.definition", lang), meta.definition))
    rows += [(t("export.about.caveat", lang), c) for c in meta.caveats]
    if meta.attribution:
        rows.append((t("export.about.attribution", lang), meta.attribution))
    return rows


def data_bytes(fig, fmt: str, lang: str, sources=None, filters: dict[str, object] | None = None) -> bytes:
    """A Figure's data as the page's download gives it: CSV (plain numbers, UTF-8 BOM) or XLSX
    (typed cells, number formats, an 'About' sheet)."""
    from opengov.exports import data_csv, data_xlsx
    from opengov.i18n import t

    if fmt == "csv":
        return data_csv(fig.data, lang)
    meta = figure_meta(fig, lang, sources, filters)
    return data_xlsx(
        fig.data,
        lang,
        sheet=t("export.data_sheet", lang),
        about=about_rows(meta, lang),
        about_sheet=t("export.about_sheet", lang),
    )
