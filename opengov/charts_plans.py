"""Charts of the action-plans page: the milestone timeline (Plotly), progress by group, burn-up and
challenges (Altair). All text is passed in, in the UI language."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import plotly.graph_objects as go

from opengov.charts import PALETTE, TEXT
from opengov.charts import _configure as _base_configure

#: One colour per displayed state (Okabe-Ito; grey for "not reported"), least to most advanced.
STATE_COLOURS: dict[str, str] = {
    "not_started": "#CC79A7", "delayed": "#D55E00", "limited": "#E69F00", "in_progress": "#56B4E9",
    "on_track": "#0072B2", "substantial": "#56B4E9", "complete": "#009E73", "withdrawn": "#000000",
    "not_reported": "#767676",
}
STATE_ORDER: tuple[str, ...] = tuple(STATE_COLOURS)


def _configure(chart: alt.Chart, lang: str) -> alt.Chart:
    """The app's chart style; the width follows the container but the height stays as set
    (Streamlit's default autosize otherwise squeezes the plot to make room for the legend)."""
    return _base_configure(chart, lang).properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def gantt(df: pd.DataFrame, *, labels: dict[str, str], state_labels: dict[str, str], lang: str,
          today: dt.date, ref_date: dt.date | None, title: str) -> go.Figure:
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
        fig.add_trace(go.Bar(
            y=part["label"], x=dur_ms, base=start.dt.strftime("%Y-%m-%d"), orientation="h",
            name=state_labels.get(state, state), marker_color=STATE_COLOURS[state],
            hovertext=part["hover"], hoverinfo="text"))
    late = data[data["slip_flag"].isin(["overdue", "late_complete"]) & data["actual_or_ref_end"].notna()]
    if not late.empty:
        fig.add_trace(go.Scatter(
            y=late["label"], x=pd.to_datetime(late["actual_or_ref_end"]).dt.strftime("%Y-%m-%d"), mode="markers",
            marker={"symbol": "x", "size": 9, "color": "#D55E00", "line": {"width": 2, "color": "#D55E00"}},
            name=labels["late_marker"], hovertext=late["hover"], hoverinfo="text"))
    lines = [(today, labels["today"], TEXT, "dash")]
    if ref_date is not None and ref_date != today:
        lines.append((ref_date, labels["ref_date"], "#0072B2", "dot"))
    for i, (when, text, colour, dash) in enumerate(lines):
        x = pd.Timestamp(when).strftime("%Y-%m-%d")
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line={"color": colour, "dash": dash, "width": 2})
        fig.add_annotation(x=x, y=1.0, yref="paper", yanchor="bottom", text=text, showarrow=False,
                           font={"color": colour, "size": 12}, xanchor="left" if i == 0 else "right")
    fig.update_layout(
        title={"text": title, "font": {"color": TEXT, "size": 14}, "x": 0, "xanchor": "left", "y": 0.995,
               "yanchor": "top", "yref": "container"},
        barmode="overlay", height=max(260, 22 * len(order) + 160), margin={"l": 10, "r": 10, "t": 80, "b": 40},
        xaxis={"type": "date", "title": labels["axis_time"], "tickformat": "%Y", "color": TEXT},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "automargin": True, "color": TEXT},
        legend={"orientation": "h", "y": -0.08 if len(order) > 20 else -0.2, "font": {"color": TEXT}},
        plot_bgcolor="white", paper_bgcolor="white", separators=", " if lang == "fr" else ".,",
    )
    return fig


def progress_bars(df: pd.DataFrame, by: str, *, title: str, by_title: str, count_title: str, state_title: str,
                  state_labels: dict[str, str], lang: str) -> alt.Chart:
    """Stacked horizontal bars: milestones by `by` and state (columns `by`, state, milestones_count)."""
    data = df.copy()
    present = [s for s in STATE_ORDER if s in set(data["state"])]
    data["state_label"] = data["state"].map(lambda s: state_labels.get(s, s))
    data["state_rank"] = data["state"].map(STATE_ORDER.index)
    enc = {
        "y": alt.Y(f"{by}:N", title=by_title, sort=None, axis=alt.Axis(labelLimit=320)),
        "x": alt.X("milestones_count:Q", title=count_title, stack="zero", axis=alt.Axis(format=",.0f", tickMinStep=1)),
        "color": alt.Color("state_label:N", title=state_title,
                           scale=alt.Scale(domain=[state_labels.get(s, s) for s in present],
                                           range=[STATE_COLOURS[s] for s in present])),
        "order": alt.Order("state_rank:Q"),
        "tooltip": [alt.Tooltip(f"{by}:N", title=by_title), alt.Tooltip("state_label:N", title=state_title),
                    alt.Tooltip("milestones_count:Q", title=count_title, format=",.0f")],
    }
    h = max(120, 30 * data[by].nunique())
    return _configure(alt.Chart(data).mark_bar().encode(**enc).properties(title=title, height=h, width="container"),
                      lang)


