"""Pure view helpers of the Portal usage page: for each figure, the data preparation, the chart,
its text alternative and its data table. No Streamlit and no store access here: the page
(pages/usage.py) feeds them the cached loaders' frames, and the chart exports
(`opengov.features.usage.exports.EXPORTS`) feed them the same frames read with `opengov.features.usage.queries`,
so an exported chart is the chart the page draws.

Every function takes the UI language and returns text in that language. A figure function returns a
`opengov.charts.figure.Figure` carrying its source ids (from the data's `source_id` column where the
frame has one), its definition and, for the map, its attribution and typed export table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

from metrics.usage import (
    BREAKS,
    comparable_since,
    fiscal_year_start,
    month_coverage,
    month_grid,
    rolling_average,
    shares,
)
from opengov.charts import base as charts
from opengov.charts.base import PALETTE
from opengov.charts.figure import Figure, ids, source_ids_of
from opengov.features.usage import charts as charts_usage
from opengov.i18n import (
    fmt_date,
    fmt_fiscal_year,
    fmt_int,
    fmt_month,
    fmt_pct,
    fmt_signed_int,
    t,
)

JUR = ("federal", "provincial", "municipal", "user")
METRICS = ("downloads", "visits")
TABS = ("time", "compare", "datasets", "departments", "geo", "jurisdiction")
SERIES = ("jurisdiction", "portal", "open_maps")
CMP_MODES = ("month", "calendar", "fiscal", "custom")
#: top-datasets source -> (metric, source id)
TOP_SRC = {"events": ("download_events", "ogp_top50_events"), "top25": ("downloads", "ogp_top25_2023_06")}
TOP_NS = (5, 10, 15, 20, 25)
#: (metric, source id, definition note) of the "by jurisdiction" tab
JUR_METRICS = (
    ("downloads", "ogp_downloads_by_jurisdiction", "break.user_jurisdiction"),
    ("dataset_page_visits", "ogp_visits_by_jurisdiction", None),
    ("open_maps_views", "ogp_openmaps_by_jurisdiction", "break.openmaps_gaps"),
)
#: source id of each jurisdiction-level series (the id its figure names when its frame has no `source_id`)
JUR_SRC = {jm: sid for jm, sid, _note in JUR_METRICS}
JUR_NOTE = {jm: note for jm, _sid, note in JUR_METRICS}
#: sources of the whole-portal monthly series, the daily download events, the departments' datasets,
#: the net new datasets, the visits by province/territory and by country
MONTHLY_SRC = "ogp_monthly_usage_2022_2023"
DAILY_SRC = "ogp_daily_download_events"
DEPT_SRC = "ogp_departments_2023_06"
NET_NEW_SRC = "ogp_released_2022_2023"
REGION_SRC = "ogp_regions_2023"
COUNTRY_SRC = "ogp_countries_2023"

#: registry ids of the two portals with usage: open.canada.ca and open.yukon.ca
FED_PORTAL, YT_PORTAL = "canada", "yt"
#: open.yukon.ca's sources: Matomo's monthly report, CKAN's per-package figures, the catalogue by type and year
YT_MONTHLY_SRC, YT_PACKAGES_SRC = "yt_matomo_monthly", "yt_packages_usage"
YT_BY_TYPE_SRC, YT_BY_YEAR_SRC = "yt_packages_by_type", "yt_packages_by_year"
#: Matomo's monthly metrics of open.yukon.ca drawn on its monthly chart (actions are in the table)
YT_MONTHLY_METRICS = ("visits", "pageviews", "actions")
#: windows of open.yukon.ca's per-package figures (usage_stats grains)
YT_WINDOWS = ("cumulative", "last_90_days")
#: CKAN package types of open.yukon.ca, open-data datasets first
YT_TYPES = ("data", "information", "access-requests", "pia-summaries")
YT_TYPE_FILTERS = ("all", "data")

#: The analytics tool behind each usage source, in the order the source used them: `ua` Google Analytics
#: (Universal Analytics, before July 2023), `ga4` Google Analytics 4, `adobe` Adobe Analytics (from fiscal
#: 2025-26 on open.canada.ca, see the series breaks), `matomo` Matomo (open.yukon.ca), `ckan` a count of
#: catalogue records (no web analytics). A source not listed here (e.g. a live refresh) names no tool.
#: the tools in the order open.canada.ca used them, then open.yukon.ca's, then catalogue counts
TOOL_ORDER = ("ua", "ga4", "adobe", "matomo", "ckan")
ANALYTICS_TOOL: dict[str, tuple[str, ...]] = {
    "ogp_monthly_usage_2022_2023": ("ua",),
    "ogp_top25_2023_06": ("ua",),
    "ogp_regions_2023": ("ua",),
    "ogp_countries_2023": ("ua",),
    "ogp_downloads_by_jurisdiction": ("ga4", "adobe"),
    "ogp_visits_by_jurisdiction": ("ga4", "adobe"),
    "ogp_openmaps_by_jurisdiction": ("ua", "ga4", "adobe"),
    "ogp_corporate_daily": ("ga4", "adobe"),
    "ogp_fiscal_totals": ("ga4", "adobe"),
    "ogp_daily_download_events": ("adobe",),
    "ogp_top50_events": ("adobe",),
    "ogp_departments_2023_06": ("ckan",),
    "ogp_released_2022_2023": ("ckan",),
    "ogp_packages_daily": ("ckan",),
    "yt_matomo_monthly": ("matomo",),
    "yt_packages_usage": ("matomo",),
    "yt_packages_by_type": ("ckan",),
    "yt_packages_by_year": ("ckan",),
}


# --------------------------------------------------------------------------- months and spans


def month_opts(first: object, last: object) -> list[str]:
    """'YYYY-MM' of every month from `first` to `last`."""
    return [d.strftime("%Y-%m") for d in pd.date_range(first, last, freq="MS")]


def ym(value: str) -> pd.Timestamp:
    return pd.Timestamp(f"{value}-01")


def mfmt(value: object, lang: str) -> str:
    return fmt_month(pd.Timestamp(value).date(), lang)


def span(first: object, last: object, lang: str) -> str:
    return t("usage.span", lang, start=mfmt(first, lang), end=mfmt(last, lang))


def in_range(df: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, col: str = "month_start") -> pd.DataFrame:
    return df[(df[col] >= start) & (df[col] <= end)]


def break_rules(metric_key: str, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> pd.DataFrame:
    """Series breaks of `metric_key` within [start, end]: date, label."""
    rows = [
        {"date": b.date, "label": t(f"break.{b.key}.title", lang)}
        for b in BREAKS
        if metric_key in b.metrics and start <= b.date <= end
    ]
    return pd.DataFrame(rows, columns=["date", "label"])


def jur_metric_of(metric: str) -> str:
    """The jurisdiction-level series that goes with the portal-level `metric`."""
    return "downloads" if metric == "downloads" else "dataset_page_visits"


@lru_cache(maxsize=4)
def _group_symbol(lang: str) -> str:
    from babel.numbers import get_group_symbol

    from opengov.i18n import LOCALES

    return get_group_symbol(LOCALES[lang])


def fmt_ints(values, lang: str) -> list[str]:
    """`fmt_int` of every value, ~10x faster for the usual case (a finite, non-negative number:
    Python's grouping with the locale's group symbol, which is what Babel's "#,##0" writes);
    anything else goes through `fmt_int` itself. Tables here format hundreds of cells per rerun."""
    sep = _group_symbol(lang)
    out = []
    for v in values:
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0:
            out.append(f"{round(float(v)):,}".replace(",", sep))
        else:
            out.append(fmt_int(v, lang))
    return out


def _ints(values: pd.Series, lang: str) -> pd.Series:
    return pd.Series(fmt_ints(values, lang), index=values.index, dtype=values.map(str).dtype if values.empty else None)


def _pcts(values: pd.Series, lang: str) -> pd.Series:
    return values.map(lambda v: fmt_pct(v, lang))


# --------------------------------------------------------------------------- URL state (pure part)


# --------------------------------------------------------------------------- default filters


def default_range(ext: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The page's default month range: every month of the monthly series (extent frame)."""
    months = ext[ext["grain"] == "month"]
    opts = month_opts(months["first"].min(), months["last"].max())
    return ym(opts[0]), ym(opts[-1])


def default_portal(portals: pd.DataFrame) -> str:
    ids = portals["portal_id"].tolist()
    return ids[0] if ids else "canada"


# --------------------------------------------------------------------------- 1. monthly series


def monthly_figure(
    portal_series: pd.DataFrame,
    jur_series: pd.DataFrame,
    metric: str,
    start: pd.Timestamp,
    end: pd.Timestamp,
    lang: str,
) -> Figure | None:
    """Monthly portal-level and jurisdiction-level series with their 12-month rolling averages and
    the series breaks in [start, end]; None when neither series has data in the range. Its sources
    are both series' (whether or not the range shows both)."""
    metric_name = t(f"usage.metric.{metric}", lang)
    label_roll = t("usage.series.rolling", lang)
    label_monthly = t("usage.series.monthly", lang)
    parts, table_parts, alt_parts = [], [], []
    for label, frame in (
        (t(f"usage.series.portal_{metric}", lang), portal_series),
        (t(f"usage.series.jur_{metric}", lang), jur_series),
    ):
        if frame.empty:
            continue
        roll = rolling_average(frame.rename(columns={"value_count": "value"}), "value", window=12, out_col="rolling")
        shown = in_range(roll, start, end)
        if shown["value"].notna().sum() == 0:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "month_start": shown["month_start"],
                    "series": label,
                    "kind": label_monthly,
                    "value_count": shown["value"],
                }
            )
        )
        if shown["rolling"].notna().any():
            parts.append(
                pd.DataFrame(
                    {
                        "month_start": shown["month_start"],
                        "series": label,
                        "kind": label_roll,
                        "value_count": shown["rolling"],
                    }
                )
            )
        table_parts.append(shown.assign(series=label))
        valid = shown.dropna(subset=["value"])
        peak = valid.loc[valid["value"].idxmax()]
        last_roll = shown.dropna(subset=["rolling"]).tail(1)
        alt_parts.append(
            t(
                "usage.alt.series",
                lang,
                series=label,
                span=span(valid["month_start"].min(), valid["month_start"].max(), lang),
                peak=fmt_int(peak["value"], lang),
                peak_month=mfmt(peak["month_start"], lang),
                months=fmt_int(len(valid), lang),
                gaps=fmt_int(int(shown["value"].isna().sum()), lang),
            )
            + (
                " "
                + t(
                    "usage.alt.rolling",
                    lang,
                    value=fmt_int(last_roll["rolling"].iloc[0], lang),
                    month=mfmt(last_roll["month_start"].iloc[0], lang),
                )
                if len(last_roll)
                else ""
            )
        )
    if not parts:
        return None
    rules = break_rules(metric, start, end, lang)
    data = pd.concat(parts, ignore_index=True)
    chart = charts_usage.series_chart(
        data,
        x="month_start",
        y="value_count",
        series="series",
        dashed="kind",
        breaks=rules,
        height=300,
        dashed_order=[label_roll, label_monthly],  # rolling average solid, monthly values dashed (any language)
        dashed_title=t("usage.axis.line", lang),
        title=t("usage.chart.monthly.title", lang, metric=metric_name),
        x_title=t("axis.month", lang),
        y_title=metric_name,
        series_title=t("usage.axis.series", lang),
        lang=lang,
    )
    tbl = pd.concat(table_parts, ignore_index=True)
    table = pd.DataFrame(
        {
            t("axis.month", lang): tbl["month_start"].map(lambda v: mfmt(v, lang)),
            t("usage.axis.series", lang): tbl["series"],
            metric_name: _ints(tbl["value"], lang),
            label_roll: _ints(tbl["rolling"], lang),
        }
    )
    alt_text = (
        t("usage.alt.monthly", lang, metric=metric_name.lower(), start=mfmt(start, lang), end=mfmt(end, lang))
        + " "
        + " ".join(alt_parts)
        + " "
        + (
            t("usage.alt.breaks", lang, breaks=", ".join(rules["label"]))
            if len(rules)
            else t("usage.alt.no_breaks", lang)
        )
    )
    jur_metric = jur_metric_of(metric)
    definition = " ".join(
        dict.fromkeys((t(f"def.{metric}", lang), t(f"def.{jur_metric}", lang), t("usage.rolling_def", lang)))
    )
    since = comparable_since(end, metric)
    caveat = (
        t("usage.comparable_since", lang, metric=metric_name.lower(), month=mfmt(since, lang))
        if since is not None
        else t("usage.comparable_all", lang, metric=metric_name.lower())
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=ids(source_ids_of(portal_series) or MONTHLY_SRC, source_ids_of(jur_series) or JUR_SRC[jur_metric]),
        definition=definition,
        caveats=(caveat,),  # the series-break line under the chart, carried by its files too
    )


