"""Working group: the year at a glance (meetings, presentations by jurisdiction, agenda, priorities,
proposed projects), a comparison of two years, the yearly progress report, and editing for editors."""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import streamlit as st

from metrics import working_group as wg
from opengov import cache
from opengov.charts.plain import escape_markdown
from opengov.features.working_group import data as wgd
from opengov.features.working_group import report as yearly
from opengov.i18n import fmt_date, fmt_int, fmt_month, fmt_signed_int, t, tn
from opengov.ui.blocks import UrlState, grid, kpi, plain_table, section_tabs, show, source_chip
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
# every select box's placeholder in the UI language (Streamlit's own is English)
PICK, PICKS = t("chrome.choose_option", lang), t("chrome.choose_options", lang)
db = cache.url()
URL = UrlState()  # the year and the compared years are kept in the link

st.title(t("page.wg.title", lang))
st.markdown(t("wg.intro", lang))

data = wgd.wg_data(url=db)
years = wg.years_with_data(data.meetings, data.agenda, data.priorities)
SOURCE = t("wg.source", lang)
jl = yearly.jurisdiction_labels(lang)


def jur(code: object) -> str:
    return yearly.jurisdiction_label(str(code or ""), lang)


def render_review(year: int) -> None:
    summary = wgd.year_summary(year, url=db)
    c = st.columns(5)
    with c[0]:
        kpi(t("wg.kpi.meetings_held", lang), fmt_int(summary["meetings_held_count"], lang))
    with c[1]:
        kpi(
            t("wg.kpi.months_not_held", lang),
            fmt_int(summary["months_not_held_count"], lang),
            caption=tn("wg.kpi.months_no_record", summary["months_no_record_count"], lang)
            if summary["months_no_record_count"]
            else None,
        )
    with c[2]:
        kpi(t("wg.kpi.presentations", lang), fmt_int(summary["presentations_count"], lang))
    with c[3]:
        kpi(
            t("wg.kpi.jurisdictions", lang),
            fmt_int(summary["jurisdictions_count"], lang),
            help=", ".join(escape_markdown(jur(j)) for j in summary["jurisdictions"]) or None,
        )
    with c[4]:
        kpi(t("wg.kpi.topics_done", lang), fmt_int(summary["topics_done_count"], lang))
    source_chip(lang, SOURCE, data.as_of)

    # ---------------------------------------------------------------- meetings
    st.header(t("wg.section.meetings", lang))
    months = wgd.months_figure(year, lang, url=db)
    show(months, lang=lang, key="working_group_months")  # its month-by-month list is its data table
    acts = wg.activities_of_year(data.activities, year)
    if len(acts):
        st.subheader(t("wg.col.activities", lang))
        plain_table(
            pd.DataFrame(
                {
                    t("wg.col.date", lang): [fmt_date(d, lang) for d in acts["meeting_date"]],
                    t("wg.col.kind", lang): [
                        t(f"wg.kind.{k}", lang) if k in wg.CONTRIBUTION_KINDS else k for k in acts["kind"]
                    ],
                    t("wg.col.activities", lang): [yearly.pick(r, "text", lang) for _, r in acts.iterrows()],
                    t("wg.col.jurisdiction", lang): [jur(j) for j in acts["presenter_jurisdiction"]],
                }
            ),
            key="working_group_activities",
        )

    # ---------------------------------------------------------------- participation
    st.header(t("wg.section.participation", lang))
    part = wgd.participation_figure(year, lang, url=db)
    if part is None:
        st.info(t("wg.report.no_jurisdictions", lang))
    else:
        show(part, lang=lang, key="working_group_participation")

    # ---------------------------------------------------------------- agenda
    st.header(t("wg.section.agenda", lang))
    ag = data.agenda
    rel = ag[(ag["year"] == year) | (ag["status"].eq("done") & (pd.to_datetime(ag["done_date"]).dt.year == year))]
    if len(rel):
        rel = rel.sort_values(["status", "done_date", "id"])
        st.caption(
            t(
                "wg.agenda.of_year",
                lang,
                year=year,
                done=fmt_int((rel["status"] == "done").sum(), lang),
                pending=fmt_int((rel["status"] == "pending").sum(), lang),
            )
        )
        plain_table(
            pd.DataFrame(
                {
                    t("wg.col.topic", lang): [yearly.pick(r, "topic", lang) for _, r in rel.iterrows()],
                    t("wg.col.jurisdiction", lang): [jur(j) if j else "–" for j in rel["presenter_jurisdiction"]],
                    t("wg.col.status", lang): [yearly.agenda_status_text(r, lang) for _, r in rel.iterrows()],
                }
            ),
            key="working_group_agenda",
        )
    else:
        st.info(t("wg.agenda.no_agenda", lang, year=year))
    source_chip(lang, SOURCE, data.as_of)

    # ---------------------------------------------------------------- priorities
    st.header(t("wg.section.priorities", lang))
    pri = data.priorities[data.priorities["year"] == year].sort_values(["rank", "id"])
    if len(pri):
        plain_table(
            pd.DataFrame(
                {
                    t("wg.col.rank", lang): [fmt_int(r, lang) for r in pri["rank"]],
                    t("wg.col.priority", lang): [
                        yearly.as_item(yearly.pick(r, "text", lang)) for _, r in pri.iterrows()
                    ],
                    t("wg.field.kind", lang): [
                        t(f"wg.priority.kind.{k}", lang) if f"wg.priority.kind.{k}" in _known_keys() else k
                        for k in pri["kind"]
                    ],
                    t("wg.col.status", lang): [
                        yearly.pick(r, "status_text", lang) or t("wg.priority.no_status", lang)
                        for _, r in pri.iterrows()
                    ],
                }
            ),
            key="working_group_priorities",
        )
    else:
        st.info(t("wg.priorities.none", lang, year=year))

    st.header(t("wg.section.projects", lang))
    if len(data.projects):
        for _, p in data.projects.iterrows():
            with st.expander(yearly.pick(p, "title", lang)):
                rationale = [s for s in yearly.pick(p, "rationale", lang).split(" | ") if s.strip()]
                planned = [s for s in yearly.pick(p, "activities", lang).split(" | ") if s.strip()]
                # both lists with their headings in one Markdown element (each element costs the browser)
                parts = [
                    f"**{t(heading, lang)}**\n\n" + "\n".join(f"- {escape_markdown(yearly.as_item(s))}" for s in items)
                    for heading, items in (("wg.col.rationale", rationale), ("wg.col.planned", planned))
                    if items
                ]
                if parts:
                    st.markdown("\n\n".join(parts))
    else:
        st.info(t("wg.projects.none", lang))
    source_chip(lang, SOURCE, data.as_of)


