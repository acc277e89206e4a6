"""Charts of the usage page. Data in, figure out; every text is passed in, in the UI language.

Monthly lines keep gaps: a missing month is a null value and the line is broken there
(`invalid="break-paths-show-domains"`), never drawn through zero or across the gap.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from opengov.charts.base import PALETTE, TEXT, _configure


@lru_cache(maxsize=4)
def _style(lang: str) -> dict:
    """The top-level properties (config, autosize, padding...) that `charts._configure` gives a
    chart in `lang`, computed once from an empty chart."""
    template = _configure(alt.Chart(), lang)
    return {k: v for k, v in template._kwds.items() if v is not alt.Undefined and k not in ("data", "mark", "encoding")}


def styled(chart, lang: str):
    """Same spec as `charts._configure(chart, lang)`, without its six configure/properties steps:
    each of them copies the chart, and a layered chart re-merges (deep-copies) its layers every
    time, which cost ~10 ms per chart on every rerun. `chart` must be freshly built (it is set
    in place)."""
    for key, value in _style(lang).items():
        setattr(chart, key, value)
    return chart


#: Heights are the plot area's: Streamlit fits the whole figure (title, axes, legend) into `height`
#: otherwise, which flattens a line chart with a legend below it.
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


def _series_scale(values: pd.Series, colors: dict[str, str] | None) -> alt.Scale:
    """The palette in order of the sorted labels, or the given colours of the labels present."""
    if not colors:
        return alt.Scale(range=PALETTE)
    present = [label for label in colors if label in set(values)]
    return alt.Scale(domain=present, range=[colors[label] for label in present])


def series_chart(
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
    dashed: str | None = None,
    dashed_title: str | None = None,
    dashed_order: list[str] | None = None,
    breaks: pd.DataFrame | None = None,
    time_format: str = "%b %Y",
    tooltip_time_format: str = "%B %Y",
    height: int = 280,
    points: bool = True,
    series_colors: dict[str, str] | None = None,
) -> alt.Chart:
    """Monthly lines, one per `series` value (each a single definition, never joined to another),
    optionally dashed by the `dashed` column (`dashed_order`: its values, the first drawn solid, the
    second dashed, the same in every language), with vertical rules at series breaks
    (`breaks`: columns date, label). `series_colors` (label -> colour) fixes each series' colour,
    so that a jurisdiction has the same colour on every chart and in both languages."""
    return _series_chart(
        df,
        x=x,
        y=y,
        series=series,
        title=title,
        x_title=x_title,
        y_title=y_title,
        series_title=series_title,
        lang=lang,
        dashed=dashed,
        dashed_title=dashed_title,
        dashed_order=dashed_order,
        breaks=breaks,
        time_format=time_format,
        tooltip_time_format=tooltip_time_format,
        height=height,
        points=points,
        series_colors=series_colors,
    )


def _series_chart(
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
    dashed: str | None,
    dashed_title: str | None,
    dashed_order: list[str] | None,
    breaks: pd.DataFrame | None,
    time_format: str,
    tooltip_time_format: str,
    height: int,
    points: bool,
    series_colors: dict[str, str] | None = None,
) -> alt.LayerChart:
    data = df.copy()
    enc: dict = {
        "x": alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format=time_format, labelAngle=0, tickCount=8)),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        "color": alt.Color(
            f"{series}:N",
            title=series_title,
            scale=_series_scale(data[series], series_colors),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=600),
        ),
        "tooltip": [
            alt.Tooltip(f"{series}:N", title=series_title),
            alt.Tooltip(f"{x}:T", title=x_title, format=tooltip_time_format),
            alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f"),
        ],
    }
    if dashed:
        # Line symbols in this legend (not the default dots, which look the same for every value).
        dash_scale = alt.Scale(domain=dashed_order, range=[[1, 0], [4, 2]]) if dashed_order else alt.Undefined
        enc["strokeDash"] = alt.StrokeDash(
            f"{dashed}:N",
            title=dashed_title,
            scale=dash_scale,
            # above the plot: beside the series legend below it, it ran off the chart's right edge
            legend=alt.Legend(
                orient="top",
                direction="horizontal",
                labelLimit=600,
                symbolType="stroke",
                symbolStrokeColor=TEXT,
                symbolStrokeWidth=2,
                symbolSize=400,
                symbolFillColor="transparent",
            ),
        )
        enc["tooltip"].insert(1, alt.Tooltip(f"{dashed}:N", title=dashed_title))
    line = alt.Chart(data).mark_line(point=points, strokeWidth=2, invalid="break-paths-show-domains").encode(**enc)
    layers = [line]
    if breaks is not None and not breaks.empty:
        b = breaks.copy()
        rule = (
            alt.Chart(b)
            .mark_rule(color=TEXT, strokeDash=[2, 2], strokeWidth=1.5)
            .encode(x=alt.X("date:T"), tooltip=[alt.Tooltip("label:N", title=series_title)])
        )
        layers.append(rule)
        # A label reads rightwards from its rule, or leftwards when the rule is in the right part of
        # the chart (else the label ran off the edge).
        lo, hi = pd.to_datetime(data[x]).min(), pd.to_datetime(data[x]).max()
        right = pd.to_datetime(b["date"]) > lo + (hi - lo) * 0.6 if pd.notna(lo) and hi > lo else b["date"].isna()
        # (one line lower, so that it cannot overlap a label reading rightwards from an earlier rule)
        for part, align, dx, dy in ((b[~right], "left", 4, 2), (b[right], "right", -4, 16)):
            if not part.empty:
                layers.append(
                    alt.Chart(part)
                    .mark_text(align=align, baseline="top", dx=dx, dy=dy, fontSize=11, color=TEXT)
                    .encode(x=alt.X("date:T"), y=alt.value(0), text="label:N")
                )
    chart = alt.layer(*layers, title=title, height=height, width="container", autosize=FIT_X)
    return styled(chart, lang)


def grouped_bars(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    group: str,
    title: str,
    category_title: str,
    value_title: str,
    group_title: str,
    lang: str,
    height: int = 260,
    category_order: list[str] | None = None,
) -> alt.Chart:
    """Vertical bars grouped side by side (e.g. fiscal years x metric)."""
    enc = {
        "x": alt.X(f"{category}:N", title=category_title, sort=category_order, axis=alt.Axis(labelAngle=0)),
        "xOffset": alt.XOffset(f"{group}:N"),
        "y": alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",.0f")),
        "color": alt.Color(
            f"{group}:N",
            title=group_title,
            scale=alt.Scale(range=PALETTE),
            legend=alt.Legend(orient="bottom", labelLimit=500),
        ),
        "tooltip": [
            alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{group}:N", title=group_title),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",.0f"),
        ],
    }
    chart = alt.Chart(df, title=title, height=height, width="container", autosize=FIT_X).mark_bar().encode(**enc)
    return styled(chart, lang)


@lru_cache(maxsize=2)
def _geojson(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def plotly_separators(lang: str) -> str:
    """Plotly's decimal + thousands separators for the language."""
    return ", " if lang == "fr" else ".,"