# --------------------------------------------------------------------------- 2. comparison options


def compare_options(cmp_df: pd.DataFrame) -> tuple[list[str], list[int], list[int], list[int], list[int]]:
    """Months, calendar years, fiscal years (newest first) of a series, and the full ones."""
    s_first, s_last = cmp_df["month_start"].min(), cmp_df["month_start"].max()
    dates = pd.date_range(s_first, s_last, freq="MS")
    years = sorted({d.year for d in dates}, reverse=True)
    fys = sorted({fiscal_year_start(d) for d in dates}, reverse=True)
    full_years = [y for y in years if s_first <= pd.Timestamp(y, 1, 1) and pd.Timestamp(y, 12, 1) <= s_last] or years
    full_fys = [y for y in fys if s_first <= pd.Timestamp(y, 4, 1) and pd.Timestamp(y + 1, 3, 1) <= s_last] or fys
    return month_opts(s_first, s_last), years, fys, full_years, full_fys


def period_label(p: tuple[pd.Timestamp, pd.Timestamp], mode: str, lang: str) -> str:
    if mode == "fiscal":
        return fmt_fiscal_year(fiscal_year_start(p[0]), lang)
    if mode == "calendar":
        return str(p[0].year)
    return mfmt(p[0], lang) if p[0] == p[1] else span(*p, lang)


