"""Chart builders: functions that take tidy data and return figures (tested and exported as is).

Altair is the default (static export through vl-convert, no browser). Every builder takes the
language, so titles, axes, legends and number/date formats follow en_CA or fr_CA.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from opengov.i18n import d3_locale, d3_time_locale

# Altair validates every object it builds against the Vega-Lite schema ("debug mode"), which cost
# about a third of the rerun time of the pages with several charts. The app builds charts with it off
# and serialises them unvalidated (`fast`); tests/app/test_charts_valid.py validates every chart of
# every page in both languages instead.
alt.utils.schemapi.disable_debug_mode()

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies, AA contrast on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
TEXT = "#1f2933"


class _UnvalidatedDict:
    """`to_dict` without Altair's JSON-schema validation (see `fast`)."""

    def to_dict(self, *args, **kwargs):
        kwargs.setdefault("validate", False)
        return super().to_dict(*args, **kwargs)


class FastChart(_UnvalidatedDict, alt.Chart):
    pass


class FastLayerChart(_UnvalidatedDict, alt.LayerChart):
    pass


class FastFacetChart(_UnvalidatedDict, alt.FacetChart):
    pass


class FastVConcatChart(_UnvalidatedDict, alt.VConcatChart):
    pass


class FastHConcatChart(_UnvalidatedDict, alt.HConcatChart):
    pass


_FAST = {
    alt.Chart: FastChart,
    alt.LayerChart: FastLayerChart,
    alt.FacetChart: FastFacetChart,
    alt.VConcatChart: FastVConcatChart,
    alt.HConcatChart: FastHConcatChart,
}


def fast(chart):
    """Skip Altair's JSON-schema validation when Streamlit serialises `chart` on every rerun.

    Validation cost ~40 % of a rerun of the usage page. `opengov.ui.chart_block` applies it to every
    chart it draws; the tests validate every chart of every page in both languages instead
    (tests/app/test_charts_valid.py). The chart becomes an instance of a module-level subclass, so it
    still pickles (the loaders cache figures).

    Relies on Altair internals (the chart classes, `to_dict(validate=...)`, swapping `__class__` past
    `SchemaBase.__setattr__`) and on `st.altair_chart` calling the chart's own `to_dict()`:
    tests/ui/test_private_internals.py guards each, with what to do when one fails."""
    fast_type = _FAST.get(type(chart))
    if fast_type is not None:
        # object.__setattr__: SchemaBase.__setattr__ would store "__class__" as a chart property
        object.__setattr__(chart, "__class__", fast_type)
    elif not isinstance(chart, _UnvalidatedDict):  # another chart type: patched (it then does not pickle)
        to_dict = type(chart).to_dict
        object.__setattr__(chart, "to_dict", lambda *a, **kw: to_dict(chart, *a, **{"validate": False, **kw}))
    return chart


def _stable_scale(labels: dict[str, str] | None) -> alt.Scale:
    """Colours fixed by the codes' order, not by the sorted labels, so a series keeps its colour in
    both languages (Federal/Fédérale is always the first colour)."""
    if not labels:
        return alt.Scale(range=PALETTE)
    domain = list(dict.fromkeys(labels.values()))
    return alt.Scale(domain=domain, range=PALETTE[: len(domain)])


def _configure(chart: alt.Chart, lang: str) -> alt.Chart:
    # aria=False: Vega's generated descriptions of axes, legends and marks are English only ("X-axis
    # titled ...") and name internal fields; every chart carries its own text alternative in the UI
    # language and its data as a table instead (opengov.ui.chart_block).
    return (
        chart.configure(locale={"number": d3_locale(lang), "time": d3_time_locale(lang)}, font="sans-serif", aria=False)
        .configure_mark(aria=False)  # marks and guides out of the accessibility tree (see above)
        # labelLimit 0, titleLimit 0: no length limit, so no label ends in "…" (Streamlit's chart theme
        # limits axis labels to 100 px and Vega legend labels to 160 px); long category labels wrap
        # instead (`wrapped_labels`)
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=12, titleFontSize=12, labelLimit=0)
        .configure_legend(
            labelColor=TEXT, titleColor=TEXT, orient="bottom", labelFontSize=12, labelLimit=0, titleLimit=0
        )
        .configure_title(color=TEXT, fontSize=14, anchor="start")
        .configure_view(stroke=None)
        # fit the container's width only: with a bottom legend, fitting both ways squashes the plot
        .properties(
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
            # room above the title, so capital accents (É, À) are not clipped
            padding={"left": 5, "top": 10, "right": 5, "bottom": 5},
        )
    )


#: Characters per line of a wrapped category label (about 320 px of 12 px text).
WRAP_CHARS = 48
LABEL_LINE_PX = 14


def _wrap_expr(chars: int = WRAP_CHARS) -> str:
    """Vega expression: the axis label as lines of at most `chars` characters, broken at spaces."""
    return f"split(trim(replace(datum.label, regexp('(.{{1,{chars}}})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')"


def label_lines(text: object, chars: int = WRAP_CHARS) -> int:
    """How many lines `wrapped_labels` gives a label (as the Vega expression breaks it).

    >>> label_lines("Court"), label_lines("Programme des travailleurs étrangers temporaires (PTET) : employeurs")
    (1, 2)
    """
    words, lines, width = str(text).split(), 1, 0
    for w in words:
        need = len(w) if width == 0 else width + 1 + len(w)
        if need <= chars or width == 0:
            width = need
        else:
            lines, width = lines + 1, len(w)
        while width > chars:  # a word longer than a line is broken
            lines, width = lines + 1, width - chars
    return lines


