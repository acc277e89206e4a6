"""Datasets by jurisdiction: how much open data each government publishes, now and over time, on a map
and in rankings, with how fresh each catalogue is. Every figure names its source and date."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.coverage import PROVINCES_TERRITORIES, jurisdiction_coverage, registry_portals
from metrics.jurisdictions import level_summary
from opengov import cache
from opengov.features.jurisdictions import data as jd
from opengov.features.jurisdictions import figures as cj
from opengov.i18n import fmt_date, fmt_int, fmt_pct, fmt_signed_int, localized_url, t
from opengov.ui.blocks import grid, kpi, plain_table, section_tabs, show, source_chip, url_choice
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
db = cache.url()

LEVELS = ("all", "federal", "provincial", "territorial", "regional", "municipal", "other")
#: which of the registry's catalogue types count as portals (the registry's own types; open-data portals
#: by default, geoportals and research repositories apart)
CATALOGUES: dict[str, tuple[str, ...] | None] = {
    "open_data": ("Open data portal",),
    "open_data_geo": ("Open data portal", "Geoportal"),
    "all": None,
}
PTS = ("all", *PROVINCES_TERRITORIES)
VIEWS = ("total", "per_capita")
BASES = ("federated", "portal")
DAILY_JUR = ("federal", "provincial", "municipal", "user")


def _count(value: float | None, qualifier: str = "exact") -> str:
    return cj.count_text(value, lang, qualifier)


# ---------------------------------------------------------------- data
portals = jd.portals(url=db)
snaps = jd.all_snapshots(url=db)
sources = jd.sources(url=db).set_index("id")
derived = jd.page_metrics(url=db)
latest, refresh, g, all_pts = derived["latest"], derived["refresh"], derived["growth"], derived["points"]
any_pt_refresh = jd.default_basis(url=db) == "portal"
pt_name = {c: t(f"pt.{c}", lang) for c in PROVINCES_TERRITORIES}
NO_DATA = t("jur.no_data", lang)

st.title(t("page.jurisdictions.title", lang))
st.markdown(t("jur.intro", lang))

# ---------------------------------------------------------------- filters (kept in the URL)
# two per row: a province's or territory's full name, and "All provinces and territories", fit their box
f1, f2 = st.columns(2)
f3, f4 = st.columns(2)
with f1:
    level = url_choice(
        t("jur.filter.level", lang),
        LEVELS,
        key="jurisdictions_level",
        param="jur_level",
        default="all",
        format_func=lambda v: t(f"jur.level.{v}", lang),
    )
with f2:
    pt_sel = url_choice(
        t("jur.filter.pt", lang),
        PTS,
        key="jurisdictions_pt",
        param="jur_pt",
        default="all",
        format_func=lambda v: t("jur.pt.all", lang) if v == "all" else pt_name[v],
    )
with f3:
    view = url_choice(
        t("jur.filter.view", lang),
        VIEWS,
        key="jurisdictions_view",
        param="jur_view",
        default="total",
        format_func=lambda v: t(f"jur.view.{v}", lang),
        widget="radio",
    )
with f4:
    basis = url_choice(
        t("jur.filter.basis", lang),
        BASES,
        key="jurisdictions_basis",
        param="jur_basis",
        default="portal" if any_pt_refresh else "federated",
        format_func=lambda v: t(f"jur.basis.{v}", lang),
        widget="radio",
    )
st.caption(t("jur.filter.basis.help", lang))
catalogues = url_choice(
    t("jur.filter.catalogues", lang),
    tuple(CATALOGUES),
    key="jurisdictions_catalogues",
    param="jur_catalogues",
    default="open_data",
    format_func=lambda v: t(f"jur.catalogues.{v}", lang),
    widget="radio",
)
filters = {"level": level, "pt": pt_sel, "view": view, "basis": basis, "catalogues": catalogues}


def scope_note(*, level_ok: bool = False, pt_ok: bool = False) -> None:
    """Above a chart: the set filters (level, province or territory) its data cannot take."""
    no_level, no_pt = level != "all" and not level_ok, pt_sel != "all" and not pt_ok
    if no_level or no_pt:
        st.caption(t("jur.scope." + ("no_both" if no_level and no_pt else "no_level" if no_level else "no_pt"), lang))


registry = registry_portals(portals, CATALOGUES[catalogues], include_unlisted=True)
listed = registry[registry["listing"].fillna("") != "2020"]
coverage = jurisdiction_coverage(portals, CATALOGUES[catalogues])

# ---------------------------------------------------------------- sections (only the open one is drawn)
SECTIONS = ("level", "pt", "federal", "growth", "freshness", "directory")
tabs, section = section_tabs(
    {s: t(f"jur.tab.{s}", lang) for s in SECTIONS}, lang=lang, key="jurisdictions_section", param="jur_section"
)

# ---------------------------------------------------------------- by level
if section == "level":
    with tabs["level"]:
        st.header(t("jur.section.level", lang))
        scope_note()  # the level comparison shows every level and every province or territory, whatever the filters
        daily_jur = jd.daily_facets("jurisdiction", url=db)
        last_day = daily_jur["snapshot_date"].max() if not daily_jur.empty else None
        day = daily_jur[daily_jur["snapshot_date"] == last_day]
        day_total = day["count"].sum()
        levels = level_summary(registry, latest).set_index("level")
        n_refreshed = int(levels["refreshed_count"].sum()) if not levels.empty else 0
        cols = st.columns(4)
        for col, jur in zip(cols[:3], ("federal", "provincial", "municipal"), strict=True):
            n = day.loc[day["value"] == jur, "count"].sum() if not day.empty else None
            with col:
                kpi(
                    t(f"jur.kpi.ogp_{jur}", lang),
                    _count(n),
                    delta=t("jur.kpi.share", lang, pct=fmt_pct(n / day_total * 100 if day_total else None, lang)),
                    delta_color="off",
                    delta_arrow="off",
                    help=t("jur.kpi.ogp.help", lang),
                )
        with cols[3]:
            kpi(
                t("jur.kpi.portals_refreshed", lang),
                t("jur.kpi.x_of_y", lang, x=fmt_int(n_refreshed, lang), y=fmt_int(len(registry), lang)),
                help=t("jur.kpi.portals_refreshed.help", lang),
            )
        source_chip(lang, t("source.open_canada_catalogue", lang), last_day)
        r1, r2, r3 = st.columns(3)
        with r1:
            kpi(
                t("kpi.pt_with_portal", lang),
                t("kpi.x_of_y", lang, x=fmt_int(coverage["pt_with_portal_count"], lang), y=coverage["pt_total_count"]),
                help=t("kpi.pt_with_portal.help", lang),
            )
        with r2:
            kpi(t("kpi.municipal_portals", lang), fmt_int(coverage["municipal_portal_count"], lang))
        with r3:
            kpi(
                t("jur.kpi.listed_2026", lang),
                fmt_int(len(listed), lang),
                help=t("jur.kpi.listed_2026.help", lang, unlisted=fmt_int(len(registry) - len(listed), lang)),
            )
        if coverage["pt_without_portal"]:
            st.caption(
                t("kpi.pt_without", lang, names=", ".join(t(f"pt.{c}", lang) for c in coverage["pt_without_portal"]))
            )
        st.caption(t(f"jur.catalogues.{catalogues}.note", lang) + " " + t("jur.registry.attribution", lang))
        if n_refreshed == 0:
            st.info(t("jur.not_refreshed_yet", lang))
        lv_rows = []
        for lv in LEVELS[1:]:
            r = levels.loc[lv] if lv in levels.index else None
            lv_rows.append(
                {
                    t("jur.col.level", lang): t(f"jur.level.{lv}", lang),
                    t("jur.col.portals", lang): fmt_int(r["portals_count"] if r is not None else 0, lang),
                    t("jur.col.refreshed", lang): fmt_int(r["refreshed_count"] if r is not None else 0, lang),
                    t("jur.col.datasets_refresh", lang): (
                        _count(r["datasets_count"])
                        if r is not None and pd.notna(r["datasets_count"])
                        else t("jur.not_refreshed_short", lang)
                    ),
                }
            )
        plain_table(pd.DataFrame(lv_rows), key="jurisdictions_levels_table")
        source_chip(lang, t("source.catalog_list", lang), sources.loc["portals", "as_of"])


# ---------------------------------------------------------------- provinces and territories
if section == "pt":
    with tabs["pt"]:
        st.header(t("jur.section.pt", lang))
        ptf = jd.pt_figures(view, basis, lang, url=db)
        if basis == "portal" and not any_pt_refresh:
            st.info(t("jur.pt_portal_not_refreshed", lang))
        if view == "per_capita":
            st.caption(t("jur.population_note", lang))

        st.subheader(t("jur.map.title", lang, measure=ptf.measure))
        scope_note()
        show(jd.pt_map(view, basis, lang, url=db), lang=lang, key="jurisdictions_map", sources=sources, filters=filters)
        scope_note(pt_ok=True)
        show(
            jd.pt_ranking(view, basis, None if pt_sel == "all" else pt_sel, lang, url=db),
            lang=lang,
            key="jurisdictions_rank",
            sources=sources,
            filters=filters,
        )

        # a province's or territory's own published count beside the records it federates (open.yukon.ca)
        own = jd.own_catalogue_counts(url=db)
        for pid, rows in own.groupby("portal_id"):
            pt_row = ptf.pt[ptf.pt["portal_id"] == pid]
            if pt_row.empty:
                continue
            r = pt_row.iloc[0]
            st.caption(
                t(
                    "jur.own_catalogue",
                    lang,
                    name=r["name"],
                    data=fmt_int(rows.loc[rows["type"] == "data", "records_count"].sum(), lang),
                    total=fmt_int(rows["records_count"].sum(), lang),
                    date=fmt_date(rows["as_of"].max(), lang),
                    federated=_count(r["federated_datasets_count"])
                    if pd.notna(r["federated_datasets_count"])
                    else NO_DATA,
                )
            )
        # every province's and territory's profile, one link each (keyboard-reachable, in the page's language)
        st.markdown(
            t("jur.profiles.links", lang)
            + " "
            + " · ".join(f"[{pt_name[c]}](/profile?jur={c}&lang={lang})" for c in PROVINCES_TERRITORIES)
        )

        if pt_sel != "all":
            row = ptf.pt.set_index("pt_code").loc[pt_sel]
            st.markdown(t("jur.selected", lang, name=row["name"], value=row["value_label"], measure=ptf.measure))


# ---------------------------------------------------------------- federal catalogue breakdown
if section == "federal":
    with tabs["federal"]:
        st.header(t("jur.section.federal", lang))
        st.markdown(t("jur.federal.intro", lang))
        federal = jd.federal_figure(lang, url=db)
        if federal is None:
            st.info(t("jur.no_shipped", lang))
        else:
            scope_note()
            show(federal, lang=lang, key="jurisdictions_daily", sources=sources, filters=filters)

        st.subheader(t("jur.org.title", lang))
        org_fig = jd.org_shares_figure(lang, url=db)
        if org_fig is None:
            st.info(t("jur.no_shipped", lang))
        else:
            scope_note()
            show(org_fig, lang=lang, key="jurisdictions_orgs", sources=sources, filters=filters)

        st.subheader(t("jur.gaps.title", lang))
        st.markdown(t("jur.gaps.collection", lang))
        search_pts = all_pts[all_pts["metric"] == "package_search_count"]
        st.markdown(
            t(
                "jur.gaps.dedup",
                lang,
                feed=_count(g["last_value"]) if g else "–",
                feed_date=fmt_date(g["last_date"], lang) if g else "–",
                search=_count(search_pts["value"].iloc[-1]) if not search_pts.empty else "–",
            )
        )


# ---------------------------------------------------------------- growth
if section == "growth":
    with tabs["growth"]:
        st.header(t("jur.section.growth", lang))
        g1, g2 = st.columns(2)
        with g1:
            if g:
                kpi(
                    t("jur.growth.kpi", lang),
                    _count(g["last_value"]),
                    delta=t(
                        "jur.growth.delta",
                        lang,
                        delta=fmt_signed_int(g["change_abs"], lang),
                        pct=fmt_pct(g["change_pct"], lang, signed=True),
                        date=fmt_date(g["first_date"], lang, "medium"),
                    ),
                    help=t("kpi.datasets_now.help", lang),
                )
                source_chip(lang, t("source.open_canada_catalogue", lang), g["last_date"])
        refresh_ok = snaps[(snaps["origin"] == "refresh") & snaps["ok"].astype(bool) & snaps["dataset_count"].notna()]
        with g2:
            if refresh_ok.empty:
                kpi(
                    t("jur.growth.refresh_kpi", lang),
                    t("jur.not_refreshed_short", lang),
                    help=t("jur.not_refreshed_yet", lang),
                )
        if not refresh_ok.empty:
            scope_note()
            show(
                cj.refresh_growth(refresh_ok, portals, lang),
                lang=lang,
                key="jurisdictions_refresh_growth",
                sources=sources,
                filters=filters,
            )

        points_fig = jd.points_figure(level, lang, url=db)
        if points_fig is None:
            st.info(t("jur.points.none", lang))
        else:
            scope_note(level_ok=True)
            show(points_fig, lang=lang, key="jurisdictions_points", sources=sources, filters=filters)


# ---------------------------------------------------------------- freshness
if section == "freshness":
    with tabs["freshness"]:
        st.header(t("jur.section.freshness", lang))
        # the catalogues counted above (the registry's chosen types), not every row of the registry
        refresh = refresh[refresh["portal_id"].isin(registry["id"])]
        counts_refresh = refresh["refresh_status"].value_counts()
        st.markdown(
            t(
                "jur.fresh.portals",
                lang,
                ok=fmt_int(counts_refresh.get("ok", 0), lang),
                failed=fmt_int(counts_refresh.get("failed", 0), lang),
                never=fmt_int(counts_refresh.get("never", 0), lang),
                total=fmt_int(len(refresh), lang),
            )
        )
        fresh_fig = jd.fresh_daily_figure(lang, url=db)
        if fresh_fig is not None:
            scope_note()
            show(fresh_fig, lang=lang, key="jurisdictions_fresh_daily", sources=sources, filters=filters)
        st.subheader(t("jur.fresh.municipal_title", lang))
        try:
            mun_fig = jd.municipal_fresh_figure(lang, url=db)
        except (OSError, KeyError, ValueError) as exc:
            st.warning(t("jur.fresh.file_error", lang, detail=str(exc)[:200]))
            mun_fig = None
        if mun_fig is not None:
            scope_note()
            show(mun_fig, lang=lang, key="jurisdictions_fresh_municipal", sources=sources, filters=filters)


if section == "directory":
    with tabs["directory"]:
        st.header(t("jur.section.directory", lang))
        d = registry.merge(refresh, left_on="id", right_on="portal_id", how="left").merge(
            latest[["portal_id", "dataset_count"]], on="portal_id", how="left"
        )
        if level != "all":
            d = d[d["level"] == level]
        if pt_sel != "all":
            d = d[d["pt_code"] == pt_sel]
        st.caption(t("jur.directory.count", lang, n=fmt_int(len(d), lang), total=fmt_int(len(registry), lang)))
        if d.empty:
            st.info(t("jur.directory.empty", lang))
        else:
            d = d.sort_values(
                ["level", "pt_code", f"name_{lang}"],
                key=lambda s: s.map({lv: i for i, lv in enumerate(LEVELS[1:])}).fillna(s) if s.name == "level" else s,
            )
            directory = pd.DataFrame(
                {
                    t("jur.col.portal", lang): d[f"name_{lang}"],
                    t("jur.col.level", lang): d["level"].map(lambda v: t(f"jur.level.{v}", lang)),
                    t("jur.col.pt", lang): d["pt_code"].map(lambda c: pt_name.get(c, "–")),
                    t("jur.col.catalogue_type", lang): d["catalog_type"].map(
                        lambda v: cj.catalogue_type_label(v, lang)
                    ),
                    t("jur.col.platform", lang): d["platform"].map(lambda p: cj.platform_label(p, lang)),
                    # empty, not null: Streamlit writes a null cell as "None", in English
                    # the portal's page in the UI language where its site has one (opengov.i18n.localized_url)
                    t("jur.col.homepage", lang): d["homepage"].map(lambda u: localized_url(u, lang)),
                    t("jur.col.api", lang): d["api_base_url"].fillna(""),
                    t("jur.col.datasets_refresh", lang): [
                        _count(v) if pd.notna(v) else "–" for v in d["dataset_count"]
                    ],
                    t("jur.col.last_refresh", lang): [
                        fmt_date(v, lang) if pd.notna(v) else t("jur.never_refreshed", lang)
                        for v in d["last_success_date"]
                    ],
                    t("jur.col.status", lang): d["refresh_status"].map(lambda s: t(f"jur.refresh.{s}", lang)),
                    t("jur.col.listing", lang): d["listing"].map(lambda v: t(f"jur.listing.{v or '2020'}", lang)),
                    t("jur.col.field_sources", lang): d["field_sources"].map(lambda v: cj.field_sources_text(v, lang)),
                }
            )
            grid(
                directory,
                hide_index=True,
                width="stretch",
                key="jurisdictions_directory_table",
                column_config={
                    t("jur.col.homepage", lang): st.column_config.LinkColumn(t("jur.col.homepage", lang)),
                    t("jur.col.api", lang): st.column_config.LinkColumn(t("jur.col.api", lang)),
                },
            )
            source_chip(lang, t("source.catalog_list", lang), sources.loc["portals", "as_of"])
            st.caption(
                t("jur.directory.note", lang)
                + " "
                + t("jur.directory.links", lang)
                + " "
                + t("jur.registry.attribution", lang)
            )
