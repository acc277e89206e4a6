"""Portal usage: visits and downloads over time, period comparisons, growth, top datasets,
departments, provinces and countries, jurisdictions. Filters live in the URL (keys usage_*).

Thin page: widgets, cached loaders (opengov.features.usage.data) and rendering. Each figure (data
preparation, chart, text alternative, table, sources, definition) is built by
opengov.features.usage.figures, which the chart exports (opengov.features.usage.exports.EXPORTS) call
too; the page renders it with opengov.ui.blocks.show."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import opengov.features.usage.data as ud
from metrics.usage import (
    BREAKS,
    average_monthly_growth,
    breaks_crossed,
    comparable_since,
    compare_periods,
    comparison_periods,
    default_top_month,
    months_covered,
    to_date,
)
from opengov import cache
from opengov.config import data_dir
from opengov.features.usage import figures as uv
from opengov.i18n import fmt_fiscal_year, fmt_int, fmt_list, fmt_pct, fmt_signed_int, t
from opengov.ingest.shipped import GEOJSON
from opengov.ui.blocks import UrlState, grid, kpi, show, source_chip
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
# every select box's placeholder in the UI language (Streamlit's own is English)
PICK, PICKS = t("chrome.choose_option", lang), t("chrome.choose_options", lang)
db = cache.url()
JUR, METRICS = uv.JUR, uv.METRICS

st.title(t("page.usage.title", lang))

srcs = ud.source_dates(url=db).set_index("id")  # the store's sources (each figure names its own ids)


def src_name(*ids: str) -> str:
    return "; ".join(str(srcs.loc[i, f"title_{lang}"]) for i in ids if i in srcs.index)


def src_asof(*ids: str) -> dt.date | None:
    dates = [srcs.loc[i, "as_of"] for i in ids if i in srcs.index and pd.notna(srcs.loc[i, "as_of"])]
    return max(dates) if dates else None


def mfmt(value: object) -> str:
    return uv.mfmt(value, lang)


def span(first: object, last: object) -> str:
    return uv.span(first, last, lang)


ym = uv.ym

# ------------------------------------------------------------------ URL state
# Every filter is kept in the URL (?usage_...=...), so a copied link reproduces the view. The URL is
# read once per session (invalid values fall back to the default, without error) and written back
# on every run; a value equal to its default is left out of the URL. (Streamlit's own widget
# binding to query parameters stores the *displayed label* when format_func is used, which changes
# with the language, so it is not used here.)
URL = UrlState()


def url_state(key: str, options: list | tuple, default: object, kind: str = "one") -> object:
    """Seed/validate st.session_state[key] for a widget; kind: one | many | pair (a range). Returns
    the current value, which each widget is also given as its default (index= / default= / value=):
    a widget the browser draws late (the Filters popover, a tab) starts from it (opengov.ui.blocks)."""
    return URL.seed(key, options, default, kind)


def at_default(key: str) -> bool:
    """Whether a filter registered by url_state holds its default value."""
    return URL.at_default(key)


def pos(key: str, options: list | tuple) -> int:
    """A seeded single choice's position in its options (a select box's or radio's index=)."""
    return URL.index(key, options)


# ================================================================== filters
# The measure stays on the page; portal, jurisdiction, department and months are in a "Filters"
# popover, summed up in one line under it. (A closed popover costs the browser next to nothing,
# while four open widgets took about a fifth of the page's load time.)
portals = ud.portals_with_usage(url=db)
portal_ids = portals["portal_id"].tolist() or [uv.FED_PORTAL]
# The portal comes first: every other filter's options and every query of the page are that portal's.
url_state("usage_portal", portal_ids, portal_ids[0])
portal = str(st.session_state["usage_portal"])
IS_FED = portal == uv.FED_PORTAL
PORTAL_BREAKS = uv.breaks_for(portal)  # open.canada.ca's changes of tool do not apply to another portal
orgs = ud.organizations(url=db)
orgs = orgs.assign(label=orgs[f"name_{lang}"]).sort_values("label", key=lambda s: s.str.lower())
org_label = dict(zip(orgs["slug"], orgs["label"], strict=True))
ext = ud.extent(portal, url=db)
monthly_ext = ext[ext["grain"] == "month"]
all_months = uv.month_opts(monthly_ext["first"].min(), monthly_ext["last"].max())
DEPTS = ["all", *orgs["slug"]]
POPOVER_FILTERS = ("usage_portal", "usage_jur", "usage_dept", "usage_range")


def portal_label(p: str) -> str:
    return uv.portal_name(p, lang)


PORTAL = portal_label(portal)
st.markdown(t("page.usage.intro" if IS_FED else "page.usage.intro_yt", lang))


def show_fig(fig, key: str) -> None:
    """A chart block whose caption names its portal and its analytics tool first."""
    show(uv.with_measure(fig, portal, lang), lang=lang, key=key, sources=srcs, filters=FILTERS)


