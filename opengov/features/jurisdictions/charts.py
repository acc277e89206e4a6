"""Charts of the jurisdictions page: the province/territory choropleth (Plotly), the ranked bars,
the federal catalogue by jurisdiction, the historical count points and freshness (Altair).

All text is passed in, in the UI language; numbers shown as text are pre-formatted by the caller.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from opengov.charts.base import PALETTE, TEXT, _configure

NO_DATA_FILL = "#e3e3e3"
NO_DATA_LINE = "#595959"
# Sequential blues (ColorBrewer), light to dark; the lightest is still distinct from the no-data grey.
SEQUENTIAL = [[0.0, "#c6dbef"], [0.4, "#6baed6"], [1.0, "#2171b5"]]
#: plotly.js fetches a world topojson from its CDN for any choropleth, even with every base layer off;
#: the app runs offline, so the page registers an empty one under the name plotly.js asks for.
STATUS_COLORS = {"current": "#009E73", "due_soon": "#E69F00", "late": "#D55E00", "unknown": "#767676"}


def _ring_centre(geometry: dict) -> tuple[float, float]:
    """Centre of the bounding box of the largest polygon (by number of points): a label anchor."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((p[0] for p in polys), key=len)
    lons, lats = [c[0] for c in ring], [c[1] for c in ring]
    return (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2


# Label anchors nudged off the small Maritime provinces so that labels do not overlap.
LABEL_OFFSET = {"PE": (0.5, 2.2), "NS": (2.0, -1.2), "NB": (-2.2, -1.4), "NL": (0.0, 0.0)}


def choropleth(
    df: pd.DataFrame,
    geojson: dict,
    *,
    code_col: str,
    value_col: str,
    label_col: str,
    hover_col: str,
    colorbar_title: str,
    no_data_label: str,
    lang: str,
    height: int = 560,
) -> go.Figure:
    """Provinces and territories coloured by `value_col`; those without a value in flat grey with a
    'no data' label (never coloured as zero). Each area carries a text label (`label_col`, e.g.
    'ON 832') so that the map does not rely on colour alone; hover text comes from `hover_col`."""
    has = df[df[value_col].notna()]
    none = df[df[value_col].isna()]

    def features(codes) -> dict:  # each trace carries only its own areas (the figure is sent on every rerun)
        wanted = set(codes)
        return {**geojson, "features": [f for f in geojson["features"] if f["properties"]["abbrev"] in wanted]}

    fig = go.Figure()
    if not has.empty:
        fig.add_trace(
            go.Choropleth(
                geojson=features(has[code_col]),
                featureidkey="properties.abbrev",
                locations=has[code_col],
                z=has[value_col],
                colorscale=SEQUENTIAL,
                zmin=0,
                marker_line_color="#ffffff",
                marker_line_width=0.8,
                customdata=has[hover_col],
                hovertemplate="%{customdata}<extra></extra>",
                colorbar=dict(
                    title=dict(text=colorbar_title, side="right"),
                    thickness=14,
                    len=0.75,
                    tickformat=",",  # thousands grouped, with the language's separator (layout.separators)
                    tickfont=dict(color=TEXT),
                    outlinewidth=0,
                ),
                name=colorbar_title,
            )
        )
    if not none.empty:
        fig.add_trace(
            go.Choropleth(
                geojson=features(none[code_col]),
                featureidkey="properties.abbrev",
                locations=none[code_col],
                z=[0] * len(none),
                colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]],
                showscale=False,
                marker_line_color=NO_DATA_LINE,
                marker_line_width=0.6,
                customdata=none[hover_col],
                hovertemplate="%{customdata}<extra></extra>",
                name=no_data_label,
            )
        )
    centres = {f["properties"]["abbrev"]: _ring_centre(f["geometry"]) for f in geojson["features"]}
    codes = list(df[code_col])
    lon = [centres[c][0] + LABEL_OFFSET.get(c, (0, 0))[0] for c in codes]
    lat = [centres[c][1] + LABEL_OFFSET.get(c, (0, 0))[1] for c in codes]
    fig.add_trace(
        go.Scattergeo(
            lon=lon,
            lat=lat,
            text=df[label_col],
            mode="text",
            hoverinfo="skip",
            textfont=dict(color=TEXT, size=12, shadow="0px 0px 3px #ffffff"),
            showlegend=False,
        )
    )
    # Every base layer off: plotly.js then needs no world topojson from its CDN (the app runs offline).
    fig.update_geos(
        fitbounds=False,
        visible=False,
        showland=False,
        showlakes=False,
        showocean=False,
        showrivers=False,
        showcountries=False,
        showcoastlines=False,
        showsubunits=False,
        showframe=False,
        projection_type="conic conformal",
        projection_parallels=[49, 77],
        projection_rotation=dict(lon=-96),
        center=dict(lon=-96, lat=62),
        lonaxis_range=[-141, -52],
        lataxis_range=[41, 84],
        bgcolor="rgba(0,0,0,0)",
    )
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=10, b=0),
        font=dict(family="sans-serif", color=TEXT),
        separators=",\u202f" if lang == "fr" else ".,",
        paper_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        showlegend=False,
    )
    return fig