@functools.lru_cache(maxsize=2)
def _catalogue_keys(lang_: str) -> frozenset[str]:
    from opengov.i18n import catalogue

    return frozenset(catalogue(lang_))


def _known_keys() -> frozenset[str]:
    return _catalogue_keys(lang)


def render_compare(year: int) -> None:
    st.header(t("wg.section.compare", lang))
    if len(years) < 2:
        st.info(t("wg.compare.need_two", lang))
        return
    opts = [str(y) for y in years]
    c1, c2 = st.columns(2)
    # the year before the page's year against it, unless the link names other years (?wg_a=&wg_b=)
    default_a = opts.index(str(year)) - 1 if opts.index(str(year)) > 0 else 0
    default_b = opts.index(str(year)) if str(year) != opts[default_a] else len(opts) - 1
    URL.seed("working_group_cmp_a", opts, opts[default_a], param="wg_a")
    URL.seed("working_group_cmp_b", opts, opts[default_b], param="wg_b")
    ya = int(
        c1.selectbox(
            t("wg.compare.year_a", lang),
            opts,
            index=URL.index("working_group_cmp_a", opts),
            placeholder=PICK,
            key="working_group_cmp_a",
        )
    )
    yb = int(
        c2.selectbox(
            t("wg.compare.year_b", lang),
            opts,
            index=URL.index("working_group_cmp_b", opts),
            placeholder=PICK,
            key="working_group_cmp_b",
        )
    )
    cmp_ = wgd.compare_years(ya, yb, url=db)
    shown = ("meetings_held_count", "presentations_count", "jurisdictions_count", "topics_done_count")
    cols = st.columns(len(shown))
    for col, measure in zip(cols, shown, strict=True):
        r = cmp_.set_index("measure").loc[measure]
        with col:
            kpi(
                f"{t(f'wg.measure.{measure}', lang)} · {yb}",
                fmt_int(r["value_b"], lang),
                delta=t("wg.compare.vs", lang, delta=fmt_signed_int(r["change_count"], lang), year=ya),
                delta_color="off",
            )
    grid(
        pd.DataFrame(
            {
                t("wg.compare.measure", lang): [t(f"wg.measure.{m}", lang) for m in cmp_["measure"]],
                str(ya): [fmt_int(v, lang) for v in cmp_["value_a"]],
                str(yb): [fmt_int(v, lang) for v in cmp_["value_b"]],
                t("wg.compare.change", lang): [fmt_signed_int(v, lang) for v in cmp_["change_count"]],
            }
        ),
        hide_index=True,
        width="stretch",
        key="working_group_cmp_table",
    )
    for y in (ya, yb):
        s = wgd.year_summary(y, url=db)
        st.caption(
            t("wg.compare.jurisdictions_list", lang, year=y, names=", ".join(jur(j) for j in s["jurisdictions"]) or "–")
        )
        if s["months_no_record_count"]:
            st.caption(t("wg.compare.caveat", lang, year=y, n=fmt_int(s["months_no_record_count"], lang)))
    source_chip(lang, SOURCE, data.as_of)


