"""Action plans: progress of every plan at a glance, what is late or at risk, audited editing and imports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from metrics.milestones import (
    at_risk_list,
    overdue_list,
    past_due_unreported,
)
from opengov.auth import AuthError
from opengov.cache import url as store_url
from opengov.editing import EditConflict
from opengov.features.plans import data, edits
from opengov.features.plans import figures as charts_plans
from opengov.features.plans.imports import ImportRejected, parse_file
from opengov.i18n import fmt_date, fmt_int, t, tn
from opengov.ingest.status import CANONICAL
from opengov.ui.auth import current_actor
from opengov.ui.blocks import data_table, kpi, show, source_chip
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
db = store_url()
TODAY = dt.date.today()
state_labels = charts_plans.state_labels(lang)

st.title(t("page.plans.title", lang))
st.markdown(t("plans.intro", lang))

# ---------------------------------------------------------------- plan and reference date
plans = data.plans(url=db)
if plans.empty:
    st.info(t("plans.no_plans", lang))
    st.stop()
plan_ids = plans["id"].tolist()
titles = dict(zip(plans["id"], plans[f"title_{lang}"], strict=True))
default = plan_ids.index(charts_plans.default_plan(plans))
plan_id = st.selectbox(
    t("plans.select", lang), plan_ids, index=default, key="plans_plan", format_func=lambda p: titles.get(p) or p
)  # the title only: the codes (NAP4 ...) are English
plan = plans.set_index("id").loc[plan_id]

ms = charts_plans.prepare_milestones(data.milestones(plan_id, url=db), data.indicators(plan_id, url=db), lang)
hist = data.status_history(plan_id, url=db)
reported = ms["status"].notna()
status_date = charts_plans.status_date(plan, ms)

c1, c2 = st.columns(2)
with c1:
    ref_options = (["status_date"] if pd.notna(status_date) else []) + ["today"]
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
        value=90,
        step=15,
        key="plans_risk_days",
        help=t("plans.risk_days.help", lang),
    )
ref = pd.Timestamp(status_date) if ref_choice == "status_date" else pd.Timestamp(TODAY)

if reported.any():
    st.caption(t("plans.status_as_of", lang, date=fmt_date(status_date, lang)))
else:
    st.info(t("plans.not_reported_note", lang))
source_chip(
    lang,
    t(
        "plans.source.csis"
        if plan_id == "CSIS-PMOGO"
        else "plans.source.nap"
        if plan["kind"] == "national"
        else "plans.source.imported",
        lang,
    ),
    status_date if pd.notna(status_date) else None,
)

# ---------------------------------------------------------------- status summary
st.header(t("plans.summary", lang))
overdue = overdue_list(ms, ref)
counts = ms["state"].value_counts()
KPI_ORDER = (
    "complete",
    "substantial",
    "on_track",
    "in_progress",
    "limited",
    "delayed",
    "not_started",
    "withdrawn",
    "not_reported",
)
shown = [s for s in KPI_ORDER if counts.get(s, 0)]
cols = st.columns(max(len(shown) + 1, 4))
for col, s in zip(cols, shown, strict=False):  # one column more than the states: the overdue count
    with col:
        kpi(
            state_labels[s],
            fmt_int(counts[s], lang),
            delta=t("kpi.of_total", lang, total=fmt_int(len(ms), lang)),
            delta_color="off",
            delta_arrow="off",
        )
with cols[len(shown)]:
    kpi(
        t("plans.kpi.overdue", lang),
        fmt_int(len(overdue), lang),
        help=t("plans.kpi.overdue.help", lang, date=fmt_date(ref, lang)),
    )
summary = (
    ms.groupby("state")
    .agg(
        milestones_count=("id", "size"), terms=("status_source_term", lambda s: ", ".join(sorted({x for x in s if x})))
    )
    .reindex([s for s in KPI_ORDER if s in counts.index])
    .reset_index()
)
summary_table = pd.DataFrame(
    {
        t("plans.col.status", lang): summary["state"].map(state_labels),
        t("plans.col.count", lang): summary["milestones_count"].map(lambda v: fmt_int(v, lang)),
        t("plans.col.source_terms", lang): summary["terms"],
    }
)
st.dataframe(summary_table, hide_index=True, key="plans_summary_table")

# ---------------------------------------------------------------- timeline
st.header(t("plans.timeline", lang))
timeline = data.timeline_figure(plan_id, ref, TODAY, lang, url=db)
if timeline is None:
    st.info(t("plans.timeline.empty", lang))
else:
    # drawn as it always was (no source line or downloads of its own: the plan's source chip is above)
    st.plotly_chart(timeline.figure.chart, key="plans_gantt", config={"displaylogo": False, "locale": lang})
    st.caption(timeline.figure.alt_text)
    if timeline.undated:
        st.caption(tn("plans.timeline.undated", timeline.undated, lang))
    data_table(lang, "plans_gantt", timeline.figure.table)

# ---------------------------------------------------------------- overdue and at risk


def _list_table(df: pd.DataFrame, extra: str, extra_col: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("plans.col.code", lang): df["code"],
            t("plans.col.reference", lang): df["reference"],
            t("plans.col.milestone", lang): df["title"],
            t("plans.col.planned_end", lang): df["planned_end"].map(lambda d: fmt_date(d, lang)),
            t("plans.col.status", lang): df["state"].map(state_labels),
            t(extra, lang): df[extra_col].map(lambda v: fmt_int(v, lang)),
        }
    )


st.header(t("plans.overdue", lang))
st.caption(t("plans.overdue.def", lang, date=fmt_date(ref, lang)))
if overdue.empty:
    st.success(t("plans.overdue.none", lang, date=fmt_date(ref, lang)))
else:
    st.dataframe(_list_table(overdue, "plans.col.days_overdue", "days_overdue"), hide_index=True, key="plans_overdue")
unrep = past_due_unreported(ms, ref)
if unrep:
    st.caption(t("plans.overdue.unreported", lang, n=fmt_int(unrep, lang)))

st.header(t("plans.at_risk", lang))
risk = at_risk_list(ms, ref, int(risk_days))
st.caption(t("plans.at_risk.def", lang, n=fmt_int(risk_days, lang), date=fmt_date(ref, lang)))
if risk.empty:
    st.success(t("plans.at_risk.none", lang, n=fmt_int(risk_days, lang), date=fmt_date(ref, lang)))
else:
    st.dataframe(_list_table(risk, "plans.col.days_left", "days_left"), hide_index=True, key="plans_at_risk")

# ---------------------------------------------------------------- progress by year / reference / commitment
st.header(t("plans.progress", lang))
groupings = charts_plans.progress_groupings(ms)
if groupings:
    by = st.radio(
        t("plans.progress.by", lang),
        groupings,
        key="plans_progress_by",
        horizontal=True,
        format_func=lambda g: t(f"plans.by.{g}", lang),
    )
    show(charts_plans.progress_by_group(ms, by, lang, plan=plan), lang=lang, key="plans_progress")

# ---------------------------------------------------------------- burn-up
st.header(t("plans.burnup", lang))
bu = charts_plans.burnup_frame(ms, hist)
if bu.empty:
    st.info(t("plans.burnup.empty", lang))
else:
    show(charts_plans.milestone_burnup(bu, lang, plan=plan, ms=ms), lang=lang, key="plans_burnup")

# ---------------------------------------------------------------- status history
st.header(t("plans.history", lang))
if hist.empty:
    st.info(t("plans.history.empty", lang))
else:
    ids = ms["id"].tolist()
    labels = dict(zip(ms["id"], ms["code"] + " – " + ms["title"].str.slice(0, 70), strict=True))
    pick = st.selectbox(t("plans.history.pick", lang), ids, key="plans_history_ms", format_func=lambda i: labels[i])
    h = hist[hist["milestone_id"] == pick]
    st.dataframe(
        pd.DataFrame(
            {
                t("plans.col.as_of", lang): h["as_of"].map(lambda d: fmt_date(d, lang)),
                t("plans.col.status", lang): h["status"].map(lambda s: state_labels.get(s, s)),
                t("plans.col.by", lang): h["actor"].map(lambda a: t("plans.actor.seed", lang) if a == "seed" else a),
                t("plans.col.note", lang): h["note"],
            }
        ),
        hide_index=True,
        key="plans_history_table",
    )

# ---------------------------------------------------------------- challenges
st.header(t("plans.challenges", lang))
ch = data.challenges(plan_id, url=db)
if ch.empty:
    st.info(t("plans.challenges.empty", lang))
else:
    dim = st.radio(
        t("plans.challenges.by", lang),
        charts_plans.CHALLENGE_DIMENSIONS,
        key="plans_challenges_by",
        horizontal=True,
        format_func=lambda d: t(f"plans.by.{d}", lang),
    )
    show(charts_plans.challenges_by(ch, dim, lang), lang=lang, key="plans_challenges")

# ---------------------------------------------------------------- editing (editors only; checked again on the server)
actor = current_actor()
can_edit = actor is not None and actor.can("editor")
st.header(t("plans.edit", lang))
if not can_edit:
    st.caption(t("plans.edit.sign_in", lang))
else:
    ids = ms["id"].tolist()
    labels = dict(zip(ms["id"], ms["code"] + " – " + ms["title"].str.slice(0, 70), strict=True))
    mid = st.selectbox(t("plans.edit.pick", lang), ids, key="plans_edit_ms", format_func=lambda i: labels[i])
    base_key, conflict_key = f"plans_edit_base_{mid}", f"plans_edit_conflict_{mid}"
    if base_key not in st.session_state:
        st.session_state[base_key] = edits.load_milestone(db, int(mid))
    base = st.session_state[base_key]
    status_opts = ["", *CANONICAL]
    with st.form(f"plans_edit_form_{mid}"):
        f1, f2 = st.columns(2)
        with f1:
            new_status = st.selectbox(
                t("plans.edit.status", lang),
                status_opts,
                index=status_opts.index(base["status"] or ""),
                key=f"plans_edit_status_{mid}",
                format_func=lambda s: state_labels[s or "not_reported"],
            )
            new_start = st.date_input(
                t("plans.edit.start", lang),
                value=base["start_date"],
                key=f"plans_edit_start_{mid}",
                min_value=dt.date(2000, 1, 1),
                max_value=dt.date(2100, 12, 31),
                format="YYYY-MM-DD",
            )
            new_end = st.date_input(
                t("plans.edit.end", lang),
                value=base["end_date"],
                key=f"plans_edit_end_{mid}",
                min_value=dt.date(2000, 1, 1),
                max_value=dt.date(2100, 12, 31),
                format="YYYY-MM-DD",
            )
        with f2:
            new_actual = st.date_input(
                t("plans.edit.actual_end", lang),
                value=base["actual_end_date"],
                key=f"plans_edit_actual_{mid}",
                min_value=dt.date(2000, 1, 1),
                max_value=dt.date(2100, 12, 31),
                format="YYYY-MM-DD",
            )
            new_notes = st.text_area(
                t("plans.edit.notes", lang), value=base["notes"] or "", key=f"plans_edit_notes_{mid}"
            )
            reason = st.text_input(t("plans.edit.reason", lang), key=f"plans_edit_reason_{mid}")
        submitted = st.form_submit_button(t("plans.edit.save", lang), type="primary")
    typed = {
        "status": new_status or None,
        "start_date": new_start,
        "end_date": new_end,
        "actual_end_date": new_actual,
        "notes": new_notes,
    }
    changes = {f: v for f, v in typed.items() if v != base[f]}

    def _save(version: int) -> None:
        try:
            edits.save_milestone(db, current_actor(), int(mid), version, changes, note=reason)
        except EditConflict as exc:
            st.session_state[conflict_key] = {
                "stored": exc.current_values,
                "mine": dict(changes),
                "version": exc.current_version,
            }
        except AuthError:
            st.error(t("plans.edit.forbidden", lang))
        else:
            st.session_state.pop(conflict_key, None)
            st.session_state.pop(base_key, None)
            st.session_state["plans_edit_flash"] = t("plans.edit.saved", lang, code=labels[mid].split(" – ")[0])
            st.rerun()

    if submitted:
        if not changes:
            st.info(t("plans.edit.no_change", lang))
        else:
            _save(int(base["version"]))
    flash = st.session_state.pop("plans_edit_flash", None)
    if flash:
        st.success(flash)
    conflict = st.session_state.get(conflict_key)
    if conflict:
        st.warning(t("plans.edit.conflict", lang))

        def _show(v: object) -> str:
            if v is None or v == "":
                return "–"
            if isinstance(v, dt.date):
                return fmt_date(v, lang)
            return state_labels.get(str(v), str(v))

        fields = [f for f in conflict["mine"] if f != "status_as_of"]
        st.dataframe(
            pd.DataFrame(
                {
                    t("plans.col.field", lang): [
                        t(f"plans.edit.{'actual_end' if f == 'actual_end_date' else f.replace('_date', '')}", lang)
                        for f in fields
                    ],
                    t("plans.edit.yours", lang): [_show(conflict["mine"][f]) for f in fields],
                    t("plans.edit.stored", lang): [_show(conflict["stored"].get(f)) for f in fields],
                }
            ),
            hide_index=True,
            key="plans_conflict_table",
        )
        b1, b2 = st.columns(2)
        with b1:
            if st.button(t("plans.edit.reapply", lang), key="plans_edit_reapply"):
                st.session_state[base_key] = edits.load_milestone(db, int(mid))
                changes = {f: v for f, v in conflict["mine"].items() if f != "status_as_of"}
                _save(int(st.session_state[base_key]["version"]))
        with b2:
            if st.button(t("plans.edit.discard", lang), key="plans_edit_discard"):
                for k in list(st.session_state):
                    if k.startswith("plans_edit_") and k.endswith(f"_{mid}"):
                        del st.session_state[k]
                st.rerun()

# ---------------------------------------------------------------- import (editors only; checked again on the server)
if can_edit:
    st.header(t("plans.import", lang))
    st.caption(t("plans.import.help", lang))
    i1, i2 = st.columns(2)
    with i1:
        target = st.text_input(t("plans.import.plan", lang), value=plan_id, key="plans_import_plan").strip()
    with i2:
        as_of = st.date_input(t("plans.import.as_of", lang), value=TODAY, key="plans_import_as_of", format="YYYY-MM-DD")
    up = st.file_uploader(t("plans.import.file", lang), type=["csv", "xlsx", "txt"], key="plans_import_file")
    if up is not None:
        parsed = parse_file(up.getvalue(), up.name, target or None)
        if parsed.errors:
            st.error(t("plans.import.errors", lang, n=fmt_int(len(parsed.errors), lang)))
            st.dataframe(
                pd.DataFrame(
                    {
                        t("plans.col.line", lang): [e.line for e in parsed.errors],
                        t("plans.col.reason", lang): [e.message(lang) for e in parsed.errors],
                    }
                ),
                hide_index=True,
                key="plans_import_errors",
            )
        else:
            st.write(
                t(
                    "plans.import.preview",
                    lang,
                    n=fmt_int(len(parsed.rows), lang),
                    layout=t(f"plans.import.layout.{parsed.layout}", lang),
                    headings=fmt_int(parsed.headings, lang),
                )
            )
            preview = pd.DataFrame(parsed.rows).drop(columns=["challenges"], errors="ignore")
            if "status" in preview:
                preview["status"] = preview["status"].map(lambda s: state_labels[s or "not_reported"])
            st.dataframe(preview.head(500).astype(str), hide_index=True, key="plans_import_preview")
            if st.button(t("plans.import.confirm", lang), key="plans_import_confirm", type="primary"):
                try:
                    res = edits.commit_import(db, current_actor(), parsed, status_as_of=as_of)
                except ImportRejected as exc:
                    st.error(t("plans.import.errors", lang, n=fmt_int(len(exc.errors), lang)))
                    st.dataframe(
                        pd.DataFrame(
                            {
                                t("plans.col.line", lang): [e.line for e in exc.errors],
                                t("plans.col.reason", lang): [e.message(lang) for e in exc.errors],
                            }
                        ),
                        hide_index=True,
                        key="plans_import_rejected",
                    )
                except AuthError:
                    st.error(t("plans.edit.forbidden", lang))
                else:
                    st.success(
                        t(
                            "plans.import.done",
                            lang,
                            plan=res.plan_id,
                            added=fmt_int(res.milestones_added, lang),
                            updated=fmt_int(res.milestones_updated, lang),
                            reports=fmt_int(res.reports, lang),
                            challenges=fmt_int(res.challenges, lang),
                        )
                    )

# ---------------------------------------------------------------- audit trail
st.header(t("plans.audit", lang))
audit = data.audit_trail(plan_id, url=db)
if audit.empty:
    st.caption(t("plans.audit.empty", lang))
else:
    st.dataframe(
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
