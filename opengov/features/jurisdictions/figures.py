"""Figures of the jurisdictions page: frames in, `Figure` out (chart, text alternative, table, source,
as-of date, definition; no Streamlit, no store)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from opengov.charts.figure import Figure, source_ids_of
from opengov.charts.plain import escape_plotly
from opengov.features.jurisdictions.charts import (
    STATUS_COLORS,
    choropleth,
    count_points,
    jurisdiction_lines,
    ranked_bars,
    status_bars,
    status_lines,
)
from opengov.sources.build_registry import CATALOGUE_TYPES, PLATFORM_NAMES

# --------------------------------------------------------------------------- page blocks (page and export)
# Each takes the page's tidy frames and `lang` and returns a Figure carrying its source and as-of date:
# pages/jurisdictions.py and `python -m opengov export chart jurisdictions ...` call the same functions,
# so they cannot drift.
DAILY_JUR = ("federal", "provincial", "municipal", "user")
#: the store's sources of the shipped frames (their `origin` column), when a frame is empty
ORG_SOURCE, DAILY_SOURCE, TIMELINE_SOURCE, MUNICIPAL_SOURCE = (
    "ogp_departments_2023_06",
    "ogp_packages_daily",
    "counts_timeline",
    "ogp_municipal_freshness",
)
LEVEL_PREFIXES = {
    "federal": ("federal", "all"),
    "provincial": ("provincial",),
    "territorial": ("territorial",),
    "municipal": ("municipal",),
}


def count_text(value: float | None, lang: str, qualifier: str = "exact") -> str:
    """A count as published: '> 1,200', '≈ 250', '832'; '–' when missing (never 0)."""
    from opengov.i18n import fmt_int

    prefix = {"more_than": "> ", "approx": "≈ "}.get(qualifier, "")
    return "–" if value is None or pd.isna(value) else prefix + fmt_int(value, lang)


def data_text(text: str, lang: str) -> str:
    """A label of the shipped count timeline (a portal's name, an undated 'as of') in `lang`: the
    catalogue's `jur.data.<text>` when it has one, else the text as published."""
    from opengov.i18n import catalogue

    return catalogue(lang).get(f"jur.data.{text}", text)


def when_text(day: pd.Timestamp, precision: str, text: str, lang: str) -> str:
    """A published date at its own precision: day, month or year; otherwise the text as published
    (in `lang` when the catalogue has it)."""
    from opengov.i18n import fmt_date, fmt_month

    if precision == "day":
        return fmt_date(day, lang)
    if precision == "month":
        return fmt_month(day, lang)
    return str(day.year) if precision == "year" else data_text(text, lang)


def default_basis(
    portals: pd.DataFrame, latest: pd.DataFrame, org_counts: pd.DataFrame, populations: pd.DataFrame | None = None
) -> str:
    """The page's default basis: own-portal counts once any province/territory was refreshed, else federated."""
    from metrics.jurisdictions import provinces_territories

    pt = provinces_territories(portals, latest, org_counts)
    return "portal" if bool(pt["portal_datasets_count"].notna().any()) else "federated"


class PtFigures:
    """The province/territory figures of one view ('total' or 'per_capita') and basis ('federated' or
    'portal'), labelled in `lang`: `pt` (one row per P/T, in registry order), `ranked` (largest first,
    ties share a rank, missing last), `value_col`, `measure`, `basis_label`, `table` (the data table
    shared by the map and the ranking), `source` (the label of the source line), `source_ids` (the store's
    sources of the measure: none for refresh runs) and `as_of`."""

    def __init__(
        self,
        portals: pd.DataFrame,
        latest: pd.DataFrame,
        org_counts: pd.DataFrame,
        lang: str,
        *,
        view: str = "total",
        basis: str | None = None,
        populations: pd.DataFrame | None = None,
    ) -> None:
        from metrics.coverage import PROVINCES_TERRITORIES
        from metrics.jurisdictions import per_100k, provinces_territories, rank_desc
        from opengov.i18n import fmt_date, fmt_int, fmt_num, t

        basis = basis or default_basis(portals, latest, org_counts, populations)
        self.lang, self.view, self.basis = lang, view, basis
        pt = provinces_territories(portals, latest, org_counts, populations)
        org_date = org_counts["snapshot_date"].max() if not org_counts.empty else None
        any_pt_refresh = bool(pt["portal_datasets_count"].notna().any())
        pt_name = {c: t(f"pt.{c}", lang) for c in PROVINCES_TERRITORIES}
        no_data = t("jur.no_data", lang)
        self.no_data = no_data
        self.basis_label = basis_label = t(f"jur.basis.{basis}.measure", lang, date=fmt_date(org_date, lang))
        pt["name"] = pt["pt_code"].map(pt_name)
        pt["count"] = pt["federated_datasets_count"] if basis == "federated" else pt["portal_datasets_count"]
        pt["rate_per_100k"] = per_100k(pt["count"], pt["population"])
        years = sorted({int(y) for y in pt["population_year"].dropna()})
        #: the census year(s) of the populations used (stated wherever a per-capita figure is)
        self.population_years = years
        self.census_note = (
            t("jur.per_capita.census_note", lang, years=", ".join(str(y) for y in years))
            if view == "per_capita" and years
            else ""
        )
        self.value_col = value_col = "count" if view == "total" else "rate_per_100k"
        fmt_value = (
            (lambda v: count_text(v, lang))
            if view == "total"
            else (lambda v: "–" if pd.isna(v) else fmt_num(v, lang, 1))
        )
        pt["value_label"] = [fmt_value(v) if pd.notna(v) else no_data for v in pt[value_col]]
        self.measure = basis_label if view == "total" else t("jur.per_capita_of", lang, measure=basis_label)

        def why_missing(r: pd.Series) -> str:
            if view == "per_capita" and pd.notna(r["count"]) and pd.isna(r["population"]):
                return t("jur.reason.no_population", lang)
            if basis == "portal":
                return (
                    t("jur.reason.no_portal", lang) if r["portal_id"] is None else t("jur.reason.not_refreshed", lang)
                )
            return t("jur.reason.not_federated", lang)

        pt["hover"] = [  # Plotly reads tags in hover text: every piece of it is escaped, shown as typed
            escape_plotly(
                f"{r['name']}: {r['value_label']}" + ("" if pd.notna(r[value_col]) else f" ({why_missing(r)})")
            )
            for _, r in pt.iterrows()
        ]
        pt["map_label"] = [
            f"{escape_plotly(c)}<br>{escape_plotly(lbl if pd.notna(v) else no_data)}"
            for c, v, lbl in zip(pt["pt_code"], pt[value_col], pt["value_label"], strict=True)
        ]
        self.pt = pt
        self.ranked = ranked = rank_desc(pt, value_col, "name")
        self.with_value = ranked[ranked[value_col].notna()]
        self.missing_names = ", ".join(ranked.loc[ranked[value_col].isna(), "name"]) or "–"
        names = portals.set_index("id")[f"name_{lang}"]
        self.table = pd.DataFrame(
            {
                t("jur.col.rank", lang): [fmt_int(r, lang) if pd.notna(r) else "–" for r in ranked["rank"]],
                t("jur.col.pt", lang): ranked["name"],
                t("jur.col.own_portal", lang): [
                    names.loc[p] if p is not None else t("jur.none_in_registry", lang) for p in ranked["portal_id"]
                ],
                t("jur.col.portal_count", lang): [
                    count_text(v, lang)
                    if pd.notna(v)
                    else (t("jur.not_refreshed_short", lang) if p is not None else no_data)
                    for v, p in zip(ranked["portal_datasets_count"], ranked["portal_id"], strict=True)
                ],
                t("jur.col.portal_as_of", lang): [
                    fmt_date(d, lang) if pd.notna(d) else "–" for d in ranked["portal_as_of"]
                ],
                t("jur.col.federated", lang, date=fmt_date(org_date, lang, "medium")): [
                    count_text(v, lang) if pd.notna(v) else no_data for v in ranked["federated_datasets_count"]
                ],
                t("jur.col.population", lang): [
                    fmt_int(v, lang) if pd.notna(v) else no_data for v in ranked["population"]
                ],
                t("jur.col.census_year", lang): [
                    str(int(y)) if pd.notna(y) else "–" for y in ranked["population_year"]
                ],
                t("jur.col.per_100k", lang, measure=basis_label): [
                    fmt_num(v, lang, 1) if pd.notna(v) else no_data for v in ranked["rate_per_100k"]
                ],
            }
        )
        self.source = t("jur.source.ogp_departments", lang) if basis == "federated" else t("jur.source.refresh", lang)
        self.source_ids = (source_ids_of(org_counts, column="origin") or (ORG_SOURCE,)) if basis == "federated" else ()
        self.as_of = org_date if basis == "federated" else (pt["portal_as_of"].max() if any_pt_refresh else None)

    def alt_text(self, kind: str) -> str:
        """The text alternative of the map (`kind` 'map') or of the ranking ('rank')."""
        from opengov.i18n import t

        lang, wv = self.lang, self.with_value
        if wv.empty:
            return t(f"jur.{kind}.alt_empty", lang, measure=self.measure)
        top, low = wv.iloc[0], wv.iloc[-1]
        ties = wv[wv["rank"].duplicated(keep=False)]
        return t(
            f"jur.{kind}.alt",
            lang,
            measure=self.measure,
            n=len(wv),
            top=top["name"],
            top_value=top["value_label"],
            low=low["name"],
            low_value=low["value_label"],
            missing=self.missing_names,
        ) + (" " + t("jur.rank.alt_ties", lang, names=", ".join(ties["name"])) if not ties.empty else "")


def pt_map(
    portals: pd.DataFrame,
    latest: pd.DataFrame,
    org_counts: pd.DataFrame,
    geojson: dict,
    lang: str,
    *,
    view: str = "total",
    basis: str | None = None,
    populations: pd.DataFrame | None = None,
) -> Figure:
    """The province/territory choropleth (Plotly), with the Statistics Canada attribution of its
    boundaries. `latest` is metrics.jurisdictions.latest_successful(snapshots); `basis` None = the
    page's default."""
    from opengov.i18n import t

    f = PtFigures(portals, latest, org_counts, lang, view=view, basis=basis, populations=populations)
    fig = choropleth(
        f.pt,
        geojson,
        code_col="pt_code",
        value_col=f.value_col,
        label_col="map_label",
        hover_col="hover",
        colorbar_title=t(f"jur.view.{view}.unit", lang),
        no_data_label=f.no_data,
        lang=lang,
    )
    definition = (
        t("jur.map.legend_no_data", lang)
        + (" " + t("jur.federated_note", lang) if f.basis == "federated" else "")
        + (" " + f.census_note if f.census_note else "")
    )
    return Figure(
        fig,
        f.alt_text("map"),
        f.table,
        source_ids=f.source_ids,
        definition=definition,
        attribution=t("attribution.statcan", lang),
        source_label=f.source,
        as_of=f.as_of,
        title=t("jur.map.title", lang, measure=f.measure),
    )


def pt_ranking(
    portals: pd.DataFrame,
    latest: pd.DataFrame,
    org_counts: pd.DataFrame,
    lang: str,
    *,
    view: str = "total",
    basis: str | None = None,
    highlight: str | None = None,
    populations: pd.DataFrame | None = None,
) -> Figure:
    """Provinces and territories ranked by the measure (bars; `highlight`: a P/T code to darken)."""
    from opengov.i18n import t

    f = PtFigures(portals, latest, org_counts, lang, view=view, basis=basis, populations=populations)
    name = dict(zip(f.pt["pt_code"], f.pt["name"], strict=True))
    # Only the columns drawn (the others hold missing values that have no JSON form in an exported spec).
    bars = ranked_bars(
        f.ranked[["name", f.value_col, "value_label"]],
        category="name",
        value=f.value_col,
        label="value_label",
        title=t("jur.rank.title", lang, measure=f.measure),
        category_title=t("jur.col.pt", lang),
        value_title=t(f"jur.view.{view}.unit", lang),
        lang=lang,
        highlight=name.get(highlight) if highlight else None,
        value_format=",.0f" if view == "total" else ",.1f",
        sort_order=list(f.ranked["name"]),
    )
    return Figure(
        bars,
        f.alt_text("rank"),
        f.table,
        source_ids=f.source_ids,
        definition=t("jur.rank.ties", lang) + (" " + f.census_note if f.census_note else ""),
        source_label=f.source,
        as_of=f.as_of,
    )


def federal_by_jurisdiction(daily_jur: pd.DataFrame, lang: str, width: int = 520) -> Figure:
    """open.canada.ca records per value of its jurisdiction field, day by day (one panel per value).
    `daily_jur`: the daily 'jurisdiction' facet (snapshot_date, value, count), not empty; `width`: of
    each panel in pixels (the page's by default; a static export passes its own)."""
    from metrics.jurisdictions import growth
    from opengov.i18n import fmt_date, t

    jur_label = {j: t(f"jurisdiction.{j}", lang) for j in DAILY_JUR}
    lines_df = daily_jur.assign(jurisdiction=daily_jur["value"].map(jur_label))
    order = [jur_label[j] for j in DAILY_JUR if j in set(daily_jur["value"])]
    chart = jurisdiction_lines(
        lines_df,
        x="snapshot_date",
        y="count",
        series="jurisdiction",
        title=t("jur.daily.title", lang),
        x_title=t("jur.axis.date", lang),
        y_title=t("jur.axis.records", lang),
        series_title=t("axis.jurisdiction", lang),
        lang=lang,
        order=order,
        width=width,
    )
    wide = daily_jur.pivot_table(index="snapshot_date", columns="value", values="count", aggfunc="sum")
    table = pd.DataFrame({t("jur.axis.date", lang): [fmt_date(d, lang, "medium") for d in wide.index]})
    parts = []
    for j in DAILY_JUR:
        if j in wide:
            table[jur_label[j]] = [count_text(v, lang) if pd.notna(v) else t("jur.not_reported", lang) for v in wide[j]]
            gj = growth(wide[[j]].reset_index(), "snapshot_date", j)
            if gj and j != "user":
                parts.append(
                    t(
                        "jur.daily.part",
                        lang,
                        name=jur_label[j],
                        first=count_text(gj["first_value"], lang),
                        last=count_text(gj["last_value"], lang),
                    )
                )
    alt_text = t(
        "jur.daily.alt",
        lang,
        start=fmt_date(wide.index.min(), lang),
        end=fmt_date(wide.index.max(), lang),
        parts="; ".join(parts),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(daily_jur, column="origin") or (DAILY_SOURCE,),
        definition=t("def.jurisdiction_field", lang) + " " + t("jur.daily.user_note", lang),
        source_label=t("source.open_canada_catalogue", lang),
        as_of=daily_jur["snapshot_date"].max(),
    )


def refresh_growth(refreshed: pd.DataFrame, portals: pd.DataFrame, lang: str) -> Figure:
    """Records counted by each portal's successful refresh runs, run by run, as of the latest run.
    `refreshed`: the successful refresh snapshots with a count (portal_id, snapshot_date, dataset_count),
    not empty; `portals`: the registry (for the portals' names)."""
    from opengov.charts import base as charts
    from opengov.i18n import fmt_date, t

    names = portals.set_index("id")[f"name_{lang}"]
    rdf = refreshed.assign(portal=refreshed["portal_id"].map(names))
    chart = charts.line_chart(
        rdf,
        "snapshot_date",
        "dataset_count",
        title=t("jur.growth.refresh_title", lang),
        x_title=t("jur.axis.date", lang),
        y_title=t("jur.axis.records", lang),
        lang=lang,
        color="portal",
        color_title=t("jur.col.portal", lang),
        time_format="%Y-%m-%d",
    )
    table = pd.DataFrame(
        {
            t("jur.col.portal", lang): rdf["portal"],
            t("jur.axis.date", lang): [fmt_date(d, lang) for d in rdf["snapshot_date"]],
            t("jur.axis.records", lang): [count_text(v, lang) for v in rdf["dataset_count"]],
        }
    )
    alt_text = t(
        "jur.growth.refresh_alt",
        lang,
        n=rdf["portal_id"].nunique(),
        points=len(rdf),
        start=fmt_date(rdf["snapshot_date"].min(), lang),
        end=fmt_date(rdf["snapshot_date"].max(), lang),
    )
    # refresh runs are not a source of the store: their snapshots carry no source id
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(refreshed),
        source_label=t("jur.source.refresh", lang),
        as_of=rdf["snapshot_date"].max(),
    )