def render_report(year: int) -> None:
    st.header(t("wg.section.report", lang))
    c1, c2 = st.columns(2)
    rlang = c1.radio(
        t("wg.report.lang", lang),
        ("fr", "en"),
        index=0 if lang == "fr" else 1,
        horizontal=True,
        format_func=lambda v: t(f"wg.lang.{v}", lang),
        key="working_group_report_lang",
    )
    rfmt = c2.radio(
        t("wg.report.format", lang),
        ("pdf", "html"),
        horizontal=True,
        format_func=str.upper,
        key="working_group_report_fmt",
    )
    st.download_button(
        t("wg.report.download", lang, year=year, fmt=rfmt.upper(), language=t(f"wg.lang.{rlang}", lang)),
        data=functools.partial(yearly.build_report, data, year, rlang, rfmt),
        file_name=yearly.file_name(year, rlang, rfmt),
        mime="application/pdf" if rfmt == "pdf" else "text/html",
        help=t("wg.report.help", lang),
        key="working_group_report_download",
        icon=":material/download:",
    )


# ---------------------------------------------------------------- editing
def current_actor():
    """Who is signed in (opengov.ui.auth); None when nobody is."""
    from opengov.ui.auth import current_actor as _current

    try:
        return _current()
    except Exception:  # noqa: BLE001 - a broken sign-in module must not break the review
        return None


EDIT_FIELDS = {
    "meetings": ("held", "meeting_date", "year", "month", "no_meeting_reason_en", "no_meeting_reason_fr"),
    "agenda": ("year", "topic_en", "topic_fr", "presenter", "presenter_jurisdiction", "status", "done_date"),
    "priorities": ("year", "rank", "kind", "text_en", "text_fr", "status_text_en", "status_text_fr"),
}
MODEL_FIELD = {"presenter": "presenter_fr"}
FRAMES = {"meetings": "meetings", "agenda": "agenda", "priorities": "priorities"}
RECORD_KIND = {"meetings": "meeting", "agenda": "agenda", "priorities": "priority"}  # wg.edit.what.* keys


def _field_label(f: str) -> str:
    return t(f"wg.field.{MODEL_FIELD.get(f, f)}", lang)


def _record_label(kind: str, r: pd.Series) -> str:
    if kind == "meetings":
        return f"{r['id']} · " + (fmt_date(r["meeting_date"], lang) if r["held"] else t("wg.state.not_held", lang))
    if kind == "agenda":
        return f"{r['id']} · {yearly.pick(r, 'topic', lang)[:70]}"
    return f"{r['id']} · {yearly.pick(r, 'text', lang)[:70]}"


