"""Figures of the working_group page: frames in, chart + text alternative + table out (no Streamlit, no store)."""

from __future__ import annotations

import altair as alt
import pandas as pd


# --------------------------------------------------------------------------- page blocks (page and export)
# `data` is opengov.features.working_group.report.WgData (the working group's frames from opengov.features.working_group.queries).
# pages/working_group.py and `python -m opengov export chart working_group ...` call these functions, and
# they draw with the yearly report's chart builders, so page, report and export cannot drift. (The report
# module imports this one: it is imported inside the functions.)
def default_year(data) -> int | None:
    """The page's default year: the latest with working-group data (None when there is none)."""
    from metrics import working_group as wg

    years = wg.years_with_data(data.meetings, data.agenda, data.priorities)
    return int(years[-1]) if len(years) else None


def meetings_per_month(data, year: int, lang: str) -> tuple[alt.Chart, str, pd.DataFrame]:
    """The year's month strip (meeting held / not held / no record): (chart, alt text, data table)."""
    from opengov.i18n import fmt_date, fmt_int, fmt_month, t
    from opengov.features.working_group import report as yearly

    months = yearly.months_frame(data, year, lang)
    table = pd.DataFrame({
        t("wg.col.month", lang): [fmt_month(d, lang) for d in months["month_start"]],
        t("wg.col.state", lang): [t(f"wg.state.{s}", lang) for s in months["state"]],
        t("wg.col.meetings", lang): [fmt_int(n, lang) for n in months["meetings_held_count"]],
        t("wg.col.date", lang): [", ".join(fmt_date(d, lang) for d in ds.split(", ")) if ds else "–"
                                 for ds in months["meeting_dates"]],
        t("wg.col.reason", lang): [r or "–" for r in months["reason"]],
    })
    return yearly.chart_months(data, year, lang), yearly.months_alt(data, year, lang), table


def participation(data, year: int, lang: str) -> tuple[alt.Chart, str, pd.DataFrame] | None:
    """Contributions (presentations, agenda topics ...) per jurisdiction in the year, stacked by kind;
    None when nobody is named for that year."""
    from metrics import working_group as wg
    from opengov.i18n import fmt_int, t
    from opengov.features.working_group import report as yearly

    chart = yearly.chart_participation(data, year, lang)
    if chart is None:
        return None
    part = wg.participation_by_jurisdiction(data.activities, data.agenda, year)
    table = pd.DataFrame({
        t("wg.col.jurisdiction", lang): [yearly.jurisdiction_label(str(j or ""), lang) for j in part["jurisdiction"]],
        t("wg.col.kind", lang): [t(f"wg.kind.{k}", lang) for k in part["kind"]],
        t("wg.col.contributions", lang): [fmt_int(n, lang) for n in part["contributions_count"]],
    })
    return chart, yearly.participation_alt(data, year, lang), table