def points_for_level(points: pd.DataFrame, level: str = "all") -> pd.DataFrame:
    """The historical count points (metrics.jurisdictions.count_points) shown for the page's level filter."""
    if level == "all":
        return points
    return points[points["level"].str.startswith(LEVEL_PREFIXES[level])]


def historical_points(points: pd.DataFrame, lang: str) -> Figure:
    """Dated, sourced historical counts as points (log scale), as of the timeline's as-of date in the
    store's sources. `points`: metrics.jurisdictions.count_points output (filtered with
    `points_for_level`), not empty."""
    from opengov.i18n import t

    metric_label = {m: t(f"jur.metric.{m}", lang) for m in points["metric"].unique()}
    qual_label = {q: t(f"jur.qualifier.{q}", lang) for q in ("exact", "more_than", "approx")}
    pdf = points.assign(
        series=points["portal_label"].map(lambda v: data_text(v, lang)) + " · " + points["metric"].map(metric_label),
        qualifier_label=points["qualifier"].map(qual_label),
        value_label=[count_text(v, lang, q) for v, q in zip(points["value"], points["qualifier"], strict=True)],
        when=[
            when_text(d, p, txt, lang)
            for d, p, txt in zip(points["as_of"], points["date_precision"], points["as_of_text"], strict=True)
        ],
        trust_label=points["trust"].map(lambda v: t(f"jur.trust.{v}", lang) if v in ("high", "medium", "low") else v),
    )
    chart = count_points(
        pdf,
        x="as_of",
        y="value",
        series="series",
        qualifier="qualifier_label",
        label="value_label",
        title=alt.TitleParams(t("jur.points.title", lang), subtitle=t("jur.points.subtitle", lang)),
        x_title=t("jur.axis.date", lang),
        y_title=t("jur.axis.records_log", lang),
        series_title=t("jur.col.series", lang),
        qualifier_title=t("jur.col.qualifier", lang),
        lang=lang,
        note_col="when",
        note_title=t("jur.col.as_of_text", lang),
    )
    table = pd.DataFrame(
        {
            t("jur.col.as_of_text", lang): pdf["when"],
            t("jur.col.series", lang): pdf["series"],
            t("jur.col.value", lang): pdf["value_label"],
            t("jur.col.qualifier", lang): pdf["qualifier_label"],
            t("jur.col.trust", lang): pdf["trust_label"],
            t("jur.col.source", lang): pdf["source_url"],
            t("jur.col.note", lang): pdf["note"],
        }
    )
    biggest = pdf.loc[pdf["value"].idxmax()]
    alt_text = t(
        "jur.points.alt",
        lang,
        n=len(pdf),
        series=pdf["series"].nunique(),
        start=str(pdf["as_of"].min().year),
        end=str(pdf["as_of"].max().year),
        big=biggest["value_label"],
        big_series=biggest["series"],
        big_when=biggest["when"],
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(points) or (TIMELINE_SOURCE,),
        definition=t("break.counts_methods", lang)
        + " "
        + t("jur.points.notes_lang", lang)
        + (" " + t("jur.points.consolidation", lang) if (points["as_of"].dt.year == 2017).any() else ""),
        source_label=t("jur.source.counts_timeline", lang),
    )