def no_data(section: str, quiet: bool = False) -> None:
    """The one line that says a section has no data for this portal, and what would fill it (`quiet`: a
    caption, for a section of the other portal's that this portal's reader did not ask for)."""
    text = t(f"usage.none.{section}", lang, portal=PORTAL)
    if quiet:
        st.caption(text)
    else:
        st.info(text, icon=":material/info:")


def reset_filters(defaults: dict[str, object]) -> None:
    for key, value in defaults.items():
        st.session_state[key] = value


f1, f2 = st.columns(2, vertical_alignment="bottom")
with f1:
    # open.yukon.ca's Matomo report has monthly visits, not downloads: its page opens on visits
    url_state("usage_metric", METRICS, "downloads" if IS_FED else "visits")
    metric = st.radio(
        t("usage.filter.metric", lang),
        METRICS,
        key="usage_metric",
        index=pos("usage_metric", METRICS),
        horizontal=True,
        format_func=lambda v: t(f"usage.metric.{v}", lang),
    )
url_state("usage_jur", JUR, list(JUR), "many")
url_state("usage_dept", DEPTS, "all")
range_default = url_state("usage_range", all_months, (all_months[0], all_months[-1]), "pair")
changed = sum(not at_default(key) for key in POPOVER_FILTERS)
with f2:
    box = st.popover(
        t("usage.filters.changed", lang, n=changed) if changed else t("usage.filters", lang),
        icon=":material/filter_list:",
        width="stretch",
        key="usage_filters_box",
    )
with box:
    portal = st.selectbox(
        t("usage.filter.portal", lang),
        portal_ids,
        placeholder=PICK,
        key="usage_portal",
        index=pos("usage_portal", portal_ids),
        format_func=portal_label,
    )
    st.caption(t("usage.portal_note", lang))
    jur_sel = st.multiselect(
        t("usage.filter.jurisdiction", lang),
        JUR,
        placeholder=PICKS,
        key="usage_jur",
        default=st.session_state["usage_jur"],
        format_func=lambda j: t(f"jurisdiction.{j}", lang),
        disabled=not IS_FED,
    )
    if not jur_sel:
        st.caption(t("usage.no_jurisdiction_selected", lang))
    dept = st.selectbox(
        t("usage.filter.department", lang),
        DEPTS,
        placeholder=PICK,
        key="usage_dept",
        index=pos("usage_dept", DEPTS),
        format_func=lambda s: t("usage.all_departments", lang) if s == "all" else org_label[s],
        disabled=not IS_FED,
    )
    if not IS_FED:
        st.caption(t("usage.filters.fed_only", lang, portal=PORTAL, fed=portal_label(uv.FED_PORTAL)))
    r0, r1 = st.select_slider(
        t("usage.filter.range", lang),
        all_months,
        value=range_default,
        key="usage_range",
        format_func=lambda v: mfmt(ym(v)),
    )
    st.button(
        t("usage.filters.reset", lang),
        key="usage_filters_reset",
        on_click=reset_filters,
        args=({key: URL.fields[key][1] for key in POPOVER_FILTERS},),
        disabled=not changed,
        icon=":material/restart_alt:",
    )
jurs = tuple(j for j in JUR if j in jur_sel) or JUR
start, end = ym(r0), ym(r1)
dept_slug = None if dept == "all" or not IS_FED else dept
dept_en = str(orgs.set_index("slug").loc[dept_slug, "name_en"]) if dept_slug else None
if IS_FED:
    st.caption(
        t(
            "usage.filters.summary",
            lang,
            portal=portal_label(portal),
            jur=t("usage.filters.all_jur", lang)
            if len(jurs) == len(JUR)
            else ", ".join(t(f"jurisdiction.{j}", lang) for j in jurs),
            dept=t("usage.filters.all_departments", lang) if dept_slug is None else org_label[dept_slug],
            span=span(start, end),
        )
    )
else:
    st.caption(t("usage.filters.summary_portal", lang, portal=PORTAL, span=span(start, end)))

# What each filter applies to: the department filter only to the data with a department (the
# datasets' rows, the departments' counts), the jurisdiction filter only to the series by
# jurisdiction. Named under the summary, and beside each chart whose data cannot take a set filter.
DEPT_SET, JUR_SET, RANGE_SET = dept_slug is not None, IS_FED and len(jurs) < len(JUR), not at_default("usage_range")
if DEPT_SET:
    st.caption(
        t(
            "usage.filters.applies_dept",
            lang,
            datasets=t("usage.tab.datasets", lang),
            departments=t("usage.tab.departments", lang),
        )
    )
if JUR_SET:
    st.caption(
        t(
            "usage.filters.applies_jur",
            lang,
            time=t("usage.tab.time", lang),
            compare=t("usage.tab.compare", lang),
            jurisdiction=t("usage.tab.jurisdiction", lang),
        )
    )