def ranked_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    label: str,
    title: str,
    category_title: str,
    value_title: str,
    lang: str,
    highlight: str | None = None,
    value_format: str = ",.0f",
    sort_order: list[str] | None = None,
) -> alt.Chart:
    """Horizontal bars in the given order (largest first); a row without a value shows its `label`
    text (e.g. 'no data') and no bar, so missing is never drawn as zero. `highlight` darkens one row."""
    data = df.copy()
    data["_hl"] = (data[category] == highlight) if highlight else False
    order = sort_order or list(data[category])
    y = alt.Y(f"{category}:N", title=category_title, sort=order, axis=alt.Axis(labelLimit=260))
    tooltip = [alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{label}:N", title=value_title)]
    color = (
        alt.condition(alt.datum._hl, alt.value("#08306b"), alt.value(PALETTE[0]))
        if highlight
        else alt.value(PALETTE[0])
    )
    base = alt.Chart(data)
    bars = (
        base.transform_filter(f"isValid(datum['{value}'])")
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
            color=color,
            tooltip=tooltip,
        )
    )
    text = (
        base.mark_text(align="left", dx=4, color=TEXT, fontSize=11)
        .encode(y=y, x=alt.X("_x:Q"), text=alt.Text(f"{label}:N"), tooltip=tooltip)
        .transform_calculate(_x=f"isValid(datum['{value}']) ? datum['{value}'] : 0")
    )
    h = max(200, 34 * len(data))
    # No value at all: text rows only (an empty bar layer renders an unlabelled ARIA image).
    layered = (
        (bars + text)
        if data[value].notna().any()
        else text.encode(
            x=alt.X("_x:Q", title=value_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(labels=False, ticks=False))
        )
    )
    return _configure(layered.properties(title=title, height=h, width="container"), lang)


def jurisdiction_lines(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    x_title: str,
    y_title: str,
    series_title: str,
    lang: str,
    order: list[str],
    width: int = 520,
) -> alt.Chart:
    """One small line panel per jurisdiction value, each with its own y scale (the federal count is a
    hundred times the municipal one); a missing day is a gap, not a zero. `width`: of each panel in
    pixels (a faceted chart cannot take the container's width)."""
    enc_x = alt.X(
        f"{x}:T",
        title=x_title,
        axis=alt.Axis(format="%-d %b" if lang == "fr" else "%b %-d", labelAngle=0, tickCount=6, labelFlush=True),
    )
    chart = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=2)
        .encode(
            x=enc_x,
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False), axis=alt.Axis(format=",.0f", tickCount=4)),
            color=alt.Color(f"{series}:N", title=series_title, sort=order, scale=alt.Scale(range=PALETTE), legend=None),
            tooltip=[
                alt.Tooltip(f"{series}:N", title=series_title),
                alt.Tooltip(f"{x}:T", title=x_title, format="%Y-%m-%d"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f"),
            ],
        )
        .properties(height=110, width=width)
        .facet(
            row=alt.Row(
                f"{series}:N",
                title=None,
                sort=order,
                header=alt.Header(labelAngle=0, labelAlign="left", labelColor=TEXT, labelFontSize=12),
            ),
        )
        .resolve_scale(y="independent")
        .properties(title=title)
    )
    # "fit" autosizing does not apply to a faceted chart (browsers fall back to "pad"; vl-convert fails).
    return _configure(chart, lang).properties(autosize=alt.AutoSizeParams(type="pad"))