def wrapped_labels(**axis: object) -> alt.Axis:
    """A category axis whose long labels wrap onto several lines (centred on their band) instead of
    ending in "…"; give the chart a band of `band_px(labels)` pixels."""
    lines = f"length({_wrap_expr()})"
    return alt.Axis(
        labelExpr=_wrap_expr(),
        labelLineHeight=LABEL_LINE_PX,
        labelOffset=alt.ExprRef(expr=f"-{LABEL_LINE_PX / 2} * ({lines} - 1)"),
        **axis,
    )


def band_px(labels, minimum: int = 26) -> int:
    """The band height (px) that holds the longest wrapped label of `labels`."""
    most = max((label_lines(v) for v in labels), default=1)
    return max(minimum, LABEL_LINE_PX * most + 10)


def title_lines(text: str, chars: int = 90) -> str | list[str]:
    """A chart title as lines of at most `chars` characters when it is longer (Vega-Lite draws a list
    as lines), so that a long title (a dataset's name) wraps instead of ending in "…".

    >>> title_lines("Short"), len(title_lines("x " * 60, 40))
    ('Short', 3)
    """
    import textwrap

    return text if len(text) <= chars else textwrap.wrap(text, chars)


def line_chart(
    df: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    lang: str,
    color: str | None = None,
    color_title: str | None = None,
    color_labels: dict[str, str] | None = None,
    height: int = 260,
    time_format: str = "%b %Y",
    points: bool = True,
    zero: bool = True,
) -> alt.Chart:
    """A time line (one series, or one per `color` value) with tooltips in the UI language."""
    data = df.copy()
    enc: dict = {
        "x": alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format=time_format, labelAngle=0, tickCount=6)),
        "y": alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=",.0f"), scale=alt.Scale(zero=zero)),
        "tooltip": [
            alt.Tooltip(f"{x}:T", title=x_title, format=time_format),
            alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f"),
        ],
    }
    if color:
        if color_labels:
            data[color] = data[color].map(lambda v: color_labels.get(v, v))
        enc["color"] = alt.Color(f"{color}:N", title=color_title, scale=_stable_scale(color_labels))
        enc["tooltip"].insert(0, alt.Tooltip(f"{color}:N", title=color_title))
    else:
        enc["color"] = alt.value(PALETTE[0])
    mark = alt.Chart(data).mark_line(point=points, strokeWidth=2)
    return _configure(mark.encode(**enc).properties(title=title, height=height, width="container"), lang)


def bar_chart(
    df: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    category_title: str,
    value_title: str,
    lang: str,
    horizontal: bool = True,
    color: str | None = None,
    color_title: str | None = None,
    height: int | None = None,
    value_format: str = ",.0f",
    sort_desc: bool = True,
    color_order: list[str] | None = None,
) -> alt.Chart:
    """A ranked bar chart. `color_order`: the `color` values in palette order (else sorted labels
    take the colours, which then differ between languages)."""
    sort = "-x" if horizontal else "-y"
    cat = (
        alt.Y(f"{category}:N", title=category_title, sort=sort if sort_desc else None, axis=wrapped_labels())
        if horizontal
        else alt.X(f"{category}:N", title=category_title, sort=sort if sort_desc else None, axis=alt.Axis(labelAngle=0))
    )
    val = (
        alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format))
        if horizontal
        else alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format))
    )
    enc = {"y": cat, "x": val} if horizontal else {"x": cat, "y": val}
    enc["tooltip"] = [
        alt.Tooltip(f"{category}:N", title=category_title),
        alt.Tooltip(f"{value}:Q", title=value_title, format=value_format),
    ]
    if color:
        enc["color"] = alt.Color(
            f"{color}:N",
            title=color_title,
            scale=_stable_scale(dict(zip(color_order, color_order, strict=True)) if color_order else None),
        )
    else:
        enc["color"] = alt.value(PALETTE[0])
    h = height or max(160, (band_px(df[category].unique()) if horizontal else 26) * df[category].nunique())
    return _configure(alt.Chart(df).mark_bar().encode(**enc).properties(title=title, height=h, width="container"), lang)


def stacked_area(
    df: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    color_title: str,
    lang: str,
    color_labels: dict[str, str] | None = None,
    time_format: str = "%b %Y",
    height: int = 260,
) -> alt.Chart:
    data = df.copy()
    if color_labels:
        data[color] = data[color].map(lambda v: color_labels.get(v, v))
    enc = {
        "x": alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format=time_format, labelAngle=0, tickCount=6)),
        "y": alt.Y(f"{y}:Q", title=y_title, stack="zero", axis=alt.Axis(format=",.0f")),
        "color": alt.Color(f"{color}:N", title=color_title, scale=_stable_scale(color_labels)),
        "tooltip": [
            alt.Tooltip(f"{color}:N", title=color_title),
            alt.Tooltip(f"{x}:T", title=x_title, format=time_format),
            alt.Tooltip(f"{y}:Q", title=y_title, format=",.0f"),
        ],
    }
    return _configure(
        alt.Chart(data).mark_area(opacity=0.85).encode(**enc).properties(title=title, height=height, width="container"),
        lang,
    )