def scope_note(*, dept: bool = False, jur: bool = False, months: bool = True) -> None:
    """Beside a chart: the set filters its data cannot take (dept / jur: the data has that
    breakdown; months: it follows "Months shown")."""
    no_dept, no_jur = DEPT_SET and not dept, JUR_SET and not jur
    notes = []
    if no_dept or no_jur:
        notes.append(
            t("usage.scope." + ("no_both" if no_dept and no_jur else "no_dept" if no_dept else "no_jur"), lang)
        )
    if RANGE_SET and not months:
        notes.append(t("usage.scope.no_range", lang))
    if notes:
        st.caption(" ".join(notes))


metric_name = t(f"usage.metric.{metric}", lang)
FILTERS: dict[str, object] = (
    {"metric": metric, "jurisdiction": "+".join(jurs), "department": dept, "from": r0, "to": r1}
    if IS_FED
    else {"portal": portal, "metric": metric, "from": r0, "to": r1}
)


jur_metric = uv.jur_metric_of(metric)


def series_label(key: str) -> str:
    """A compared series as the radio and the growth calculator name it (open.yukon.ca has one, Matomo's)."""
    if IS_FED:
        return t(f"usage.compare.series.{key}", lang, metric=metric_name)
    return t("usage.compare.series.yt_portal", lang, metric=metric_name, portal=PORTAL)


# ================================================================== tabs (only the open one is rendered)
TABS = uv.TABS
tab_labels = {k: t(f"usage.tab.{k}", lang) for k in TABS}
# The tab in the URL is read once per session: a `default` that changed on every rerun would reset
# the widget and swallow every other click.
if "usage_tab_default" not in st.session_state:
    st.session_state["usage_tab_default"] = st.query_params.get("usage_tab", "time")
wanted_tab = st.session_state["usage_tab_default"]
tabs = st.tabs(
    [tab_labels[k] for k in TABS],
    key=f"usage_tab_{lang}",
    on_change="rerun",
    default=tab_labels.get(wanted_tab, tab_labels["time"]),
)
open_tab = next((k for k, tb in zip(TABS, tabs, strict=True) if tb.open), "time")
if open_tab == "time":
    st.query_params.pop("usage_tab", None)
else:
    st.query_params["usage_tab"] = open_tab

with tabs[0]:
    if open_tab == "time":
        # ================================================================== 1. monthly series
        st.header(t("usage.section.monthly" if IS_FED else "usage.section.yt_monthly", lang))
        if not IS_FED:
            # open.yukon.ca: Matomo's visits and pageviews, each its own line (see uv.yt_monthly_figure)
            if metric != "visits":
                no_data("monthly_downloads")
            yt_series = {mt: ud.monthly(mt, "total", portal=portal, url=db) for mt in uv.YT_MONTHLY_METRICS}
            # the last 12 months of the range against the 12 before them (Matomo's visits, whole months)
            yt_visits = yt_series["visits"]
            in_view = yt_visits[(yt_visits["month_start"] >= start) & (yt_visits["month_start"] <= end)]
            if len(in_view):
                last_m = in_view["month_start"].max()
                cur12 = (last_m - pd.DateOffset(months=11), last_m)
                prev12 = (last_m - pd.DateOffset(months=23), last_m - pd.DateOffset(months=12))
                comp12 = compare_periods(yt_visits, "value_count", cur12, prev12)
                k1, k2, k3 = st.columns(3)
                with k1:
                    kpi(
                        t("usage.yt.kpi.visits", lang, span=span(*cur12)),
                        fmt_int(comp12.current.total_count, lang),
                        help=t(
                            "usage.kpi.months_help",
                            lang,
                            n=comp12.current.months_with_data,
                            of=comp12.current.months_expected,
                        ),
                    )
                with k2:
                    kpi(
                        t("usage.yt.kpi.visits", lang, span=span(*prev12)),
                        fmt_int(comp12.previous.total_count, lang) if comp12.previous.complete else t("usage.na", lang),
                        help=t(
                            "usage.kpi.months_help",
                            lang,
                            n=comp12.previous.months_with_data,
                            of=comp12.previous.months_expected,
                        ),
                    )
                with k3:
                    kpi(
                        t("usage.kpi.change_pct", lang),
                        fmt_pct(comp12.change_pct, lang, signed=True)
                        if comp12.change_pct is not None and comp12.previous.complete
                        else t("usage.na", lang),
                    )
            fig_y = ud.yt_monthly_figure(portal, start, end, lang, url=db)
            if fig_y is not None:
                show_fig(fig_y, "usage_yt_monthly")
            else:
                st.info(t("usage.no_data_in_range", lang))
            st.caption(t("usage.yt.no_breaks", lang, portal=PORTAL, fed=portal_label(uv.FED_PORTAL)))
        fig_m = ud.monthly_figure(metric, jurs, portal, start, end, lang, url=db) if IS_FED else None
        if fig_m is not None:
            scope_note(jur=True)
            show_fig(fig_m, "usage_monthly")
        elif IS_FED:
            st.info(t("usage.no_data_in_range", lang))
        if IS_FED:
            no_data("pageviews", quiet=True)
        since = comparable_since(end, metric) if IS_FED else None
        if IS_FED:
            st.caption(
                t("usage.comparable_since", lang, metric=metric_name.lower(), month=mfmt(since))
                if since is not None
                else t("usage.comparable_all", lang, metric=metric_name.lower())
            )
        # Built when opened (it reruns), like the data tables: a page load carries only its label.
        breaks_box = st.expander(t("usage.breaks", lang), key="usage_breaks_box", on_change="rerun") if IS_FED else None
        if breaks_box is not None and breaks_box.open:
            breaks_box.markdown(
                "\n".join(
                    f"- **{t(f'break.{b.key}.title', lang)}** — {t(f'break.{b.key}', lang)}"
                    + ("" if start <= b.date <= end else " " + t("usage.break_outside", lang))
                    for b in BREAKS
                )
            )


