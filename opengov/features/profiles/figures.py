"""The profile's tables, charts and sentences, in the UI language, from `queries.ProfileData`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from metrics.profiles import level_comparison
from opengov.charts.base import line_chart
from opengov.charts.figure import Figure
from opengov.features.profiles.queries import COUNTRY, ProfileData
from opengov.i18n import catalogue, fmt_date, fmt_int, fmt_month, fmt_num, localized_url, pick_bilingual, t, tn
from opengov.sources.build_registry import CATALOGUE_TYPES, PLATFORM_NAMES

__all__ = [
    "comparison_text",
    "count_history_figure",
    "facts_table",
    "name_of",
    "own_usage_figure",
    "plans_table",
    "portals_table",
    "wg_table",
]


def name_of(p: ProfileData, lang: str) -> str:
    """The jurisdiction's name in `lang` (the provinces' and territories' official names)."""
    j = p.jurisdiction
    if j.kind in ("provincial", "territorial"):
        return t(f"pt.{j.code}", lang)
    return j.name_fr if lang == "fr" else j.name_en


def portals_table(p: ProfileData, lang: str) -> pd.DataFrame:
    """Its catalogues in the registry: open-data portals first, with platform, link and listing."""
    ports = p.portals.assign(
        _odp=lambda d: (d["catalog_type"] != "Open data portal").astype(int),
        _unlisted=lambda d: (d["listing"] == "2020").astype(int),
    ).sort_values(["_odp", "_unlisted", f"name_{lang}"])
    latest = (
        p.snapshots.sort_values("snapshot_date").drop_duplicates("portal_id", keep="last").set_index("portal_id")
        if not p.snapshots.empty
        else pd.DataFrame(columns=["dataset_count", "snapshot_date"])
    )
    return pd.DataFrame(
        {
            t("profile.col.portal", lang): ports[f"name_{lang}"],
            t("profile.col.type", lang): ports["catalog_type"].map(lambda v: _type_label(v, lang)),
            t("profile.col.platform", lang): ports["platform"].map(
                lambda v: PLATFORM_NAMES.get(v, t("jur.platform.unknown", lang) if not v else v)
            ),
            t("profile.col.link", lang): ports["homepage"].map(lambda u: localized_url(u, lang)),
            t("profile.col.listing", lang): ports["listing"].map(lambda v: t(f"jur.listing.{v or '2020'}", lang)),
            t("profile.col.count", lang): [
                fmt_int(latest.loc[i, "dataset_count"], lang) if i in latest.index else "–" for i in ports["id"]
            ],
            t("profile.col.as_of", lang): [
                fmt_date(latest.loc[i, "snapshot_date"], lang) if i in latest.index else "–" for i in ports["id"]
            ],
        }
    )


def _type_label(value: str, lang: str) -> str:
    """The registry's catalogue type in the UI language, in the jurisdictions page's words."""
    key = CATALOGUE_TYPES.get(value or "Open data portal")
    return t(f"jur.catalogue_type.{key}", lang) if key else str(value)


def count_history_figure(p: ProfileData, lang: str) -> Figure | None:
    """Its dated dataset counts (historical points and successful counts), one line per series (a series
    keeps one counting method); None without any."""
    from metrics.jurisdictions import COUNT_METRICS

    pts = p.count_points[p.count_points["metric"].isin(COUNT_METRICS)]
    rows = [
        pd.DataFrame(
            {
                "as_of": pd.to_datetime(pts["as_of"]),
                "datasets_count": pts["value"].astype(float),
                "series": pts["portal_label"].map(lambda v: _data_label(v, lang))
                + " · "
                + pts["metric"].map(lambda v: t(f"jur.metric.{v}", lang)),
                "source": pts["source_url"],
            }
        )
    ]
    if not p.snapshots.empty:
        s = p.snapshots
        rows.append(
            pd.DataFrame(
                {
                    "as_of": pd.to_datetime(s["snapshot_date"]),
                    "datasets_count": s["dataset_count"].astype(float),
                    "series": s["portal_id"].map({i: _portal_name(p, i, lang) for i in s["portal_id"].unique()})
                    + " · "
                    + t("profile.counted", lang),
                    "source": s["origin"],
                }
            )
        )
    df = pd.concat(rows, ignore_index=True).sort_values("as_of")
    if df.empty:
        return None
    name = name_of(p, lang)
    chart = line_chart(
        df,
        "as_of",
        "datasets_count",
        title=t("profile.history.title", lang, name=name),
        x_title=t("jur.axis.date", lang),
        y_title=t("profile.axis.datasets", lang),
        lang=lang,
        color="series",
        color_title=t("jur.col.series", lang),
        # years on a long history; months when the counts span less than two years (Québec's: 2017)
        time_format="%Y" if (df["as_of"].max() - df["as_of"].min()).days > 730 else "%b %Y",
        zero=False,
    )
    # the series' names are long ("open.canada.ca — Open Data Portal Watch · datasets"): the legend goes
    # below the chart, one name per line, never cut short
    chart = chart.encode(
        color=alt.Color(
            "series:N",
            title=t("jur.col.series", lang),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0, columns=1),
        )
    )
    first, last = df.iloc[0], df.iloc[-1]
    alt_text = t(
        "profile.history.alt",
        lang,
        name=name,
        n=len(df),
        series=df["series"].nunique(),
        first=fmt_date(first["as_of"], lang),
        first_value=fmt_int(first["datasets_count"], lang),
        last=fmt_date(last["as_of"], lang),
        last_value=fmt_int(last["datasets_count"], lang),
    )
    table = pd.DataFrame(
        {
            t("jur.col.as_of_text", lang): [fmt_date(d, lang) for d in df["as_of"]],
            t("jur.col.series", lang): df["series"],
            t("jur.col.value", lang): [fmt_int(v, lang) for v in df["datasets_count"]],
            t("jur.col.source", lang): df["source"],
        }
    )
    source_ids = tuple(sorted(set(pts["source_id"].dropna()))) if "source_id" in pts else ()
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids,
        definition=t("break.counts_methods", lang),
        export_table=df.rename(columns={"as_of": "as_of_date"}),
    )