def burnup_chart(df: pd.DataFrame, *, title: str, x_title: str, y_title: str, series_title: str,
                 series_labels: dict[str, str], lang: str) -> alt.Chart:
    """Cumulative planned against completed milestones (columns month, series, milestones_count)."""
    data = df.copy()
    data["series_label"] = data["series"].map(lambda s: series_labels.get(s, s))
    domain = [series_labels["planned"], series_labels["completed"]]
    enc = {
        "x": alt.X("month:T", title=x_title, axis=alt.Axis(format="%Y", labelAngle=0, tickCount=8)),
        "y": alt.Y("milestones_count:Q", title=y_title, axis=alt.Axis(format=",.0f", tickMinStep=1)),
        "color": alt.Color("series_label:N", title=series_title,
                           scale=alt.Scale(domain=domain, range=[PALETTE[0], STATE_COLOURS["complete"]])),
        "strokeDash": alt.StrokeDash("series_label:N", title=series_title,
                                     scale=alt.Scale(domain=domain, range=[[6, 3], [1, 0]])),
        "tooltip": [alt.Tooltip("series_label:N", title=series_title),
                    alt.Tooltip("month:T", title=x_title, format="%Y-%m"),
                    alt.Tooltip("milestones_count:Q", title=y_title, format=",.0f")],
    }
    return _configure(alt.Chart(data).mark_line(interpolate="step-after", strokeWidth=2.5).encode(**enc)
                      .properties(title=title, height=260, width="container"), lang)


def challenges_chart(df: pd.DataFrame, by: str, *, title: str, by_title: str, count_title: str, code_title: str,
                     code_labels: dict[str, str], lang: str) -> alt.Chart:
    data = df.copy()
    data["code_label"] = data["code"].map(lambda c: code_labels.get(c, c))
    enc = {
        "y": alt.Y(f"{by}:N", title=by_title, axis=alt.Axis(labelLimit=320)),
        "x": alt.X("challenges_count:Q", title=count_title, stack="zero", axis=alt.Axis(format=",.0f", tickMinStep=1)),
        "color": alt.Color("code_label:N", title=code_title, scale=alt.Scale(range=PALETTE)),
        "tooltip": [alt.Tooltip(f"{by}:N", title=by_title), alt.Tooltip("code_label:N", title=code_title),
                    alt.Tooltip("challenges_count:Q", title=count_title, format=",.0f")],
    }
    h = max(120, 30 * data[by].nunique())
    return _configure(alt.Chart(data).mark_bar().encode(**enc).properties(title=title, height=h, width="container"),
                      lang)


# --------------------------------------------------------------------------- page blocks (page and export)
# pages/action_plans.py and `python -m opengov export chart action_plans ...` call the same functions
# (tidy frames from opengov.queries.plans + `lang` in; chart, alt text, data table out), so they cannot drift.
DEFAULT_PLAN = "CSIS-PMOGO"
GROUPINGS: tuple[str, ...] = ("year_index", "reference", "commitment_code")


def state_labels(lang: str) -> dict[str, str]:
    from opengov.i18n import t
    from opengov.status import CANONICAL

    return {s: t(f"status.{s}", lang) for s in (*CANONICAL, "not_reported")}


def default_plan(plans: pd.DataFrame) -> str:
    """The plan the page opens on: the CSIS plan when present, else the first."""
    ids = plans["id"].tolist()
    return DEFAULT_PLAN if DEFAULT_PLAN in ids else ids[0]


def prepare_milestones(ms: pd.DataFrame, ind: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A plan's milestones with deadline windows, displayed `state` and `title` in `lang` (else the other
    language, else the code)."""
    from metrics.milestones import deadline_windows, display_state

    other = "fr" if lang == "en" else "en"
    out = deadline_windows(ms, ind)
    out["state"] = display_state(out)
    out["title"] = out.apply(lambda r: str(r.get(f"title_{lang}") or r.get(f"title_{other}") or r.get("code") or ""),
                             axis=1)
    return out


def status_date(plan: pd.Series, ms: pd.DataFrame) -> pd.Timestamp:
    """The plan's status date, else the latest status date of its milestones, else NaT."""
    reported = ms["status"].notna()
    if pd.notna(plan["status_as_of"]):
        return plan["status_as_of"]
    return ms.loc[reported, "status_as_of"].max() if reported.any() else pd.NaT


def _year_start(label: str) -> pd.Timestamp:
    from opengov.imports.milestones import year_window

    start, _ = year_window(label)
    return pd.Timestamp(start) if start else pd.NaT


