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

from opengov.charts import PALETTE, TEXT, _configure


def fast(chart):
    """Skip Altair's JSON-schema validation when Streamlit serialises `chart` on every rerun.

    Validation costs ~40 % of a rerun of this page; the builders here are validated once by the
    tests instead (tests/app/test_usage_page.py::test_usage_charts_are_valid_vega_lite)."""
    to_dict = type(chart).to_dict

    def _to_dict(*args, **kwargs):
        kwargs.setdefault("validate", False)
        return to_dict(chart, *args, **kwargs)

    object.__setattr__(chart, "to_dict", _to_dict)
    return chart


#: Heights are the plot area's: Streamlit fits the whole figure (title, axes, legend) into `height`
#: otherwise, which flattens a line chart with a legend below it.
FIT_X = alt.AutoSizeParams(type="fit-x", contains="padding")


def series_chart(df: pd.DataFrame, *, x: str, y: str, series: str, title: str, x_title: str, y_title: str,
                 series_title: str, lang: str, dashed: str | None = None, dashed_title: str | None = None,
                 breaks: pd.DataFrame | None = None,
                 time_format: str = "%b %Y", tooltip_time_format: str = "%B %Y", height: int = 280,
                 points: bool = True) -> alt.Chart:
    """Monthly lines, one per `series` value (each a single definition, never joined to another),
    optionally dashed by the `dashed` column, with vertical rules at series breaks
    (`breaks`: columns date, label)."""
    data = df.copy()
    enc: dict = {
        "x": alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format=time_format, labelAngle=0, tickCount=8)),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=",.0f")),
        "color": alt.Color(f"{series}:N", title=series_title, scale=alt.Scale(range=PALETTE),
                           legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=600)),
        "tooltip": [alt.Tooltip(f"{series}:N", title=series_title),
                    alt.Tooltip(f"{x}:T", title=x_title, format=tooltip_time_format),
                    alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f")],
    }
    if dashed:
        enc["strokeDash"] = alt.StrokeDash(f"{dashed}:N", title=dashed_title,
                                           legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=600))
        enc["tooltip"].insert(1, alt.Tooltip(f"{dashed}:N", title=dashed_title))
    line = alt.Chart(data).mark_line(point=points, strokeWidth=2, invalid="break-paths-show-domains").encode(**enc)
    layers = [line]
    if breaks is not None and not breaks.empty:
        b = breaks.copy()
        rule = alt.Chart(b).mark_rule(color=TEXT, strokeDash=[2, 2], strokeWidth=1.5).encode(
            x=alt.X("date:T"), tooltip=[alt.Tooltip("label:N", title=series_title)])
        text = alt.Chart(b).mark_text(align="left", baseline="top", dx=4, dy=2, fontSize=11, color=TEXT).encode(
            x=alt.X("date:T"), y=alt.value(0), text="label:N")
        layers += [rule, text]
    chart = alt.layer(*layers).properties(title=title, height=height, width="container", autosize=FIT_X)
    return fast(_configure(chart, lang))


def grouped_bars(df: pd.DataFrame, *, category: str, value: str, group: str, title: str, category_title: str,
                 value_title: str, group_title: str, lang: str, height: int = 260,
                 category_order: list[str] | None = None) -> alt.Chart:
    """Vertical bars grouped side by side (e.g. fiscal years x metric)."""
    enc = {
        "x": alt.X(f"{category}:N", title=category_title, sort=category_order, axis=alt.Axis(labelAngle=0)),
        "xOffset": alt.XOffset(f"{group}:N"),
        "y": alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",.0f")),
        "color": alt.Color(f"{group}:N", title=group_title, scale=alt.Scale(range=PALETTE),
                           legend=alt.Legend(orient="bottom", labelLimit=500)),
        "tooltip": [alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{group}:N", title=group_title),
                    alt.Tooltip(f"{value}:Q", title=value_title, format=",.0f")],
    }
    return fast(_configure(alt.Chart(df).mark_bar().encode(**enc).properties(
        title=title, height=height, width="container", autosize=FIT_X), lang))


@lru_cache(maxsize=2)
def _geojson(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def plotly_separators(lang: str) -> str:
    """Plotly's decimal + thousands separators for the language."""
    return ", " if lang == "fr" else ".,"


def province_choropleth(df: pd.DataFrame, geojson_path: str | Path, *, code_col: str, value_col: str,
                        name_col: str, value_text_col: str, title: str, value_title: str, lang: str,
                        height: int = 520):
    """Plotly choropleth of Canada's provinces and territories (featureidkey properties.abbrev)."""
    import plotly.graph_objects as go

    geo = _geojson(str(geojson_path))
    fig = go.Figure(go.Choropleth(
        geojson=geo, featureidkey="properties.abbrev", locations=df[code_col], z=df[value_col],
        colorscale="Blues", marker_line_color="#4a5560", marker_line_width=0.6,
        customdata=df[[name_col, value_text_col]].to_numpy(),
        hovertemplate="%{customdata[0]}<br>" + value_title + " : %{customdata[1]}<extra></extra>"
        if lang == "fr" else "%{customdata[0]}<br>" + value_title + ": %{customdata[1]}<extra></extra>",
        colorbar={"title": {"text": value_title}, "tickformat": ",.0f"},
    ))
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    fig.update_layout(title={"text": title, "font": {"color": TEXT, "size": 14}}, height=height,
                      margin={"l": 0, "r": 0, "t": 40, "b": 0}, separators=plotly_separators(lang),
                      font={"color": TEXT})
    return fig
