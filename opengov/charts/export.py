"""Server-side chart export: Altair through vl-convert (PNG at 2x, SVG, PDF; no browser), Plotly
through kaleido when a Chromium is present, else a standalone HTML file. Meaningful file names."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata

import altair as alt

EXPORT_WIDTH = 860
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


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def plotly_formats(fig=None) -> tuple[str, ...]:
    """Static formats need kaleido and a Chromium; otherwise a standalone HTML file. Maps stay HTML:
    kaleido's browser would fetch plotly's world topology from the internet and draw a blank map."""
    if fig is not None and has_geo(fig):
        return ("html",)
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return ("html",)
    return ("png", "svg", "pdf", "html") if chromium_path() else ("html",)


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
    """Render a Plotly figure; 'html' is standalone (plotly.js inlined, works offline)."""
    if fmt == "html":
        html = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False, "locale": lang})
        html = html.replace("<html>", f'<html lang="{lang}">', 1)
        if has_geo(fig):
            html = html.replace("<body>", "<body>" + GEO_ASSETS_JS, 1)
        return html.encode("utf-8")
    import os

    path = chromium_path()
    if path:
        os.environ.setdefault("BROWSER_PATH", path)
    return fig.to_image(format=fmt, scale=PNG_SCALE if fmt == "png" else 1, width=EXPORT_WIDTH + 240, height=600)
