"""Overview: one screen of impact for executives, every number with its source and as-of date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.coverage import jurisdiction_coverage
from metrics.milestones import status_summary
from metrics.periods import latest_with_delta, monthly_totals, trailing_comparison
from opengov import app_data, charts
from opengov.i18n import fmt_date, fmt_fiscal_year, fmt_int, fmt_money, fmt_month, fmt_pct, fmt_signed_int, t
from opengov.ui import chart_block, current_lang, ensure_frame, kpi, source_chip, url_choice

ensure_frame()
lang = current_lang()
db = app_data.url()
JUR = ("federal", "provincial", "municipal", "user")
jur_labels = {j: t(f"jurisdiction.{j}", lang) for j in JUR}

st.title(t("page.overview.title", lang))
st.markdown(t("page.overview.intro", lang))

window = url_choice(t("overview.window", lang), ("12", "6", "3"), key="overview_window", param="window",
                    default="12", format_func=lambda v: t("overview.window_months", lang, n=v))
months = int(window)

# ---------------------------------------------------------------- catalogue size
snaps = app_data.snapshots("canada", url=db)
daily = snaps[snaps["origin"] == "ogp_packages_daily"]
facets = app_data.snapshot_facets("jurisdiction", "ogp_packages_daily", url=db)
sources = app_data.sources(url=db).set_index("id")

st.header(t("overview.section.catalogue", lang))
c1, c2, c3, c4 = st.columns(4)
latest = latest_with_delta(daily, "snapshot_date", "dataset_count", lag_days=30)
with c1:
    if latest:
        kpi(t("kpi.datasets_now", lang), fmt_int(latest["value"], lang),
            delta=t("kpi.delta_since", lang, delta=fmt_signed_int(latest["change_abs"], lang),
                    date=fmt_date(latest["previous_date"], lang, "medium")) if latest["change_abs"] is not None else None,
            help=t("kpi.datasets_now.help", lang))
        source_chip(lang, t("source.open_canada_catalogue", lang), latest["date"])
last_day = facets[facets["snapshot_date"] == facets["snapshot_date"].max()]
total_last = last_day["count"].sum()
for col, jur in zip((c2, c3, c4), ("federal", "provincial", "municipal")):
    n = last_day.loc[last_day["value"] == jur, "count"].sum()
    with col:
        kpi(t(f"kpi.datasets_{jur}", lang), fmt_int(n, lang),
            delta=t("kpi.share_of_total", lang, pct=fmt_pct(n / total_last * 100 if total_last else None, lang)),
            delta_color="off", delta_arrow="off", help=t("kpi.jurisdiction_field.help", lang))

# ---------------------------------------------------------------- usage
st.header(t("overview.section.usage", lang))
dl = app_data.usage("downloads", "month", "jurisdiction", url=db)
monthly = monthly_totals(dl)
cmp_ = trailing_comparison(monthly, months=months)
fy = app_data.usage("downloads", "fiscal_year", url=db)
fy_visits = app_data.usage("visits", "fiscal_year", url=db)
u1, u2, u3 = st.columns(3)
with u1:
    if cmp_:
        kpi(t("kpi.downloads_window", lang, n=months), fmt_int(cmp_.current_value, lang),
            delta=f"{fmt_pct(cmp_.change_pct, lang, signed=True)} ({fmt_signed_int(cmp_.change_abs, lang)})",
            help=t("kpi.downloads_window.help", lang, n=months))
        st.caption(t("kpi.window_caption", lang, cur_start=fmt_month(cmp_.current_start, lang),
                     cur_end=fmt_month(cmp_.current_end, lang), prev_start=fmt_month(cmp_.previous_start, lang),
                     prev_end=fmt_month(cmp_.previous_end, lang)))
        source_chip(lang, t("source.ogp_jurisdiction_reports", lang), sources.loc["ogp_downloads_by_jurisdiction", "as_of"])
    else:
        kpi(t("kpi.downloads_window", lang, n=months), "–", help=t("kpi.incomplete_window", lang))
fy = fy.sort_values("period_start")
with u2:
    if len(fy) >= 2:
        cur, prev = fy.iloc[-1], fy.iloc[-2]
        pct = (cur["value"] - prev["value"]) / prev["value"] * 100
        kpi(t("kpi.fy_downloads", lang, fy=fmt_fiscal_year(cur["period_start"].year, lang)), fmt_int(cur["value"], lang),
            delta=t("kpi.vs_fy", lang, pct=fmt_pct(pct, lang, signed=True),
                    fy=fmt_fiscal_year(prev["period_start"].year, lang)),
            help=t("kpi.fy.help", lang))
        source_chip(lang, t("source.corporate_report", lang), cur["period_end"])
fy_visits = fy_visits.sort_values("period_start")
with u3:
    if len(fy_visits):
        cur = fy_visits.iloc[-1]
        kpi(t("kpi.fy_visits", lang, fy=fmt_fiscal_year(cur["period_start"].year, lang)), fmt_int(cur["value"], lang),
            delta=t("kpi.not_comparable", lang), delta_color="off", delta_arrow="off", help=t("kpi.fy_visits.help", lang))
        st.caption(t("break.fy2025_visits", lang))
        source_chip(lang, t("source.corporate_report", lang), cur["period_end"])

chart_df = dl.rename(columns={"period_start": "month", "dimension_key": "jurisdiction", "value": "downloads_count"})
chart = charts.stacked_area(chart_df, "month", "downloads_count", "jurisdiction",
                            title=t("chart.downloads_by_jurisdiction.title", lang), x_title=t("axis.month", lang),
                            y_title=t("axis.downloads", lang), color_title=t("axis.jurisdiction", lang), lang=lang,
                            color_labels=jur_labels)
table = monthly.rename(columns={"month_start": t("axis.month", lang), "value": t("axis.downloads", lang)})
table[t("axis.month", lang)] = table[t("axis.month", lang)].map(lambda d: fmt_month(d, lang))
table[t("axis.downloads", lang)] = table[t("axis.downloads", lang)].map(lambda v: fmt_int(v, lang))
peak = monthly.loc[monthly["value"].idxmax()]
chart_block(chart, lang=lang, key="overview_downloads", table=table,
            alt_text=t("chart.downloads_by_jurisdiction.alt", lang, start=fmt_month(monthly["month_start"].min(), lang),
                       end=fmt_month(monthly["month_start"].max(), lang), peak_month=fmt_month(peak["month_start"], lang),
                       peak=fmt_int(peak["value"], lang)),
            source=t("source.ogp_jurisdiction_reports", lang), as_of=sources.loc["ogp_downloads_by_jurisdiction", "as_of"],
            definition=t("def.downloads", lang), filters={"window": months},
            export_table=chart_df.assign(jurisdiction=chart_df["jurisdiction"].map(jur_labels)).rename(columns={"month": t("axis.month", lang), "jurisdiction": t("axis.jurisdiction", lang),
                                                  "downloads_count": t("axis.downloads", lang)})
            [[t("axis.month", lang), t("axis.jurisdiction", lang), t("axis.downloads", lang)]])

# ---------------------------------------------------------------- action plans and coverage
st.header(t("overview.section.plans", lang))
ms = app_data.milestones("CSIS-PMOGO", url=db)
plans = app_data.action_plans(url=db).set_index("id")
with st.container():
    if not ms.empty:
        as_of = pd.Timestamp(plans.loc["CSIS-PMOGO", "status_as_of"])
        summary = status_summary(ms, as_of)
        st.subheader(plans.loc["CSIS-PMOGO", f"title_{lang}"])
        a, b, c, d = st.columns(4)
        with a:
            kpi(t("kpi.ms_complete", lang), fmt_int(summary["complete"], lang),
                delta=t("kpi.of_total", lang, total=fmt_int(summary["total"], lang)), delta_color="off",
                delta_arrow="off")
        with b:
            kpi(t("kpi.ms_on_track", lang), fmt_int(summary["on_track"], lang))
        with c:
            kpi(t("kpi.ms_overdue", lang), fmt_int(summary["overdue"], lang), help=t("kpi.ms_overdue.help", lang))
        with d:
            kpi(t("kpi.ms_not_started", lang), fmt_int(summary["not_started"], lang))
        st.caption(t("kpi.ms_caption", lang, date=fmt_date(as_of, lang)))
        source_chip(lang, t("source.csis_plan", lang), as_of)
with st.container():
    cov = jurisdiction_coverage(app_data.portals(url=db))
    st.subheader(t("overview.coverage", lang))
    a, b, _, _ = st.columns(4)
    with a:
        kpi(t("kpi.pt_with_portal", lang), t("kpi.x_of_y", lang, x=cov["pt_with_portal_count"], y=cov["pt_total_count"]),
            help=t("kpi.pt_with_portal.help", lang))
    with b:
        kpi(t("kpi.municipal_portals", lang), fmt_int(cov["municipal_portal_count"], lang))
    if cov["pt_without_portal"]:
        st.caption(t("kpi.pt_without", lang, names=", ".join(t(f"pt.{c}", lang) for c in cov["pt_without_portal"])))
    source_chip(lang, t("source.catalog_list", lang), sources.loc["portals", "as_of"])

# ---------------------------------------------------------------- cited impact facts
st.header(t("overview.section.facts", lang))
st.caption(t("overview.facts_note", lang))
facts = (app_data.impact_facts(url=db).sort_values(["document_date", "id"])
         .drop_duplicates(subset=[f"statement_{lang}"]))  # one statement may carry several figures
cols = st.columns(2)
for i, (_, f) in enumerate(facts.iterrows()):
    with cols[i % 2], st.container(border=True):
        st.markdown(f"> {f[f'statement_{lang}']}")
        st.caption(t("fact.citation", lang, document=f[f"document_{lang}"],
                     date=fmt_date(f["document_date"], lang) if f["document_date_precision"] == "day"
                     else str(pd.Timestamp(f["document_date"]).year) if pd.notna(f["document_date"]) else "–"))
