"""Overview: one screen of impact for executives, every number with its source and as-of date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from opengov import cache
from opengov.charts.export import export_name
from opengov.charts.plain import escape_markdown
from opengov.features.overview import data as od
from opengov.features.overview import figures as charts_overview
from opengov.features.overview.queries import national_progress
from opengov.i18n import fmt_date, fmt_fiscal_year, fmt_int, fmt_month, fmt_pct, fmt_signed_int, t, tn
from opengov.ui.blocks import kpi, plain_table, show, source_chip, source_line, url_choice
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
db = cache.url()

st.title(t("page.overview.title", lang))
st.markdown(t("page.overview.intro", lang))

window = url_choice(
    t("overview.window", lang),
    ("12", "6", "3"),
    key="overview_window",
    param="window",
    default="12",
    format_func=lambda v: t("overview.window_months", lang, n=v),
)
months = int(window)
basis = url_choice(
    t("overview.compare", lang),
    ("year_before", "consecutive"),
    key="overview_compare",
    param="compare",
    default="year_before",
    format_func=lambda v: t(f"overview.compare.{v}", lang),
)


def _brief() -> bytes:
    from opengov.features.overview.brief import build_brief

    return build_brief(lang, db, window_months=months, basis=basis)


st.download_button(
    t("brief.download", lang),
    data=_brief,
    file_name=export_name("brief", "executive", {"window": months, "compare": basis}, lang, "pdf"),
    mime="application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    key="overview_brief",
    type="primary",
)

k = od.kpis(months, basis, url=db)
sources = od.sources(url=db)

# ---------------------------------------------------------------- catalogue size
st.header(t("overview.section.catalogue", lang))
c1, c2, c3, c4 = st.columns(4)
with c1:
    if k.catalogue:
        cat = k.catalogue
        kpi(
            t("kpi.datasets_now", lang),
            fmt_int(cat["value"], lang),
            delta=t(
                "kpi.delta_since",
                lang,
                delta=fmt_signed_int(cat["change_abs"], lang),
                date=fmt_date(cat["previous_date"], lang, "medium"),
            )
            if cat["change_abs"] is not None
            else None,
            help=t("kpi.datasets_now.help", lang),
        )
for col, jur in zip((c2, c3, c4), ("federal", "provincial", "municipal"), strict=True):
    n = k.split_counts.get(jur, 0)
    with col:
        kpi(
            t(f"kpi.datasets_{jur}", lang),
            fmt_int(n, lang),
            delta=t("kpi.share_of_total", lang, pct=fmt_pct(n / k.split_total * 100 if k.split_total else None, lang)),
            delta_color="off",
            delta_arrow="off",
            help=t("kpi.jurisdiction_field.help", lang),
        )
if k.catalogue:
    source_chip(lang, t("source.open_canada_catalogue", lang), k.catalogue["date"])
catalogue_fig = od.catalogue_figure(lang, url=db)
if catalogue_fig is not None:
    show(
        catalogue_fig,
        lang=lang,
        key="overview_catalogue-size",
        sources=sources,
    )

# ---------------------------------------------------------------- usage
st.header(t("overview.section.usage", lang))
u1, u2, u3 = st.columns(3)
with u1:
    w = k.downloads_window
    if w:
        kpi(
            t("kpi.downloads_window", lang, n=months),
            fmt_int(w.current_value, lang),
            delta=charts_overview.window_delta(w, lang),
            help=t("kpi.downloads_window.help", lang, n=months),
        )
        # the period and the source in one caption (each element costs the browser a few ms to draw)
        st.caption(
            charts_overview.window_period(w, lang)
            + "  \n"
            + source_line(
                lang, t("source.ogp_jurisdiction_reports", lang), sources.loc["ogp_downloads_by_jurisdiction", "as_of"]
            )
        )
    else:
        kpi(t("kpi.downloads_window", lang, n=months), "–", help=t("kpi.incomplete_window", lang))
with u2:
    f = k.fy_downloads
    if f and f.previous_start_year is not None:
        kpi(
            t("kpi.fy_downloads", lang, fy=fmt_fiscal_year(f.start_year, lang)),
            fmt_int(f.value, lang),
            delta=t(
                "kpi.vs_fy",
                lang,
                pct=fmt_pct(f.change_pct, lang, signed=True),
                fy=fmt_fiscal_year(f.previous_start_year, lang),
            ),
            help=t("kpi.fy.help", lang),
        )
        st.caption(source_line(lang, t("source.corporate_report", lang), f.period_end))
with u3:
    f = k.fy_visits
    if f:
        kpi(
            t("kpi.fy_visits", lang, fy=fmt_fiscal_year(f.start_year, lang)),
            fmt_int(f.value, lang),
            delta=t("kpi.not_comparable", lang),
            delta_color="off",
            delta_arrow="off",
            help=t("kpi.fy_visits.help", lang),
        )
        visits_source = source_line(lang, t("source.corporate_report", lang), f.period_end)
        st.caption(t("break.fy2025_visits", lang) + "  \n" + visits_source)

downloads_fig = od.downloads_figure(lang, url=db)
if downloads_fig is not None:
    show(
        downloads_fig,
        lang=lang,
        key="overview_downloads-by-jurisdiction",
        sources=sources,
        filters={"window": months},
    )

# ---------------------------------------------------------------- action plans and coverage
st.header(t("overview.section.plans", lang))
TODAY = dt.date.today()
standings = od.plan_standings(TODAY, url=db)
nat = national_progress(standings)
STATES = ("complete", "substantial", "on_track", "in_progress", "limited", "delayed", "not_started", "withdrawn")


def _period(p: str) -> str:
    if len(p) == 7 and p[4] == "-" and p[:4].isdigit():
        return fmt_month(p + "-01", lang)
    if len(p) == 10 and p[4] == "-" and p[:4].isdigit():
        return fmt_date(p, lang)
    return p or "–"


if nat is not None:
    st.subheader(escape_markdown(getattr(nat, f"title_{lang}")))
    shown = [s for s in STATES if nat.counts.get(s)]
    cols = st.columns(len(shown) + 1)
    for col, s in zip(cols, shown, strict=False):
        with col:
            kpi(t(f"status.{s}", lang), fmt_int(nat.counts[s], lang))
    with cols[len(shown)]:
        kpi(t("status.not_reported", lang), fmt_int(nat.counts.get("not_reported", 0), lang))
    st.caption(
        t(
            "overview.plans.coverage",
            lang,
            reported=fmt_int(nat.coverage.reported, lang),
            total=fmt_int(nat.coverage.total, lang),
            units=tn(f"plans.unit.{nat.unit}", nat.coverage.total, lang),
            period=_period(nat.coverage.latest_period),
        )
        + "  \n"
        + source_line(lang, t("overview.plans.tracker_source", lang), None)
    )
late_total = sum(s.overdue for s in standings)
st.subheader(t("overview.plans.overdue", lang, date=fmt_date(TODAY, lang)))
kpi(
    t("overview.plans.kpi.overdue", lang),
    fmt_int(late_total, lang),
    caption=t(
        "overview.plans.overdue.total",
        lang,
        plans=fmt_int(sum(1 for s in standings if s.overdue), lang),
        all=fmt_int(len(standings), lang),
    ),
    help=t("overview.plans.overdue.def", lang),
)
plain_table(
    pd.DataFrame(
        {
            t("overview.plans.col.plan", lang): [getattr(s, f"title_{lang}") for s in standings],
            t("overview.plans.col.kind", lang): [t(f"plans.kind.{s.kind}", lang) for s in standings],
            t("overview.plans.col.reported", lang): [
                t(
                    "overview.plans.reported_of" if s.coverage.known_total else "overview.plans.reported_of.unknown",
                    lang,
                    reported=fmt_int(s.coverage.reported, lang),
                    total=fmt_int(s.coverage.total, lang),
                    units=tn(f"plans.unit.{s.unit}", s.coverage.total, lang),
                )
                for s in standings
            ],
            t("overview.plans.col.period", lang): [_period(s.coverage.latest_period) for s in standings],
            t("overview.plans.col.overdue", lang): [fmt_int(s.overdue, lang) for s in standings],
            t("overview.plans.col.longest", lang): [
                fmt_int(s.overdue_max_days, lang) if s.overdue else "–" for s in standings
            ],
            t("overview.plans.col.unreported", lang): [fmt_int(s.past_due_unreported, lang) for s in standings],
        }
    ),
    key="overview_plans_table",
)
st.caption(t("overview.plans.overdue.def", lang) + "  \n" + source_line(lang, t("overview.plans.sources", lang), None))

cov = k.coverage
st.subheader(t("overview.coverage", lang))
a, b = st.columns(2)
with a:
    kpi(
        t("kpi.pt_with_portal", lang),
        t("kpi.x_of_y", lang, x=cov["pt_with_portal_count"], y=cov["pt_total_count"]),
        help=t("kpi.pt_with_portal.help", lang),
    )
with b:
    kpi(t("kpi.municipal_portals", lang), fmt_int(cov["municipal_portal_count"], lang))
without = (
    t("kpi.pt_without", lang, names=", ".join(t(f"pt.{c}", lang) for c in cov["pt_without_portal"])) + "  \n"
    if cov["pt_without_portal"]
    else ""
)
st.caption(without + source_line(lang, t("source.catalog_list", lang), sources.loc["portals", "as_of"]))

# ---------------------------------------------------------------- cited impact facts
st.header(t("overview.section.facts", lang))
st.caption(t("overview.facts_note", lang))
cards = od.fact_cards(lang, url=db)
cols = st.columns(2)
for i, card in enumerate(cards):
    # one card per source document, its facts and its citation in one Markdown element
    with cols[i % 2], st.container(border=True):
        st.markdown(card)