def org_shares_figure(org_counts: pd.DataFrame, orgs: pd.DataFrame, lang: str) -> Figure | None:
    """The 20 organisations with the most open.canada.ca records (bars coloured by kind), with the table
    of all of them, as of the counts' snapshot; None without shipped counts."""
    from metrics.jurisdictions import organization_shares
    from opengov.charts import base as charts
    from opengov.i18n import fmt_date, fmt_int, fmt_pct, t

    shares = organization_shares(org_counts, orgs)
    if shares.empty:
        return None
    org_date = org_counts["snapshot_date"].max()
    shares["name"] = shares[f"name_{lang}"]
    shares["kind_label"] = shares["kind"].map(lambda k: t(f"jur.org.kind.{k}", lang))
    top = shares.head(20)
    chart = charts.bar_chart(
        top,
        "name",
        "datasets_count",
        title=t("jur.org.chart_title", lang, n=len(top), total=fmt_int(len(shares), lang)),
        category_title="",
        value_title=t("jur.axis.records", lang),
        lang=lang,
        color="kind_label",
        color_title=t("jur.col.kind", lang),
        # federal first (blue), as on every page
        color_order=[t(f"jur.org.kind.{k}", lang) for k in ("federal", "pt_government")],
        height=26 * len(top) + 140,
    )  # room for the legend and axis under the bars
    pt_gov = shares[shares["kind"] == "pt_government"]
    table = pd.DataFrame(
        {
            t("jur.col.rank", lang): [fmt_int(i + 1, lang) for i in range(len(shares))],
            t("jur.col.organization", lang): shares["name"],
            t("jur.col.kind", lang): shares["kind_label"],
            t("jur.axis.records", lang): [fmt_int(v, lang) for v in shares["datasets_count"]],
            t("jur.col.share", lang): [fmt_pct(v, lang) for v in shares["share_pct"]],
        }
    )
    first = shares.iloc[0]
    alt_text = t(
        "jur.org.alt",
        lang,
        n=len(top),
        total=fmt_int(len(shares), lang),
        date=fmt_date(org_date, lang),
        first=first["name"],
        first_n=fmt_int(first["datasets_count"], lang),
        first_pct=fmt_pct(first["share_pct"], lang),
        sum=fmt_int(shares["datasets_count"].sum(), lang),
        pt_n=fmt_int(len(pt_gov), lang),
        pt_sum=fmt_int(pt_gov["datasets_count"].sum(), lang),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(org_counts, column="origin") or (ORG_SOURCE,),
        source_label=t("jur.source.ogp_departments", lang),
        as_of=org_date,
    )