def timeline_frame(slip: pd.DataFrame, plan: pd.Series) -> pd.DataFrame:
    """metrics.milestones.slippage(...) plus the bars of the timeline: bar_start (start, else planned
    start, else the start of its plan year, else the plan's start), bar_end (planned end) and label."""
    tl = slip.copy()
    plan_start = plan["period_start"] if pd.notna(plan["period_start"]) else pd.NaT
    tl["year_start"] = tl["year_label_fr"].map(lambda s: _year_start(s) if s else pd.NaT)
    tl["bar_start"] = pd.to_datetime(tl["start_date"]).fillna(pd.to_datetime(tl["planned_start"])).fillna(
        pd.to_datetime(tl["year_start"])).fillna(pd.Timestamp(plan_start) if pd.notna(plan_start) else pd.NaT)
    tl["bar_end"] = pd.to_datetime(tl["planned_end"])
    tl["label"] = tl.apply(lambda r: f"{r['code']}" + (f" · {r['reference']}" if r["reference"] and
                                                       r["reference"] not in r["code"] else ""), axis=1)
    return tl


def milestone_timeline(tl: pd.DataFrame, lang: str, *, title: str, today: dt.date,
                       ref: pd.Timestamp) -> tuple[go.Figure, str, pd.DataFrame]:
    """The Gantt timeline (Plotly) of `tl` (from `timeline_frame`, with at least one dated milestone):
    (figure, alt text, data table)."""
    from opengov.i18n import fmt_date, fmt_int, t

    labels = state_labels(lang)

    def hover(r: pd.Series) -> str:
        lines = [f"<b>{r['code']}</b> {r['title'][:90]}", f"{labels[r['state']]}"]
        if pd.notna(r["planned_end"]):
            lines.append(t("plans.hover.planned", lang, start=fmt_date(r["bar_start"], lang),
                           end=fmt_date(r["planned_end"], lang)))
        if r.get("deadline_text") and r["deadline_kind"] != "dates":
            lines.append(t("plans.hover.deadline", lang, text=r["deadline_text"]))
        if pd.notna(r.get("actual_end_date")):
            lines.append(t("plans.hover.actual", lang, date=fmt_date(r["actual_end_date"], lang)))
        if r["slip_flag"] in ("overdue", "late_complete"):
            lines.append(t(f"plans.slip.{r['slip_flag']}", lang, n=fmt_int(r["slip_days"], lang)))
        return "<br>".join(lines)

    tl = tl.copy()
    tl["hover"] = tl.apply(hover, axis=1)
    dated = tl.dropna(subset=["bar_end"])
    fig = gantt(tl, labels={"today": t("plans.today", lang, date=fmt_date(today, lang)),
                            "ref_date": t("plans.ref_line", lang, date=fmt_date(ref, lang)),
                            "late_marker": t("plans.late_marker", lang), "axis_time": t("plans.axis.time", lang)},
                state_labels=labels, lang=lang, today=today, ref_date=ref.date(), title=title)
    alt_text = t("plans.timeline.alt", lang, n=fmt_int(len(dated), lang),
                 start=fmt_date(dated["bar_start"].min(), lang), end=fmt_date(dated["bar_end"].max(), lang),
                 late=fmt_int(int(tl["slip_flag"].isin(["overdue", "late_complete"]).sum()), lang))
    table = pd.DataFrame({
        t("plans.col.code", lang): tl["code"], t("plans.col.milestone", lang): tl["title"],
        t("plans.col.status", lang): tl["state"].map(labels),
        t("plans.col.start", lang): tl["bar_start"].map(lambda d: fmt_date(d, lang) if pd.notna(d) else "–"),
        t("plans.col.planned_end", lang): tl["planned_end"].map(lambda d: fmt_date(d, lang) if pd.notna(d) else "–"),
        t("plans.col.deadline_text", lang): tl["deadline_text"].where(tl["deadline_text"] != "", tl["end_text"]),
        t("plans.col.deadline_read", lang): tl["deadline_kind"].map(lambda k: t(f"deadline.kind.{k}", lang)),
        t("plans.col.actual_end", lang): tl["actual_end_date"].map(lambda d: fmt_date(d, lang) if pd.notna(d) else "–"),
        t("plans.col.slippage", lang): tl.apply(lambda r: t(f"plans.slip.{r['slip_flag']}", lang,
                                                           n=fmt_int(r["slip_days"], lang)), axis=1),
    })
    return fig, alt_text, table


def progress_groupings(ms: pd.DataFrame) -> list[str]:
    """The groupings the plan's milestones can be shown by (the first is the page's default)."""
    return [g for g in GROUPINGS if g in ms and ms[g].notna().any() and (ms[g].astype(str) != "").any()]