def _form(kind: str, rec: pd.Series | None, base: int, default_year: int) -> dict | None:
    rid = rec["id"] if rec is not None else "new"
    k = f"working_group_f_{kind}_{rid}_{base}"

    def cur(f: str, default=None):
        if rec is None:
            return default
        v = rec.get(MODEL_FIELD.get(f, f))
        return default if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    def as_date(v):
        return pd.Timestamp(v).date() if v is not None and pd.notna(v) else None

    jur_codes = [""] + [j for j in wg.JURISDICTIONS if j]
    with st.form(f"{k}_form"):
        vals: dict = {}
        if kind == "meetings":
            held = st.checkbox(_field_label("held"), value=bool(cur("held", True)), key=f"{k}_held")
            vals["held"] = "yes" if held else "no"
            vals["meeting_date"] = st.date_input(
                _field_label("meeting_date"),
                value=as_date(cur("meeting_date")),
                key=f"{k}_date",
                format="YYYY-MM-DD",
                min_value=dt.date(2000, 1, 1),
            )
            c1, c2 = st.columns(2)
            vals["year"] = c1.number_input(
                _field_label("year"), 2000, 2100, int(cur("year", default_year)), key=f"{k}_year"
            )
            vals["month"] = c2.selectbox(
                _field_label("month"),
                list(range(1, 13)),
                index=int(cur("month", 1)) - 1,
                format_func=lambda mth: fmt_month(dt.date(2000, mth, 1), lang).split(" ")[0],
                placeholder=PICK,
                key=f"{k}_month",
            )
            vals["no_meeting_reason_en"] = st.text_area(
                _field_label("no_meeting_reason_en"), cur("no_meeting_reason_en", ""), key=f"{k}_ren"
            )
            vals["no_meeting_reason_fr"] = st.text_area(
                _field_label("no_meeting_reason_fr"), cur("no_meeting_reason_fr", ""), key=f"{k}_rfr"
            )
        elif kind == "agenda":
            vals["year"] = st.number_input(
                _field_label("year"), 2000, 2100, int(cur("year", default_year)), key=f"{k}_year"
            )
            vals["topic_en"] = st.text_area(_field_label("topic_en"), cur("topic_en", ""), key=f"{k}_ten")
            vals["topic_fr"] = st.text_area(_field_label("topic_fr"), cur("topic_fr", ""), key=f"{k}_tfr")
            c1, c2 = st.columns(2)
            vals["presenter"] = c1.text_input(_field_label("presenter"), cur("presenter", ""), key=f"{k}_pres")
            j0 = cur("presenter_jurisdiction", "")
            vals["presenter_jurisdiction"] = c2.selectbox(
                _field_label("presenter_jurisdiction"),
                jur_codes,
                index=jur_codes.index(j0) if j0 in jur_codes else 0,
                format_func=lambda j: jl[j] if j else "–",
                placeholder=PICK,
                key=f"{k}_jur",
            )
            c3, c4 = st.columns(2)
            vals["status"] = c3.selectbox(
                _field_label("status"),
                ("pending", "done"),
                index=1 if cur("status") == "done" else 0,
                format_func=lambda s: (
                    t("wg.agenda.pending", lang) if s == "pending" else t("wg.agenda.done_on", lang, date="…")
                ),
                placeholder=PICK,
                key=f"{k}_status",
            )
            vals["done_date"] = c4.date_input(
                _field_label("done_date"),
                value=as_date(cur("done_date")),
                key=f"{k}_done",
                format="YYYY-MM-DD",
                min_value=dt.date(2000, 1, 1),
            )
        else:
            c1, c2, c3 = st.columns(3)
            vals["year"] = c1.number_input(
                _field_label("year"), 2000, 2100, int(cur("year", default_year)), key=f"{k}_year"
            )
            vals["rank"] = c2.number_input(_field_label("rank"), 1, 99, int(cur("rank", 1)), key=f"{k}_rank")
            kinds = ("workplan_priority", "proposed_project", "priority")
            vals["kind"] = c3.selectbox(
                _field_label("kind"),
                kinds,
                index=kinds.index(cur("kind", "priority")) if cur("kind", "priority") in kinds else 2,
                format_func=lambda x: t(f"wg.priority.kind.{x}", lang),
                placeholder=PICK,
                key=f"{k}_kind",
            )
            vals["text_en"] = st.text_area(_field_label("text_en"), cur("text_en", ""), key=f"{k}_ten")
            vals["text_fr"] = st.text_area(_field_label("text_fr"), cur("text_fr", ""), key=f"{k}_tfr")
            vals["status_text_en"] = st.text_area(
                _field_label("status_text_en"), cur("status_text_en", ""), key=f"{k}_sen"
            )
            vals["status_text_fr"] = st.text_area(
                _field_label("status_text_fr"), cur("status_text_fr", ""), key=f"{k}_sfr"
            )
        submitted = st.form_submit_button(t("wg.edit.save", lang), type="primary")
    if kind == "meetings" and vals["held"] == "yes":
        vals["year"], vals["month"] = "", ""  # taken from the date
    if kind == "meetings" and vals["held"] == "no":
        vals["meeting_date"] = ""
    return vals if submitted else None


