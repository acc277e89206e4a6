"""Charts of the action-plans page: the milestone timeline (Plotly), progress by group, burn-up and
challenges (Altair). All text is passed in, in the UI language."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from opengov.charts.base import PALETTE, TEXT
from opengov.charts.base import _configure as _base_configure

#: One colour per displayed state (Okabe-Ito; grey for "not reported"), least to most advanced.
STATE_COLOURS: dict[str, str] = {
    "not_started": "#CC79A7",
    "delayed": "#D55E00",
    "limited": "#E69F00",
    "in_progress": "#56B4E9",
    "on_track": "#0072B2",
    "substantial": "#56B4E9",
    "complete": "#009E73",
    "withdrawn": "#000000",
    "not_reported": "#767676",
}
STATE_ORDER: tuple[str, ...] = tuple(STATE_COLOURS)


def _configure(chart: alt.Chart, lang: str) -> alt.Chart:
    """The app's chart style; the width follows the container but the height stays as set
    (Streamlit's default autosize otherwise squeezes the plot to make room for the legend)."""
    return _base_configure(chart, lang).properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def gantt(
    df: pd.DataFrame,
    *,
    labels: dict[str, str],
    state_labels: dict[str, str],
    lang: str,
    today: dt.date,
    ref_date: dt.date | None,
    title: str,
) -> go.Figure:
    """Milestone bars from ``bar_start`` to ``bar_end`` coloured by ``state``; a marker at
    ``actual_or_ref_end`` for late milestones; vertical lines for today and the reference date.

    `df` columns: label, bar_start, bar_end, state, hover, slip_flag, actual_or_ref_end.
    `labels` keys: today, ref_date, late_marker, axis_time.
    """
    fig = go.Figure()
    data = df.dropna(subset=["bar_start", "bar_end"]).copy()
    order = list(dict.fromkeys(data["label"]))
    for state in STATE_ORDER:
        part = data[data["state"] == state]
        if part.empty:
            continue
        start = pd.to_datetime(part["bar_start"])
        end = pd.to_datetime(part["bar_end"])
        dur_ms = ((end - start).dt.total_seconds() * 1000).clip(lower=86_400_000 * 10)
        fig.add_trace(
            go.Bar(
                y=part["label"],
                x=dur_ms,
                base=start.dt.strftime("%Y-%m-%d"),
                orientation="h",
                name=state_labels.get(state, state),
                marker_color=STATE_COLOURS[state],
                hovertext=part["hover"],
                hoverinfo="text",
            )
        )
    late = data[data["slip_flag"].isin(["overdue", "late_complete"]) & data["actual_or_ref_end"].notna()]
    if not late.empty:
        fig.add_trace(
            go.Scatter(
                y=late["label"],
                x=pd.to_datetime(late["actual_or_ref_end"]).dt.strftime("%Y-%m-%d"),
                mode="markers",
                marker={"symbol": "x", "size": 9, "color": "#D55E00", "line": {"width": 2, "color": "#D55E00"}},
                name=labels["late_marker"],
                hovertext=late["hover"],
                hoverinfo="text",
            )
        )
    lines = [(today, labels["today"], TEXT, "dash")]
    if ref_date is not None and ref_date != today:
        lines.append((ref_date, labels["ref_date"], "#0072B2", "dot"))
    for i, (when, text, colour, dash) in enumerate(lines):
        x = pd.Timestamp(when).strftime("%Y-%m-%d")
        fig.add_shape(
            type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line={"color": colour, "dash": dash, "width": 2}
        )
        fig.add_annotation(
            x=x,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            text=text,
            showarrow=False,
            font={"color": colour, "size": 12},
            xanchor="left" if i == 0 else "right",
        )
    fig.update_layout(
        title={
            "text": title,
            "font": {"color": TEXT, "size": 14},
            "x": 0,
            "xanchor": "left",
            "y": 0.995,
            "yanchor": "top",
            "yref": "container",
        },
        barmode="overlay",
        height=max(260, 22 * len(order) + 160),
        margin={"l": 10, "r": 10, "t": 80, "b": 40},
        xaxis={"type": "date", "title": labels["axis_time"], "tickformat": "%Y", "color": TEXT},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "automargin": True, "color": TEXT},
        legend={"orientation": "h", "y": -0.08 if len(order) > 20 else -0.2, "font": {"color": TEXT}},
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=", " if lang == "fr" else ".,",
    )
    return fig