def count_points(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    qualifier: str,
    label: str,
    title: str | alt.TitleParams,
    x_title: str,
    y_title: str,
    series_title: str,
    qualifier_title: str,
    lang: str,
    note_col: str | None = None,
    note_title: str | None = None,
) -> alt.Chart:
    """Dated, sourced counts as points only (never joined into a line: counting methods differ), on a
    log scale; colour = portal and metric, shape = qualifier ('> ', '≈ ' or exact); the tooltip shows the
    qualified value label."""
    tooltip = [
        alt.Tooltip(f"{series}:N", title=series_title),
        alt.Tooltip(f"{x}:T", title=x_title, format="%Y-%m-%d"),
        alt.Tooltip(f"{label}:N", title=y_title),
        alt.Tooltip(f"{qualifier}:N", title=qualifier_title),
    ]
    if note_col:
        tooltip.append(alt.Tooltip(f"{note_col}:N", title=note_title))
    chart = (
        alt.Chart(df)
        .mark_point(size=90, filled=True, opacity=0.9)
        .encode(
            x=alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=10)),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type="log"), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                f"{series}:N",
                title=series_title,
                scale=alt.Scale(range=PALETTE + ["#882255", "#44AA99", "#999933", "#332288"]),
                # under the plot, one per line: the labels (portal · what was counted) stay whole
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=700),
            ),
            shape=alt.Shape(
                f"{qualifier}:N", title=qualifier_title, legend=alt.Legend(orient="bottom", direction="vertical")
            ),
            tooltip=tooltip,
        )
    )
    return _configure(chart.properties(title=title, height=360, width="container"), lang)


def status_bars(
    df: pd.DataFrame,
    *,
    status: str,
    value: str,
    label: str,
    title: str,
    status_title: str,
    value_title: str,
    lang: str,
    order: list[str],
    colors: list[str],
) -> alt.Chart:
    """Records per freshness status (fixed order and colours), value labels at the end of the bars."""
    y = alt.Y(f"{status}:N", title=status_title, sort=order)
    tooltip = [alt.Tooltip(f"{status}:N", title=status_title), alt.Tooltip(f"{label}:N", title=value_title)]
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(f"{status}:N", sort=order, scale=alt.Scale(domain=order, range=colors), legend=None),
            tooltip=tooltip,
        )
    )
    text = (
        alt.Chart(df)
        .mark_text(align="left", dx=4, color=TEXT, fontSize=11)
        .encode(y=y, x=alt.X(f"{value}:Q"), text=alt.Text(f"{label}:N"))
    )
    return _configure((bars + text).properties(title=title, height=44 * len(df) + 70, width="container"), lang)


def status_lines(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    status: str,
    title: str,
    x_title: str,
    y_title: str,
    status_title: str,
    lang: str,
    order: list[str],
    colors: list[str],
) -> alt.Chart:
    """Daily records per freshness status (one line per status, one source)."""
    chart = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=14), strokeWidth=2)
        .encode(
            x=alt.X(
                f"{x}:T", title=x_title, axis=alt.Axis(format="%-d %b" if lang == "fr" else "%b %-d", labelAngle=0)
            ),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(f"{status}:N", title=status_title, sort=order, scale=alt.Scale(domain=order, range=colors)),
            # the same field, title and order as the colour: Vega-Lite merges them into one legend showing
            # both colour and dash (with legend=None here it drew no legend at all)
            strokeDash=alt.StrokeDash(f"{status}:N", title=status_title, sort=order, scale=alt.Scale(domain=order)),
            tooltip=[
                alt.Tooltip(f"{status}:N", title=status_title),
                alt.Tooltip(f"{x}:T", title=x_title, format="%-d %B %Y" if lang == "fr" else "%B %-d, %Y"),
                alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f"),
            ],
        )
    )
    return _configure(chart.properties(title=title, height=260, width="container"), lang)
