"""Action plans: each plan's reported progress and its coverage, what is late or at risk today, the status
history with its evidence, the independent IRM rating beside the government's own status, audited
status records and imports. Plan, reference date, at-risk window and filters are kept in the URL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from opengov.cache import url as store_url
from opengov.charts.plain import escape_markdown
from opengov.features.plans import data, progress
from opengov.features.plans import figures as charts_plans
from opengov.i18n import fmt_date, fmt_int, t, tn
from opengov.ui.auth import current_actor
from opengov.ui.blocks import UrlState, grid, kpi, section_tabs, show, source_chip
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
db = store_url()
URL = UrlState()  # the progress grouping and the challenges' dimension (the other choices: below)
TODAY = dt.date.today()
state_labels = charts_plans.state_labels(lang)
STATE_ORDER = charts_plans.STATE_ORDER

st.title(t("page.plans.title", lang))
st.markdown(t("plans.intro", lang))

plans = data.plans(url=db)
if plans.empty:
    st.info(t("plans.no_plans", lang))
    st.stop()

# ---------------------------------------------------------------- URL state (read once per session)
order = data.plan_order(url=db)
standings = {s.plan_id: s for s in data.standings(TODAY, url=db)}
default_plan = progress.default_plan(list(standings.values()))
if "plans_plan" not in st.session_state:
    qp = st.query_params
    st.session_state["plans_plan"] = qp.get("plan") if qp.get("plan") in order else default_plan
    st.session_state["plans_ref"] = "status_date" if qp.get("ref") == "status_date" else "today"
    try:
        st.session_state["plans_risk_days"] = min(max(int(qp.get("risk", "90")), 1), 730)
    except ValueError:
        st.session_state["plans_risk_days"] = 90
    wanted = [s for s in qp.get_all("status") if s in (*STATE_ORDER, "not_reported")]
    st.session_state["plans_status_filter"] = wanted

titles = dict(zip(plans["id"], plans[f"title_{lang}"], strict=True))
plan_id = st.selectbox(
    t("plans.select", lang), order, key="plans_plan", format_func=lambda p: titles.get(p) or p
)  # titles only: the codes (NAP4 ...) are English
plan = plans.set_index("id").loc[plan_id]
view = data.plan_view(plan_id, url=db)
unit = view.unit
cov = view.coverage
obs = data.observations(plan_id, url=db)


def unit_words(n: int) -> str:
    return tn(f"plans.unit.{unit}", n, lang)


def period_text(p: str) -> str:
    return charts_plans.period_text(p, lang)


# ---------------------------------------------------------------- coverage: what is reported, and as of when
if cov.none_reported:
    st.info(t(f"plans.coverage.none.{unit}", lang, n=fmt_int(cov.total, lang)))
else:
    msg = t(
        "plans.coverage" if cov.known_total else "plans.coverage.total_unknown",
        lang,
        reported=fmt_int(cov.reported, lang),
        total=fmt_int(cov.total, lang),
        units=charts_plans.count_units(unit, cov.reported, cov.total, lang),
        period=escape_markdown(period_text(cov.latest_period)),
    )
    if cov.reported < cov.total or not cov.known_total:
        msg += " " + t("plans.coverage.partial", lang)
    st.markdown(msg)
sources_used = [titles.get(plan_id) or plan_id]
if not obs.empty and obs["source_id"].notna().any():
    sources_used.append(str(obs.loc[obs["source_id"].notna(), f"source_title_{lang}"].iloc[0]))
status_date = charts_plans.status_date(plan, view.items)
source_chip(lang, " · ".join(sources_used), status_date if pd.notna(status_date) else None)

# ---------------------------------------------------------------- reference date and at-risk window
c1, c2 = st.columns(2)
with c1:
    ref_options = ["today"] + (["status_date"] if pd.notna(status_date) else [])
    if st.session_state.get("plans_ref") not in ref_options:
        st.session_state["plans_ref"] = "today"
    ref_choice = st.radio(
        t("plans.ref_date", lang),
        ref_options,
        key="plans_ref",
        horizontal=True,
        format_func=lambda v: t(
            f"plans.ref_date.{v}", lang, date=fmt_date(status_date if v == "status_date" else TODAY, lang)
        ),
        help=t("plans.ref_date.help", lang),
    )
with c2:
    risk_days = st.number_input(
        t("plans.risk_days", lang),
        min_value=1,
        max_value=730,
        step=15,
        key="plans_risk_days",
        help=t("plans.risk_days.help", lang),
    )
ref = pd.Timestamp(status_date) if ref_choice == "status_date" else pd.Timestamp(TODAY)
state = data.plan_state(plan_id, lang, ref, int(risk_days), url=db)
items, overdue, risk = state.items, state.overdue, state.at_risk

# ---------------------------------------------------------------- status counters (they filter the lists)
st.header(t("plans.summary", lang))
counts = items["state"].value_counts()
present = [s for s in (*STATE_ORDER, "not_reported") if counts.get(s, 0)]
k1, k2, k3 = st.columns(3)
with k1:
    kpi(
        t("plans.kpi.reported", lang),
        fmt_int(cov.reported, lang),
        delta=t("kpi.of_total", lang, total=fmt_int(cov.total, lang)),
        delta_color="off",
        delta_arrow="off",
        help=t("plans.kpi.reported.help", lang, units=unit_words(2)),
    )
with k2:
    kpi(
        t("plans.kpi.overdue", lang),
        fmt_int(len(overdue), lang),
        help=t("plans.kpi.overdue.help", lang, date=fmt_date(ref, lang)),
    )
with k3:
    kpi(
        t("plans.kpi.at_risk", lang),
        fmt_int(len(risk), lang),
        help=t("plans.at_risk.def", lang, n=fmt_int(risk_days, lang), date=fmt_date(ref, lang)),
    )
st.session_state["plans_status_filter"] = [s for s in st.session_state.get("plans_status_filter", []) if s in present]
picked = st.pills(
    t("plans.filter.status", lang),
    present,
    selection_mode="multi",
    key="plans_status_filter",
    format_func=lambda s: f"{state_labels[s]} ({fmt_int(int(counts[s]), lang)})",
    help=t("plans.filter.status.help", lang),
)
shown = items[items["state"].isin(picked)] if picked else items

# ---------------------------------------------------------------- sections (only the open one is drawn)
SECTIONS = ("list", "deadlines", "groups", "edit")
tabs, section = section_tabs(
    {s: t(f"plans.tab.{s}", lang) for s in SECTIONS}, lang=lang, key="plans_section", param="section"
)


if section == "list":
    with tabs["list"]:
        # ---------------------------------------------------------------- the list: latest status, or the full history
        URL.seed("plans_view", ["latest", "history"], "latest", param="view")
        view_mode = st.radio(
            t("plans.view", lang),
            ["latest", "history"],
            index=URL.index("plans_view", ["latest", "history"]),
            key="plans_view",
            horizontal=True,
            format_func=lambda v: t(f"plans.view.{v}", lang),
            disabled=unit == "commitment" and obs.empty,
        )
        other = "fr" if lang == "en" else "en"

        if view_mode == "latest" or unit == "commitment":
            grid(state.table.loc[shown.index], hide_index=True, key="plans_items")
            if not items.empty and not items[f"title_{lang}"].astype(bool).any():  # named, not hidden
                st.caption(t("plans.titles_other_language", lang))
        else:
            hist = progress.history(obs)
            if unit == "indicator":
                hist = hist[hist["indicator_code"].isin(shown["code"])]
            else:
                hist = hist[hist["milestone_code"].isin(shown["code"])]
            if hist.empty:
                st.info(t("plans.history.empty", lang))
            else:

                def _who(r: pd.Series) -> str:
                    if pd.notna(r["source_id"]):
                        return str(r[f"source_title_{lang}"])
                    if r["import_file"]:
                        return t("plans.history.imported", lang, file=r["import_file"], who=r["imported_by"])
                    return t("plans.history.recorded", lang, who=r["imported_by"])

                grid(
                    pd.DataFrame(
                        {
                            t("plans.col.code", lang): hist["indicator_code"].where(
                                hist["indicator_code"] != "", hist["milestone_code"]
                            ),
                            t("plans.col.period", lang): hist["reporting_period"].map(period_text),
                            t("plans.col.status", lang): hist["status"].map(
                                lambda s: (
                                    state_labels.get(s, s) if isinstance(s, str) and s else state_labels["not_reported"]
                                )
                            ),
                            t("plans.col.evidence", lang): hist[f"evidence_{lang}"].where(
                                hist[f"evidence_{lang}"] != "", hist[f"evidence_{other}"]
                            ),
                            t("plans.col.source", lang): hist.apply(_who, axis=1),
                            t("plans.col.when", lang): hist["imported_at"].dt.strftime("%Y-%m-%d %H:%M"),
                            t("plans.col.link", lang): hist["source_url"].where(hist["source_url"] != "", None),
                        }
                    ),
                    hide_index=True,
                    key="plans_history_table",
                    column_config={
                        t("plans.col.link", lang): st.column_config.LinkColumn(
                            display_text=t("plans.col.link.open", lang)
                        )
                    },
                )
                st.caption(t("plans.history.note", lang))
                if not hist[f"evidence_{lang}"].astype(bool).any() and hist[f"evidence_{other}"].astype(bool).any():
                    st.caption(t("plans.evidence_other_language", lang))

        # ---------------------------------------------------------------- self-reported beside independent (IRM)
        if not state.irm.empty:
            st.header(t("plans.irm", lang))
            st.markdown(t("plans.irm.intro", lang))
            grid(
                state.irm,
                hide_index=True,
                key="plans_irm_table",
                column_config={
                    t("plans.col.link", lang): st.column_config.LinkColumn(display_text=t("plans.col.link.open", lang))
                },
            )
            source_chip(lang, t("plans.irm.source", lang), None)


if section == "deadlines":
    with tabs["deadlines"]:
        # ---------------------------------------------------------------- timeline
        st.header(t("plans.timeline", lang))
        timeline = data.timeline_figure(plan_id, ref, TODAY, lang, url=db)
        if timeline is None:
            st.info(t("plans.timeline.empty", lang))
        else:
            if timeline.undated:
                st.caption(tn("plans.timeline.undated", timeline.undated, lang))
            if unit == "indicator":
                st.caption(t("plans.timeline.rollup", lang))
            # the chart, its text alternative, data table, source and downloads (PNG/SVG/PDF drawn without a browser)
            show(timeline.figure, lang=lang, key="plans_gantt", filters={"plan": plan_id})

        # -------------------------------------------------------- overdue and at risk (judged at the reference date)

        def _list_table(df: pd.DataFrame, extra: str, extra_col: str) -> pd.DataFrame:
            return pd.DataFrame(
                {
                    t("plans.col.code", lang): df["code"],
                    t(f"plans.unit.{unit}.title", lang): df["title"],
                    t("plans.col.lead", lang): df[f"lead_{lang}"],
                    t("plans.col.planned_end", lang): df["planned_end"].map(lambda d: fmt_date(d, lang)),
                    t("plans.col.status", lang): df["state"].map(state_labels),
                    t("plans.col.period", lang): df["status_period"].map(lambda p: period_text(str(p)) if p else "–"),
                    t(extra, lang): df[extra_col].map(lambda v: fmt_int(v, lang)),
                }
            )

        st.header(t("plans.overdue", lang))
        st.caption(t("plans.overdue.def", lang, date=fmt_date(ref, lang)))
        unrep = state.past_due_unreported
        if overdue.empty:
            if cov.none_reported:
                st.info(t("plans.overdue.cannot", lang, units=unit_words(1)))
            else:
                st.info(t("plans.overdue.none", lang, date=fmt_date(ref, lang), units=unit_words(2)))
        else:
            grid(_list_table(overdue, "plans.col.days_overdue", "days_overdue"), hide_index=True, key="plans_overdue")
        if unrep:
            st.caption(t("plans.overdue.unreported", lang, n=fmt_int(unrep, lang), units=unit_words(unrep)))

        st.header(t("plans.at_risk", lang))
        st.caption(t("plans.at_risk.def", lang, n=fmt_int(risk_days, lang), date=fmt_date(ref, lang)))
        if risk.empty:
            st.info(
                t("plans.at_risk.none", lang, n=fmt_int(risk_days, lang), date=fmt_date(ref, lang), units=unit_words(2))
            )
        else:
            grid(_list_table(risk, "plans.col.days_left", "days_left"), hide_index=True, key="plans_at_risk")


if section == "groups":
    with tabs["groups"]:
        # ---------------------------------------------------------------- progress by group
        groupings = (
            charts_plans.progress_groupings(items)
            if unit == "milestone"
            else ["commitment_code"]
            if unit == "indicator"
            else []
        )
        if groupings and not cov.none_reported:
            st.header(t("plans.progress", lang))
            if len(groupings) > 1:
                URL.seed("plans_progress_by", groupings, groupings[0], param="by")
            by = (
                st.radio(
                    t("plans.progress.by", lang),
                    groupings,
                    index=URL.index("plans_progress_by", groupings),
                    key="plans_progress_by",
                    horizontal=True,
                    format_func=lambda g: t(f"plans.by.{g}", lang),
                )
                if len(groupings) > 1
                else groupings[0]
            )
            show(data.progress_figure(plan_id, by, lang, url=db), lang=lang, key="plans_progress")

        # ---------------------------------------------------------------- burn-up (plans reported per milestone)
        if unit == "milestone":
            st.header(t("plans.burnup", lang))
            burnup = data.burnup_figure(plan_id, lang, url=db)
            if burnup is None:
                st.info(t("plans.burnup.empty", lang))
            else:
                show(burnup, lang=lang, key="plans_burnup")

        # ---------------------------------------------------------------- challenges
        ch = data.challenges(plan_id, url=db)
        if not ch.empty:
            st.header(t("plans.challenges", lang))
            dims = list(charts_plans.CHALLENGE_DIMENSIONS)
            URL.seed("plans_challenges_by", dims, dims[0], param="challenges")
            dim = st.radio(
                t("plans.challenges.by", lang),
                dims,
                index=URL.index("plans_challenges_by", dims),
                key="plans_challenges_by",
                horizontal=True,
                format_func=lambda d: t(f"plans.by.{d}", lang),
            )
            show(charts_plans.challenges_by(ch, dim, lang), lang=lang, key="plans_challenges")


# ---------------------------------------------------------------- URL: the view this page shows
st.query_params["plan"] = plan_id
for param, value, default in (
    ("ref", ref_choice, "today"),
    ("risk", str(int(risk_days)), "90"),
):
    if value == default:
        st.query_params.pop(param, None)
    else:
        st.query_params[param] = value
if picked:
    st.query_params["status"] = list(picked)
else:
    st.query_params.pop("status", None)
URL.write()

if section == "edit":
    with tabs["edit"]:
        # -------------------------------------------------------- editing (editors only; checked again on the server)
        actor = current_actor()
        can_edit = actor is not None and actor.can("editor")
        if unit == "indicator":
            from opengov.features.plans.forms import record_status_form

            st.header(t("plans.record", lang))
            if not can_edit:
                st.caption(t("plans.edit.sign_in", lang))
            else:
                record_status_form(db, lang, plan_id, items, state_labels)
        elif unit == "milestone":
            from opengov.features.plans.forms import milestone_form

            st.header(t("plans.edit", lang))
            if not can_edit:
                st.caption(t("plans.edit.sign_in", lang))
            else:
                milestone_form(db, lang, items, state_labels)

        # -------------------------------------------------------- import (editors only; checked again on the server)
        if can_edit:
            from opengov.features.plans.forms import import_form

            st.header(t("plans.import", lang))
            import_form(db, lang, plan_id, state_labels, TODAY)

        # ---------------------------------------------------------------- audit trail
        st.header(t("plans.audit", lang))
        audit = data.audit_trail(plan_id, url=db)
        if audit.empty:
            st.caption(t("plans.audit.empty", lang))
        else:
            grid(
                pd.DataFrame(
                    {
                        t("plans.col.when", lang): audit["at"].dt.strftime("%Y-%m-%d %H:%M"),
                        t("plans.col.by", lang): audit["actor"],
                        t("plans.col.code", lang): audit["code"],
                        t("plans.col.field", lang): audit["field"],
                        t("plans.col.old", lang): audit["old_value"],
                        t("plans.col.new", lang): audit["new_value"],
                        t("plans.col.note", lang): audit["note"],
                    }
                ),
                hide_index=True,
                key="plans_audit_table",
            )