def _save(kind: str, vals: dict, actor, rid: str | None, version: int | None) -> None:
    from opengov.auth import AuthError
    from opengov.editing import EditConflict
    from opengov.features.working_group.imports import ImportRejected, save_form

    try:
        new_id, new_version = save_form(kind, vals, actor, db, record_id=rid, expected_version=version)
    except EditConflict as exc:
        st.session_state["working_group_conflict"] = {
            "kind": kind,
            "id": rid,
            "mine": vals,
            "theirs": exc.current_values,
            "mine_version": version,
            "current_version": exc.current_version,
        }
        st.rerun()
    except ImportRejected as exc:
        st.error(t("wg.edit.invalid", lang, errors="; ".join(i.message(lang) for i in exc.issues)))
        return
    except AuthError as exc:
        st.error(t("wg.edit.refused", lang, reason=exc.code))
        return
    st.session_state.pop(f"working_group_base_{kind}_{rid or 'new'}", None)
    st.session_state.pop("working_group_conflict", None)
    st.session_state["working_group_flash"] = t("wg.edit.saved", lang, id=new_id, version=new_version)
    st.rerun()


def render_conflict(actor) -> None:
    c = st.session_state.get("working_group_conflict")
    if not c:
        return
    st.warning(t("wg.edit.conflict", lang, mine=c["mine_version"], theirs=c["current_version"]))
    fields = [f for f in c["mine"] if f not in ("year", "month") or c["mine"][f] != ""]
    grid(
        pd.DataFrame(
            {
                t("wg.edit.conflict.field", lang): [_field_label(f) for f in fields],
                t("wg.edit.conflict.theirs", lang): [str(c["theirs"].get(MODEL_FIELD.get(f, f), "")) for f in fields],
                t("wg.edit.conflict.mine", lang): [str(c["mine"][f]) for f in fields],
            }
        ),
        hide_index=True,
        width="stretch",
        key="working_group_conflict_table",
    )
    b1, b2 = st.columns(2)
    if b1.button(t("wg.edit.conflict.overwrite", lang), key="working_group_conflict_overwrite"):
        _save(c["kind"], c["mine"], actor, c["id"], c["current_version"])
    if b2.button(t("wg.edit.conflict.reload", lang), key="working_group_conflict_reload"):
        st.session_state.pop("working_group_conflict", None)
        st.session_state.pop(f"working_group_base_{c['kind']}_{c['id']}", None)
        st.rerun()


