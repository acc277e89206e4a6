"""Altair twins of the app's Plotly figures, for their PNG, SVG and PDF files (vl-convert, no browser).

The page draws the province/territory maps and the milestone timeline with Plotly; their files are
drawn from the *same figure*: :func:`static_twin` reads the Plotly figure's traces (the GeoJSON areas
and values of each choropleth, the label texts, the timeline's bars, late markers, today and
reference lines, title and colours) and draws them with Altair, so a file cannot show other numbers
than the screen.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd

from opengov.charts.base import TEXT, _configure

#: The maps' colours (light to dark blue), the no-data grey, as on screen.
BLUES = ["#c6dbef", "#6baed6", "#2171b5"]
NO_DATA = "#e3e3e3"
MAP_HEIGHT = 560
#: label anchors nudged off the small Maritime provinces (as the jurisdictions page's map does)
LABEL_OFFSET = {"PE": (0.5, 2.2), "NS": (2.0, -1.2), "NB": (-2.2, -1.4)}
_TAGS = re.compile(r"<[^>]+>")


def _plain(text: Any) -> str:
    """Plotly's label markup (``<br>``, ``<b>``) as plain text lines joined by a newline."""
    return _TAGS.sub("", str(text).replace("<br>", "\n")).strip()


def is_geo(fig: Any) -> bool:
    return any(getattr(tr, "type", "") in ("choropleth", "scattergeo") for tr in fig.data)


def _title(fig: Any) -> str | None:
    text = getattr(getattr(fig.layout, "title", None), "text", None)
    return _plain(text) if text else None


def static_twin(fig: Any, lang: str, width: int) -> alt.TopLevelMixin | dict:
    """The Altair twin of a Plotly map or timeline (see the module's docstring); a map as its
    Vega-Lite spec (a dict: its areas are named datasets)."""
    return _map(fig, lang, width) if is_geo(fig) else _timeline(fig, lang, width)


def _fmt_value(value: float, separators: str | None) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if separators and len(separators) >= 2:
        text = text.replace(",", "\x00").replace(".", separators[0]).replace("\x00", separators[1])
    return text


def _map(fig: Any, lang: str, width: int) -> dict:
    features: list[dict] = []
    legend_title = ""
    for tr in fig.data:
        if tr.type != "choropleth":
            continue
        coloured = tr.showscale is not False
        if coloured and tr.colorbar and tr.colorbar.title and tr.colorbar.title.text:
            legend_title = _plain(tr.colorbar.title.text)
        values = dict(zip(list(tr.locations), list(tr.z), strict=False))
        for f in tr.geojson["features"]:
            code = f["properties"]["abbrev"]
            if code in values:
                value = float(values[code]) if coloured and values[code] is not None else None
                features.append(
                    {
                        "type": "Feature",
                        "geometry": _simplified(f["geometry"]),
                        "properties": {"code": code, "value": value},
                    }
                )
    labels = [tr for tr in fig.data if tr.type == "scattergeo" and tr.text is not None]
    projection = alt.Projection(type="conicConformal", parallels=[49, 77], rotate=[96, 0, 0])
    height = MAP_HEIGHT

    # the areas as named datasets added to the spec afterwards: Altair deep-copies inline values on
    # every operation (a second per map)
    datasets: dict[str, list[dict]] = {}

    def geo(rows: list[dict]) -> alt.NamedData:
        name = f"areas_{len(datasets)}"
        datasets[name] = rows
        return alt.NamedData(name=name, format=alt.DataFormat(type="json"))

    def sized(chart: alt.Chart) -> alt.Chart:
        return chart.properties(width=width, height=height, projection=projection)

    valued = [f for f in features if f["properties"]["value"] is not None]
    grey = [f for f in features if f["properties"]["value"] is None]
    layers: list[alt.Chart] = []
    if grey:
        layers.append(sized(alt.Chart(geo(grey)).mark_geoshape(fill=NO_DATA, stroke="#595959", strokeWidth=0.6)))
    if valued:
        layers.append(
            sized(
                alt.Chart(geo(valued))
                .mark_geoshape(stroke="#ffffff", strokeWidth=0.8)
                .encode(
                    color=alt.Color(
                        "properties.value:Q",
                        title=legend_title,
                        scale=alt.Scale(range=BLUES, zero=True),
                        legend=alt.Legend(orient="right", format=",.4~r", gradientLength=260),
                    )
                )
            )
        )
    if labels:
        tr = labels[0]
        frame = pd.DataFrame(
            {"lon": list(tr.lon), "lat": list(tr.lat), "label": [_plain(t).split("\n") for t in tr.text]}
        )
    else:  # labels as on hover: code and value (the map never relies on colour alone)
        sep = fig.layout.separators
        rows = []
        for f in features:
            ring = _largest_ring(f["geometry"])
            lons, lats = [c[0] for c in ring], [c[1] for c in ring]
            value = f["properties"]["value"]
            text = [f["properties"]["code"]] + ([_fmt_value(value, sep)] if value is not None else [])
            dx, dy = LABEL_OFFSET.get(f["properties"]["code"], (0.0, 0.0))
            rows.append(
                {"lon": (min(lons) + max(lons)) / 2 + dx, "lat": (min(lats) + max(lats)) / 2 + dy, "label": text}
            )
        frame = pd.DataFrame(rows)
    layers.append(
        sized(
            alt.Chart(frame)
            .mark_text(fontSize=11, color=TEXT, lineBreak="\n", fontWeight="bold")
            .encode(longitude="lon:Q", latitude="lat:Q", text="label")
        )
    )
    chart = alt.layer(*layers)
    title = _title(fig)
    if title:
        chart = chart.properties(title=title)
    spec = _configure(chart, lang).properties(autosize=alt.AutoSizeParams(type="pad")).to_dict(validate=False)
    spec.setdefault("datasets", {}).update(datasets)
    return spec


