"""Charts of the working_group page exportable by name outside the app
(`python -m opengov export chart working_group NAME`): each builder reads the store through the
feature's queries (no Streamlit) and builds the figure with the same function the page uses, with the
page's default filters."""

from __future__ import annotations

from opengov.charts.figure import Figure
from opengov.features.working_group.figures import default_year, meetings_per_month, participation


# --------------------------------------------------------------------------- export (no Streamlit)
def _load(url: str | None):
    from opengov.features.working_group import queries as q
    from opengov.features.working_group import report as yearly

    data = yearly.WgData(
        meetings=q.meetings(url),
        activities=q.activities(url),
        agenda=q.agenda(url),
        priorities=q.priorities(url),
        projects=q.projects(url),
        as_of=q.data_as_of(url),
    )
    year = default_year(data)
    if year is None:
        raise LookupError("no working-group data in the store")
    return data, year


def _export_meetings(lang: str, url: str | None) -> Figure:
    data, year = _load(url)
    return meetings_per_month(data, year, lang)


def _export_participation(lang: str, url: str | None) -> Figure:
    data, year = _load(url)
    out = participation(data, year, lang)
    if out is None:
        raise LookupError(f"no jurisdiction named in the working group's {year} contributions")
    return out


#: Charts exportable by `python -m opengov export chart working_group <name>` (see opengov/features/registry.py).
EXPORTS = {
    ("working_group", "meetings-per-month"): _export_meetings,
    ("working_group", "participation"): _export_participation,
}

#: The page's chart blocks (their `show` key) and the chart each exports as (tests/charts/test_export.py).
BLOCKS = {
    "working_group_months": "meetings-per-month",
    "working_group_participation": "participation",
}
