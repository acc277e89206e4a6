"""The plans page's forms (Streamlit): an editor records a status for a reporting period, edits a milestone,
imports a file. Every write goes through opengov.features.plans.edits (role checked on the server, optimistic
version, audit rows); nothing typed is lost on a conflict: the editor's values are kept beside the stored ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from opengov.auth import AuthError
from opengov.charts.plain import escape_markdown
from opengov.editing import EditConflict
from opengov.features.plans import edits
from opengov.features.plans.imports import ImportRejected, check_against_store, parse_file
from opengov.i18n import fmt_date, fmt_int, fmt_month, t
from opengov.ingest.status import CANONICAL
from opengov.ui import jobs
from opengov.ui.auth import current_actor
from opengov.ui.blocks import grid

#: The form label of each text field an editor types (for "this field holds a NUL character").
_FIELD_LABELS = {
    "notes": "plans.edit.notes",
    "note": "plans.edit.reason",
    "evidence_en": "plans.record.evidence_en",
    "evidence_fr": "plans.record.evidence_fr",
}


def _field_label(field: str, lang: str) -> str:
    return t(_FIELD_LABELS[field], lang) if field in _FIELD_LABELS else field


def milestone_form(db: str, lang: str, ms: pd.DataFrame, state_labels: dict[str, str]) -> None:
    """Edit one milestone of a plan reported per milestone (status, dates, notes)."""
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
        except edits.TextRefused as exc:
            st.error(t("plans.edit.nul", lang, fields=", ".join(_field_label(f, lang) for f in exc.fields)))
        except AuthError:
            st.error(t("plans.edit.forbidden", lang))
        else:
            st.session_state.pop(conflict_key, None)
            st.session_state.pop(base_key, None)
            st.session_state["plans_edit_flash"] = t(
                "plans.edit.saved", lang, code=escape_markdown(labels[mid].split(" – ")[0])
            )
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
        grid(
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


def _checked(up: Any, target: str, db: str) -> tuple[Any, list[Any]]:
    """The uploaded file parsed and checked against the store, once per file, plan and data version: a
    long file is not read again at every rerun (its progress redraws, other widgets)."""
    from opengov.cache import data_version

    key = (up.file_id, target, data_version(db or None))
    kept = st.session_state.get("plans_import_parsed")
    if kept is None or kept[0] != key:
        parsed = parse_file(up.getvalue(), up.name, target or None)
        errors = parsed.errors or check_against_store(parsed, db or None)  # the store's errors before confirming
        kept = (key, parsed, errors)
        st.session_state["plans_import_parsed"] = kept
    return kept[1], kept[2]


def import_form(db: str, lang: str, plan_id: str, state_labels: dict[str, str], today: dt.date) -> None:
    """Import a plan table or tracker rows: checked whole, previewed, then written in one transaction."""
    st.caption(t("plans.import.help", lang))
    i1, i2 = st.columns(2)
    with i1:
        target = st.text_input(t("plans.import.plan", lang), value=plan_id, key="plans_import_plan").strip()
    with i2:
        as_of = st.date_input(t("plans.import.as_of", lang), value=today, key="plans_import_as_of", format="YYYY-MM-DD")
    up = st.file_uploader(t("plans.import.file", lang), type=["csv", "xlsx", "txt"], key="plans_import_file")
    if up is not None:
        parsed, errors = _checked(up, target, db)
        if errors:
            st.error(t("plans.import.errors", lang, n=fmt_int(len(errors), lang)))
            grid(
                pd.DataFrame(
                    {
                        t("plans.col.line", lang): [e.line for e in errors],
                        t("plans.col.reason", lang): [e.message(lang) for e in errors],
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
            preview = pd.DataFrame(parsed.rows).drop(columns=["challenges", "code_given"], errors="ignore")
            if "status" in preview:
                preview["status"] = preview["status"].map(lambda s: state_labels[s or "not_reported"])
            grid(preview.head(500).astype(str), hide_index=True, key="plans_import_preview")
            busy = jobs.running(IMPORT_JOB)
            if busy:
                st.caption(t("job.busy", lang))
            if (
                st.button(t("plans.import.confirm", lang), key="plans_import_confirm", type="primary", disabled=busy)
                and not busy
            ):
                actor = current_actor()
                # In the background, with its progress and Cancel below; the role is checked again there.
                jobs.start(
                    IMPORT_JOB,
                    lambda progress: edits.commit_import(db, actor, parsed, status_as_of=as_of, progress=progress),
                )
    jobs.job_panel(IMPORT_JOB, lang, lambda job: _import_finished(job, lang))


#: The session key of the page's import running in the background (opengov.ui.jobs).
IMPORT_JOB = "plans_import_job"


def _import_finished(job: jobs.Job, lang: str) -> None:
    """The outcome of an import: its counts, every problem with its line, or why nothing was written."""
    exc = job.error
    if isinstance(exc, jobs.Cancelled):
        st.info(t("job.cancelled", lang))
    elif isinstance(exc, ImportRejected):
        st.error(t("plans.import.errors", lang, n=fmt_int(len(exc.errors), lang)))
        grid(
            pd.DataFrame(
                {
                    t("plans.col.line", lang): [e.line for e in exc.errors],
                    t("plans.col.reason", lang): [e.message(lang) for e in exc.errors],
                }
            ),
            hide_index=True,
            key="plans_import_rejected",
        )
    elif isinstance(exc, AuthError):
        st.error(t("plans.edit.forbidden", lang))
    elif exc is not None:
        st.error(t("job.failed", lang, error=type(exc).__name__))
    else:
        res = job.result
        st.success(
            t(
                "plans.import.done",
                lang,
                plan=escape_markdown(res.plan_id),
                added=fmt_int(res.added, lang),
                updated=fmt_int(res.updated, lang),
                unchanged=fmt_int(res.unchanged, lang),
                challenges=fmt_int(res.challenges, lang),
            )
        )


def record_status_form(db: str, lang: str, plan_id: str, items: pd.DataFrame, state_labels: dict[str, str]) -> None:
    """Record the status of one indicator for one reporting period (audited, optimistic concurrency): the
    stored observation is the starting point; if someone recorded it meanwhile, both versions are shown and
    the editor's values are kept until they re-apply or discard them."""
    from opengov.features.plans.imports import tracker_vocabulary

    periods = list(tracker_vocabulary().periods.get(plan_id, ()))
    if not periods:
        st.caption(t("plans.record.no_periods", lang))
        return
    labels = dict(zip(items["id"], items["code"] + " – " + items["title"].str.slice(0, 80), strict=True))
    c1, c2 = st.columns([3, 1])
    with c1:
        iid = st.selectbox(
            t("plans.record.pick", lang), items["id"].tolist(), key="plans_record_item", format_func=labels.get
        )
    with c2:
        period = st.selectbox(
            t("plans.record.period", lang),
            periods,
            index=len(periods) - 1,
            key="plans_record_period",
            format_func=lambda p: fmt_month(p + "-01", lang),
        )
    row = items.set_index("id").loc[iid]
    mid, code = int(row["milestone_id"]), str(row["code"])
    base_key = f"plans_record_base_{iid}_{period}"
    conflict_key = f"plans_record_conflict_{iid}_{period}"
    if base_key not in st.session_state:
        st.session_state[base_key] = edits.load_observation(db, mid, code, period)
    base = st.session_state[base_key]
    opts = ["", *CANONICAL]
    with st.form(f"plans_record_form_{iid}_{period}"):
        status = st.selectbox(
            t("plans.col.status", lang),
            opts,
            index=opts.index(base["status"] or ""),
            key=f"plans_record_status_{iid}_{period}",
            format_func=lambda s: state_labels[s or "not_reported"],
        )
        e1, e2 = st.columns(2)
        with e1:
            ev_en = st.text_area(
                t("plans.record.evidence_en", lang),
                value=base["evidence_en"] or "",
                key=f"plans_record_en_{iid}_{period}",
            )
        with e2:
            ev_fr = st.text_area(
                t("plans.record.evidence_fr", lang),
                value=base["evidence_fr"] or "",
                key=f"plans_record_fr_{iid}_{period}",
            )
        reason = st.text_input(t("plans.edit.reason", lang), key=f"plans_record_reason_{iid}_{period}")
        submitted = st.form_submit_button(t("plans.record.save", lang), type="primary")
    typed = {"status": status or None, "evidence_en": ev_en, "evidence_fr": ev_fr}
    changes = {f: v for f, v in typed.items() if v != (base[f] if f != "status" else base[f] or None)}

    def _save(version: int, values: dict) -> None:
        try:
            edits.record_status(db, current_actor(), mid, code, period, version, values, note=reason)
        except EditConflict as exc:
            st.session_state[conflict_key] = {"stored": exc.current_values, "mine": dict(values)}
        except edits.TextRefused as exc:
            st.error(t("plans.edit.nul", lang, fields=", ".join(_field_label(f, lang) for f in exc.fields)))
        except AuthError:
            st.error(t("plans.edit.forbidden", lang))
        else:
            st.session_state.pop(conflict_key, None)
            st.session_state.pop(base_key, None)
            st.session_state["plans_record_flash"] = t(
                "plans.record.saved", lang, code=escape_markdown(code), period=fmt_month(period + "-01", lang)
            )
            st.rerun()

    if submitted:
        if not changes:
            st.info(t("plans.edit.no_change", lang))
        else:
            _save(int(base["version"]), changes)
    flash = st.session_state.pop("plans_record_flash", None)
    if flash:
        st.success(flash)
    conflict = st.session_state.get(conflict_key)
    if conflict:
        st.warning(t("plans.record.conflict", lang))
        fields = list(conflict["mine"])

        def _show(f: str, v: object) -> str:
            if f == "status":
                return state_labels[str(v) if v else "not_reported"]
            return str(v or "–")

        grid(
            pd.DataFrame(
                {
                    t("plans.col.field", lang): [t(f"plans.record.field.{f}", lang) for f in fields],
                    t("plans.edit.yours", lang): [_show(f, conflict["mine"][f]) for f in fields],
                    t("plans.edit.stored", lang): [_show(f, conflict["stored"].get(f)) for f in fields],
                }
            ),
            hide_index=True,
            key="plans_record_conflict_table",
        )
        b1, b2 = st.columns(2)
        with b1:
            if st.button(t("plans.edit.reapply", lang), key="plans_record_reapply"):
                st.session_state[base_key] = edits.load_observation(db, mid, code, period)
                _save(int(st.session_state[base_key]["version"]), conflict["mine"])
        with b2:
            if st.button(t("plans.edit.discard", lang), key="plans_record_discard"):
                for k in list(st.session_state):
                    if k.startswith("plans_record_") and k.endswith(f"_{iid}_{period}"):
                        del st.session_state[k]
                st.rerun()