#: Coordinates kept to 0.01 degree, and a point dropped when it lies within 0.05 degree (about 5 km, half
#: a pixel of an 860 px map of Canada) of the last one kept: the shipped boundaries lose nothing
#: visible and render several times faster.
_DIGITS, _STEP = 2, 0.05


def _simplified(geometry: dict) -> dict:
    def ring(points: list) -> list:
        out: list = []
        for x, y in points[:-1]:
            p = [round(x, _DIGITS), round(y, _DIGITS)]
            if not out or abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= _STEP:
                out.append(p)
        out.append([round(points[-1][0], _DIGITS), round(points[-1][1], _DIGITS)])  # closed as given
        # a small ring that thinning flattens or turns the other way would cover the globe instead
        if len(out) < 4 or _area(out) * _area(points) <= 0:
            return points
        return out

    def tiny(r: list) -> bool:  # an islet under about two pixels across
        xs, ys = [c[0] for c in r], [c[1] for c in r]
        return max(xs) - min(xs) < 2 * _STEP and max(ys) - min(ys) < 2 * _STEP

    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    kept = [poly for poly in polys if not tiny(poly[0])] or polys
    simple = [[ring(r) for r in poly if not tiny(r)] or [ring(poly[0])] for poly in kept]
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": simple}
    return {"type": "Polygon", "coordinates": simple[0]}


def _area(ring: list) -> float:
    """Twice the signed planar area of a ring (its sign gives the winding)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def _largest_ring(geometry: dict) -> list:
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return max((p[0] for p in polys), key=len)


def _timeline(fig: Any, lang: str, width: int) -> alt.TopLevelMixin:
    bars, marks = [], []
    colours: dict[str, str] = {}
    for tr in fig.data:
        if tr.type == "bar":
            colours[tr.name] = tr.marker.color
            for label, base, dur in zip(tr.y, tr.base, tr.x, strict=False):
                start = pd.Timestamp(base)
                bars.append(
                    {
                        "label": _plain(label),
                        "start": start,
                        "end": start + pd.Timedelta(milliseconds=float(dur)),
                        "state": tr.name,
                    }
                )
        elif tr.type == "scatter":
            for label, x in zip(tr.y, tr.x, strict=False):
                marks.append({"label": _plain(label), "when": pd.Timestamp(x), "what": tr.name})
    order = [_plain(v) for v in (fig.layout.yaxis.categoryarray or ())][::-1] or list(
        dict.fromkeys(b["label"] for b in bars)
    )
    height = max(120, 22 * len(order))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=420, labelFontSize=11))
    x_title = _plain(fig.layout.xaxis.title.text) if fig.layout.xaxis.title and fig.layout.xaxis.title.text else None
    bar_frame = pd.DataFrame(bars)
    layers: list[alt.Chart] = [
        alt.Chart(bar_frame)
        .mark_bar(height=14)
        .encode(
            x=alt.X("start:T", title=x_title, axis=alt.Axis(format="%Y", tickCount="year")),
            x2="end:T",
            y=y,
            color=alt.Color(
                "state:N",
                title=None,
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    ]
    if marks:
        layers.append(
            alt.Chart(pd.DataFrame(marks))
            .mark_point(shape="cross", color="#D55E00", size=80, filled=True, angle=45)
            .encode(x="when:T", y=y)
        )
    rules = []
    for shape, ann in zip(fig.layout.shapes or (), fig.layout.annotations or (), strict=False):
        rules.append(
            {
                "when": pd.Timestamp(shape.x0),
                "text": _plain(ann.text),
                "colour": shape.line.color,
                "dash": shape.line.dash,
            }
        )
    for i, r in enumerate(rules):
        frame = pd.DataFrame([r])
        dash = [6, 4] if r["dash"] == "dash" else [2, 3]
        layers.append(alt.Chart(frame).mark_rule(color=r["colour"], strokeDash=dash, strokeWidth=2).encode(x="when:T"))
        layers.append(
            alt.Chart(frame)
            .mark_text(color=r["colour"], align="right", dx=-4, dy=-8 - 14 * i, y=0, fontSize=11)
            .encode(x="when:T", text="text:N")
        )
    chart = alt.layer(*layers).properties(width=width - 420, height=height)
    title = _title(fig)
    if title:
        chart = chart.properties(title=title)
    return _configure(chart, lang).properties(autosize=alt.AutoSizeParams(type="pad"))
