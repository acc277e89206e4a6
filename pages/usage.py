"""Portal usage: visits and downloads over time, period comparisons, growth, top datasets,
departments, provinces and countries, jurisdictions. Filters live in the URL (keys usage_*)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from babel import Locale

import opengov.app_data.usage as ud
from metrics.usage import (
    BREAKS,
    average_monthly_growth,
    breaks_crossed,
    comparable_since,
    compare_periods,
    comparison_periods,
    fiscal_year_start,
    month_coverage,
    month_grid,
    rolling_average,
    shares,
    to_date,
)
from opengov import app_data, charts, charts_usage
from opengov.config import data_dir
from opengov.i18n import (
    fmt_date,
    fmt_fiscal_year,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_signed_int,
    t,
)
from opengov.loaders import GEOJSON
from opengov.ui import chart_block as _chart_block
from opengov.ui import current_lang, ensure_frame, kpi, plotly_block, source_chip

ensure_frame()
lang = current_lang()
db = app_data.url()
JUR = ("federal", "provincial", "municipal", "user")
METRICS = ("downloads", "visits")

st.title(t("page.usage.title", lang))
st.markdown(t("page.usage.intro", lang))

srcs = ud.source_dates(url=db).set_index("id")


def src_name(*ids: str) -> str:
    return "; ".join(str(srcs.loc[i, f"title_{lang}"]) for i in ids if i in srcs.index)


def src_asof(*ids: str) -> dt.date | None:
    dates = [srcs.loc[i, "as_of"] for i in ids if i in srcs.index and pd.notna(srcs.loc[i, "as_of"])]
    return max(dates) if dates else None


def month_opts(first: pd.Timestamp, last: pd.Timestamp) -> list[str]:
    return [d.strftime("%Y-%m") for d in pd.date_range(first, last, freq="MS")]


def ym(value: str) -> pd.Timestamp:
    return pd.Timestamp(f"{value}-01")


def mfmt(value: object) -> str:
    return fmt_month(pd.Timestamp(value).date(), lang)


def span(first: object, last: object) -> str:
    return t("usage.span", lang, start=mfmt(first), end=mfmt(last))


# ------------------------------------------------------------------ URL state
# Every filter is kept in the URL (?usage_...=...), so a copied link reproduces the view. The URL is
# read once per session (invalid values fall back to the default, without error) and written back
# on every run; a value equal to its default is left out of the URL. (Streamlit's own widget
# binding to query parameters stores the *displayed label* when format_func is used, which changes
# with the language, so it is not used here.)
_URL: dict[str, object] = {}


def url_state(key: str, options: list | tuple, default: object, kind: str = "one") -> None:
    """Seed/validate st.session_state[key] for a widget; kind: one | many | pair (a range)."""
    by_str = {str(o): o for o in options}
    pos = {str(o): i for i, o in enumerate(options)}

    def valid(v: object) -> bool:
        if kind == "one":
            return str(v) in by_str
        vals = list(v) if isinstance(v, (list, tuple)) else []
        if kind == "pair":
            return len(vals) == 2 and all(str(x) in by_str for x in vals) and pos[str(vals[0])] <= pos[str(vals[1])]
        return bool(vals) and all(str(x) in by_str for x in vals)

    if key in st.session_state:
        value = st.session_state[key]
    elif kind == "one":
        value = by_str.get(str(st.query_params.get(key)), default)
    else:
        raw = [part for v in st.query_params.get_all(key) for part in str(v).split(",") if part]
        value = [by_str[r] for r in dict.fromkeys(raw) if r in by_str]
        value = tuple(value) if kind == "pair" else value
    if not valid(value):
        value = default
    st.session_state[key] = tuple(value) if kind == "pair" else value
    _URL[key] = (default, kind)


def write_url() -> None:
    """Write the filters of this run back to the URL."""
    for key, (default, kind) in _URL.items():
        value = st.session_state.get(key, default)
        same = (list(value) == list(default)) if kind != "one" else value == default
        if same:
            if key in st.query_params:
                del st.query_params[key]
        else:
            st.query_params[key] = [str(v) for v in value] if kind != "one" else str(value)


# ================================================================== filters
with st.container(border=True):
    st.subheader(t("usage.filters", lang))
    f1, f2, f3 = st.columns([1, 1, 2])
    with f1:
        url_state("usage_metric", METRICS, "downloads")
        metric = st.radio(t("usage.filter.metric", lang), METRICS, key="usage_metric", horizontal=True,
                          format_func=lambda v: t(f"usage.metric.{v}", lang))
    portals = ud.portals_with_usage(url=db)
    portal_ids = portals["portal_id"].tolist() or ["canada"]
    with f2:
        url_state("usage_portal", portal_ids, portal_ids[0])
        portal = st.selectbox(t("usage.filter.portal", lang), portal_ids, key="usage_portal",
                              format_func=lambda p: t("usage.portal.canada", lang) if p == "canada" else p)
    with f3:
        st.caption(t("usage.portal_note", lang))
    g1, g2, g3 = st.columns([1, 1, 2])
    with g1:
        url_state("usage_jur", JUR, list(JUR), "many")
        jur_sel = st.multiselect(t("usage.filter.jurisdiction", lang), JUR, key="usage_jur", format_func=lambda j: t(f"jurisdiction.{j}", lang))
    orgs = ud.organizations(url=db)
    orgs = orgs.assign(label=orgs[f"name_{lang}"]).sort_values("label", key=lambda s: s.str.lower())
    org_label = dict(zip(orgs["slug"], orgs["label"]))
    with g2:
        url_state("usage_dept", ["all", *orgs["slug"]], "all")
        dept = st.selectbox(t("usage.filter.department", lang), ["all", *orgs["slug"]], key="usage_dept",
                            format_func=lambda s: t("usage.all_departments", lang) if s == "all" else org_label[s])
    ext = ud.extent(url=db)
    monthly_ext = ext[ext["grain"] == "month"]
    all_months = month_opts(monthly_ext["first"].min(), monthly_ext["last"].max())
    with g3:
        url_state("usage_range", all_months, (all_months[0], all_months[-1]), "pair")
        r0, r1 = st.select_slider(t("usage.filter.range", lang), all_months, key="usage_range", format_func=lambda v: mfmt(ym(v)))
    jurs = tuple(j for j in JUR if j in jur_sel) or JUR
    if not jur_sel:
        st.caption(t("usage.no_jurisdiction_selected", lang))
    start, end = ym(r0), ym(r1)
    dept_slug = None if dept == "all" else dept
    dept_en = str(orgs.set_index("slug").loc[dept_slug, "name_en"]) if dept_slug else None

metric_name = t(f"usage.metric.{metric}", lang)
FILTERS = {"metric": metric, "jurisdiction": "+".join(jurs), "department": dept, "from": r0, "to": r1}


def chart_block(chart, **kw) -> None:
    """ui.chart_block with this page's filters in the export file names."""
    _chart_block(chart, filters=FILTERS, **kw)