# --------------------------------------------------------------------------- 3. fiscal years


def fiscal_figure(fiscal: pd.DataFrame, lang: str) -> Figure | None:
    """Grouped bars of downloads and visits per fiscal year (full years and year to date)."""
    fy = fiscal[fiscal["metric"].isin(METRICS)].copy()
    if fy.empty:
        return None
    fy["fy_label"] = [
        fmt_fiscal_year(fiscal_year_start(s_), lang) + ("" if g == "fiscal_year" else " " + t("usage.to_date", lang))
        for s_, g in zip(fy["period_start"], fy["grain"], strict=True)
    ]
    fy["metric_label"] = fy["metric"].map(lambda v: t(f"usage.metric.{v}", lang))
    order = list(dict.fromkeys(fy.sort_values("period_start")["fy_label"]))
    chart = charts_usage.grouped_bars(
        fy,
        category="fy_label",
        value="value_count",
        group="metric_label",
        title=t("usage.chart.fy.title", lang),
        category_title=t("def.fiscal_year.term", lang),
        value_title=t("usage.axis.count", lang),
        group_title=t("usage.axis.metric", lang),
        lang=lang,
        category_order=order,
    )
    wide = fy.pivot_table(index=["period_start", "fy_label"], columns="metric", values="value_count").reset_index()
    table = pd.DataFrame(
        {
            t("def.fiscal_year.term", lang): wide["fy_label"],
            **{t(f"usage.metric.{m_}", lang): _ints(wide[m_], lang) for m_ in METRICS if m_ in wide},
        }
    )
    vals = "; ".join(
        f"{r.fy_label}: {fmt_int(r.downloads, lang)} / {fmt_int(r.visits, lang)}" for r in wide.itertuples()
    )
    return Figure(
        chart,
        t("usage.alt.fy", lang, values=vals),
        table,
        source_ids=source_ids_of(fy) or ("ogp_fiscal_totals",),
        definition=fiscal_definition(fiscal, lang),
    )


def fiscal_definition(fiscal: pd.DataFrame, lang: str) -> str:
    fytd_end = fiscal.loc[fiscal["metric"].isin(METRICS) & (fiscal["grain"] == "fytd"), "period_end"]
    return (
        t("def.fiscal_year", lang)
        + " "
        + t("break.fy2025_visits", lang)
        + (" " + t("usage.fytd_note", lang, date=fmt_date(fytd_end.max(), lang)) if len(fytd_end) else "")
    )


# --------------------------------------------------------------------------- 4. top datasets


