"""Figures of the working_group page: frames in, one `Figure` out (no Streamlit, no store)."""

from __future__ import annotations

import pandas as pd

from opengov.charts.figure import Figure, source_ids_of


# --------------------------------------------------------------------------- page blocks (page and export)
# `data` is opengov.features.working_group.report.WgData (the working group's frames from
# opengov.features.working_group.queries). pages/working_group.py and `python -m opengov export chart
# working_group ...` call these functions, and they draw with the yearly report's chart builders, so page,
# report and export cannot drift. (The report module imports this one: it is imported inside the functions.)
# Their source is the working group's documents as the page names them ("wg.source"), as of `data.as_of`
# (the later of the seed files' date and the last edit), not the titles of the seed sources.
def default_year(data) -> int | None:
    """The page's default year: the latest with working-group data (None when there is none)."""
    from metrics import working_group as wg

    years = wg.years_with_data(data.meetings, data.agenda, data.priorities)
    return int(years[-1]) if len(years) else None


def meetings_per_month(data, year: int, lang: str) -> Figure:
    """The year's month strip (meeting held / not held / no record)."""
    from opengov.features.working_group import report as yearly
    from opengov.i18n import fmt_date, fmt_int, fmt_month, t

    months = yearly.months_frame(data, year, lang)
    table = pd.DataFrame(
        {
            t("wg.col.month", lang): [fmt_month(d, lang) for d in months["month_start"]],
            t("wg.col.state", lang): [t(f"wg.state.{s}", lang) for s in months["state"]],
            t("wg.col.meetings", lang): [fmt_int(n, lang) for n in months["meetings_held_count"]],
            t("wg.col.date", lang): [
                ", ".join(fmt_date(d, lang) for d in ds.split(", ")) if ds else "–" for ds in months["meeting_dates"]
            ],
            t("wg.col.reason", lang): [r or "–" for r in months["reason"]],
        }
    )
    return Figure(
        yearly.chart_months(data, year, lang),
        yearly.months_alt(data, year, lang),
        table,
        source_ids=source_ids_of(data.meetings) or ("seed_wg_meetings",),
        source_label=t("wg.source", lang),
        as_of=data.as_of,
    )


def participation(data, year: int, lang: str) -> Figure | None:
    """Contributions (presentations, agenda topics ...) per jurisdiction in the year, stacked by kind;
    None when nobody is named for that year."""
    from metrics import working_group as wg
    from opengov.features.working_group import report as yearly
    from opengov.i18n import fmt_int, t

    chart = yearly.chart_participation(data, year, lang)
    if chart is None:
        return None
    part = wg.participation_by_jurisdiction(data.activities, data.agenda, year)
    table = pd.DataFrame(
        {
            t("wg.col.jurisdiction", lang): [
                yearly.jurisdiction_label(str(j or ""), lang) for j in part["jurisdiction"]
            ],
            t("wg.col.kind", lang): [t(f"wg.kind.{k}", lang) for k in part["kind"]],
            t("wg.col.contributions", lang): [fmt_int(n, lang) for n in part["contributions_count"]],
        }
    )
    return Figure(
        chart,
        yearly.participation_alt(data, year, lang),
        table,
        source_ids=source_ids_of(data.activities, data.agenda) or ("seed_wg_activities", "seed_wg_agenda"),
        definition=t("wg.chart.participation.def", lang),
        source_label=t("wg.source", lang),
        as_of=data.as_of,
    )