def _data_label(text: str, lang: str) -> str:
    """A label of the count timeline in `lang` (the jurisdictions page's catalogue), else as published."""
    return catalogue(lang).get(f"jur.data.{text}", text)


def _portal_name(p: ProfileData, portal_id: str, lang: str) -> str:
    """A portal as readers know it: its address's host (open.yukon.ca) when its registry name is the
    jurisdiction's own name (a government's main portal), else its registry name."""
    from urllib.parse import urlsplit

    row = p.portals[p.portals["id"] == portal_id]
    if row.empty:
        return portal_id
    name, home = str(row[f"name_{lang}"].iloc[0]), str(row["homepage"].iloc[0] or "")
    host = (urlsplit(home).hostname or "").removeprefix("www.")
    if host and name in (p.jurisdiction.name_en, p.jurisdiction.name_fr, name_of(p, lang)):
        return localized_host(host, lang)
    return name


def localized_host(host: str, lang: str) -> str:
    """open.canada.ca is ouvert.canada.ca in French; other hosts as they are."""
    return "ouvert.canada.ca" if lang == "fr" and host == "open.canada.ca" else host


def portal_label(p: ProfileData, portal_id: str, lang: str) -> str:
    """The public name of one of its portals (see `_portal_name`)."""
    return _portal_name(p, portal_id, lang)


def own_usage_figure(p: ProfileData, portal_id: str, lang: str) -> Figure | None:
    """Monthly visits of its own portal, named with the portal and its analytics tool; None without rows."""
    df = p.own_usage.get(portal_id)
    if df is None or df.empty:
        return None
    portal = _portal_name(p, portal_id, lang)
    tool = catalogue(lang).get(f"profile.tool.{portal_id}", "")
    data = df.rename(columns={"value_count": "visits_count"})
    chart = line_chart(
        data,
        "month_start",
        "visits_count",
        title=t("profile.usage.title", lang, portal=portal, tool=tool)
        if tool
        else t("profile.usage.title_no_tool", lang, portal=portal),
        x_title=t("profile.axis.month", lang),
        y_title=t("profile.axis.visits", lang),
        lang=lang,
    )
    last = data.iloc[-1]
    return Figure(
        chart,
        t(
            "profile.usage.alt",
            lang,
            portal=portal,
            n=len(data),
            first=fmt_month(data["month_start"].iloc[0], lang),
            last=fmt_month(last["month_start"], lang),
            last_value=fmt_int(last["visits_count"], lang),
        ),
        pd.DataFrame(
            {
                t("profile.axis.month", lang): [fmt_month(d, lang) for d in data["month_start"]],
                t("profile.axis.visits", lang): [fmt_int(v, lang) for v in data["visits_count"]],
            }
        ),
        source_ids=tuple(sorted(set(data["source_id"].dropna()))),
        definition=t("profile.usage.definition", lang, tool=tool or "–"),
        export_table=data[["month_start", "visits_count"]],
    )