def split_top(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Split `queries.usage.dataset_top`'s one frame into (top, least, grand total)."""
    cols = [c for c in frame.columns if c not in ("list", "datasets_count")]
    kind = frame["list"].tolist()  # rows come ordered: top (largest first), least (smallest first), total
    n_top, n_least = kind.count("top"), kind.count("least")
    top = frame.iloc[:n_top][cols].reset_index(drop=True)
    least = frame.iloc[n_top : n_top + n_least][cols].reset_index(drop=True)
    tot = frame["value_count"].iloc[n_top + n_least :]
    grand = float(tot.iloc[0]) if len(tot) and pd.notna(tot.iloc[0]) else 0.0
    return top, least, grand


def _untitled(ds_id: object, lang: str) -> str:
    """The label of a dataset whose title the shipped data lack: 'Untitled (dfa4daf1…)'; the full
    identifier is in the tables' identifier column."""
    ds_id = str(ds_id)
    return t("usage.top.untitled", lang, id=ds_id[:8] + "…" if len(ds_id) > 9 else ds_id)


def ds_label(r: pd.Series, lang: str) -> str:
    title = r.get(f"title_{lang}") or r.get("title_en")
    return str(title) if isinstance(title, str) and title else _untitled(r["dataset_id"], lang)


def ds_labels(df: pd.DataFrame, lang: str) -> list[str]:
    """`ds_label` of every row (without DataFrame.apply, which costs milliseconds per call)."""
    own = df[f"title_{lang}"] if f"title_{lang}" in df else pd.Series([None] * len(df), index=df.index)
    out = []
    for title, title_en, ds_id in zip(own, df["title_en"], df["dataset_id"], strict=True):
        title = title or title_en
        out.append(str(title) if isinstance(title, str) and title else _untitled(ds_id, lang))
    return out


def with_labels(rank: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`rank` with a `label` column: the dataset's full title (the chart's axis shortens it with an
    ellipsis), made unique with the start of the identifier when two datasets share a title (a bar
    chart would otherwise merge them).

    >>> f = pd.DataFrame({"dataset_id": ["aaaa1111-x", "bbbb2222-y"], "title_en": ["Same", "Same"]})
    >>> with_labels(f, "en")["label"].tolist()
    ['Same (aaaa1111)', 'Same (bbbb2222)']
    """
    labels = ds_labels(rank, lang)
    seen = pd.Series(labels).duplicated(keep=False).tolist()
    return rank.assign(
        label=[
            f"{label} ({str(ds_id)[:8]})" if dup else label
            for label, ds_id, dup in zip(labels, rank["dataset_id"], seen, strict=True)
        ]
    )


def ds_table(df: pd.DataFrame, grand: float, top_metric: str, top_src: str, lang: str) -> pd.DataFrame:
    no_department = t("usage.top.no_department", lang)
    share = df["value_count"] / grand * 100 if grand else pd.Series([None] * len(df))
    out = pd.DataFrame(
        {
            t("usage.axis.rank", lang): range(1, len(df) + 1),
            t("usage.axis.dataset", lang): ds_labels(df, lang),
            t("usage.axis.department", lang): df[f"organization_{lang}"].fillna("").replace("", no_department),
            t(f"def.{top_metric}.term", lang): _ints(df["value_count"], lang),
            t("usage.axis.share", lang): _pcts(share, lang),
            t("usage.axis.dataset_id", lang): df["dataset_id"],
        }
    )
    if top_src == "events":
        out[t("usage.axis.days_covered", lang)] = df["note"].fillna("").str.replace("days_covered=", "", regex=False)
    return out


def top_period_label(top_start: pd.Timestamp, top_end: pd.Timestamp, lang: str) -> str:
    return mfmt(top_start, lang) if top_start == top_end else span(top_start, top_end, lang)


def top_figure(
    rank: pd.DataFrame, grand: float, top_src: str, top_start: pd.Timestamp, top_end: pd.Timestamp, lang: str
) -> Figure:
    """Bar chart of the most used datasets (`rank` non-empty, from `with_labels`)."""
    top_metric, top_source_id = TOP_SRC[top_src]
    term = t(f"def.{top_metric}.term", lang)
    period = top_period_label(top_start, top_end, lang)
    chart = charts.bar_chart(
        rank,
        "label",
        "value_count",
        title=t("usage.chart.top.title", lang, n=len(rank), period=period),
        category_title=None,
        value_title=term,
        lang=lang,
    )
    first, last = rank.iloc[0], rank.iloc[-1]
    alt_text = t(
        "usage.alt.top",
        lang,
        n=len(rank),
        period=period,
        metric=term.lower(),
        first=ds_label(first, lang),
        first_value=fmt_int(first["value_count"], lang),
        share=fmt_pct(first["value_count"] / grand * 100 if grand else None, lang),
        last=ds_label(last, lang),
        last_value=fmt_int(last["value_count"], lang),
    )
    untitled = untitled_note(rank, lang)
    return Figure(
        chart,
        alt_text + (" " + untitled if untitled else ""),
        ds_table(rank, grand, top_metric, top_src, lang),
        source_ids=(top_source_id,),
        definition=" ".join(
            x for x in (t(f"def.{top_metric}", lang), t(f"usage.top.scope.{top_src}", lang), untitled) if x
        ),
    )


def untitled_count(rank: pd.DataFrame) -> int:
    """How many of the listed datasets have no title in any shipped source (neither language).

    >>> untitled_count(pd.DataFrame({"title_en": ["A", None, ""], "title_fr": [None, None, "B"]}))
    1
    """
    n = 0
    for en, fr in zip(rank["title_en"], rank.get("title_fr", pd.Series([None] * len(rank))), strict=True):
        if not (isinstance(en, str) and en) and not (isinstance(fr, str) and fr):
            n += 1
    return n


def untitled_note(rank: pd.DataFrame, lang: str) -> str:
    """ "Untitled bars: 8 of 10. ..." or "" when every bar has a title."""
    n = untitled_count(rank)
    return t("usage.top.untitled_count", lang, n=fmt_int(n, lang), total=fmt_int(len(rank), lang)) if n else ""


def partial_months_note(covered: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> list[str]:
    """One line per partial month of [start, end] (`covered` from metrics.usage.months_covered): how many of its
    days the source covers, and whether the source ends before the month does."""
    rows = covered[(covered["month_start"] >= start) & (covered["month_start"] <= end) & covered["partial"]]
    return [
        t(
            "usage.top.partial.in_progress" if r.in_progress else "usage.top.partial",
            lang,
            month=mfmt(r.month_start, lang),
            days=fmt_int(r.days_covered, lang),
            total=fmt_int(r.days_in_month, lang),
        )
        for r in rows.itertuples()
    ]


def history_figure(hist: pd.DataFrame, dataset: str, lang: str) -> Figure:
    """Monthly history of one dataset (every metric it has rows for)."""
    hist = hist.assign(series=hist["metric"].map(lambda v: t(f"def.{v}.term", lang)))
    parts = [month_grid(grp, "value_count").assign(series=grp["series"].iloc[0]) for _, grp in hist.groupby("series")]
    hdata = pd.concat(parts, ignore_index=True)
    chart = charts_usage.series_chart(
        hdata,
        x="month_start",
        y="value_count",
        series="series",
        title=charts.title_lines(t("usage.chart.history.title", lang, dataset=dataset)),
        x_title=t("axis.month", lang),
        y_title=t("usage.axis.count", lang),
        series_title=t("usage.axis.metric", lang),
        lang=lang,
        height=200,
    )
    table = pd.DataFrame(
        {
            t("axis.month", lang): hist["month_start"].map(lambda v: mfmt(v, lang)),
            t("usage.axis.metric", lang): hist["series"],
            t("usage.axis.count", lang): _ints(hist["value_count"], lang),
            t("usage.axis.rank", lang): _ints(hist["rank"], lang),
        }
    )
    hmax = hist.loc[hist["value_count"].idxmax()]
    alt_text = t(
        "usage.alt.history",
        lang,
        dataset=dataset,
        n=len(hist),
        span=span(hist["month_start"].min(), hist["month_start"].max(), lang),
        peak=fmt_int(hmax["value_count"], lang),
        peak_month=mfmt(hmax["month_start"], lang),
        metric=hmax["series"],
    )
    return Figure(chart, alt_text, table, source_ids=source_ids_of(hist), definition=t("usage.history_def", lang))


def daily_figure(days_shown: pd.DataFrame, sources: pd.DataFrame | None, lang: str) -> Figure:
    """Daily download events (non-empty `days_shown`), missing days left as gaps; a month is partial
    in the table when it has fewer days than the month, or is the month of the source's as-of date
    (from `sources`, the store's sources frame indexed by id)."""
    as_of = None
    if sources is not None and DAILY_SRC in sources.index and pd.notna(sources.at[DAILY_SRC, "as_of"]):
        as_of = sources.at[DAILY_SRC, "as_of"]
    every_day = pd.date_range(days_shown["day"].min(), days_shown["day"].max(), freq="D", name="day")
    grid = days_shown.set_index("day")[["value_count"]].reindex(every_day).reset_index()  # missing days: NaN
    ev_label = t("def.download_events.term", lang)
    cov = month_coverage(days_shown.rename(columns={"value_count": "events_count"}), as_of=as_of)
    chart = charts_usage.series_chart(
        grid.assign(series=ev_label),
        x="day",
        y="value_count",
        series="series",
        points=False,
        title=t("usage.chart.daily.title", lang),
        x_title=t("usage.axis.day", lang),
        y_title=ev_label,
        series_title=t("usage.axis.series", lang),
        lang=lang,
        time_format="%b %Y",
        tooltip_time_format="%x",
        height=200,
    )
    peak = days_shown.loc[days_shown["value_count"].idxmax()]
    table = pd.DataFrame(
        {
            t("axis.month", lang): cov["month_start"].map(lambda v: mfmt(v, lang)),
            ev_label: _ints(cov["events_count"], lang),
            t("usage.axis.days_with_data", lang): _ints(cov["days_with_data"], lang),
            t("usage.axis.days_in_month", lang): _ints(cov["days_in_month"], lang),
            t("usage.axis.partial", lang): cov["partial"].map(lambda p: t(f"usage.{'yes' if p else 'no'}", lang)),
        }
    )
    alt_text = t(
        "usage.alt.daily",
        lang,
        span=t(
            "usage.span_days",
            lang,
            start=fmt_date(days_shown["day"].min(), lang),
            end=fmt_date(days_shown["day"].max(), lang),
        ),
        days=fmt_int(len(days_shown), lang),
        missing=fmt_int(int(grid["value_count"].isna().sum()), lang),
        peak=fmt_int(peak["value_count"], lang),
        peak_day=fmt_date(peak["day"], lang),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=(DAILY_SRC,),
        definition=t("def.download_events", lang) + " " + t("break.daily_gaps", lang),
    )


# --------------------------------------------------------------------------- 5. departments


def dept_figure(by_dept: pd.DataFrame, lang: str) -> Figure:
    """The 15 organizations with the most datasets (non-empty `by_dept`); the table lists all."""
    top_d = by_dept.head(15).assign(name=lambda d: d[f"name_{lang}"])
    snap = by_dept["snapshot_date"].iloc[0]
    chart = charts.bar_chart(
        top_d,
        "name",
        "datasets_count",
        title=t("usage.chart.dept.title", lang, date=fmt_date(snap, lang)),
        category_title=None,  # the title says it; an axis title sat on the names
        value_title=t("def.datasets.term", lang),
        lang=lang,
    )
    sh = shares(by_dept.assign(name=by_dept[f"name_{lang}"]), "name", "datasets_count")
    table = pd.DataFrame(
        {
            t("usage.axis.department", lang): sh["name"],
            t("def.datasets.term", lang): _ints(sh["datasets_count"], lang),
            t("usage.axis.share", lang): _pcts(sh["share_pct"], lang),
        }
    )
    alt_text = t(
        "usage.alt.dept",
        lang,
        n=fmt_int(len(by_dept), lang),
        total=fmt_int(by_dept["datasets_count"].sum(), lang),
        date=fmt_date(snap, lang),
        first=sh["name"].iloc[0],
        first_value=fmt_int(sh["datasets_count"].iloc[0], lang),
        share=fmt_pct(sh["share_pct"].iloc[0], lang),
    )
    return Figure(
        chart, alt_text, table, source_ids=source_ids_of(by_dept) or (DEPT_SRC,), definition=t("def.datasets", lang)
    )


def net_new_figure(nn: pd.DataFrame, nn_span: str, lang: str) -> Figure:
    """Net new datasets by department (non-empty `nn`)."""
    top_nn = nn.head(15).assign(name=lambda d: d[f"name_{lang}"])
    chart = charts.bar_chart(
        top_nn,
        "name",
        "net_new_count",
        title=t("usage.chart.net_new.title", lang, span=nn_span),
        category_title=None,
        value_title=t("usage.axis.net_new", lang),
        lang=lang,
    )
    table = pd.DataFrame(
        {
            t("usage.axis.department", lang): nn[f"name_{lang}"],
            t("usage.axis.net_new", lang): nn["net_new_count"].map(lambda v: fmt_signed_int(v, lang)),
        }
    )
    alt_text = t(
        "usage.alt.net_new",
        lang,
        span=nn_span,
        total=fmt_signed_int(nn["net_new_count"].sum(), lang),
        first=nn[f"name_{lang}"].iloc[0],
        first_value=fmt_signed_int(nn["net_new_count"].iloc[0], lang),
        n=fmt_int(len(nn), lang),
    )
    return Figure(chart, alt_text, table, source_ids=(NET_NEW_SRC,), definition=t("usage.net_new_def", lang))


# --------------------------------------------------------------------------- 6. provinces and countries


def cumulative_span(reg: pd.DataFrame, lang: str) -> str:
    return t(
        "usage.span_days",
        lang,
        start=fmt_date(reg["period_start"].min(), lang),
        end=fmt_date(reg["period_end"].max(), lang),
    )


def region_figure(reg: pd.DataFrame, geojson_path, lang: str) -> Figure:
    """Choropleth of cumulative visits by province/territory (non-empty `reg`): a Plotly figure, its
    display table, an export table with raw numbers, and Statistics Canada's boundary attribution."""
    reg = reg.assign(
        name=[t(f"pt.{c}", lang) if c != "unknown" else t("usage.region.unknown", lang) for c in reg["dimension_key"]],
        value_text=_ints(reg["value_count"], lang),
    )
    reg_sh = shares(reg, "name", "value_count")
    mapped = reg[reg["dimension_key"] != "unknown"]
    reg_span = cumulative_span(reg, lang)
    fig = charts_usage.province_choropleth(
        mapped,
        geojson_path,
        code_col="dimension_key",
        value_col="value_count",
        name_col="name",
        value_text_col="value_text",
        title=t("usage.chart.map.title", lang, span=reg_span),
        value_title=t("usage.metric.visits", lang),
        lang=lang,
    )
    top3 = reg_sh.head(3)
    alt_text = t(
        "usage.alt.map",
        lang,
        span=reg_span,
        total=fmt_int(reg["value_count"].sum(), lang),
        top=", ".join(
            f"{r.name} ({fmt_int(r.value_count, lang)}, {fmt_pct(r.share_pct, lang)})" for r in top3.itertuples()
        ),
        low=f"{reg_sh.iloc[-1]['name']} ({fmt_int(reg_sh.iloc[-1]['value_count'], lang)})",
    )
    table = pd.DataFrame(
        {
            t("usage.axis.region", lang): reg_sh["name"],
            t("usage.metric.visits", lang): _ints(reg_sh["value_count"], lang),
            t("usage.axis.share", lang): _pcts(reg_sh["share_pct"], lang),
        }
    )
    export_table = reg_sh.rename(
        columns={
            "name": t("usage.axis.region", lang),
            "value_count": t("usage.metric.visits", lang),
            "share_pct": t("usage.axis.share_pct", lang),
        }
    )
    return Figure(
        fig,
        alt_text,
        table,
        source_ids=source_ids_of(reg) or (REGION_SRC,),
        definition=t("def.visits", lang) + " " + t("usage.cumulative_note", lang),
        attribution=t("attribution.statcan", lang),
        export_table=export_table,
    )


@lru_cache(maxsize=2)
def _territories(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    from babel import Locale

    en_terr = {v: k for k, v in Locale.parse("en").territories.items() if len(k) == 2}
    return en_terr, dict(Locale.parse("fr_CA" if lang == "fr" else "en_CA").territories)


def country_name(name: str, lang: str) -> str:
    """A country's English name (as in the source) in the UI language."""
    if name == "Other":
        return t("usage.country.other", lang)
    en_terr, loc_terr = _territories(lang)
    code = en_terr.get(name)
    return loc_terr.get(code, name) if code else name


def country_figure(cty: pd.DataFrame, reg_span: str, lang: str) -> Figure:
    """Bar chart of cumulative visits by country (non-empty `cty`)."""
    cty = cty.assign(name=cty["dimension_key"].map(lambda n: country_name(n, lang)))
    c_sh = shares(cty, "name", "value_count")
    chart = charts.bar_chart(
        cty,
        "name",
        "value_count",
        title=t("usage.chart.country.title", lang, span=reg_span),
        category_title=t("usage.axis.country", lang),
        value_title=t("usage.metric.visits", lang),
        lang=lang,
    )
    table = pd.DataFrame(
        {
            t("usage.axis.country", lang): c_sh["name"],
            t("usage.metric.visits", lang): _ints(c_sh["value_count"], lang),
            t("usage.axis.share", lang): _pcts(c_sh["share_pct"], lang),
        }
    )
    second = c_sh.iloc[1] if len(c_sh) > 1 else c_sh.iloc[0]
    alt_text = t(
        "usage.alt.country",
        lang,
        span=reg_span,
        total=fmt_int(cty["value_count"].sum(), lang),
        first=c_sh["name"].iloc[0],
        first_share=fmt_pct(c_sh["share_pct"].iloc[0], lang),
        second=second["name"],
        second_value=fmt_int(second["value_count"], lang),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(cty) or (COUNTRY_SRC,),
        definition=t("def.visits", lang) + " " + t("usage.cumulative_note", lang),
    )


# --------------------------------------------------------------------------- 7. by jurisdiction


def jurisdiction_colors(lang: str) -> dict[str, str]:
    """Federal, provincial, municipal and user-contributed in the overview's colours (charts.PALETTE
    in JUR order), whatever the language sorts first."""
    return {t(f"jurisdiction.{j}", lang): PALETTE[i] for i, j in enumerate(JUR)}


def jurisdiction_figure(df: pd.DataFrame, jm: str, start: pd.Timestamp, end: pd.Timestamp, lang: str) -> Figure | None:
    """Monthly `jm` by jurisdiction within [start, end], gaps kept; None when nothing is in range.
    Its definition adds the series' note (JUR_METRICS) to the metric's."""
    term = t(f"def.{jm}.term", lang)
    parts = []
    for key, grp in df.groupby("dimension_key"):
        gg = month_grid(grp, "value_count", start=grp["month_start"].min(), end=grp["month_start"].max())
        parts.append(in_range(gg, start, end).assign(jurisdiction=t(f"jurisdiction.{key}", lang)))
    jd = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if jd.empty or jd["value_count"].notna().sum() == 0:
        return None
    valid = jd.dropna(subset=["value_count"])
    last_m = valid["month_start"].max()
    last_rows = valid[valid["month_start"] == last_m].sort_values("value_count", ascending=False)
    chart = charts_usage.series_chart(
        jd,
        x="month_start",
        y="value_count",
        series="jurisdiction",
        breaks=break_rules(jm, start, end, lang),
        title=t("usage.chart.jur.title", lang, metric=term),
        x_title=t("axis.month", lang),
        y_title=term,
        series_title=t("axis.jurisdiction", lang),
        lang=lang,
        height=220,
        series_colors=jurisdiction_colors(lang),
    )
    table = pd.DataFrame(
        {
            t("axis.month", lang): jd["month_start"].map(lambda v: mfmt(v, lang)),
            t("axis.jurisdiction", lang): jd["jurisdiction"],
            term: _ints(jd["value_count"], lang),
        }
    )
    alt_text = t(
        "usage.alt.jur",
        lang,
        metric=term,
        start=mfmt(valid["month_start"].min(), lang),
        end=mfmt(last_m, lang),
        month=mfmt(last_m, lang),
        values=", ".join(f"{r.jurisdiction} {fmt_int(r.value_count, lang)}" for r in last_rows.itertuples()),
        gaps=fmt_int(int(jd["value_count"].isna().sum()), lang),
    )
    note = JUR_NOTE.get(jm)
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(df) or ids(JUR_SRC.get(jm, ())),
        definition=t(f"def.{jm}", lang) + (" " + t(note, lang) if note else ""),
    )


# --------------------------------------------------------------------------- portals and analytics tools


def portal_name(portal: str, lang: str) -> str:
    """The portal as the page names it (its address in the UI language)."""
    key = f"usage.portal.{portal}"
    text = t(key, lang)
    return portal if text == key else text


def analytics_tools(source_ids: Sequence[str]) -> tuple[str, ...]:
    """The analytics tools of some sources, each once, in the order they were in use (TOOL_ORDER: a
    figure that draws Adobe Analytics' December 2025 events beside Google Analytics' June 2023
    downloads names Google Analytics first).

    >>> analytics_tools(("ogp_monthly_usage_2022_2023", "ogp_downloads_by_jurisdiction"))
    ('ua', 'ga4', 'adobe')
    >>> analytics_tools(("yt_matomo_monthly",)), analytics_tools(("live:canada",))
    (('matomo',), ())
    """
    used = {tool for sid in source_ids for tool in ANALYTICS_TOOL.get(sid, ())}
    return tuple(k for k in TOOL_ORDER if k in used)


def measured_by(portal: str, source_ids: Sequence[str], lang: str) -> str:
    """The line that says which portal a figure is of and what counted it:
    '**open.yukon.ca** · measured with Matomo.'"""
    tools = analytics_tools(source_ids)
    web = [t(f"usage.tool.{k}", lang) for k in tools if k != "ckan"]
    if web:
        what = t("usage.measured_by", lang, portal=portal_name(portal, lang), tool=t("usage.tool.then", lang).join(web))
        if "ckan" in tools:
            what += " " + t("usage.tool.ckan_also", lang)
        return what
    if tools:
        return t("usage.measured_by_catalogue", lang, portal=portal_name(portal, lang))
    return t("usage.measured_by_unknown", lang, portal=portal_name(portal, lang))


def with_measure(fig: Figure, portal: str, lang: str) -> Figure:
    """The figure with its portal and analytics tool first in its caption (before its definition)."""
    line = measured_by(portal, fig.source_ids, lang)
    return fig.replace(definition=line + (f" {fig.definition}" if fig.definition else ""))


def breaks_for(portal: str) -> tuple:
    """The series breaks that apply to a portal's figures: open.canada.ca's changes of tool and
    consolidation (metrics.usage.BREAKS) belong to it alone."""
    return BREAKS if portal == FED_PORTAL else ()


# --------------------------------------------------------------------------- open.yukon.ca (Matomo, CKAN)


def yt_monthly_figure(
    series: dict[str, pd.DataFrame], start: pd.Timestamp, end: pd.Timestamp, lang: str
) -> Figure | None:
    """open.yukon.ca's Matomo visits and pageviews by month within [start, end], each its own line (never
    summed: a pageview is not a visit), with actions in the table; None when nothing is in range."""
    portal = portal_name(YT_PORTAL, lang)
    parts = []
    for metric in YT_MONTHLY_METRICS:
        frame = series.get(metric, pd.DataFrame())
        if frame.empty:
            continue
        shown = in_range(month_grid(frame, "value_count"), start, end)
        if shown["value_count"].notna().any():
            parts.append(shown.assign(metric=metric, series=t(f"usage.yt.metric.{metric}", lang)))
    if not parts:
        return None
    data = pd.concat(parts, ignore_index=True)
    lines = data[data["metric"] != "actions"]
    if lines.empty:
        return None
    chart = charts_usage.series_chart(
        lines[["month_start", "value_count", "series"]],
        x="month_start",
        y="value_count",
        series="series",
        title=t("usage.chart.yt_monthly.title", lang, portal=portal),
        x_title=t("axis.month", lang),
        y_title=t("usage.axis.count", lang),
        series_title=t("usage.axis.series", lang),
        lang=lang,
        height=300,
        # visits first and in the first colour, in both languages
        series_colors={t(f"usage.yt.metric.{m_}", lang): PALETTE[i] for i, m_ in enumerate(("visits", "pageviews"))},
    )
    wide = data.pivot_table(index="month_start", columns="metric", values="value_count").reset_index()
    table = pd.DataFrame(
        {
            t("axis.month", lang): wide["month_start"].map(lambda v: mfmt(v, lang)),
            **{t(f"usage.yt.metric.{m_}", lang): _ints(wide[m_], lang) for m_ in YT_MONTHLY_METRICS if m_ in wide},
        }
    )
    export_table = pd.DataFrame(
        {
            t("axis.month", lang): wide["month_start"].dt.strftime("%Y-%m"),
            **{t(f"usage.yt.metric.{m_}", lang): wide[m_] for m_ in YT_MONTHLY_METRICS if m_ in wide},
        }
    )
    alt_parts = []
    for metric in ("visits", "pageviews"):
        valid = data[(data["metric"] == metric)].dropna(subset=["value_count"])
        if valid.empty:
            continue
        peak = valid.loc[valid["value_count"].idxmax()]
        last = valid.iloc[-1]
        alt_parts.append(
            t(
                "usage.alt.yt_series",
                lang,
                series=t(f"usage.yt.metric.{metric}", lang),
                peak=fmt_int(peak["value_count"], lang),
                peak_month=mfmt(peak["month_start"], lang),
                last=fmt_int(last["value_count"], lang),
                last_month=mfmt(last["month_start"], lang),
            )
        )
    valid_all = lines.dropna(subset=["value_count"])
    alt_text = (
        t(
            "usage.alt.yt_monthly",
            lang,
            portal=portal,
            start=mfmt(valid_all["month_start"].min(), lang),
            end=mfmt(valid_all["month_start"].max(), lang),
        )
        + " "
        + " ".join(alt_parts)
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(data) or (YT_MONTHLY_SRC,),
        definition=t("def.yt_visits", lang)
        + " "
        + t("def.yt_pageviews", lang)
        + " "
        + t("usage.yt.monthly_note", lang),
        export_table=export_table,
    )


def yt_type_name(kind: str, lang: str) -> str:
    """A CKAN package type of open.yukon.ca in the UI language ('data' = open-data dataset)."""
    return t(f"usage.yt.type.{kind}", lang)


def yt_type_one(kind: str, lang: str) -> str:
    """The type of one record (singular: a row of a ranking)."""
    return t(f"usage.yt.type_one.{kind}", lang)


def yt_type_colors(lang: str, present: Sequence[str] | None = None, one: bool = False) -> dict[str, str]:
    """Each package type's colour (open-data datasets in the first), the same on every chart, for the
    types `present` (all by default), in YT_TYPES order; `one`: the singular names."""
    name = yt_type_one if one else yt_type_name
    return {name(k, lang): PALETTE[i] for i, k in enumerate(YT_TYPES) if present is None or k in set(present)}


def _note_part(note: object, key: str) -> str:
    """One `key=value` of a usage row's note ('type=data;name=x' -> 'data' for 'type')."""
    for part in str(note or "").split(";"):
        k, _, v = part.partition("=")
        if k == key:
            return v
    return ""


def yt_top_figure(rank: pd.DataFrame, total: pd.Series, window: str, package_type: str, lang: str) -> Figure:
    """Bar chart of open.yukon.ca's most downloaded packages over one window (`rank` non-empty, from
    `with_labels`), with their type; `total` is the query's total row (sum, packages with a download,
    packages of the window)."""
    portal = portal_name(YT_PORTAL, lang)
    win = t(f"usage.yt.window.{window}", lang)
    scope = t(f"usage.yt.scope.{package_type}", lang)
    kinds = [_note_part(n, "type") for n in rank["note"]]
    grand = float(total["value_count"]) if pd.notna(total["value_count"]) else 0.0
    chart = charts.bar_chart(
        rank.assign(kind=[yt_type_one(k, lang) for k in kinds]),
        "label",
        "value_count",
        title=charts.title_lines(
            t("usage.chart.yt_top.title", lang, n=len(rank), portal=portal, window=win.lower(), scope=scope)
        ),
        category_title=None,
        value_title=t("def.downloads.term", lang),
        lang=lang,
        color="kind",
        color_title=t("usage.axis.package_type", lang),
    )
    chart = charts_usage.with_category_colors(
        chart, "kind", t("usage.axis.package_type", lang), yt_type_colors(lang, kinds, one=True)
    )
    share = rank["value_count"] / grand * 100 if grand else pd.Series([None] * len(rank))
    table = pd.DataFrame(
        {
            t("usage.axis.rank", lang): range(1, len(rank) + 1),
            t("usage.axis.package", lang): ds_labels(rank, lang),
            t("usage.axis.package_type", lang): [yt_type_one(k, lang) for k in kinds],
            t("usage.axis.organization_id", lang): rank["organization_en"].fillna(""),
            t("def.downloads.term", lang): _ints(rank["value_count"], lang),
            t("usage.axis.share", lang): _pcts(share, lang),
            t("usage.axis.ckan_name", lang): [_note_part(n, "name") for n in rank["note"]],
        }
    )
    first = rank.iloc[0]
    alt_text = t(
        "usage.alt.yt_top",
        lang,
        n=len(rank),
        portal=portal,
        window=win.lower(),
        scope=scope,
        first=ds_label(first, lang),
        first_value=fmt_int(first["value_count"], lang),
        total=fmt_int(grand, lang),
        with_downloads=fmt_int(total["datasets_count"], lang),
        packages=fmt_int(total["packages_count"], lang),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=(YT_PACKAGES_SRC,),
        definition=t("def.yt_downloads", lang) + " " + t(f"usage.yt.window_def.{window}", lang),
    )


def yt_datasets_created_figure(by_year: pd.DataFrame, lang: str) -> Figure | None:
    """open.yukon.ca's open-data datasets (CKAN type `data`) created each year; None when there are none."""
    rows = by_year[by_year["dimension_key"] == "data"]
    if rows.empty:
        return None
    portal = portal_name(YT_PORTAL, lang)
    years = [
        str(y) for y in range(int(rows["period_start"].dt.year.min()), int(rows["period_start"].dt.year.max()) + 1)
    ]
    df = (
        rows.assign(year=rows["period_start"].dt.year.astype(str))
        .set_index("year")[["value_count"]]
        .reindex(years, fill_value=0)
        .reset_index()
    )
    term = yt_type_name("data", lang)
    chart = charts.bar_chart(
        df,
        "year",
        "value_count",
        title=t("usage.chart.yt_datasets_created.title", lang, portal=portal),
        category_title=t("usage.axis.year_created", lang),
        value_title=term,
        lang=lang,
        horizontal=False,
        sort_desc=False,
        height=240,
    )
    table = pd.DataFrame({t("usage.axis.year_created", lang): df["year"], term: _ints(df["value_count"], lang)})
    export_table = pd.DataFrame({t("usage.axis.year_created", lang): df["year"].astype(int), term: df["value_count"]})
    peak = df.loc[df["value_count"].idxmax()]
    alt_text = t(
        "usage.alt.yt_datasets_created",
        lang,
        portal=portal,
        first=years[0],
        last=years[-1],
        total=fmt_int(df["value_count"].sum(), lang),
        peak_year=peak["year"],
        peak=fmt_int(peak["value_count"], lang),
    )
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(rows) or (YT_BY_YEAR_SRC,),
        definition=t("usage.yt.datasets_created_def", lang, date=fmt_date(rows["period_end"].max(), lang)),
        export_table=export_table,
    )


def yt_created_figure(by_year: pd.DataFrame, lang: str) -> Figure | None:
    """open.yukon.ca's packages created each year, one bar per CKAN type side by side (open-data datasets
    apart from information publications, access requests and privacy summaries); None when empty."""
    if by_year.empty:
        return None
    portal = portal_name(YT_PORTAL, lang)
    df = by_year.assign(
        year=by_year["period_start"].dt.year.astype(str),
        kind=[yt_type_name(k, lang) for k in by_year["dimension_key"]],
    )
    years = sorted(df["year"].unique())
    chart = charts_usage.grouped_bars(
        df,
        category="year",
        value="value_count",
        group="kind",
        title=t("usage.chart.yt_created.title", lang, portal=portal),
        category_title=t("usage.axis.year_created", lang),
        value_title=t("usage.axis.packages", lang),
        group_title=t("usage.axis.package_type", lang),
        lang=lang,
        category_order=years,
    )
    chart = charts_usage.with_category_colors(
        chart, "kind", t("usage.axis.package_type", lang), yt_type_colors(lang, df["dimension_key"].unique())
    )
    wide = df.pivot_table(index="year", columns="dimension_key", values="value_count", fill_value=0).reset_index()
    kinds = [k for k in YT_TYPES if k in wide]
    table = pd.DataFrame(
        {
            t("usage.axis.year_created", lang): wide["year"],
            **{yt_type_name(k, lang): _ints(wide[k], lang) for k in kinds},
        }
    )
    export_table = pd.DataFrame(
        {
            t("usage.axis.year_created", lang): wide["year"].astype(int),
            **{yt_type_name(k, lang): wide[k] for k in kinds},
        }
    )
    data_rows = df[df["dimension_key"] == "data"]
    peak = data_rows.loc[data_rows["value_count"].idxmax()] if not data_rows.empty else None
    totals = df.groupby("dimension_key")["value_count"].sum()
    alt_text = t(
        "usage.alt.yt_created",
        lang,
        portal=portal,
        first=years[0],
        last=years[-1],
        totals=", ".join(f"{yt_type_name(k, lang)} {fmt_int(totals[k], lang)}" for k in kinds),
        peak_year=peak["year"] if peak is not None else "–",
        peak=fmt_int(peak["value_count"], lang) if peak is not None else "–",
    )
    as_of = by_year["period_end"].max()
    return Figure(
        chart,
        alt_text,
        table,
        source_ids=source_ids_of(by_year) or (YT_BY_YEAR_SRC,),
        definition=t("def.yt_packages", lang) + " " + t("usage.yt.created_note", lang, date=fmt_date(as_of, lang)),
        export_table=export_table,
    )


def yt_types_line(by_type: pd.DataFrame, lang: str) -> str:
    """One sentence: open.yukon.ca's packages by type on the listing's date (open-data datasets first)."""
    counts = dict(zip(by_type["dimension_key"], by_type["value_count"], strict=True))
    return t(
        "usage.yt.types_line",
        lang,
        portal=portal_name(YT_PORTAL, lang),
        date=fmt_date(by_type["period_end"].max(), lang),
        total=fmt_int(sum(counts.values()), lang),
        parts=", ".join(
            t(f"usage.yt.type_count.{k}", lang, n=fmt_int(counts[k], lang)) for k in YT_TYPES if k in counts
        ),
    )