jur_metric = "downloads" if metric == "downloads" else "dataset_page_visits"


def in_range(df: pd.DataFrame, col: str = "month_start") -> pd.DataFrame:
    return df[(df[col] >= start) & (df[col] <= end)]


def break_rules(metric_key: str) -> pd.DataFrame:
    rows = [{"date": b.date, "label": t(f"break.{b.key}.title", lang)} for b in BREAKS
            if metric_key in b.metrics and start <= b.date <= end]
    return pd.DataFrame(rows, columns=["date", "label"])


# ================================================================== tabs (only the open one is rendered)
portal_series = ud.monthly(metric, "total", portal=portal, url=db)
jur_series = ud.monthly(jur_metric, "jurisdiction", keys=jurs, portal=portal, url=db)
TABS = ("time", "compare", "datasets", "departments", "geo", "jurisdiction")
tab_labels = {k: t(f"usage.tab.{k}", lang) for k in TABS}
wanted_tab = st.query_params.get("usage_tab", "time")
tabs = st.tabs([tab_labels[k] for k in TABS], key=f"usage_tab_{lang}", on_change="rerun",
               default=tab_labels.get(wanted_tab, tab_labels["time"]))
open_tab = next((k for k, tb in zip(TABS, tabs) if tb.open), "time")
if open_tab == "time":
    st.query_params.pop("usage_tab", None)
else:
    st.query_params["usage_tab"] = open_tab

with tabs[0]:
    if open_tab == "time":
        # ================================================================== 1. monthly series
        st.header(t("usage.section.monthly", lang))
        label_portal = t(f"usage.series.portal_{metric}", lang)
        label_jur = t(f"usage.series.jur_{metric}", lang)
        label_roll = t("usage.series.rolling", lang)
        label_monthly = t("usage.series.monthly", lang)
        parts, table_parts, alt_parts = [], [], []
        for label, frame in ((label_portal, portal_series), (label_jur, jur_series)):
            if frame.empty:
                continue
            roll = rolling_average(frame.rename(columns={"value_count": "value"}), "value", window=12, out_col="rolling")
            shown = in_range(roll)
            if shown["value"].notna().sum() == 0:
                continue
            parts.append(pd.DataFrame({"month_start": shown["month_start"], "series": label, "kind": label_monthly,
                                       "value_count": shown["value"]}))
            if shown["rolling"].notna().any():
                parts.append(pd.DataFrame({"month_start": shown["month_start"], "series": label, "kind": label_roll,
                                           "value_count": shown["rolling"]}))
            table_parts.append(shown.assign(series=label))
            valid = shown.dropna(subset=["value"])
            peak = valid.loc[valid["value"].idxmax()]
            last_roll = shown.dropna(subset=["rolling"]).tail(1)
            alt_parts.append(t("usage.alt.series", lang, series=label,
                               span=span(valid["month_start"].min(), valid["month_start"].max()), peak=fmt_int(peak["value"], lang),
                               peak_month=mfmt(peak["month_start"]), months=fmt_int(len(valid), lang),
                               gaps=fmt_int(int(shown["value"].isna().sum()), lang))
                             + (" " + t("usage.alt.rolling", lang, value=fmt_int(last_roll["rolling"].iloc[0], lang),
                                        month=mfmt(last_roll["month_start"].iloc[0])) if len(last_roll) else ""))
        rules = break_rules(metric)
        if parts:
            data = pd.concat(parts, ignore_index=True)
            chart = charts_usage.series_chart(
                data, x="month_start", y="value_count", series="series", dashed="kind", breaks=rules, height=300,
                dashed_title=t("usage.axis.line", lang),
                title=t("usage.chart.monthly.title", lang, metric=metric_name), x_title=t("axis.month", lang),
                y_title=metric_name, series_title=t("usage.axis.series", lang), lang=lang)
            tbl = pd.concat(table_parts, ignore_index=True)
            table = pd.DataFrame({t("axis.month", lang): tbl["month_start"].map(mfmt),
                                  t("usage.axis.series", lang): tbl["series"],
                                  metric_name: tbl["value"].map(lambda v: fmt_int(v, lang)),
                                  label_roll: tbl["rolling"].map(lambda v: fmt_int(v, lang))})
            alt_text = t("usage.alt.monthly", lang, metric=metric_name.lower(), start=mfmt(start), end=mfmt(end)) + " " + \
                " ".join(alt_parts) + " " + (t("usage.alt.breaks", lang, breaks=", ".join(rules["label"]))
                                             if len(rules) else t("usage.alt.no_breaks", lang))
            chart_block(chart, lang=lang, key="usage_monthly", alt_text=alt_text, table=table,
                        source=src_name("ogp_monthly_usage_2022_2023", f"ogp_{'downloads' if metric == 'downloads' else 'visits'}_by_jurisdiction"),
                        as_of=src_asof(f"ogp_{'downloads' if metric == 'downloads' else 'visits'}_by_jurisdiction"),
                        definition=" ".join(dict.fromkeys((t(f"def.{metric}", lang), t(f"def.{jur_metric}", lang),
                                                           t("usage.rolling_def", lang)))))
        else:
            st.info(t("usage.no_data_in_range", lang))
        since = comparable_since(end, metric)
        st.caption(t("usage.comparable_since", lang, metric=metric_name.lower(), month=mfmt(since)) if since is not None
                   else t("usage.comparable_all", lang, metric=metric_name.lower()))
        with st.expander(t("usage.breaks", lang)):
            for b in BREAKS:
                shown_note = "" if start <= b.date <= end else " " + t("usage.break_outside", lang)
                st.markdown(f"**{t(f'break.{b.key}.title', lang)}** — {t(f'break.{b.key}', lang)}{shown_note}")


