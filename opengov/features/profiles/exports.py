"""Charts of the profile page exportable by name outside the app (`python -m opengov export chart profile NAME`):
each builder reads the store through the feature's queries (no Streamlit) and builds the figure with the
same function the page uses, for the page's default jurisdiction (Canada, ``CA``)."""

from __future__ import annotations

import datetime as dt

from opengov.charts.figure import Figure

DEFAULT_JURISDICTION = "CA"


def _profile(url: str | None):
    from opengov.features.profiles import queries as q

    return q.profile(DEFAULT_JURISDICTION, url, dt.date.today())


def _export_history(lang: str, url: str | None) -> Figure:
    from opengov.features.profiles import figures as pf

    fig = pf.count_history_figure(_profile(url), lang)
    if fig is None:
        raise LookupError("no dated record count for the default jurisdiction")
    return fig


def _export_usage(lang: str, url: str | None) -> Figure:
    """The default jurisdiction's first portal with its own usage figures (open.canada.ca for Canada)."""
    from opengov.features.profiles import figures as pf

    p = _profile(url)
    for pid in p.own_usage:
        fig = pf.own_usage_figure(p, pid, lang)
        if fig is not None:
            return fig
    raise LookupError("no own usage figures for the default jurisdiction")


#: Charts exportable by `python -m opengov export chart profile <name>` (see opengov/features/registry.py).
EXPORTS = {
    ("profile", "count-history"): _export_history,
    ("profile", "usage"): _export_usage,
}

#: The page's chart blocks (their `show` key) and the chart each exports as (tests/charts/test_export.py);
#: the usage block's key carries the portal id (open.canada.ca's for the default jurisdiction).
BLOCKS = {
    "profile_history": "count-history",
    "profile_usage_canada": "usage",
}