def plans_table(p: ProfileData, lang: str) -> pd.DataFrame:
    """Its action plans: reported statuses and coverage, items overdue today, independent ratings."""
    irm = p.irm.groupby("plan_id").size() if not p.irm.empty else pd.Series(dtype=int)
    rows = []
    for s in p.plans:
        cov = s.coverage
        rows.append(
            {
                t("profile.col.plan", lang): s.title_fr if lang == "fr" else s.title_en,
                t("profile.col.reported", lang): t(
                    "profile.reported_of" if cov.known_total else "profile.reported_of.unknown",
                    lang,
                    reported=fmt_int(cov.reported, lang),
                    total=fmt_int(cov.total, lang),
                    units=tn(f"plans.unit.{s.unit}", cov.total, lang),
                ),
                t("profile.col.complete", lang): fmt_int(s.counts.get("complete", 0), lang),
                t("profile.col.overdue", lang): fmt_int(s.overdue, lang),
                t("profile.col.irm", lang): fmt_int(int(irm.get(s.plan_id, 0)), lang),
            }
        )
    return pd.DataFrame(rows)


def wg_table(p: ProfileData, lang: str) -> pd.DataFrame:
    """Its part in the working group by year: presentations at meetings and agenda items it carried."""
    acts = p.wg_activities.groupby("year").size() if not p.wg_activities.empty else pd.Series(dtype=int)
    agenda = p.wg_agenda.groupby("year").size() if not p.wg_agenda.empty else pd.Series(dtype=int)
    years = sorted(set(acts.index) | set(agenda.index))
    topics = {
        y: "; ".join(
            list(p.wg_activities.loc[p.wg_activities["year"] == y, f"text_{lang}"].astype(str))
            + list(p.wg_agenda.loc[p.wg_agenda["year"] == y, f"topic_{lang}"].astype(str))
        )
        for y in years
    }
    return pd.DataFrame(
        {
            t("profile.col.year", lang): [str(y) for y in years],
            t("profile.col.presented", lang): [fmt_int(int(acts.get(y, 0)), lang) for y in years],
            t("profile.col.agenda", lang): [fmt_int(int(agenda.get(y, 0)), lang) for y in years],
            t("profile.col.topics", lang): [topics[y] for y in years],
        }
    )


def facts_table(p: ProfileData, lang: str) -> pd.DataFrame:
    """The cited facts of the source documents that concern it, with their document and date (a sentence
    that carries several figures, e.g. Données Québec's partners, is shown once)."""
    f = p.facts.drop_duplicates(f"statement_{lang}")
    return pd.DataFrame(
        {
            t("profile.col.fact", lang): f[f"statement_{lang}"],
            t("profile.col.document", lang): [pick_bilingual(str(d), lang) for d in f[f"document_{lang}"]],
            t("profile.col.as_of", lang): [fmt_date(d, lang) if pd.notna(d) else "–" for d in f["document_date"]],
        }
    )


def comparison_text(p: ProfileData, rates: pd.DataFrame, lang: str) -> str:
    """Records federated into open.canada.ca per 100,000 people against the median of its level."""
    j = p.jurisdiction
    if j.kind not in ("provincial", "territorial"):
        return t("profile.compare.not_applicable", lang)
    level = rates[rates["level"] == j.kind].set_index("pt_code")["rate_per_100k"]
    r = level_comparison(level, j.code)
    if r["value"] is None:
        return t("profile.compare.no_value", lang, name=name_of(p, lang))
    return t(
        "profile.compare.rate",
        lang,
        name=name_of(p, lang),
        value=fmt_num(r["value"], lang, 1),
        median=fmt_num(r["median"], lang, 1),
        level=t(f"profile.level.{j.kind}", lang),
        rank=fmt_int(r["rank"], lang),
        n=fmt_int(r["peers_count"], lang),
        year=str(p.population_year or "–"),
    )


def growth_text(p: ProfileData, lang: str) -> str:
    """The growth of its own portal's count over 12 months, when two counts a year apart exist."""
    s = p.snapshots.sort_values("snapshot_date")
    if s.empty:
        return t("profile.growth.none", lang)
    last = s.iloc[-1]
    year_before = s[
        pd.to_datetime(s["snapshot_date"]) <= pd.to_datetime(last["snapshot_date"]) - pd.DateOffset(months=12)
    ]
    if year_before.empty:
        return t("profile.growth.none", lang)
    first = year_before.iloc[-1]
    change = (
        (float(last["dataset_count"]) / float(first["dataset_count"]) - 1) * 100 if first["dataset_count"] else None
    )
    return t(
        "profile.growth.value",
        lang,
        first=fmt_date(first["snapshot_date"], lang),
        last=fmt_date(last["snapshot_date"], lang),
        pct=fmt_num(change, lang, 1) if change is not None else "–",
    )


def is_country(p: ProfileData) -> bool:
    return p.jurisdiction.code == COUNTRY