def _status_labels(lang: str) -> dict[str, str]:
    from metrics.freshness import STATUSES
    from opengov.i18n import t

    return {s: t(f"jur.status.{s}", lang) for s in STATUSES}


def fresh_daily_figure(fresh_daily: pd.DataFrame, lang: str) -> Figure | None:
    """open.canada.ca records by freshness status, day by day (the daily 'freshness' facet), as of its
    last day; None without facets."""
    from metrics.freshness import STATUSES, declared_share
    from opengov.i18n import fmt_date, fmt_int, fmt_pct, t

    if fresh_daily.empty:
        return None
    label = _status_labels(lang)
    order = [label[s] for s in STATUSES]
    fd_last = fresh_daily[fresh_daily["snapshot_date"] == fresh_daily["snapshot_date"].max()]
    fd_counts = pd.DataFrame(
        {
            "status": list(STATUSES),
            "records_count": [int(fd_last.loc[fd_last["value"] == s, "count"].sum()) for s in STATUSES],
        }
    )
    late_pct = declared_share(fd_counts)
    checked = fresh_daily[fresh_daily["value"] != "unknown"]
    chart = status_lines(
        checked.assign(status=checked["value"].map(label)),
        x="snapshot_date",
        y="count",
        status="status",
        title=t("jur.fresh.daily_title", lang),
        x_title=t("jur.axis.date", lang),
        y_title=t("jur.axis.records", lang),
        status_title=t("jur.col.status", lang),
        lang=lang,
        order=order[:3],
        colors=[STATUS_COLORS[s] for s in STATUSES][:3],
    )
    wide = fresh_daily.pivot_table(index="snapshot_date", columns="value", values="count", aggfunc="sum")
    table = pd.DataFrame({t("jur.axis.date", lang): [fmt_date(d, lang, "medium") for d in wide.index]})
    for s in STATUSES:
        if s in wide:
            table[label[s]] = [count_text(v, lang) for v in wide[s]]
    c = fd_counts.set_index("status")["records_count"]
    last_day = fd_last["snapshot_date"].max()
    alt_text = t(
        "jur.fresh.daily_alt",
        lang,
        date=fmt_date(last_day, lang),
        current=fmt_int(c["current"], lang),
        due_soon=fmt_int(c["due_soon"], lang),
        late=fmt_int(c["late"], lang),
        unknown=fmt_int(c["unknown"], lang),
        late_pct=fmt_pct(late_pct, lang),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(fresh_daily, column="origin") or (DAILY_SOURCE,),
        definition=t("jur.fresh.definition", lang),
        source_label=t("source.open_canada_catalogue", lang),
        as_of=last_day,
    )