def render_edit(year: int) -> None:
    st.header(t("wg.section.edit", lang))
    actor = current_actor()
    if actor is None:
        st.info(t("wg.edit.sign_in", lang))
        return
    if not actor.can("editor"):
        st.info(t("wg.edit.viewer", lang, role=actor.role))
        return
    if "working_group_flash" in st.session_state:
        st.success(st.session_state.pop("working_group_flash"))
    render_conflict(actor)
    kind = st.selectbox(
        t("wg.edit.what", lang),
        ("meetings", "agenda", "priorities"),
        placeholder=PICK,
        key="working_group_edit_what",
        format_func=lambda k: t(f"wg.edit.what.{RECORD_KIND[k]}", lang),
    )
    frame = getattr(data, FRAMES[kind])
    frame = frame[frame["year"] == year] if len(frame) else frame
    options = ["new"] + list(frame["id"])
    labels = {r["id"]: _record_label(kind, r) for _, r in frame.iterrows()}
    rid = st.selectbox(
        t("wg.edit.record", lang),
        options,
        placeholder=PICK,
        key=f"working_group_edit_record_{kind}",
        format_func=lambda i: t("wg.edit.new", lang) if i == "new" else labels.get(i, i),
    )
    rec = None if rid == "new" else frame[frame["id"] == rid].iloc[0]
    base_key = f"working_group_base_{kind}_{rid}"
    if base_key not in st.session_state:
        st.session_state[base_key] = int(rec["version"]) if rec is not None else 0
    base = st.session_state[base_key]
    vals = _form(kind, rec, base, year)
    if vals is not None:
        _save(kind, vals, actor, None if rid == "new" else rid, base if rec is not None else None)

    st.subheader(t("wg.import.title", lang))
    st.caption(t("wg.import.help", lang))
    ikind = st.selectbox(
        t("wg.import.what", lang),
        ("meetings", "agenda", "priorities"),
        placeholder=PICK,
        key="working_group_imp_kind",
        format_func=lambda k: t(f"wg.edit.what.{RECORD_KIND[k]}", lang),
    )
    from opengov.features.working_group.imports import ALIASES

    st.caption(t("wg.import.columns", lang, cols=", ".join(ALIASES[ikind])))
    up = st.file_uploader(t("wg.import.file", lang), type=["csv", "xlsx"], key="working_group_imp_file")
    from opengov.ui import jobs

    busy = jobs.running(IMPORT_JOB)
    if busy:
        st.caption(t("job.busy", lang))
    if (
        up is not None
        and st.button(t("wg.import.go", lang), key="working_group_imp_go", type="primary", disabled=busy)
        and not busy
    ):
        from opengov.features.working_group.imports import import_file

        body, name, kind = up.getvalue(), up.name, ikind
        # In the background, with its progress and Cancel below; the role is checked again in the import.
        jobs.start(IMPORT_JOB, lambda progress: import_file(kind, body, name, actor, db, progress=progress))
    jobs.job_panel(IMPORT_JOB, lang, _import_finished)


#: The session key of the page's import running in the background (opengov.ui.jobs).
IMPORT_JOB = "working_group_imp_job"


def _import_finished(job) -> None:
    """The outcome of the page's import: its counts, every problem with its line, or why nothing was written."""
    from opengov.auth import AuthError
    from opengov.features.working_group.imports import ImportRejected
    from opengov.ui.jobs import Cancelled

    exc = job.error
    if isinstance(exc, Cancelled):
        st.info(t("job.cancelled", lang))
    elif isinstance(exc, ImportRejected):
        st.error(tn("wg.import.rejected", len(exc.issues), lang))
        grid(
            pd.DataFrame(
                {
                    t("wg.import.line", lang): [i.line or "–" for i in exc.issues],
                    t("wg.import.problem", lang): [i.message(lang) for i in exc.issues],
                }
            ),
            hide_index=True,
            width="stretch",
            key="working_group_imp_errors",
        )
    elif isinstance(exc, AuthError):
        st.error(t("wg.edit.refused", lang, reason=exc.code))
    elif exc is not None:
        st.error(t("job.failed", lang, error=type(exc).__name__))
    else:
        res = job.result
        st.success(
            t(
                "wg.import.done",
                lang,
                n=fmt_int(res.rows, lang),
                inserted=fmt_int(res.inserted, lang),
                updated=fmt_int(res.updated, lang),
                unchanged=fmt_int(res.unchanged, lang),
            )
        )


# ---------------------------------------------------------------- page body
if not years:
    st.info(t("wg.no_data", lang))
    render_edit(dt.date.today().year)
else:
    opts = [str(y) for y in years]
    # the latest year unless the link names one (?wg_year=)
    URL.seed("working_group_year", opts, opts[-1], param="wg_year")
    year = int(
        st.selectbox(
            t("wg.year", lang),
            opts,
            index=URL.index("working_group_year", opts),
            placeholder=PICK,
            key="working_group_year",
        )
    )
    # the sections as tabs: only the open one is built and drawn (?wg_section=, the year at a glance by default)
    SECTIONS = ("year", "compare", "report", "edit")
    tabs, section = section_tabs(
        {s: t(f"wg.tab.{s}", lang) for s in SECTIONS}, lang=lang, key="working_group_section", param="wg_section"
    )
    with tabs[section]:
        {"year": render_review, "compare": render_compare, "report": render_report, "edit": render_edit}[section](year)
    URL.write()