with tabs[1]:
    if open_tab == "compare":
        # ================================================================== 2. period comparison
        st.header(t("usage.section.compare", lang))
        SERIES = ("jurisdiction", "portal", "open_maps")
        c1, c2 = st.columns(2)
        with c1:
            url_state("usage_series", SERIES, "jurisdiction")
            series_key = st.radio(t("usage.compare.series", lang), SERIES, key="usage_series",
                                  format_func=lambda s: t(f"usage.compare.series.{s}", lang, metric=metric_name))
        with c2:
            url_state("usage_cmp", ("month", "calendar", "fiscal", "custom"), "month")
            mode = st.radio(t("usage.compare.mode", lang), ("month", "calendar", "fiscal", "custom"), key="usage_cmp",
                            horizontal=True, format_func=lambda m_: t(f"usage.compare.mode.{m_}", lang))
        if series_key == "portal":
            cmp_df, cmp_metric, cmp_src = portal_series, metric, "ogp_monthly_usage_2022_2023"
        elif series_key == "open_maps":
            cmp_df = ud.monthly("open_maps_views", "jurisdiction", keys=jurs, portal=portal, url=db)
            cmp_metric, cmp_src = "open_maps_views", "ogp_openmaps_by_jurisdiction"
        else:
            cmp_df, cmp_metric = jur_series, jur_metric
            cmp_src = "ogp_downloads_by_jurisdiction" if metric == "downloads" else "ogp_visits_by_jurisdiction"
        cmp_name = t(f"def.{cmp_metric}.term", lang)
        if cmp_df.empty:
            st.info(t("usage.no_data_in_range", lang))
        else:
            s_first, s_last = cmp_df["month_start"].min(), cmp_df["month_start"].max()
            s_months = month_opts(s_first, s_last)
            years = sorted({d.year for d in pd.date_range(s_first, s_last, freq="MS")}, reverse=True)
            fys = sorted({fiscal_year_start(d) for d in pd.date_range(s_first, s_last, freq="MS")}, reverse=True)
            full_years = [y for y in years if s_first <= pd.Timestamp(y, 1, 1) and pd.Timestamp(y, 12, 1) <= s_last] or years
            full_fys = [y for y in fys if s_first <= pd.Timestamp(y, 4, 1) and pd.Timestamp(y + 1, 3, 1) <= s_last] or fys
            if mode == "month":
                url_state(f"usage_cmp_month_{series_key}", list(reversed(s_months)), s_months[-1])
                anchor = st.selectbox(t("usage.compare.month", lang), list(reversed(s_months)),
                                      key=f"usage_cmp_month_{series_key}", format_func=lambda v: mfmt(ym(v)))
                cur, prev = comparison_periods("month", ym(anchor))
            elif mode == "calendar":
                url_state(f"usage_cmp_year_{series_key}", years, full_years[0])
                anchor = st.selectbox(t("usage.compare.year", lang), years, key=f"usage_cmp_year_{series_key}")
                cur, prev = comparison_periods("calendar", anchor)
            elif mode == "fiscal":
                url_state(f"usage_cmp_fy_{series_key}", fys, full_fys[0])
                anchor = st.selectbox(t("usage.compare.fy", lang), fys, key=f"usage_cmp_fy_{series_key}",
                                      format_func=lambda y: fmt_fiscal_year(y, lang))
                cur, prev = comparison_periods("fiscal", anchor)
            else:
                k1, k2 = st.columns(2)
                half = max(0, len(s_months) // 2)
                with k1:
                    url_state(f"usage_cmp_cur_{series_key}", s_months, (s_months[half], s_months[-1]), "pair")
                    a0, a1 = st.select_slider(t("usage.compare.current", lang), s_months,
                                              key=f"usage_cmp_cur_{series_key}", format_func=lambda v: mfmt(ym(v)))
                with k2:
                    url_state(f"usage_cmp_prev_{series_key}", s_months, (s_months[0], s_months[max(0, half - 1)]), "pair")
                    b0, b1 = st.select_slider(t("usage.compare.previous", lang), s_months,
                                              key=f"usage_cmp_prev_{series_key}", format_func=lambda v: mfmt(ym(v)))
                cur, prev = (ym(a0), ym(a1)), (ym(b0), ym(b1))
            comp = compare_periods(cmp_df, "value_count", cur, prev)

            def plabel(p: tuple[pd.Timestamp, pd.Timestamp]) -> str:
                if mode == "fiscal":
                    return fmt_fiscal_year(fiscal_year_start(p[0]), lang)
                if mode == "calendar":
                    return str(p[0].year)
                return mfmt(p[0]) if p[0] == p[1] else span(*p)

            st.markdown(t("usage.compare.periods", lang, cur=plabel(cur), prev=plabel(prev)))
            k = st.columns(4)
            with k[0]:
                kpi(plabel(cur), fmt_int(comp.current.total_count, lang),
                    help=t("usage.kpi.months_help", lang, n=comp.current.months_with_data, of=comp.current.months_expected))
            with k[1]:
                kpi(plabel(prev), fmt_int(comp.previous.total_count, lang),
                    help=t("usage.kpi.months_help", lang, n=comp.previous.months_with_data, of=comp.previous.months_expected))
            with k[2]:
                kpi(t("usage.kpi.change", lang), fmt_signed_int(comp.change_count, lang) if comp.change_count is not None else t("usage.na", lang))
            with k[3]:
                pct_text = fmt_pct(comp.change_pct, lang, signed=True) if comp.change_pct is not None else t("usage.na", lang)
                kpi(t("usage.kpi.change_pct", lang), pct_text)
            st.caption(t("usage.compare.what", lang, metric=cmp_name, jur=", ".join(t(f"jurisdiction.{j}", lang) for j in jurs)
                         if series_key != "portal" else t("usage.whole_portal", lang)))
            if comp.previous.total_count == 0:
                st.caption(t("usage.compare.prev_zero", lang))
            for label, p in ((plabel(cur), comp.current), (plabel(prev), comp.previous)):
                if not p.complete:
                    st.warning(t("usage.compare.incomplete", lang, period=label, n=p.months_with_data, of=p.months_expected,
                                 missing=", ".join(mfmt(d) for d in p.missing_months[:6])
                                 + ("…" if len(p.missing_months) > 6 else "")))
            partial = [d for d in (cur[1], prev[1]) if series_key == "open_maps" and d == pd.Timestamp("2026-07-01")]
            if partial:
                st.warning(t("usage.compare.partial", lang, month=mfmt(partial[0])))
            crossed = breaks_crossed(min(cur[0], prev[0]), max(cur[1], prev[1]), cmp_metric)
            if crossed:
                since_c = comparable_since(max(cur[1], prev[1]), cmp_metric)
                st.warning(t("usage.compare.crosses", lang, breaks="; ".join(t(f"break.{b.key}.title", lang) for b in crossed),
                             month=mfmt(since_c)))
            else:
                st.caption(t("usage.compare.no_break", lang))
            source_chip(lang, src_name(cmp_src), src_asof(cmp_src))

        # ================================================================== 3. growth calculator
        st.header(t("usage.section.growth", lang))
        gyears = list(range(2013, max(2026, int(monthly_ext["last"].max().year)) + 1))
        gl, gr = st.columns(2)
        with gl:
            y1, y2 = st.columns(2)
            with y1:
                url_state("usage_growth_a", gyears, 2024)
                ya = st.selectbox(t("usage.growth.year_a", lang), gyears, key="usage_growth_a")
            with y2:
                url_state("usage_growth_b", gyears, 2025)
                yb = st.selectbox(t("usage.growth.year_b", lang), gyears, key="usage_growth_b")
            g = average_monthly_growth(cmp_df, "value_count", int(ya), int(yb)) if not cmp_df.empty else None
            st.markdown(t("usage.growth.formula", lang, metric=cmp_name, a=ya, b=yb))
            if g is not None and g.avg_a_count is not None and g.avg_b_count is not None:
                st.markdown(t("usage.growth.filled", lang, avg_a=fmt_int(g.avg_a_count, lang), avg_b=fmt_int(g.avg_b_count, lang),
                              pct=fmt_pct(g.change_pct, lang, signed=True) if g.change_pct is not None else t("usage.na", lang)))
                st.caption(t("usage.growth.months", lang, a=ya, na=g.months_a, b=yb, nb=g.months_b))
                crossed = breaks_crossed(pd.Timestamp(min(ya, yb), 1, 1), pd.Timestamp(max(ya, yb), 12, 1), cmp_metric)
                if crossed:
                    st.warning(t("usage.compare.crosses", lang, breaks="; ".join(t(f"break.{b.key}.title", lang) for b in crossed),
                                 month=mfmt(comparable_since(pd.Timestamp(max(ya, yb), 12, 1), cmp_metric))))
            else:
                missing_years = [y for y, v in ((ya, g.avg_a_count if g else None), (yb, g.avg_b_count if g else None)) if v is None]
                st.info(t("usage.growth.not_covered", lang, years=", ".join(str(y) for y in missing_years), metric=cmp_name,
                          span=span(cmp_df["month_start"].min(), cmp_df["month_start"].max()) if not cmp_df.empty else "–"))
            st.caption(t("usage.growth.series", lang, series=t(f"usage.compare.series.{series_key}", lang, metric=metric_name)))
        with gr:
            facts = app_data.impact_facts(url=db)
            claim = facts[(facts["unit"] == "percent") & (facts["value"] == 75) & facts["id"].str.contains("download")]
            if not claim.empty:
                f = claim.iloc[0]
                with st.container(border=True):
                    st.markdown(f"**{t('usage.growth.claim', lang)}**")
                    st.markdown(f"> {f[f'statement_{lang}']}")
                    st.caption(t("fact.citation", lang, document=f[f"document_{lang}"],
                                 date=str(pd.Timestamp(f["document_date"]).year) if pd.notna(f["document_date"]) else "–"))
                    dl = ext[(ext["metric"] == "downloads") & (ext["grain"] == "month") & ext["dimension"].isin(("total", "jurisdiction"))]
                    covers = any((r["first"].year <= 2015 and r["last"].year >= 2017) for _, r in dl.iterrows())
                    spans = "; ".join(span(r["first"], r["last"]) for _, r in dl.sort_values("first").iterrows())
                    st.markdown(t("usage.growth.claim_check_ok" if covers else "usage.growth.claim_check_no", lang, spans=spans))
        st.subheader(t("usage.section.fy", lang))
        fy = ud.fiscal_totals(url=db)
        fy = fy[fy["metric"].isin(METRICS)].copy()
        if not fy.empty:
            fy["fy_label"] = [fmt_fiscal_year(fiscal_year_start(s_), lang) + ("" if g == "fiscal_year" else " " + t("usage.to_date", lang))
                              for s_, g in zip(fy["period_start"], fy["grain"])]
            fytd_end = fy.loc[fy["grain"] == "fytd", "period_end"]
            fy["metric_label"] = fy["metric"].map(lambda v: t(f"usage.metric.{v}", lang))
            order = list(dict.fromkeys(fy.sort_values("period_start")["fy_label"]))
            chart = charts_usage.grouped_bars(fy, category="fy_label", value="value_count", group="metric_label",
                                              title=t("usage.chart.fy.title", lang), category_title=t("def.fiscal_year.term", lang),
                                              value_title=t("usage.axis.count", lang), group_title=t("usage.axis.metric", lang),
                                              lang=lang, category_order=order)
            wide = fy.pivot_table(index=["period_start", "fy_label"], columns="metric", values="value_count").reset_index()
            table = pd.DataFrame({t("def.fiscal_year.term", lang): wide["fy_label"],
                                  **{t(f"usage.metric.{m_}", lang): wide[m_].map(lambda v: fmt_int(v, lang)) for m_ in METRICS if m_ in wide}})
            vals = "; ".join(f"{r.fy_label}: {fmt_int(r.downloads, lang)} / {fmt_int(r.visits, lang)}" for r in wide.itertuples())
            chart_block(chart, lang=lang, key="usage_fy", table=table, alt_text=t("usage.alt.fy", lang, values=vals),
                        source=src_name("ogp_fiscal_totals"), as_of=src_asof("ogp_fiscal_totals"),
                        definition=t("def.fiscal_year", lang) + " " + t("break.fy2025_visits", lang)
                        + (" " + t("usage.fytd_note", lang, date=fmt_date(fytd_end.max(), lang)) if len(fytd_end) else ""))


with tabs[2]:
    if open_tab == "datasets":
        # ================================================================== 4. top datasets
        st.header(t("usage.section.top", lang))
        TOP_SRC = {"events": ("download_events", "ogp_top50_events"), "top25": ("downloads", "ogp_top25_2023_06")}
        t1, t2, t3 = st.columns([1, 2, 1])
        with t1:
            url_state("usage_top_src", tuple(TOP_SRC), "events")
            top_src = st.radio(t("usage.top.source", lang), tuple(TOP_SRC), key="usage_top_src",
                               format_func=lambda s: t(f"usage.top.source.{s}", lang))
        top_metric, top_source_id = TOP_SRC[top_src]
        top_months = ud.months_with_dataset_rows(top_metric, url=db)["month_start"].tolist()
        with t2:
            if len(top_months) > 1:
                mopts = [d.strftime("%Y-%m") for d in top_months]
                url_state(f"usage_top_range_{top_src}", mopts, (mopts[-1], mopts[-1]), "pair")
                ta, tb = st.select_slider(t("usage.top.period", lang), mopts,
                                          key=f"usage_top_range_{top_src}", format_func=lambda v: mfmt(ym(v)))
                top_start, top_end = ym(ta), ym(tb)
            elif top_months:
                top_start = top_end = pd.Timestamp(top_months[0])
                st.markdown(t("usage.top.single_month", lang, month=mfmt(top_start)))
            else:
                top_start = top_end = start
        with t3:
            url_state("usage_top_n", (5, 10, 15, 20, 25), 10)
            top_n_val = st.select_slider(t("usage.top.n", lang), (5, 10, 15, 20, 25), key="usage_top_n")
        rank = ud.dataset_ranking(top_metric, to_date(top_start), to_date(top_end), top_n_val, False, dept_en, portal, url=db)
        least = ud.dataset_ranking(top_metric, to_date(top_start), to_date(top_end), top_n_val, True, dept_en, portal, url=db)
        tot = ud.dataset_total(top_metric, to_date(top_start), to_date(top_end), portal, url=db)
        grand = float(tot["value_count"].iloc[0] or 0) if not tot.empty else 0.0
        no_title = t("usage.top.no_title", lang)


        def ds_label(r: pd.Series) -> str:
            title = r.get(f"title_{lang}") or r.get("title_en")
            return str(title) if isinstance(title, str) and title else f"{r['dataset_id']} ({no_title})"


        def ds_table(df: pd.DataFrame) -> pd.DataFrame:
            out = pd.DataFrame({
                t("usage.axis.rank", lang): range(1, len(df) + 1),
                t("usage.axis.dataset", lang): df.apply(ds_label, axis=1),
                t("usage.axis.department", lang): df[f"organization_{lang}"].fillna("").replace("", t("usage.top.no_department", lang)),
                t(f"def.{top_metric}.term", lang): df["value_count"].map(lambda v: fmt_int(v, lang)),
                t("usage.axis.share", lang): (df["value_count"] / grand * 100 if grand else pd.Series([None] * len(df))).map(lambda v: fmt_pct(v, lang)),
                t("usage.axis.dataset_id", lang): df["dataset_id"],
            })
            if top_src == "events":
                out[t("usage.axis.days_covered", lang)] = df["note"].fillna("").str.replace("days_covered=", "", regex=False)
            return out


        period_label = mfmt(top_start) if top_start == top_end else span(top_start, top_end)
        if dept_slug:
            st.caption(t("usage.top.dept_filter", lang, dept=org_label.get(dept_slug, dept_slug)))
        if rank.empty:
            st.info(t("usage.top.none", lang))
        else:
            rank = rank.assign(label=rank.apply(ds_label, axis=1).str.slice(0, 90))
            term = t(f"def.{top_metric}.term", lang)
            chart = charts_usage.fast(charts.bar_chart(rank, "label", "value_count", title=t("usage.chart.top.title", lang, n=len(rank), period=period_label),
                                     category_title=None, value_title=term, lang=lang))
            first = rank.iloc[0]
            chart_block(chart, lang=lang, key="usage_top", table=ds_table(rank),
                        alt_text=t("usage.alt.top", lang, n=len(rank), period=period_label, metric=term.lower(), first=ds_label(first),
                                   first_value=fmt_int(first["value_count"], lang),
                                   share=fmt_pct(first["value_count"] / grand * 100 if grand else None, lang),
                                   last=ds_label(rank.iloc[-1]), last_value=fmt_int(rank.iloc[-1]["value_count"], lang)),
                        source=src_name(top_source_id), as_of=src_asof(top_source_id),
                        definition=t(f"def.{top_metric}", lang) + " " + t(f"usage.top.scope.{top_src}", lang))
            st.subheader(t("usage.top.least", lang, n=len(least)))
            st.caption(t("usage.top.least_note", lang))
            st.dataframe(ds_table(least), hide_index=True, width="stretch", key="usage_least_table")
            # history of one dataset
            ids = rank["dataset_id"].tolist()
            labels = dict(zip(rank["dataset_id"], rank["label"]))
            url_state("usage_ds", ids, ids[0])
            ds = st.selectbox(t("usage.top.history_pick", lang), ids, key="usage_ds", format_func=lambda i: labels.get(i, i))
            hist = ud.dataset_history(ds, url=db)
            if len(hist) > 1:
                hist = hist.assign(series=hist["metric"].map(lambda v: t(f"def.{v}.term", lang)))
                parts_h = []
                for _, grp in hist.groupby("series"):
                    gg = month_grid(grp, "value_count")
                    parts_h.append(gg.assign(series=grp["series"].iloc[0]))
                hdata = pd.concat(parts_h, ignore_index=True)
                chart = charts_usage.series_chart(hdata, x="month_start", y="value_count", series="series",
                                                  title=t("usage.chart.history.title", lang, dataset=labels.get(ds, ds)),
                                                  x_title=t("axis.month", lang), y_title=t("usage.axis.count", lang),
                                                  series_title=t("usage.axis.metric", lang), lang=lang, height=200)
                htable = pd.DataFrame({t("axis.month", lang): hist["month_start"].map(mfmt), t("usage.axis.metric", lang): hist["series"],
                                       t("usage.axis.count", lang): hist["value_count"].map(lambda v: fmt_int(v, lang)),
                                       t("usage.axis.rank", lang): hist["rank"].map(lambda v: fmt_int(v, lang))})
                hmax = hist.loc[hist["value_count"].idxmax()]
                chart_block(chart, lang=lang, key="usage_history", table=htable,
                            alt_text=t("usage.alt.history", lang, dataset=labels.get(ds, ds), n=len(hist),
                                       span=span(hist["month_start"].min(), hist["month_start"].max()),
                                       peak=fmt_int(hmax["value_count"], lang), peak_month=mfmt(hmax["month_start"]),
                                       metric=hmax["series"]),
                            source=src_name(*hist["source_id"].unique()), as_of=src_asof(*hist["source_id"].unique()),
                            definition=t("usage.history_def", lang))
            else:
                st.caption(t("usage.top.no_history", lang))
        st.subheader(t("usage.section.daily", lang))
        days = ud.daily("download_events", portal=portal, url=db)
        days_shown = days[(days["day"] >= start) & (days["day"] < end + pd.offsets.MonthBegin(1))]
        if not days_shown.empty:
            grid = pd.DataFrame({"day": pd.date_range(days_shown["day"].min(), days_shown["day"].max(), freq="D")})
            grid = grid.merge(days_shown, on="day", how="left")
            ev_label = t("def.download_events.term", lang)
            cov = month_coverage(days_shown.rename(columns={"value_count": "events_count"}),
                                 as_of=src_asof("ogp_daily_download_events"))
            chart = charts_usage.series_chart(
                grid.assign(series=ev_label), x="day", y="value_count", series="series", points=False,
                title=t("usage.chart.daily.title", lang), x_title=t("usage.axis.day", lang), y_title=ev_label,
                series_title=t("usage.axis.series", lang), lang=lang, time_format="%b %Y", tooltip_time_format="%x",
                height=200)
            peak = days_shown.loc[days_shown["value_count"].idxmax()]
            missing_days = int(grid["value_count"].isna().sum())
            table = pd.DataFrame({t("axis.month", lang): cov["month_start"].map(mfmt),
                                  ev_label: cov["events_count"].map(lambda v: fmt_int(v, lang)),
                                  t("usage.axis.days_with_data", lang): cov["days_with_data"].map(lambda v: fmt_int(v, lang)),
                                  t("usage.axis.days_in_month", lang): cov["days_in_month"].map(lambda v: fmt_int(v, lang)),
                                  t("usage.axis.partial", lang): cov["partial"].map(lambda p: t(f"usage.{'yes' if p else 'no'}", lang))})
            chart_block(chart, lang=lang, key="usage_daily", table=table,
                        alt_text=t("usage.alt.daily", lang, span=t("usage.span_days", lang, start=fmt_date(days_shown["day"].min(), lang),
                                                                      end=fmt_date(days_shown["day"].max(), lang)), days=fmt_int(len(days_shown), lang),
                                   missing=fmt_int(missing_days, lang), peak=fmt_int(peak["value_count"], lang),
                                   peak_day=fmt_date(peak["day"], lang)),
                        source=src_name("ogp_daily_download_events"), as_of=src_asof("ogp_daily_download_events"),
                        definition=t("def.download_events", lang) + " " + t("break.daily_gaps", lang))


with tabs[3]:
    if open_tab == "departments":
        # ================================================================== 5. departments
        st.header(t("usage.section.departments", lang))
        by_dept = ud.datasets_by_department(url=db)
        d1, d2 = st.columns(2)
        with d1:
            if not by_dept.empty:
                top_d = by_dept.head(15).assign(name=lambda d: d[f"name_{lang}"])
                snap = by_dept["snapshot_date"].iloc[0]
                chart = charts_usage.fast(charts.bar_chart(top_d, "name", "datasets_count", title=t("usage.chart.dept.title", lang, date=fmt_date(snap, lang)),
                                         category_title=t("usage.axis.department", lang), value_title=t("def.datasets.term", lang),
                                         lang=lang))
                sh = shares(by_dept.assign(name=by_dept[f"name_{lang}"]), "name", "datasets_count")
                table = pd.DataFrame({t("usage.axis.department", lang): sh["name"],
                                      t("def.datasets.term", lang): sh["datasets_count"].map(lambda v: fmt_int(v, lang)),
                                      t("usage.axis.share", lang): sh["share_pct"].map(lambda v: fmt_pct(v, lang))})
                chart_block(chart, lang=lang, key="usage_dept", table=table,
                            alt_text=t("usage.alt.dept", lang, n=fmt_int(len(by_dept), lang), total=fmt_int(by_dept["datasets_count"].sum(), lang),
                                       date=fmt_date(snap, lang), first=sh["name"].iloc[0], first_value=fmt_int(sh["datasets_count"].iloc[0], lang),
                                       share=fmt_pct(sh["share_pct"].iloc[0], lang)),
                            source=src_name("ogp_departments_2023_06"), as_of=src_asof("ogp_departments_2023_06"),
                            definition=t("def.datasets", lang))
                if dept_slug:
                    row = by_dept.reset_index(drop=True)
                    hit = row.index[row["slug"] == dept_slug]
                    if len(hit):
                        kpi(org_label.get(dept_slug, dept_slug), fmt_int(row.loc[hit[0], "datasets_count"], lang),
                            delta=t("usage.dept.rank", lang, rank=int(hit[0]) + 1, n=len(row)), delta_color="off", delta_arrow="off")
        with d2:
            nn = ud.net_new_by_department(to_date(start), to_date(end), None, url=db)
            if nn.empty:
                st.info(t("usage.dept.no_net_new", lang, span=span(start, end)))
            else:
                top_nn = nn.head(15).assign(name=lambda d: d[f"name_{lang}"])
                nn_ext = ext[ext["metric"] == "net_new_datasets"]
                nn_span = span(max(start, nn_ext["first"].min()), min(end, nn_ext["last"].max()))
                chart = charts_usage.fast(charts.bar_chart(top_nn, "name", "net_new_count", title=t("usage.chart.net_new.title", lang, span=nn_span),
                                         category_title=t("usage.axis.department", lang), value_title=t("usage.axis.net_new", lang),
                                         lang=lang))
                table = pd.DataFrame({t("usage.axis.department", lang): nn[f"name_{lang}"],
                                      t("usage.axis.net_new", lang): nn["net_new_count"].map(lambda v: fmt_signed_int(v, lang))})
                chart_block(chart, lang=lang, key="usage_net_new", table=table,
                            alt_text=t("usage.alt.net_new", lang, span=nn_span, total=fmt_signed_int(nn["net_new_count"].sum(), lang),
                                       first=nn[f"name_{lang}"].iloc[0], first_value=fmt_signed_int(nn["net_new_count"].iloc[0], lang),
                                       n=fmt_int(len(nn), lang)),
                            source=src_name("ogp_released_2022_2023"), as_of=src_asof("ogp_released_2022_2023"),
                            definition=t("usage.net_new_def", lang))
                if dept_slug:
                    dm = ud.monthly("net_new_datasets", "department", keys=(dept_slug,), start=to_date(start), end=to_date(end), url=db)
                    if dm.empty:
                        st.caption(t("usage.dept.no_net_new_for", lang, dept=org_label.get(dept_slug, dept_slug)))
                    else:
                        st.markdown(t("usage.dept.net_new_for", lang, dept=org_label.get(dept_slug, dept_slug),
                                      total=fmt_signed_int(dm["value_count"].sum(), lang), span=nn_span))
                        st.dataframe(pd.DataFrame({t("axis.month", lang): dm["month_start"].map(mfmt),
                                                   t("usage.axis.net_new", lang): dm["value_count"].map(lambda v: fmt_signed_int(v, lang))}),
                                     hide_index=True, width="stretch", key="usage_dept_months")

with tabs[4]:
    if open_tab == "geo":
        # ================================================================== 6. provinces and countries
        st.header(t("usage.section.geo", lang))
        reg = ud.cumulative("region", url=db)
        if not reg.empty:
            reg = reg.assign(name=[t(f"pt.{c}", lang) if c != "unknown" else t("usage.region.unknown", lang) for c in reg["dimension_key"]],
                             value_text=reg["value_count"].map(lambda v: fmt_int(v, lang)))
            reg_sh = shares(reg, "name", "value_count")
            mapped = reg[reg["dimension_key"] != "unknown"]
            reg_span = t("usage.span_days", lang, start=fmt_date(reg["period_start"].min(), lang), end=fmt_date(reg["period_end"].max(), lang))
            fig = charts_usage.province_choropleth(mapped, data_dir() / GEOJSON, code_col="dimension_key", value_col="value_count",
                                                   name_col="name", value_text_col="value_text",
                                                   title=t("usage.chart.map.title", lang, span=reg_span),
                                                   value_title=t("usage.metric.visits", lang), lang=lang)
            top3 = reg_sh.head(3)
            map_alt = t("usage.alt.map", lang, span=reg_span, total=fmt_int(reg["value_count"].sum(), lang),
                        top=", ".join(f"{r.name} ({fmt_int(r.value_count, lang)}, {fmt_pct(r.share_pct, lang)})" for r in top3.itertuples()),
                        low=f"{reg_sh.iloc[-1]['name']} ({fmt_int(reg_sh.iloc[-1]['value_count'], lang)})")
            plotly_block(fig, lang=lang, key="usage_map", alt_text=map_alt, attribution=t("attribution.statcan", lang),
                         table=pd.DataFrame({t("usage.axis.region", lang): reg_sh["name"],
                                             t("usage.metric.visits", lang): reg_sh["value_count"].map(lambda v: fmt_int(v, lang)),
                                             t("usage.axis.share", lang): reg_sh["share_pct"].map(lambda v: fmt_pct(v, lang))}),
                         export_table=reg_sh.rename(columns={"name": t("usage.axis.region", lang),
                                                             "value_count": t("usage.metric.visits", lang),
                                                             "share_pct": t("usage.axis.share_pct", lang)}),
                         source=src_name("ogp_regions_2023"), as_of=src_asof("ogp_regions_2023"),
                         definition=t("def.visits", lang) + " " + t("usage.cumulative_note", lang), filters=FILTERS)

        cty = ud.cumulative("country", url=db)
        if not cty.empty:
            en_terr = {v: k for k, v in Locale.parse("en").territories.items() if len(k) == 2}
            loc_terr = Locale.parse("fr_CA" if lang == "fr" else "en_CA").territories

            def country_name(n: str) -> str:
                if n == "Other":
                    return t("usage.country.other", lang)
                code = en_terr.get(n)
                return loc_terr.get(code, n) if code else n

            cty = cty.assign(name=cty["dimension_key"].map(country_name))
            c_sh = shares(cty, "name", "value_count")
            chart = charts_usage.fast(charts.bar_chart(cty, "name", "value_count", title=t("usage.chart.country.title", lang, span=reg_span),
                                     category_title=t("usage.axis.country", lang), value_title=t("usage.metric.visits", lang), lang=lang))
            chart_block(chart, lang=lang, key="usage_country",
                        table=pd.DataFrame({t("usage.axis.country", lang): c_sh["name"],
                                            t("usage.metric.visits", lang): c_sh["value_count"].map(lambda v: fmt_int(v, lang)),
                                            t("usage.axis.share", lang): c_sh["share_pct"].map(lambda v: fmt_pct(v, lang))}),
                        alt_text=t("usage.alt.country", lang, span=reg_span, total=fmt_int(cty["value_count"].sum(), lang),
                                   first=c_sh["name"].iloc[0], first_share=fmt_pct(c_sh["share_pct"].iloc[0], lang),
                                   second=c_sh["name"].iloc[1], second_value=fmt_int(c_sh["value_count"].iloc[1], lang)),
                        source=src_name("ogp_countries_2023"), as_of=src_asof("ogp_countries_2023"),
                        definition=t("def.visits", lang) + " " + t("usage.cumulative_note", lang))

with tabs[5]:
    if open_tab == "jurisdiction":
        # ================================================================== 7. by jurisdiction
        st.header(t("usage.section.jurisdiction", lang))
        st.caption(t("def.jurisdiction_field", lang))
        JUR_METRICS = (("downloads", "ogp_downloads_by_jurisdiction", "break.user_jurisdiction"),
                       ("dataset_page_visits", "ogp_visits_by_jurisdiction", None),
                       ("open_maps_views", "ogp_openmaps_by_jurisdiction", "break.openmaps_gaps"))
        for jm, sid, note in JUR_METRICS:
            df = ud.monthly(jm, "jurisdiction", keys=jurs, portal=portal, by_key=True, url=db)
            term = t(f"def.{jm}.term", lang)
            if df.empty:
                continue
            parts_j = []
            for key, grp in df.groupby("dimension_key"):
                gg = month_grid(grp, "value_count", start=grp["month_start"].min(), end=grp["month_start"].max())
                parts_j.append(in_range(gg).assign(jurisdiction=t(f"jurisdiction.{key}", lang)))
            jd = pd.concat(parts_j, ignore_index=True) if parts_j else pd.DataFrame()
            if jd.empty or jd["value_count"].notna().sum() == 0:
                st.caption(t("usage.no_data_for", lang, metric=term, span=span(start, end)))
                continue
            valid = jd.dropna(subset=["value_count"])
            last_m = valid["month_start"].max()
            last_rows = valid[valid["month_start"] == last_m].sort_values("value_count", ascending=False)
            chart = charts_usage.series_chart(jd, x="month_start", y="value_count", series="jurisdiction", breaks=break_rules(jm),
                                              title=t("usage.chart.jur.title", lang, metric=term), x_title=t("axis.month", lang),
                                              y_title=term, series_title=t("axis.jurisdiction", lang), lang=lang, height=220)
            table = pd.DataFrame({t("axis.month", lang): jd["month_start"].map(mfmt), t("axis.jurisdiction", lang): jd["jurisdiction"],
                                  term: jd["value_count"].map(lambda v: fmt_int(v, lang))})
            chart_block(chart, lang=lang, key=f"usage_jur_{jm}", table=table,
                        alt_text=t("usage.alt.jur", lang, metric=term, start=mfmt(valid["month_start"].min()), end=mfmt(last_m),
                                   month=mfmt(last_m), values=", ".join(f"{r.jurisdiction} {fmt_int(r.value_count, lang)}" for r in last_rows.itertuples()),
                                   gaps=fmt_int(int(jd["value_count"].isna().sum()), lang)),
                        source=src_name(sid), as_of=src_asof(sid),
                        definition=t(f"def.{jm}", lang) + (" " + t(note, lang) if note else ""))


write_url()