def municipal_fresh_figure(mf: pd.DataFrame, lang: str) -> Figure | None:
    """Municipal records by freshness status as computed from their update frequency (bars), with the
    table by frequency, as of the file's as-of date; its definition is the agreement note (computed vs
    declared status). None for an empty file."""
    from metrics.freshness import STATUSES, classify_records, status_counts
    from opengov.i18n import catalogue, fmt_date, fmt_int, fmt_pct, t

    if mf.empty:
        return None
    label = _status_labels(lang)
    as_of = mf["as_of_date"].max()
    cls = classify_records(mf, as_of)
    agree = int((cls["computed_status"] == cls["freshness_status"]).sum())
    counts = status_counts(cls["computed_status"])
    counts["status_label"] = counts["status"].map(label)
    counts["label"] = [
        f"{fmt_int(n, lang)} ({fmt_pct(p, lang, 0)})"
        for n, p in zip(counts["records_count"], counts["share_pct"], strict=True)
    ]
    chart = status_bars(
        counts,
        status="status_label",
        value="records_count",
        label="label",
        title=t("jur.fresh.municipal_chart", lang, n=fmt_int(len(cls), lang)),
        status_title=t("jur.col.status", lang),
        value_title=t("jur.axis.records", lang),
        lang=lang,
        order=[label[s] for s in STATUSES],
        colors=[STATUS_COLORS[s] for s in STATUSES],
    )
    by_freq = (
        cls.groupby(["frequency", "computed_status"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=list(STATUSES), fill_value=0)
    )
    by_freq = by_freq.loc[by_freq.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    known = catalogue(lang)
    table = pd.DataFrame(
        {
            t("jur.col.frequency", lang): [
                t(f"jur.freq.{f}", lang) if f"jur.freq.{f}" in known else f for f in by_freq.index
            ]
        }
    )
    for s in STATUSES:
        table[label[s]] = [fmt_int(v, lang) for v in by_freq[s]]
    c = counts.set_index("status")
    alt_text = t(
        "jur.fresh.municipal_alt",
        lang,
        n=fmt_int(len(cls), lang),
        date=fmt_date(as_of, lang),
        current=fmt_int(c.loc["current", "records_count"], lang),
        due_soon=fmt_int(c.loc["due_soon", "records_count"], lang),
        late=fmt_int(c.loc["late", "records_count"], lang),
        unknown=fmt_int(c.loc["unknown", "records_count"], lang),
    )
    definition = t("jur.fresh.agreement", lang, agree=fmt_int(agree, lang), total=fmt_int(len(cls), lang))
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=(MUNICIPAL_SOURCE,),
        definition=definition,
        source_label=t("jur.source.municipal_freshness", lang),
        as_of=as_of,
    )


# --------------------------------------------------------------------------- the registry's labels
def platform_label(platform: str | None, lang: str) -> str:
    """A platform's name ("Custom" and "Unknown" in the UI language).

    >>> platform_label("arcgis_server", "fr"), platform_label("", "fr"), platform_label("custom", "fr")
    ('ArcGIS Server', 'Inconnue', 'Sur mesure')
    """
    from opengov.i18n import t

    if not platform:
        return t("jur.platform.unknown", lang)
    if platform == "custom":
        return t("jur.platform.custom", lang)
    return PLATFORM_NAMES.get(platform, platform)


def catalogue_type_label(value: str | None, lang: str) -> str:
    """The registry's catalogue type in the UI language (an open-data portal when blank).

    >>> catalogue_type_label("Geoportal", "fr"), catalogue_type_label("", "en")
    ('Géoportail', 'Open-data portal')
    """
    from opengov.i18n import t

    key = CATALOGUE_TYPES.get(value or "Open data portal")
    return t(f"jur.catalogue_type.{key}", lang) if key else data_text(str(value), lang)


def field_sources_text(value: str | None, lang: str) -> str:
    """Where a registry row's fields came from, in words: "platform: 2026 registry · API: derived …".

    >>> field_sources_text("platform=cdi2026;api_base_url=convention;name=operator", "en")
    'platform: 2026 registry · API: from the home page (platform convention) · name: set by an operator'
    """
    from opengov.i18n import t

    parts: list[str] = []
    for item in (value or "").split(";"):
        field, _, origin = item.partition("=")
        if not field or not origin:
            continue
        field_key = {"name_en": "name", "name_fr": "name", "api_base_url": "api"}.get(field, field)
        if origin.startswith("unknown:"):
            origin_text = t("jur.origin.unknown", lang, value=origin.split(":", 1)[1])
        else:
            origin_text = t(f"jur.origin.{origin}", lang)
        label = t(f"jur.field.{field_key}", lang)
        text = f"{label}: {origin_text}"
        if text not in parts:
            parts.append(text)
    return " · ".join(parts) or "–"