def province_choropleth(
    df: pd.DataFrame,
    geojson_path: str | Path,
    *,
    code_col: str,
    value_col: str,
    name_col: str,
    value_text_col: str,
    title: str,
    value_title: str,
    lang: str,
    height: int = 520,
):
    """Plotly choropleth of Canada's provinces and territories (featureidkey properties.abbrev)."""
    import plotly.graph_objects as go

    geo = _geojson(str(geojson_path))
    fig = go.Figure(
        go.Choropleth(
            geojson=geo,
            featureidkey="properties.abbrev",
            locations=df[code_col],
            z=df[value_col],
            colorscale="Blues",
            marker_line_color="#4a5560",
            marker_line_width=0.6,
            customdata=df[[name_col, value_text_col]].to_numpy(),
            hovertemplate="%{customdata[0]}<br>" + value_title + " : %{customdata[1]}<extra></extra>"
            if lang == "fr"
            else "%{customdata[0]}<br>" + value_title + ": %{customdata[1]}<extra></extra>",
            colorbar={"title": {"text": value_title}, "tickformat": ",.0f"},
        )
    )
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(
        title={"text": title, "font": {"color": TEXT, "size": 14}},
        height=height,
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        separators=plotly_separators(lang),
        font={"color": TEXT},
    )
    return fig


def with_category_colors(chart, field: str, title: str, colors: dict[str, str], columns: int = 2):
    """`chart` with its `field` coloured label by label (`colors`, in legend order: the same category has
    the same colour on every chart and in both languages), the legend under the plot in `columns`
    columns (a long label is never cut by the chart's width)."""
    return chart.encode(
        color=alt.Color(
            f"{field}:N",
            title=title,
            scale=alt.Scale(domain=list(colors), range=list(colors.values())),
            legend=alt.Legend(orient="bottom", columns=columns, labelLimit=0, symbolType="square"),
        )
    )
