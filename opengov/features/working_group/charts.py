"""Charts of the working-group page and yearly report (Altair; all text passed in, in the UI language).

Each builder takes `width`: "container" in the app, a number of pixels for static export (vl-convert).
Colour is never the only cue: the month strip prints the count or a dash in each cell and the state in
its tooltip; bars carry their value in the data table under the chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from opengov.charts.base import PALETTE, TEXT, _configure

#: Month-strip colours (state -> colour): blue = held, orange = no meeting, light grey = no record.
STATE_COLOURS = {"held": "#0072B2", "not_held": "#E69F00", "no_record": "#E4E7EB"}


def month_strip(
    months: pd.DataFrame,
    *,
    title: str,
    month_labels: list[str],
    month_title: str,
    state_labels: dict[str, str],
    state_title: str,
    count_title: str,
    reason_title: str,
    lang: str,
    width: int | str = "container",
    height: int = 56,
) -> alt.Chart:
    """A 12-cell strip (one cell per month) coloured by state, with the meeting count printed in each cell.

    `months` is `metrics.working_group.meetings_by_month(...)` plus a `reason` column in the UI language.
    """
    data = months.copy()
    data["month_label"] = [month_labels[m - 1] for m in data["month"]]
    data["state_label"] = data["state"].map(state_labels)
    data["row"] = title  # one band: a step height survives Streamlit's theme (a pixel height collapses)
    data["cell_text"] = [
        str(n) if s == "held" else "–" for n, s in zip(data["meetings_held_count"], data["state"], strict=True)
    ]
    order = [state_labels[s] for s in STATE_COLOURS]
    x = alt.X(
        "month_label:N",
        sort=month_labels,
        title=None,
        axis=alt.Axis(labelAngle=0, orient="top", ticks=False, domain=False),
    )
    base = alt.Chart(data).encode(x=x, y=alt.Y("row:N", title=None, axis=None))
    tooltip = [
        alt.Tooltip("month_label:N", title=month_title),  # (untitled, Vega names the field: "month_label")
        alt.Tooltip("state_label:N", title=state_title),
        alt.Tooltip("meetings_held_count:Q", title=count_title),
        alt.Tooltip("reason:N", title=reason_title),
    ]
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=3, cornerRadius=3).encode(
        color=alt.Color(
            "state_label:N", title=state_title, scale=alt.Scale(domain=order, range=list(STATE_COLOURS.values()))
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=16, fontWeight="bold").encode(
        text="cell_text:N",
        tooltip=tooltip,
        color=alt.condition(alt.datum.state == "held", alt.value("#ffffff"), alt.value(TEXT)),
    )
    return _configure((cells + text).properties(title=title, width=width, height=alt.Step(height)), lang)


def participation_bars(
    part: pd.DataFrame,
    *,
    title: str,
    jur_labels: dict[str, str],
    kind_labels: dict[str, str],
    jur_title: str,
    kind_title: str,
    value_title: str,
    lang: str,
    width: int | str = "container",
) -> alt.Chart:
    """Horizontal stacked bars: contributions per jurisdiction (display order kept), stacked by kind."""
    data = part.copy()
    data["jur_label"] = data["jurisdiction"].map(lambda j: jur_labels.get(j, j))
    data["kind_label"] = data["kind"].map(lambda k: kind_labels.get(k, k))
    y_order = list(dict.fromkeys(data["jur_label"]))
    k_order = [kind_labels[k] for k in kind_labels if kind_labels[k] in set(data["kind_label"])]
    data["kind_order"] = data["kind_label"].map({k: i for i, k in enumerate(k_order)})
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("jur_label:N", sort=y_order, title=jur_title, axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(contributions_count):Q", title=value_title, axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color(
                "kind_label:N",
                title=kind_title,
                sort=k_order,
                scale=alt.Scale(range=PALETTE),
                legend=alt.Legend(labelLimit=320),
            ),
            order=alt.Order("kind_order:Q"),
            tooltip=[
                alt.Tooltip("jur_label:N", title=jur_title),
                alt.Tooltip("kind_label:N", title=kind_title),
                alt.Tooltip("contributions_count:Q", title=value_title, format="d"),
            ],
        )
    )
    # A step height (not a pixel height): Streamlit's theme collapses a band scale given a fixed height.
    return _configure(chart.properties(title=title, width=width, height=alt.Step(28)), lang)


def progress_bars(
    progress: pd.DataFrame,
    *,
    title: str,
    status_labels: dict[str, str],
    plan_labels: dict[str, str],
    status_title: str,
    plan_title: str,
    value_title: str,
    lang: str,
    width: int | str = "container",
) -> alt.Chart:
    """Milestones by canonical status (one bar per status, colour per plan)."""
    data = progress.copy()
    data["status_label"] = data["status"].map(lambda s: status_labels.get(s, s))
    data["plan_label"] = data["plan_id"].map(lambda p: plan_labels.get(p, p))
    order = [status_labels[s] for s in status_labels if status_labels[s] in set(data["status_label"])]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("status_label:N", sort=order, title=status_title),
            x=alt.X("sum(milestones_count):Q", title=value_title, axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("plan_label:N", title=plan_title, scale=alt.Scale(range=PALETTE)),
            tooltip=[
                alt.Tooltip("plan_label:N", title=plan_title),
                alt.Tooltip("status_label:N", title=status_title),
                alt.Tooltip("milestones_count:Q", title=value_title, format="d"),
            ],
        )
    )
    return _configure(chart.properties(title=title, width=width, height=alt.Step(30)), lang)