def progress_by_group(ms: pd.DataFrame, by: str, lang: str) -> tuple[alt.Chart, str, pd.DataFrame]:
    """Milestones by `by` (year, reference or commitment) and state, stacked bars."""
    from metrics.milestones import progress_by
    from opengov.i18n import fmt_int, t

    labels = state_labels(lang)
    frame = ms.copy()
    if by == "year_index":
        frame["year_index"] = frame["year_index"].map(
            lambda v: t("plans.year.multi", lang) if v == 0 else t("plans.year.n", lang, n=int(v)) if pd.notna(v) else "–")
    pb = progress_by(frame, by)
    chart = progress_bars(pb, by, title=t("plans.progress.title", lang, by=t(f"plans.by.{by}", lang).lower()),
                          by_title=t(f"plans.by.{by}", lang), count_title=t("plans.axis.milestones", lang),
                          state_title=t("plans.col.status", lang), state_labels=labels, lang=lang)
    table = pb.assign(state=pb["state"].map(labels)).rename(columns={
        by: t(f"plans.by.{by}", lang), "state": t("plans.col.status", lang),
        "milestones_count": t("plans.axis.milestones", lang)})
    alt_text = t("plans.progress.alt", lang, groups=fmt_int(pb[by].nunique(), lang), n=fmt_int(len(ms), lang))
    return chart, alt_text, table


def burnup_frame(ms: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    """Cumulative planned and completed milestones by month (empty when nothing is dated)."""
    from metrics.milestones import burnup, completion_dates

    return burnup(ms, completion_dates(ms, hist))


def milestone_burnup(bu: pd.DataFrame, lang: str) -> tuple[alt.Chart, str, pd.DataFrame]:
    """The burn-up chart of `bu` (from `burnup_frame`, not empty)."""
    from opengov.i18n import fmt_int, t

    series_labels = {"planned": t("plans.burnup.planned", lang), "completed": t("plans.burnup.completed", lang)}
    chart = burnup_chart(bu, title=t("plans.burnup.title", lang), x_title=t("axis.month", lang),
                         y_title=t("plans.axis.cumulative", lang), series_title=t("plans.burnup.series", lang),
                         series_labels=series_labels, lang=lang)
    last = bu.groupby("series")["milestones_count"].max()
    wide = bu.pivot(index="month", columns="series", values="milestones_count").reset_index()
    table = pd.DataFrame({t("axis.month", lang): wide["month"].dt.strftime("%Y-%m"),
                          series_labels["planned"]: wide.get("planned"),
                          series_labels["completed"]: wide.get("completed")})
    alt_text = t("plans.burnup.alt", lang, planned=fmt_int(last.get("planned", 0), lang),
                 completed=fmt_int(last.get("completed", 0), lang))
    return chart, alt_text, table


# --------------------------------------------------------------------------- export (no Streamlit)
def _default_plan_frames(lang: str, url: str | None) -> tuple[pd.Series, pd.DataFrame, str]:
    """The page's default plan (CSIS-PMOGO), its prepared milestones and its title in `lang`."""
    from opengov.queries import plans as q

    plans = q.plans(url)
    if plans.empty:
        raise LookupError("no action plan in the store")
    plan_id = default_plan(plans)
    plan = plans.set_index("id").loc[plan_id]
    ms = prepare_milestones(q.milestones(plan_id, url), q.indicators(plan_id, url), lang)
    return plan, ms, str(plan[f"title_{lang}"] or plan_id)


def _export_timeline(lang: str, url: str | None):
    from metrics.milestones import slippage
    from opengov.i18n import t

    plan, ms, title = _default_plan_frames(lang, url)
    today = dt.date.today()
    sd = status_date(plan, ms)
    ref = pd.Timestamp(sd) if pd.notna(sd) else pd.Timestamp(today)  # the page's default reference date
    tl = timeline_frame(slippage(ms, ref), plan)
    return milestone_timeline(tl, lang, title=t("plans.timeline.title", lang, plan=title), today=today, ref=ref)


def _export_progress(lang: str, url: str | None):
    _, ms, _ = _default_plan_frames(lang, url)
    groupings = progress_groupings(ms)
    if not groupings:
        raise LookupError("the default plan's milestones have no year, reference or commitment")
    return progress_by_group(ms, groupings[0], lang)


def _export_burnup(lang: str, url: str | None):
    from opengov.queries import plans as q

    plan, ms, _ = _default_plan_frames(lang, url)
    return milestone_burnup(burnup_frame(ms, q.status_history(plan.name, url)), lang)


#: Charts exportable by `python -m opengov export chart action_plans <name>` (see opengov/chart_registry.py).
EXPORTS = {
    ("action_plans", "progress"): _export_progress,
    ("action_plans", "burnup"): _export_burnup,
    ("action_plans", "timeline"): _export_timeline,
}
