"""Usage queries: every aggregation is done in SQL (GROUP BY / LIMIT over indexed columns), so the
page stays fast when usage_stats holds millions of dataset-by-month rows. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased

from opengov.store import models as m
from opengov.store.reads import read_frame

U = m.UsageStat
#: Only the current row of each figure (opengov.ingest.usage_keys): two sources of one figure are never summed.
CURRENT = U.is_current.is_(True)


def rows(
    metric: str, grain: str = "month", dimension: str = "total", url: str | None = None, portal: str | None = None
) -> pd.DataFrame:
    """Rows of one metric: period_start, period_end, dimension_key, value, rank, source_id, note
    (of one portal when `portal` is given)."""
    stmt = (
        select(U.period_start, U.period_end, U.dimension_key, U.value, U.rank, U.source_id, U.note)
        .where(U.metric == metric, U.grain == grain, U.dimension == dimension, CURRENT, *_portal(portal))
        .order_by(U.period_start, U.dimension_key)
    )
    return read_frame(stmt, url, ["period_start", "period_end"])


#: The portal a query reads when it names none: one portal at a time, so no caller ever sums two portals.
DEFAULT_PORTAL = "canada"


def _portal(portal: str | None, u=U) -> list:
    """The condition that keeps one portal's rows (open.canada.ca's when `portal` is None)."""
    return [u.portal_id == (portal or DEFAULT_PORTAL)]


def _where(
    metric: str,
    grain: str,
    dimension: str,
    keys: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    portal: str | None = None,
) -> list:
    cond = [U.metric == metric, U.grain == grain, U.dimension == dimension, CURRENT]
    if keys is not None:
        cond.append(U.dimension_key.in_(list(keys)))
    if start is not None:
        cond.append(U.period_start >= start)
    if end is not None:
        cond.append(U.period_start <= end)
    cond.append(U.portal_id == (portal or DEFAULT_PORTAL))
    return cond


def monthly(
    metric: str,
    dimension: str = "total",
    keys: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    portal: str | None = None,
    by_key: bool = False,
    grain: str = "month",
    url: str | None = None,
) -> pd.DataFrame:
    """Monthly sums of one metric: month_start, [dimension_key,] value_count, source_id."""
    cols = [U.period_start.label("month_start")] + ([U.dimension_key] if by_key else [])
    stmt = (
        select(*cols, func.sum(U.value).label("value_count"), func.min(U.source_id).label("source_id"))
        .where(and_(*_where(metric, grain, dimension, keys, start, end, portal)))
        .group_by(*cols)
        .order_by(*cols)
    )
    return read_frame(stmt, url, ["month_start"])


def daily(
    metric: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    portal: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Daily totals: day, value_count."""
    stmt = (
        select(U.period_start.label("day"), func.sum(U.value).label("value_count"))
        .where(and_(*_where(metric, "day", "total", None, start, end, portal)))
        .group_by(U.period_start)
        .order_by(U.period_start)
    )
    return read_frame(stmt, url, ["day"])


#: The monthly series the usage page reads: (metric, grain, dimension).
MONTHLY_SERIES: tuple[tuple[str, str, str], ...] = (
    ("downloads", "month", "total"),
    ("visits", "month", "total"),
    ("downloads", "month", "jurisdiction"),
    ("dataset_page_visits", "month", "jurisdiction"),
    ("open_maps_views", "month", "jurisdiction"),
    ("net_new_datasets", "month", "department"),
    ("download_events", "month", "dataset"),
    ("downloads", "month", "dataset"),
    ("pageviews", "month", "total"),
)


def extent(
    series: tuple[tuple[str, str, str], ...] = MONTHLY_SERIES, url: str | None = None, portal: str | None = None
) -> pd.DataFrame:
    """First and last period of each series (of one portal when `portal` is given): metric, grain,
    dimension, first, last.

    One MIN/MAX per series on the (metric, grain, dimension, period_start) index, so the cost does
    not grow with the number of rows (a GROUP BY over the whole table would scan all of them)."""

    def bound(agg, mt: str, gr: str, dm: str):
        # MIN and MAX in separate subqueries: SQLite answers each with one index probe, but scans
        # every matching row when both are in the same SELECT.
        return (
            select(agg(U.period_start))
            .where(U.metric == mt, U.grain == gr, U.dimension == dm, *_portal(portal))
            .scalar_subquery()
        )

    parts = [
        select(
            literal(mt).label("metric"),
            literal(gr).label("grain"),
            literal(dm).label("dimension"),
            bound(func.min, mt, gr, dm).label("first"),
            bound(func.max, mt, gr, dm).label("last"),
        )
        for mt, gr, dm in series
    ]
    df = read_frame(union_all(*parts), url, ["first", "last"])
    return df.dropna(subset=["first"]).reset_index(drop=True)