with tabs[1]:
    if open_tab == "compare":
        # ================================================================== 2. period comparison
        st.header(t("usage.section.compare", lang))
        c1, c2 = st.columns(2)
        with c1:
            # open.yukon.ca has no series by jurisdiction: its comparison opens on the whole portal
            series_opts = uv.SERIES if IS_FED else ("portal",)
            url_state("usage_series", series_opts, "jurisdiction" if IS_FED else "portal")
            series_key = st.radio(
                t("usage.compare.series", lang),
                series_opts,
                key="usage_series",
                index=pos("usage_series", series_opts),
                format_func=series_label,
            )
        with c2:
            url_state("usage_cmp", uv.CMP_MODES, "month")
            mode = st.radio(
                t("usage.compare.mode", lang),
                uv.CMP_MODES,
                key="usage_cmp",
                index=pos("usage_cmp", uv.CMP_MODES),
                horizontal=True,
                format_func=lambda m_: t(f"usage.compare.mode.{m_}", lang),
            )
        if series_key == "portal":
            cmp_df = ud.monthly(metric, "total", portal=portal, url=db)
            cmp_metric, cmp_src = metric, uv.MONTHLY_SRC if IS_FED else uv.YT_MONTHLY_SRC
        elif series_key == "open_maps":
            cmp_df = ud.monthly("open_maps_views", "jurisdiction", keys=jurs, portal=portal, url=db)
            cmp_metric, cmp_src = "open_maps_views", uv.JUR_SRC["open_maps_views"]
        else:
            cmp_df = ud.monthly(jur_metric, "jurisdiction", keys=jurs, portal=portal, url=db)
            cmp_metric, cmp_src = jur_metric, uv.JUR_SRC[jur_metric]
        cmp_name = t(f"def.{cmp_metric}.term", lang)
        if cmp_df.empty and not IS_FED:
            no_data("monthly_downloads" if series_key == "portal" else "jurisdiction")
        elif cmp_df.empty:
            st.info(t("usage.no_data_in_range", lang))
        else:
            s_months, years, fys, full_years, full_fys = uv.compare_options(cmp_df)
            if mode == "month":
                url_state(f"usage_cmp_month_{series_key}", list(reversed(s_months)), s_months[-1])
                anchor = st.selectbox(
                    t("usage.compare.month", lang),
                    list(reversed(s_months)),
                    placeholder=PICK,
                    key=f"usage_cmp_month_{series_key}",
                    index=pos(f"usage_cmp_month_{series_key}", list(reversed(s_months))),
                    format_func=lambda v: mfmt(ym(v)),
                )
                cur, prev = comparison_periods("month", ym(anchor))
            elif mode == "calendar":
                url_state(f"usage_cmp_year_{series_key}", years, full_years[0])
                anchor = st.selectbox(
                    t("usage.compare.year", lang),
                    years,
                    placeholder=PICK,
                    key=f"usage_cmp_year_{series_key}",
                    index=pos(f"usage_cmp_year_{series_key}", years),
                )
                cur, prev = comparison_periods("calendar", anchor)
            elif mode == "fiscal":
                url_state(f"usage_cmp_fy_{series_key}", fys, full_fys[0])
                anchor = st.selectbox(
                    t("usage.compare.fy", lang),
                    fys,
                    placeholder=PICK,
                    key=f"usage_cmp_fy_{series_key}",
                    index=pos(f"usage_cmp_fy_{series_key}", fys),
                    format_func=lambda y: fmt_fiscal_year(y, lang),
                )
                cur, prev = comparison_periods("fiscal", anchor)
            else:
                k1, k2 = st.columns(2)
                half = max(0, len(s_months) // 2)
                with k1:
                    cur_default = url_state(
                        f"usage_cmp_cur_{series_key}", s_months, (s_months[half], s_months[-1]), "pair"
                    )
                    a0, a1 = st.select_slider(
                        t("usage.compare.current", lang),
                        s_months,
                        value=cur_default,
                        key=f"usage_cmp_cur_{series_key}",
                        format_func=lambda v: mfmt(ym(v)),
                    )
                with k2:
                    prev_default = url_state(
                        f"usage_cmp_prev_{series_key}", s_months, (s_months[0], s_months[max(0, half - 1)]), "pair"
                    )
                    b0, b1 = st.select_slider(
                        t("usage.compare.previous", lang),
                        s_months,
                        value=prev_default,
                        key=f"usage_cmp_prev_{series_key}",
                        format_func=lambda v: mfmt(ym(v)),
                    )
                cur, prev = (ym(a0), ym(a1)), (ym(b0), ym(b1))
            comp = compare_periods(cmp_df, "value_count", cur, prev)
            cur_label, prev_label = uv.period_label(cur, mode, lang), uv.period_label(prev, mode, lang)

            st.markdown(t("usage.compare.periods", lang, cur=cur_label, prev=prev_label))
            k = st.columns(4)
            with k[0]:
                kpi(
                    cur_label,
                    fmt_int(comp.current.total_count, lang),
                    help=t(
                        "usage.kpi.months_help", lang, n=comp.current.months_with_data, of=comp.current.months_expected
                    ),
                )
            with k[1]:
                kpi(
                    prev_label,
                    fmt_int(comp.previous.total_count, lang),
                    help=t(
                        "usage.kpi.months_help",
                        lang,
                        n=comp.previous.months_with_data,
                        of=comp.previous.months_expected,
                    ),
                )
            with k[2]:
                kpi(
                    t("usage.kpi.change", lang),
                    fmt_signed_int(comp.change_count, lang) if comp.change_count is not None else t("usage.na", lang),
                )
            with k[3]:
                pct_text = (
                    fmt_pct(comp.change_pct, lang, signed=True) if comp.change_pct is not None else t("usage.na", lang)
                )
                kpi(t("usage.kpi.change_pct", lang), pct_text)
            st.caption(
                t(
                    "usage.compare.what",
                    lang,
                    metric=cmp_name,
                    jur=", ".join(t(f"jurisdiction.{j}", lang) for j in jurs)
                    if series_key != "portal"
                    else t("usage.whole_portal", lang),
                )
            )
            if comp.previous.total_count == 0:
                st.caption(t("usage.compare.prev_zero", lang))
            for label, p in ((cur_label, comp.current), (prev_label, comp.previous)):
                if not p.complete:
                    st.warning(
                        t(
                            "usage.compare.incomplete",
                            lang,
                            period=label,
                            n=p.months_with_data,
                            of=p.months_expected,
                            missing=", ".join(mfmt(d) for d in p.missing_months[:6])
                            + ("…" if len(p.missing_months) > 6 else ""),
                        )
                    )
            partial = [d for d in (cur[1], prev[1]) if series_key == "open_maps" and d == pd.Timestamp("2026-07-01")]
            if partial:
                st.warning(t("usage.compare.partial", lang, month=mfmt(partial[0])))
            crossed = breaks_crossed(min(cur[0], prev[0]), max(cur[1], prev[1]), cmp_metric, PORTAL_BREAKS)
            if crossed:
                since_c = comparable_since(max(cur[1], prev[1]), cmp_metric, PORTAL_BREAKS)
                st.warning(
                    t(
                        "usage.compare.crosses",
                        lang,
                        breaks="; ".join(t(f"break.{b.key}.title", lang) for b in crossed),
                        month=mfmt(since_c),
                    )
                )
            else:
                st.caption(t("usage.compare.no_break", lang))
            scope_note(jur=series_key != "portal", months=False)
            source_chip(lang, src_name(cmp_src), src_asof(cmp_src))
            st.caption(uv.measured_by(portal, (cmp_src,), lang))

        # ================================================================== 3. growth calculator
        st.header(t("usage.section.growth", lang))
        gyears = list(range(2013, max(2026, int(monthly_ext["last"].max().year)) + 1))
        gl, gr = st.columns(2)
        with gl:
            y1, y2 = st.columns(2)
            with y1:
                url_state("usage_growth_a", gyears, 2024)
                ya = st.selectbox(
                    t("usage.growth.year_a", lang),
                    gyears,
                    placeholder=PICK,
                    key="usage_growth_a",
                    index=pos("usage_growth_a", gyears),
                )
            with y2:
                url_state("usage_growth_b", gyears, 2025)
                yb = st.selectbox(
                    t("usage.growth.year_b", lang),
                    gyears,
                    placeholder=PICK,
                    key="usage_growth_b",
                    index=pos("usage_growth_b", gyears),
                )
            g = average_monthly_growth(cmp_df, "value_count", int(ya), int(yb)) if not cmp_df.empty else None
            st.markdown(t("usage.growth.formula", lang, metric=cmp_name, a=ya, b=yb))
            if g is not None and g.avg_a_count is not None and g.avg_b_count is not None:
                st.markdown(
                    t(
                        "usage.growth.filled",
                        lang,
                        avg_a=fmt_int(g.avg_a_count, lang),
                        avg_b=fmt_int(g.avg_b_count, lang),
                        pct=fmt_pct(g.change_pct, lang, signed=True)
                        if g.change_pct is not None
                        else t("usage.na", lang),
                    )
                )
                st.caption(t("usage.growth.months", lang, a=ya, na=g.months_a, b=yb, nb=g.months_b))
                crossed = breaks_crossed(
                    pd.Timestamp(min(ya, yb), 1, 1), pd.Timestamp(max(ya, yb), 12, 1), cmp_metric, PORTAL_BREAKS
                )
                if crossed:
                    last_month = pd.Timestamp(max(ya, yb), 12, 1)
                    st.warning(
                        t(
                            "usage.compare.crosses",
                            lang,
                            breaks="; ".join(t(f"break.{b.key}.title", lang) for b in crossed),
                            month=mfmt(comparable_since(last_month, cmp_metric, PORTAL_BREAKS)),
                        )
                    )
            else:
                missing_years = [
                    y for y, v in ((ya, g.avg_a_count if g else None), (yb, g.avg_b_count if g else None)) if v is None
                ]
                st.info(
                    t(
                        "usage.growth.not_covered",
                        lang,
                        years=", ".join(str(y) for y in missing_years),
                        metric=cmp_name,
                        span=span(cmp_df["month_start"].min(), cmp_df["month_start"].max())
                        if not cmp_df.empty
                        else "–",
                    )
                )
            st.caption(t("usage.growth.series", lang, series=series_label(series_key)))
            scope_note(jur=series_key != "portal", months=False)
        with gr:
            facts = ud.impact_facts(url=db)
            if not IS_FED:  # the cited claim is about open.canada.ca's downloads
                facts = facts.iloc[0:0]
            claim = facts[(facts["unit"] == "percent") & (facts["value"] == 75) & facts["id"].str.contains("download")]
            if not claim.empty:
                f = claim.iloc[0]
                with st.container(border=True):
                    st.markdown(f"**{t('usage.growth.claim', lang)}**")
                    st.markdown(f"> {f[f'statement_{lang}']}")
                    st.caption(
                        t(
                            "fact.citation",
                            lang,
                            document=f[f"document_{lang}"],
                            date=str(pd.Timestamp(f["document_date"]).year) if pd.notna(f["document_date"]) else "–",
                        )
                    )
                    dl = ext[
                        (ext["metric"] == "downloads")
                        & (ext["grain"] == "month")
                        & ext["dimension"].isin(("total", "jurisdiction"))
                    ]
                    covers = any((r["first"].year <= 2015 and r["last"].year >= 2017) for _, r in dl.iterrows())
                    spans = fmt_list([span(r["first"], r["last"]) for _, r in dl.sort_values("first").iterrows()], lang)
                    st.markdown(
                        t("usage.growth.claim_check_ok" if covers else "usage.growth.claim_check_no", lang, spans=spans)
                    )
        st.subheader(t("usage.section.fy", lang))
        fiscal = ud.fiscal_totals(portal, url=db)
        fig_fy = uv.fiscal_figure(fiscal, lang)
        if fig_fy is not None:
            scope_note(months=False)
            show_fig(fig_fy, "usage_fy")
        else:
            no_data("fiscal")


with tabs[2]:
    if open_tab == "datasets" and not IS_FED:
        # ================================================================== 4b. open.yukon.ca's packages
        st.header(t("usage.section.yt_top", lang, portal=PORTAL))
        y1, y2, y3 = st.columns([1, 1, 1])
        with y1:
            url_state("usage_yt_window", uv.YT_WINDOWS, "cumulative")
            yt_window = st.radio(
                t("usage.yt.window", lang),
                uv.YT_WINDOWS,
                key="usage_yt_window",
                index=pos("usage_yt_window", uv.YT_WINDOWS),
                format_func=lambda w: t(f"usage.yt.window.{w}", lang),
            )
        with y2:
            url_state("usage_yt_type", uv.YT_TYPE_FILTERS, "all")
            yt_type = st.radio(
                t("usage.yt.type_filter", lang),
                uv.YT_TYPE_FILTERS,
                key="usage_yt_type",
                index=pos("usage_yt_type", uv.YT_TYPE_FILTERS),
                format_func=lambda k: t(f"usage.yt.type_filter.{k}", lang),
            )
        with y3:
            n_default = url_state("usage_top_n", uv.TOP_NS, 10)
            yt_n = st.select_slider(t("usage.yt.n", lang), uv.TOP_NS, value=n_default, key="usage_top_n")
        fig_top = ud.yt_top_figure(portal, str(yt_window), str(yt_type), int(yt_n), lang, url=db)
        if fig_top is None:
            st.info(t("usage.yt.no_downloads", lang, portal=PORTAL))
        else:
            show_fig(fig_top, "usage_yt_top")
            if lang != "en":
                st.caption(t("usage.yt.titles_english", lang))
        st.subheader(t("usage.section.yt_created", lang, portal=PORTAL))
        by_type = ud.by_dimension("packages", "snapshot", "type", portal, url=db)
        if not by_type.empty:
            st.markdown(uv.yt_types_line(by_type, lang))
        fig_d, fig_c = ud.yt_created_figures(portal, lang, url=db)
        if fig_d is not None:
            show_fig(fig_d, "usage_yt_datasets_created")
        if fig_c is not None:
            show_fig(fig_c, "usage_yt_created")
        else:
            no_data("created")
        st.subheader(t("usage.section.daily", lang))
        no_data("daily")
    elif open_tab == "datasets":
        # ================================================================== 4. top datasets
        st.header(t("usage.section.top", lang))
        t1, t2, t3 = st.columns([1, 2, 1])
        with t1:
            url_state("usage_top_src", tuple(uv.TOP_SRC), "events")
            top_src = st.radio(
                t("usage.top.source", lang),
                tuple(uv.TOP_SRC),
                key="usage_top_src",
                index=pos("usage_top_src", tuple(uv.TOP_SRC)),
                format_func=lambda s: t(f"usage.top.source.{s}", lang),
            )
        top_metric = uv.TOP_SRC[top_src][0]
        top_months = ud.months_with_dataset_rows(top_metric, portal, url=db)["month_start"].tolist()
        top_cov = months_covered(ud.dataset_month_notes(top_metric, portal, url=db))
        top_default = default_top_month(top_cov)  # the latest complete month, not the source's running one
        with t2:
            if len(top_months) > 1:
                mopts = [d.strftime("%Y-%m") for d in top_months]
                dm = top_default.strftime("%Y-%m") if top_default is not None else mopts[-1]
                dm = dm if dm in mopts else mopts[-1]
                period_default = url_state(f"usage_top_range_{top_src}", mopts, (dm, dm), "pair")
                ta, tb = st.select_slider(
                    t("usage.top.period", lang),
                    mopts,
                    value=period_default,
                    key=f"usage_top_range_{top_src}",
                    format_func=lambda v: mfmt(ym(v)),
                )
                top_start, top_end = ym(ta), ym(tb)
            elif top_months:
                top_start = top_end = pd.Timestamp(top_months[0])
                st.markdown(t("usage.top.single_month", lang, month=mfmt(top_start)))
            else:
                top_start = top_end = start
        with t3:
            n_default = url_state("usage_top_n", uv.TOP_NS, 10)
            top_n_val = st.select_slider(t("usage.top.n", lang), uv.TOP_NS, value=n_default, key="usage_top_n")
        # top list, least-used list and total in one query over the period's dataset rows
        rank, least, grand = uv.split_top(
            ud.dataset_top(top_metric, to_date(top_start), to_date(top_end), top_n_val, dept_en, portal, url=db)
        )
        if dept_slug:
            st.caption(t("usage.top.dept_filter", lang, dept=org_label.get(dept_slug, dept_slug)))
        if rank.empty:
            st.info(t("usage.top.none", lang))
        else:
            rank = uv.with_labels(rank, lang)
            scope_note(dept=True, months=False)
            partial = uv.partial_months_note(top_cov, top_start, top_end, lang)
            if partial:
                st.caption(" ".join([t("usage.top.partial.intro", lang), "; ".join(partial)]) + ".")
            untitled = uv.untitled_note(rank, lang)
            if untitled:
                st.caption(untitled)
            show_fig(uv.top_figure(rank, grand, top_src, top_start, top_end, lang), "usage_top")
            st.subheader(t("usage.top.least", lang, n=len(least)))
            st.caption(t("usage.top.least_note", lang))
            grid(
                uv.ds_table(least, grand, top_metric, top_src, lang),
                hide_index=True,
                width="stretch",
                key="usage_least_table",
            )
            # history of one dataset
            ids = rank["dataset_id"].tolist()
            labels = dict(zip(rank["dataset_id"], rank["label"], strict=True))
            url_state("usage_ds", ids, ids[0])
            ds = st.selectbox(
                t("usage.top.history_pick", lang),
                ids,
                placeholder=PICK,
                key="usage_ds",
                index=pos("usage_ds", ids),
                format_func=lambda i: labels.get(i, i),
            )
            hist = ud.dataset_history(ds, portal, url=db)
            if len(hist) > 1:
                show_fig(uv.history_figure(hist, labels.get(ds, ds), lang), "usage_history")
            else:
                st.caption(t("usage.top.no_history", lang))
        st.subheader(t("usage.section.daily", lang))
        days = ud.daily("download_events", portal=portal, url=db)
        days_shown = days[(days["day"] >= start) & (days["day"] < end + pd.offsets.MonthBegin(1))]
        if not days_shown.empty:
            scope_note()
            show_fig(uv.daily_figure(days_shown, srcs, lang), "usage_daily")
        # open.yukon.ca's blocks, for whoever looks for them here
        st.subheader(t("usage.section.yt_created_any", lang))
        no_data("created", quiet=True)

with tabs[3]:
    if open_tab == "departments" and not IS_FED:
        st.header(t("usage.section.departments", lang))
        no_data("departments")
    elif open_tab == "departments":
        # ================================================================== 5. departments
        st.header(t("usage.section.departments", lang))
        by_dept = ud.datasets_by_department(portal, url=db)
        # one under the other, full width: side by side, long department names left the bars no room
        d1, d2 = st.container(), st.container()
        with d1:
            if not by_dept.empty:
                scope_note(dept=True, months=False)
                show_fig(uv.dept_figure(by_dept, lang), "usage_dept")
                if dept_slug:
                    row = by_dept.reset_index(drop=True)
                    hit = row.index[row["slug"] == dept_slug]
                    if len(hit):
                        kpi(
                            org_label.get(dept_slug, dept_slug),
                            fmt_int(row.loc[hit[0], "datasets_count"], lang),
                            delta=t("usage.dept.rank", lang, rank=int(hit[0]) + 1, n=len(row)),
                            delta_color="off",
                            delta_arrow="off",
                        )
        with d2:
            nn = ud.net_new_by_department(to_date(start), to_date(end), None, portal, url=db)
            if nn.empty:
                st.info(t("usage.dept.no_net_new", lang, span=span(start, end)))
            else:
                nn_ext = ext[ext["metric"] == "net_new_datasets"]
                nn_span = span(max(start, nn_ext["first"].min()), min(end, nn_ext["last"].max()))
                scope_note(dept=True)
                show_fig(uv.net_new_figure(nn, nn_span, lang), "usage_net_new")
                if dept_slug:
                    dm = ud.monthly(
                        "net_new_datasets",
                        "department",
                        keys=(dept_slug,),
                        start=to_date(start),
                        end=to_date(end),
                        portal=portal,
                        url=db,
                    )
                    if dm.empty:
                        st.caption(t("usage.dept.no_net_new_for", lang, dept=org_label.get(dept_slug, dept_slug)))
                    else:
                        st.markdown(
                            t(
                                "usage.dept.net_new_for",
                                lang,
                                dept=org_label.get(dept_slug, dept_slug),
                                total=fmt_signed_int(dm["value_count"].sum(), lang),
                                span=nn_span,
                            )
                        )
                        grid(
                            pd.DataFrame(
                                {
                                    t("axis.month", lang): dm["month_start"].map(mfmt),
                                    t("usage.axis.net_new", lang): dm["value_count"].map(
                                        lambda v: fmt_signed_int(v, lang)
                                    ),
                                }
                            ),
                            hide_index=True,
                            width="stretch",
                            key="usage_dept_months",
                        )

with tabs[4]:
    if open_tab == "geo":
        # ================================================================== 6. provinces and countries
        st.header(t("usage.section.geo", lang))
        reg = ud.cumulative("region", portal=portal, url=db)
        reg_span = None
        if not reg.empty:
            reg_span = uv.cumulative_span(reg, lang)
            scope_note(months=False)
            show_fig(uv.region_figure(reg, data_dir() / GEOJSON, lang), "usage_map")

        cty = ud.cumulative("country", portal=portal, url=db)
        if not cty.empty:
            scope_note(months=False)
            show_fig(uv.country_figure(cty, reg_span or uv.cumulative_span(cty, lang), lang), "usage_country")
        if reg.empty and cty.empty:
            no_data("geo")

with tabs[5]:
    if open_tab == "jurisdiction":
        # ================================================================== 7. by jurisdiction
        st.header(t("usage.section.jurisdiction", lang))
        if IS_FED:
            st.caption(t("def.jurisdiction_field", lang))
        else:
            no_data("jurisdiction")
        for jm, *_ in uv.JUR_METRICS if IS_FED else ():
            df = ud.monthly(jm, "jurisdiction", keys=jurs, portal=portal, by_key=True, url=db)
            if df.empty:
                continue
            fig_j = uv.jurisdiction_figure(df, jm, start, end, lang)
            if fig_j is None:
                st.caption(t("usage.no_data_for", lang, metric=t(f"def.{jm}.term", lang), span=span(start, end)))
                continue
            scope_note(jur=True)
            show_fig(fig_j, f"usage_jur_{jm}")


URL.write()