def progress_bars(
    df: pd.DataFrame,
    by: str,
    *,
    title: str,
    by_title: str,
    count_title: str,
    state_title: str,
    state_labels: dict[str, str],
    lang: str,
) -> alt.Chart:
    """Stacked horizontal bars: milestones by `by` and state (columns `by`, state, milestones_count)."""
    data = df.copy()
    present = [s for s in STATE_ORDER if s in set(data["state"])]
    data["state_label"] = data["state"].map(lambda s: state_labels.get(s, s))
    data["state_rank"] = data["state"].map(STATE_ORDER.index)
    enc = {
        # no axis title: the chart's title names the grouping, and a rotated title drawn beside labels as long
        # as commitment names overlapped them when the browser's font differed from the one measured
        "y": alt.Y(f"{by}:N", title=None, sort=None, axis=alt.Axis(labelLimit=0)),
        "x": alt.X("milestones_count:Q", title=count_title, stack="zero", axis=alt.Axis(format=",.0f", tickMinStep=1)),
        "color": alt.Color(
            "state_label:N",
            title=state_title,
            scale=alt.Scale(
                domain=[state_labels.get(s, s) for s in present], range=[STATE_COLOURS[s] for s in present]
            ),
        ),
        "order": alt.Order("state_rank:Q"),
        "tooltip": [
            alt.Tooltip(f"{by}:N", title=by_title),
            alt.Tooltip("state_label:N", title=state_title),
            alt.Tooltip("milestones_count:Q", title=count_title, format=",.0f"),
        ],
    }
    h = max(120, 30 * data[by].nunique())
    return _configure(
        alt.Chart(data).mark_bar().encode(**enc).properties(title=title, height=h, width="container"), lang
    )


def burnup_chart(
    df: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    series_title: str,
    series_labels: dict[str, str],
    lang: str,
) -> alt.Chart:
    """Cumulative planned against completed milestones (columns month, series, milestones_count)."""
    data = df.copy()
    data["series_label"] = data["series"].map(lambda s: series_labels.get(s, s))
    domain = [series_labels["planned"], series_labels["completed"]]
    enc = {
        "x": alt.X("month:T", title=x_title, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=8)),
        "y": alt.Y("milestones_count:Q", title=y_title, axis=alt.Axis(format=",.0f", tickMinStep=1)),
        "color": alt.Color(
            "series_label:N",
            title=series_title,
            scale=alt.Scale(domain=domain, range=[PALETTE[0], STATE_COLOURS["complete"]]),
        ),
        "strokeDash": alt.StrokeDash(
            "series_label:N", title=series_title, scale=alt.Scale(domain=domain, range=[[6, 3], [1, 0]])
        ),
        "tooltip": [
            alt.Tooltip("series_label:N", title=series_title),
            alt.Tooltip("month:T", title=x_title, format="%Y-%m"),
            alt.Tooltip("milestones_count:Q", title=y_title, format=",.0f"),
        ],
    }
    return _configure(
        alt.Chart(data)
        .mark_line(interpolate="step-after", strokeWidth=2.5)
        .encode(**enc)
        .properties(title=title, height=260, width="container"),
        lang,
    )


def challenges_chart(
    df: pd.DataFrame,
    by: str,
    *,
    title: str,
    by_title: str,
    count_title: str,
    code_title: str,
    code_labels: dict[str, str],
    lang: str,
) -> alt.Chart:
    data = df.copy()
    data["code_label"] = data["code"].map(lambda c: code_labels.get(c, c))
    enc = {
        "y": alt.Y(f"{by}:N", title=by_title, axis=alt.Axis(labelLimit=320)),
        "x": alt.X("challenges_count:Q", title=count_title, stack="zero", axis=alt.Axis(format=",.0f", tickMinStep=1)),
        "color": alt.Color("code_label:N", title=code_title, scale=alt.Scale(range=PALETTE)),
        "tooltip": [
            alt.Tooltip(f"{by}:N", title=by_title),
            alt.Tooltip("code_label:N", title=code_title),
            alt.Tooltip("challenges_count:Q", title=count_title, format=",.0f"),
        ],
    }
    h = max(120, 30 * data[by].nunique())
    return _configure(
        alt.Chart(data).mark_bar().encode(**enc).properties(title=title, height=h, width="container"), lang
    )