def portals_with_usage(url: str | None = None) -> pd.DataFrame:
    """Portals that have any usage row: portal_id, name_en, name_fr."""
    p = m.Portal
    # Portals with a portal-level or jurisdiction-level monthly series (small, indexed row sets;
    # dataset-level rows, which may be millions, are not read).
    ids = (
        select(U.portal_id)
        .where(
            U.grain == "month",
            U.dimension.in_(("total", "jurisdiction")),
            U.metric.in_(("downloads", "visits", "dataset_page_visits")),
            U.portal_id.is_not(None),
        )
        .distinct()
        .scalar_subquery()
    )
    stmt = select(p.id.label("portal_id"), p.name_en, p.name_fr).where(p.id.in_(ids)).order_by(p.id)
    return read_frame(stmt, url)


def dataset_ranking(
    metric: str,
    start: dt.date,
    end: dt.date,
    n: int = 10,
    least: bool = False,
    organization_en: str | None = None,
    portal: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Datasets ranked by their total over [start, end] (month starts), computed in SQL.

    Columns: dataset_id, value_count, months_count, title_en, title_fr, organization_en, organization_fr,
    note (the last note, e.g. days covered). `least` ranks the smallest non-zero totals first.
    The usage page reads both lists and the total with one query instead: `dataset_top`.
    """
    d = m.Dataset
    total = func.sum(U.value).label("value_count")
    stmt = select(
        U.dimension_key.label("dataset_id"),
        total,
        func.count(distinct(U.period_start)).label("months_count"),
        func.max(U.note).label("note"),
    ).where(and_(*_where(metric, "month", "dataset", None, start, end, portal)))
    if organization_en:
        stmt = stmt.join(d, d.id == U.dimension_key).where(d.organization_en == organization_en)
    stmt = stmt.group_by(U.dimension_key)
    if least:
        stmt = stmt.having(func.sum(U.value) > 0).order_by(total.asc(), U.dimension_key)
    else:
        stmt = stmt.order_by(total.desc(), U.dimension_key)
    ranked = stmt.limit(n).subquery()
    out = (
        select(ranked, d.title_en, d.title_fr, d.organization_en, d.organization_fr)
        .join(d, d.id == ranked.c.dataset_id, isouter=True)
        .order_by(ranked.c.value_count.asc() if least else ranked.c.value_count.desc(), ranked.c.dataset_id)
    )
    return read_frame(out, url)


def dataset_top(
    metric: str,
    start: dt.date,
    end: dt.date,
    n: int = 10,
    organization_en: str | None = None,
    portal: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """The top-N list, the least-used list and the total of [start, end] in ONE query.

    The month's dataset rows are read once (covering index `ix_usage_series`) and grouped by dataset
    in a CTE that the three parts share (materialised once by SQLite and PostgreSQL, as it is
    referenced more than once); each list is an ORDER BY ... LIMIT n over that CTE, done in SQL.
    The note (e.g. days covered), which is not in the index, is only looked up for the listed rows.

    Rows: the top list (largest first), the least-used list (smallest first), then the total.
    Columns: list ("top" | "least" | "total"), dataset_id, value_count, months_count, note,
    datasets_count (total row only; 0 elsewhere), title_en, title_fr, organization_en, organization_fr.
    `top` and `least` are what `dataset_ranking(..., least=False/True)` return (the department filter
    applies to them), `total` is `dataset_total(...)` (every dataset of the portal).
    """
    d = m.Dataset
    if start == end:
        # One month (the default view): an equality lets the index deliver the rows already grouped by
        # dataset (no sort), and every dataset listed has exactly one month (no COUNT(DISTINCT) sort).
        where = and_(*_where(metric, "month", "dataset", None, None, None, portal), U.period_start == start)
        months = literal_column("1")
    else:
        where = and_(*_where(metric, "month", "dataset", None, start, end, portal))
        months = func.count(distinct(U.period_start))
    agg = (
        select(
            U.dimension_key.label("dataset_id"), func.sum(U.value).label("value_count"), months.label("months_count")
        )
        .where(where)
        .group_by(U.dimension_key)
        .cte("ds_agg")
    )
    base = select(agg.c.dataset_id, agg.c.value_count, agg.c.months_count)
    if organization_en:
        base = base.join(d, d.id == agg.c.dataset_id).where(d.organization_en == organization_en)
    top = base.order_by(agg.c.value_count.desc(), agg.c.dataset_id).limit(n).subquery("ds_top")
    least = (
        base.where(agg.c.value_count > 0)
        .order_by(agg.c.value_count.asc(), agg.c.dataset_id)
        .limit(n)
        .subquery("ds_least")
    )
    zero = literal_column("0")  # not NULL: keeps the integer columns integer in pandas
    parts = union_all(
        select(
            literal_column("'top'").label("list"),
            top.c.dataset_id,
            top.c.value_count,
            top.c.months_count,
            zero.label("datasets_count"),
        ),
        select(literal_column("'least'"), least.c.dataset_id, least.c.value_count, least.c.months_count, zero),
        select(
            literal_column("'total'"),
            cast(null(), String),
            func.sum(agg.c.value_count),
            zero,
            func.count().label("datasets_count"),
        ),
    ).subquery("ds_lists")
    u2 = aliased(U)
    note = (
        select(func.max(u2.note))
        .where(
            u2.dimension == "dataset",
            u2.dimension_key == parts.c.dataset_id,
            u2.metric == metric,
            u2.grain == "month",
            u2.is_current.is_(True),
            u2.period_start >= start,
            u2.period_start <= end,
            *([u2.portal_id == portal] if portal else []),
        )
        .scalar_subquery()
    )
    in_list = case((parts.c.list == "top", 0), (parts.c.list == "least", 1), else_=2)
    stmt = (
        select(
            parts.c.list,
            parts.c.dataset_id,
            parts.c.value_count,
            parts.c.months_count,
            note.label("note"),
            parts.c.datasets_count,
            d.title_en,
            d.title_fr,
            d.organization_en,
            d.organization_fr,
        )
        .join(d, d.id == parts.c.dataset_id, isouter=True)
        # top: largest first; least: smallest first; ties by id (as dataset_ranking)
        .order_by(
            in_list, case((parts.c.list == "top", -parts.c.value_count), else_=parts.c.value_count), parts.c.dataset_id
        )
    )
    return read_frame(stmt, url)


def dataset_total(
    metric: str, start: dt.date, end: dt.date, portal: str | None = None, url: str | None = None
) -> pd.DataFrame:
    """Sum over all datasets and number of datasets with data in [start, end]: value_count, datasets_count."""
    stmt = select(
        func.sum(U.value).label("value_count"), func.count(distinct(U.dimension_key)).label("datasets_count")
    ).where(and_(*_where(metric, "month", "dataset", None, start, end, portal)))
    return read_frame(stmt, url)


def dataset_history(dataset_id: str, url: str | None = None, portal: str | None = None) -> pd.DataFrame:
    """Every monthly row of one dataset: month_start, metric, value_count, rank, note, source_id."""
    stmt = (
        select(U.period_start.label("month_start"), U.metric, U.value.label("value_count"), U.rank, U.note, U.source_id)
        .where(U.dimension == "dataset", U.dimension_key == dataset_id, U.grain == "month", CURRENT, *_portal(portal))
        .order_by(U.metric, U.period_start)
    )
    return read_frame(stmt, url, ["month_start"])


def months_with_dataset_rows(metric: str, url: str | None = None, portal: str | None = None) -> pd.DataFrame:
    """Distinct months that have dataset-level rows of `metric` (of one portal when `portal` is
    given): month_start.

    A recursive "skip scan" (next month = MIN(period_start) > previous) on the index: one index
    probe per month instead of reading every dataset row."""
    mine = "AND portal_id = :portal" if portal else ""
    sql = text(f"""
        WITH RECURSIVE months(d) AS (
            SELECT MIN(period_start) FROM usage_stats
             WHERE metric = :metric AND grain = 'month' AND dimension = 'dataset' {mine}
            UNION ALL
            SELECT (SELECT MIN(period_start) FROM usage_stats
                     WHERE metric = :metric AND grain = 'month' AND dimension = 'dataset' {mine}
                       AND period_start > months.d)
              FROM months WHERE months.d IS NOT NULL)
        SELECT d AS month_start FROM months WHERE d IS NOT NULL ORDER BY d""").bindparams(
        metric=metric, **({"portal": portal} if portal else {})
    )
    return read_frame(sql, url, ["month_start"])


def dataset_month_notes(metric: str, url: str | None = None, portal: str | None = None) -> pd.DataFrame:
    """Per month with dataset-level rows of `metric`: month_start, note (the rows' note, e.g.
    "days_covered=19" for the download-events lists; the largest when rows differ)."""
    where = [U.metric == metric, U.grain == "month", U.dimension == "dataset", U.is_current.is_(True)]
    if portal:
        where.append(U.portal_id == portal)
    stmt = (
        select(U.period_start.label("month_start"), func.max(U.note).label("note"))
        .where(*where)
        .group_by(U.period_start)
        .order_by(U.period_start)
    )
    return read_frame(stmt, url)


def organizations(url: str | None = None) -> pd.DataFrame:
    """slug, name_en, name_fr."""
    o = m.Organization
    return read_frame(select(o.slug, o.name_en, o.name_fr).order_by(o.slug), url)


def datasets_by_department(url: str | None = None, portal: str | None = None) -> pd.DataFrame:
    """Datasets per publishing organization in the latest department snapshot (of one portal when
    `portal` is given): slug, name_en, name_fr, datasets_count, snapshot_date."""
    s, f, o = m.PortalSnapshot, m.SnapshotFacet, m.Organization
    mine = [s.portal_id == portal] if portal else []
    latest = (
        select(func.max(s.snapshot_date))
        .join(f, f.snapshot_id == s.id)
        .where(f.facet == "organization", *mine)
        .scalar_subquery()
    )
    stmt = (
        select(
            f.value.label("slug"),
            func.coalesce(o.name_en, f.value).label("name_en"),
            func.coalesce(o.name_fr, f.value).label("name_fr"),
            f.count.label("datasets_count"),
            s.snapshot_date,
            s.source_id,
        )
        .join(s, s.id == f.snapshot_id)
        .join(o, o.slug == f.value, isouter=True)
        .where(f.facet == "organization", s.snapshot_date == latest, *mine)
        .order_by(f.count.desc(), f.value)
    )
    return read_frame(stmt, url, ["snapshot_date"])


def net_new_by_department(
    start: dt.date | None = None,
    end: dt.date | None = None,
    slug: str | None = None,
    url: str | None = None,
    portal: str | None = None,
) -> pd.DataFrame:
    """Net new datasets per department over [start, end]: slug, name_en, name_fr, net_new_count, months_count."""
    o = m.Organization
    agg = (
        select(
            U.dimension_key.label("slug"),
            func.sum(U.value).label("net_new_count"),
            func.count(distinct(U.period_start)).label("months_count"),
        )
        .where(and_(*_where("net_new_datasets", "month", "department", [slug] if slug else None, start, end, portal)))
        .group_by(U.dimension_key)
        .subquery()
    )
    stmt = (
        select(
            agg.c.slug,
            func.coalesce(o.name_en, agg.c.slug).label("name_en"),
            func.coalesce(o.name_fr, agg.c.slug).label("name_fr"),
            agg.c.net_new_count,
            agg.c.months_count,
        )
        .join(o, o.slug == agg.c.slug, isouter=True)
        .order_by(agg.c.net_new_count.desc(), agg.c.slug)
    )
    return read_frame(stmt, url)


def cumulative(
    dimension: str, metric: str = "visits", url: str | None = None, portal: str | None = None
) -> pd.DataFrame:
    """Cumulative rows (region / country): dimension_key, value_count, period_start, period_end, source_id."""
    stmt = (
        select(
            U.dimension_key,
            func.sum(U.value).label("value_count"),
            func.min(U.period_start).label("period_start"),
            func.max(U.period_end).label("period_end"),
            func.min(U.source_id).label("source_id"),
        )
        .where(U.metric == metric, U.grain == "cumulative", U.dimension == dimension, CURRENT, *_portal(portal))
        .group_by(U.dimension_key)
        .order_by(func.sum(U.value).desc())
    )
    return read_frame(stmt, url, ["period_start", "period_end"])


def fiscal_totals(url: str | None = None, portal: str | None = None) -> pd.DataFrame:
    """Fiscal-year totals (full and to date): metric, grain, period_start, period_end, value_count."""
    stmt = (
        select(U.metric, U.grain, U.period_start, U.period_end, U.value.label("value_count"), U.source_id)
        .where(U.grain.in_(("fiscal_year", "fytd")), U.dimension == "total", CURRENT, *_portal(portal))
        .order_by(U.metric, U.period_start)
    )
    return read_frame(stmt, url, ["period_start", "period_end"])


def source_dates(url: str | None = None) -> pd.DataFrame:
    """id, title_en, title_fr, as_of of every source (for the source and as-of chips)."""
    s = m.Source
    return read_frame(select(s.id, s.title_en, s.title_fr, s.as_of).order_by(s.id), url, ["as_of"])


def package_standing(
    metric: str,
    grain: str,
    portal: str,
    n: int = 10,
    package_type: str | None = None,
    url: str | None = None,
) -> pd.DataFrame:
    """Packages ranked by one figure of a window as of a date (grain `cumulative` or `last_90_days`,
    one row per package, e.g. open.yukon.ca's downloads as CKAN reports them), in SQL: the top `n`
    with a non-zero value, then one total row.

    `package_type` keeps one CKAN type (stored as `type=<type>;` at the start of the row's note).
    Columns: list ("top" | "total"), dataset_id, value_count, note, datasets_count (packages with a
    non-zero value; total row only), packages_count (every package of the window; total row only),
    period_start, period_end, source_id, title_en, title_fr, organization_en, organization_fr.
    """
    d = m.Dataset
    cond = [U.metric == metric, U.grain == grain, U.dimension == "dataset", U.portal_id == portal, CURRENT]
    if package_type:
        cond.append(U.note.like(f"type={package_type};%"))
    zero = literal_column("0")
    top = (
        select(
            literal_column("'top'").label("list"),
            U.dimension_key.label("dataset_id"),
            U.value.label("value_count"),
            U.note,
            zero.label("datasets_count"),
            zero.label("packages_count"),
            U.period_start,
            U.period_end,
            U.source_id,
        )
        .where(*cond, U.value > 0)
        .order_by(U.value.desc(), U.dimension_key)
        .limit(n)
        .subquery("pk_top")
    )
    total = select(
        literal_column("'total'").label("list"),
        cast(null(), String).label("dataset_id"),
        func.sum(U.value).label("value_count"),
        cast(null(), String).label("note"),
        func.count(case((U.value > 0, 1))).label("datasets_count"),
        func.count().label("packages_count"),
        func.min(U.period_start).label("period_start"),
        func.max(U.period_end).label("period_end"),
        func.min(U.source_id).label("source_id"),
    ).where(*cond)
    parts = union_all(select(top), total).subquery("pk_lists")
    stmt = (
        select(parts, d.title_en, d.title_fr, d.organization_en, d.organization_fr)
        .join(d, d.id == parts.c.dataset_id, isouter=True)
        .order_by(case((parts.c.list == "top", 0), else_=1), parts.c.value_count.desc(), parts.c.dataset_id)
    )
    return read_frame(stmt, url, ["period_start", "period_end"])


def by_dimension(metric: str, grain: str, dimension: str, portal: str, url: str | None = None) -> pd.DataFrame:
    """Every row of one portal's metric at one grain, by dimension key (e.g. open.yukon.ca's packages
    created by year and type): period_start, period_end, dimension_key, value_count, note, source_id."""
    stmt = (
        select(U.period_start, U.period_end, U.dimension_key, U.value.label("value_count"), U.note, U.source_id)
        .where(U.metric == metric, U.grain == grain, U.dimension == dimension, U.portal_id == portal, CURRENT)
        .order_by(U.period_start, U.dimension_key)
    )
    return read_frame(stmt, url, ["period_start", "period_end"])
