"""Plotly figures shared by sessions: built once by a cached loader and only read afterwards."""

from __future__ import annotations

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A figure built once and only read afterwards (the loaders cache it and sessions share it).

    Streamlit turns a figure into a dict on every rerun, which deep-copies every trace (GeoJSON
    included: about half the server time of the jurisdictions page): the dict is made once here and
    each caller gets fresh top-level containers over it (plotly.io.to_json pops trace uids).

    Relies on Plotly internals (`BaseFigure.to_dict()` without arguments, swapping `__class__` past
    `BaseFigure.__setattr__`) and on `st.plotly_chart` serialising through `to_dict()`:
    tests/ui/test_private_internals.py guards them, with what to do when one fails."""

    def to_dict(self) -> dict:
        memo = self.__dict__.get("_opengov_dict")
        if memo is None:
            memo = super().to_dict()
            object.__setattr__(self, "_opengov_dict", memo)
        return {**memo, "data": [dict(trace) for trace in memo.get("data", [])], "layout": dict(memo.get("layout", {}))}


def freeze(fig: go.Figure) -> FrozenFigure:
    """`fig` as a FrozenFigure (the same object): do not change it afterwards."""
    object.__setattr__(fig, "__class__", FrozenFigure)
    return fig
