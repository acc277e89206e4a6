"""Shared Streamlit rendering helpers: chart blocks with text alternative and data table,
source/as-of chips, KPI cards. Pages call these; they hold no business rules."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from opengov.charts.figure import Figure
from opengov.charts.plain import escape_markdown
from opengov.i18n import fmt_date, t

# Session-state key suffix of the "Data table" expanders (see data_table).
TABLE_BOX_SUFFIX = "_tablebox"


def source_line(lang: str, source: str, as_of: dt.date | str | None) -> str:
    """The 'Source · as of' text of a figure ('date not given' when the source has none), as Markdown:
    the source's name (data: an imported plan's title, a file's name) is escaped, shown as plain text."""
    source = escape_markdown(source)
    when = fmt_date(as_of, lang)
    if when == "–":
        return t("chip.source_nodate", lang, source=source)
    return t("chip.source_asof", lang, source=source, as_of=when)


def source_chip(lang: str, source: str, as_of: dt.date | str | None) -> None:
    """A small 'Source · as of' line under a figure."""
    st.caption(source_line(lang, source, as_of))


def chart_block(
    chart: alt.Chart,
    *,
    lang: str,
    key: str,
    alt_text: str,
    table: pd.DataFrame,
    source: str,
    as_of: dt.date | str | None,
    definition: str | None = None,
    export_table: pd.DataFrame | None = None,
    filters: dict[str, object] | None = None,
    attribution: str | None = None,
    figure: Figure | None = None,
    sources: pd.DataFrame | None = None,
) -> None:
    """A chart with its text alternative, its data as a table, its source and as-of date, and
    downloads (PNG/SVG/PDF of the chart with its title, filters, source and caveats; CSV/XLSX of its
    typed data) rendered on the server from `figure` (the Figure `show` renders; else one made of
    the arguments)."""
    from opengov.charts.base import fast

    alt_text = f"{alt_text} {t('chart.alt_table_hint', lang)}"
    # Serialised without Altair's schema validation (a third of some pages' rerun time); the tests
    # validate every chart of every page instead.
    st.altair_chart(fast(chart), width="stretch", key=f"{key}_chart", alt=alt_text)
    _chart_footer(
        lang,
        key,
        table,
        source,
        as_of,
        definition,
        attribution,
        export_table,
        filters,
        _files(
            figure, chart, alt_text, table, source, as_of, definition, attribution, export_table, sources, filters, lang
        ),
    )


def _files(
    figure: Figure | None,
    chart,
    alt_text: str,
    table: pd.DataFrame,
    source: str,
    as_of,
    definition: str | None,
    attribution: str | None,
    export_table: pd.DataFrame | None,
    sources: pd.DataFrame | None,
    filters: dict[str, object] | None,
    lang: str,
) -> dict[str, object]:
    """Builders of a block's five files (png, svg, pdf, csv, xlsx), run when a button is clicked."""
    from opengov.charts.export import CHART_FORMATS, DATA_FORMATS, figure_bytes

    if figure is None:
        figure = Figure(
            chart,
            alt_text,
            table,
            definition=definition,
            attribution=attribution,
            export_table=export_table,
            source_label=source,
            as_of=as_of,
        )
    return {f: (lambda f=f: figure_bytes(figure, f, lang, sources, filters)) for f in CHART_FORMATS + DATA_FORMATS}


def _chart_footer(
    lang: str,
    key: str,
    table: pd.DataFrame,
    source: str,
    as_of: dt.date | str | None,
    definition: str | None,
    attribution: str | None,
    export_table: pd.DataFrame | None,
    filters: dict[str, object] | None,
    chart_formats: dict[str, object],
) -> None:
    """What follows every chart: attribution, source and as-of, definition, data table, downloads."""
    if attribution:
        st.caption(escape_markdown(attribution))
    # one caption for the source line and the metric's definition (each element costs the browser)
    st.caption(source_line(lang, source, as_of) + (f"  \n{definition}" if definition else ""))
    data_table(lang, key, table)
    downloads(lang, key, table if export_table is None else export_table, filters, chart_formats=chart_formats)


def data_table(lang: str, key: str, table: pd.DataFrame) -> None:
    """A chart's data as a table, in a "Data table" expander. The table is sent to the browser when
    the expander is opened (it reruns the page), not with every page load: the browser draws a page
    with several charts in a fraction of the time, and the open state is kept for the session."""
    box = st.expander(t("chart.data_table", lang), key=f"{key}{TABLE_BOX_SUFFIX}", on_change="rerun")
    if box.open:
        with box:
            grid(table, hide_index=True, width="stretch", key=f"{key}_table")


def grid_height(n_rows: int) -> int:
    """The height in pixels of a data grid of `n_rows` rows, as Streamlit sizes one by default (a header
    and the rows, 35 px each, and the border; at most 400 px, the rest scrolled), given in advance: the
    grid's box then keeps its size from the first frame instead of growing when its code has loaded and
    pushing down what follows (tests/browser/test_layout_holds_still.py).

    >>> grid_height(1), grid_height(10), grid_height(39)
    (72, 387, 400)
    """
    return min(400, (n_rows + 1) * 35 + 2)


def grid(data, **kwargs) -> object:
    """st.dataframe at its final height from the first frame (see grid_height), unless one is given."""
    kwargs.setdefault("height", grid_height(len(getattr(data, "data", data))))
    return st.dataframe(data, **kwargs)


_PLAIN_URL = re.compile(r"^https?://[^\s()<>\[\]\\`]+$")


PLAIN_TABLE_MAX_ROWS = 20


def plain_table(table: pd.DataFrame, links: Sequence[str] = (), key: str | None = None) -> None:
    """A small table drawn at once: one Markdown table (a plain HTML table with its header row; long
    text wrapped instead of cut; in the browser it costs less than a data grid or st.table, whose every
    cell is an element of its own: benchmarks/bench_elements.py), every header and cell shown as its text.
    The cells of the `links` columns that are plain http(s) addresses are links to themselves. Above
    PLAIN_TABLE_MAX_ROWS rows it is a data grid of fixed height instead (scrolled, sortable and
    searchable, not a page of rows), keyed by `key`."""
    if len(table) > PLAIN_TABLE_MAX_ROWS:
        config = {col: st.column_config.LinkColumn(col) for col in links}
        grid(table, hide_index=True, width="stretch", key=key, column_config=config or None)
        return
    st.markdown(markdown_table(table, links))


def markdown_table(table: pd.DataFrame, links: Sequence[str] = ()) -> str:
    """`table` as a GitHub-flavoured Markdown table whose cells show their text as it is (escaped: no
    Markdown or HTML from the data is read, a "|" stays in its cell); a missing value is "–".

    >>> print(markdown_table(pd.DataFrame({"Plan": ["A | *b*", None], "Link": ["https://x.ca", "n/a"]}), ["Link"]))
    | Plan | Link |
    | --- | --- |
    | A \\| \\*b\\* | [https\\://x.ca](https://x.ca) |
    | – | n/a |
    """

    def cell(col: object, value: object) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return str(link_cell(value)) if col in links else escape_markdown(value)

    head = "| " + " | ".join(escape_markdown(c) for c in table.columns) + " |"
    rule = "|" + " --- |" * len(table.columns)
    rows = [
        "| " + " | ".join(cell(c, v) for c, v in zip(table.columns, row, strict=True)) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])


def link_cell(url: object) -> object:
    """A table cell's Markdown for an address: a link to itself when it is a plain http(s) address,
    else its text (no other scheme, nothing that would end the link early).

    >>> print(link_cell("https://open.yukon.ca/data"))
    [https\\://open.yukon.ca/data](https://open.yukon.ca/data)
    >>> print(link_cell("javascript:alert(1)")), link_cell(None)
    javascript\\:alert(1)
    (None, None)
    """
    if not isinstance(url, str):
        return url
    return f"[{escape_markdown(url)}]({url})" if _PLAIN_URL.match(url) else escape_markdown(url)


def split_key(key: str) -> tuple[str, str]:
    """A block key's page (its feature's name, the widget-key prefix) and chart id, which name its
    export files: 'working_group_months' -> ('working_group', 'months').

    >>> split_key("working_group_months"), split_key("usage_jur_downloads")
    (('working_group', 'months'), ('usage', 'jur_downloads'))
    """
    from opengov.ui.navigation import PAGES

    for name in sorted((p.url_path for p in PAGES), key=len, reverse=True):
        if key.startswith(name + "_"):
            return name, key[len(name) + 1 :]
    page, _, chart_id = key.partition("_")
    return page, chart_id


def downloads(
    lang: str,
    key: str,
    data: pd.DataFrame,
    filters: dict[str, object] | None,
    chart_formats: dict[str, object] | None = None,
) -> None:
    """A 'Download' popover: chart files and the data as CSV (UTF-8 with BOM, plain numbers) or XLSX
    (typed cells, an "About" sheet), all built on click (`chart_formats`, else the data files of
    `data`), with headers in the UI language and formula-like cells neutralised. Its buttons are sent
    when it is opened (it reruns), like the data tables, so a page load carries one button per chart."""
    from opengov.charts.export import MIME, export_name

    page, chart_id = split_key(key)
    box = st.popover(t("export.download", lang), icon=":material/download:", key=f"{key}_dl", on_change="rerun")
    if not box.open:
        return
    files = dict(chart_formats or {})
    files.setdefault("csv", lambda: _table_bytes(data, "csv", lang))
    files.setdefault("xlsx", lambda: _table_bytes(data, "xlsx", lang))
    with box:
        for fmt, builder in files.items():
            st.download_button(
                t(f"export.{fmt}", lang),
                data=builder,
                on_click="ignore",
                mime=MIME[fmt],
                file_name=export_name(page, chart_id or page, filters, lang, fmt),
                key=f"{key}_dl_{fmt}",
                width="stretch",
            )


def _table_bytes(df: pd.DataFrame, fmt: str, lang: str = "en") -> bytes:
    """A table's data file (typed, neutralised last): what a block's CSV/XLSX buttons give without a Figure."""
    from opengov.exports import data_csv, data_xlsx
    from opengov.i18n import t

    if fmt == "csv":
        return data_csv(df, lang)
    return data_xlsx(df, lang, sheet=t("export.data_sheet", lang))


def plotly_block(
    fig,
    *,
    lang: str,
    key: str,
    alt_text: str,
    table: pd.DataFrame,
    source: str,
    as_of: dt.date | str | None,
    definition: str | None = None,
    attribution: str | None = None,
    export_table: pd.DataFrame | None = None,
    filters: dict[str, object] | None = None,
    figure: Figure | None = None,
    sources: pd.DataFrame | None = None,
) -> None:
    """The Plotly counterpart of chart_block (map, timeline): the chart files are drawn, without a
    browser, from its Altair twin (`opengov.charts.static`)."""
    from opengov.charts.export import GEO_ASSETS_JS, has_geo

    if has_geo(fig):
        st.html(GEO_ASSETS_JS, unsafe_allow_javascript=True)
    alt_text = f"{alt_text} {t('chart.alt_table_hint', lang)}"
    st.plotly_chart(
        fig,
        width="stretch",
        key=f"{key}_chart",
        alt=alt_text,
        config={"displaylogo": False, "displayModeBar": False, "locale": lang},
    )
    _chart_footer(
        lang,
        key,
        table,
        source,
        as_of,
        definition,
        attribution,
        export_table,
        filters,
        _files(
            figure, fig, alt_text, table, source, as_of, definition, attribution, export_table, sources, filters, lang
        ),
    )


# ---------------------------------------------------------------- URL state
# One pattern for every widget whose value is kept in the link (?param=value): the session state is
# seeded from the URL once (an unknown or malformed value falls back to the default, without error),
# the widget is bound to it by key and also given the current value as its default (index= /
# default= / value=: part of neither widget's identity once it has a key), and the URL is written
# from the session state, a default value left out. The default matters for a widget the browser
# draws late (in a closed popover, an unopened tab): it starts from the proto's default, and a
# default computed otherwise (Streamlit's first option, an empty selection) would replace the
# session's value on the next rerun ("Choose options" while the summary says "all").


def url_value(
    current: object,
    has_current: bool,
    query_values: Sequence[str],
    options: Sequence,
    default: object,
    kind: str = "one",
) -> object:
    """The value a widget starts with: its session value if any, else the URL's, else `default`;
    an invalid value falls back to `default`. kind: one | many | pair (a range).

    >>> url_value(None, False, ["2024"], [2023, 2024], 2023)
    2024
    >>> url_value(None, False, ["1999"], [2023, 2024], 2023), url_value(None, False, ["b,a"], "ab", ("a", "b"), "pair")
    (2023, ('a', 'b'))
    >>> url_value(None, False, ["a", "b"], "abc", ["c"], "many")
    ['a', 'b']
    """
    by_str = {str(o): o for o in options}
    pos = {str(o): i for i, o in enumerate(options)}

    def valid(v: object) -> bool:
        if kind == "one":
            return str(v) in by_str
        vals = list(v) if isinstance(v, (list, tuple)) else []
        if kind == "pair":
            return len(vals) == 2 and all(str(x) in by_str for x in vals) and pos[str(vals[0])] <= pos[str(vals[1])]
        return bool(vals) and all(str(x) in by_str for x in vals)

    if has_current:
        value = current
    elif kind == "one":
        value = by_str.get(str(query_values[-1]) if query_values else "None", default)
    else:
        raw = [part for v in query_values for part in str(v).split(",") if part]
        value = [by_str[r] for r in dict.fromkeys(raw) if r in by_str]
        value = tuple(value) if kind == "pair" else value
    if not valid(value):
        value = default
    return tuple(value) if kind == "pair" else value


def _same(value: object, default: object, kind: str) -> bool:
    if kind == "one":
        return value == default
    return list(value) == list(default)  # type: ignore[call-overload]


class UrlState:
    """The URL-backed widgets of one page run: `seed` before each widget (it returns the current
    value, to give the widget as its default), `write` once at the end of the page."""

    def __init__(self) -> None:
        self.fields: dict[str, tuple[str, object, str]] = {}

    def seed(self, key: str, options: Sequence, default: object, kind: str = "one", param: str | None = None) -> object:
        """Seed/validate st.session_state[key] (from ?param=, `key` unless named, on the session's
        first run or once the widget was away) and return its value. kind: one | many | pair."""
        param = param or key
        has = key in st.session_state
        value = url_value(
            st.session_state[key] if has else None,
            has,
            [] if has else st.query_params.get_all(param),
            options,
            default,
            kind,
        )
        if not has or value != st.session_state[key]:
            st.session_state[key] = value  # set only when needed: a set value re-seeds the widget
        self.fields[key] = (param, default, kind)
        return value

    def index(self, key: str, options: Sequence) -> int:
        """The position of a seeded single choice in its options (a select box's or radio's index=)."""
        return list(options).index(st.session_state[key])

    def at_default(self, key: str) -> bool:
        param, default, kind = self.fields[key]
        return _same(st.session_state.get(key, default), default, kind)

    def write(self) -> None:
        """Write this run's seeded widgets back to the URL (a default value is left out)."""
        for key, (param, default, kind) in self.fields.items():
            url_write(param, st.session_state.get(key, default), default, kind)


def url_write(param: str, value: object, default: object, kind: str = "one") -> None:
    """Keep one value in the URL: left out when it is the default."""
    if _same(value, default, kind):
        st.query_params.pop(param, None)
    elif kind == "one":
        st.query_params[param] = str(value)
    else:
        st.query_params[param] = [str(v) for v in value]  # type: ignore[union-attr]


def url_choice(
    label: str,
    options: tuple[str, ...] | list[str],
    *,
    key: str,
    param: str,
    default: str,
    format_func=str,
    widget: str = "selectbox",
) -> str:
    """A single-choice filter kept in the URL (?param=value, left out at its default), so a link
    reproduces the view. An unknown value in the URL falls back to `default`."""
    options = list(options)
    state = UrlState()
    state.seed(key, options, default, param=param)
    fn = st.selectbox if widget == "selectbox" else st.radio
    if widget == "radio":
        extra: dict[str, object] = {"horizontal": True}
    else:  # Streamlit's own placeholder is English
        from opengov.ui.lang import current_lang

        extra = {"placeholder": t("chrome.choose_option", current_lang())}
    value = fn(label, options, index=state.index(key, options), key=key, format_func=format_func, **extra)
    state.write()
    return value


def section_tabs(
    labels: dict[str, str], *, lang: str, key: str, param: str, default: str | None = None
) -> tuple[dict[str, object], str]:
    """A page's sections as tabs of which only the open one is built and sent (the page draws one
    section, not all of them), kept in the URL (?param=section, left out at the default) and kept
    across a language switch. `labels`: section -> tab label, in order. Returns the tab containers by
    section and the open section; the page renders only that one.

    The section in the URL is read once per session. The widget's key holds the language (its value is
    the open tab's label) and its default is fixed for the widget's life: a default that changed on a
    rerun would reset the widget and swallow a click."""
    sections = list(labels)
    default = default or sections[0]
    current = f"{key}_current"
    if current not in st.session_state:
        wanted = st.query_params.get(param)
        st.session_state[current] = wanted if wanted in labels else default
    widget_key, hold = f"{key}_{lang}", f"{key}_{lang}_start"
    if widget_key not in st.session_state or hold not in st.session_state:
        st.session_state[hold] = st.session_state[current]  # a new widget opens on the current section
    tabs = st.tabs(
        [labels[s] for s in sections], key=widget_key, on_change="rerun", default=labels[st.session_state[hold]]
    )
    by_section = dict(zip(sections, tabs, strict=True))
    open_section = next((s for s, tab in by_section.items() if tab.open), st.session_state[current])
    st.session_state[current] = open_section
    url_write(param, open_section, default)
    return by_section, open_section


_ZERO_CHANGE = re.compile(r"^0(?:[.,]0+)?(?=$|[\s\u00a0\u202f%)])")


def kpi(
    label: str,
    value: str,
    *,
    delta: str | None = None,
    delta_color: str = "normal",
    help: str | None = None,
    caption: str | None = None,
    delta_arrow: str = "auto",
) -> None:
    if delta and delta.startswith("\u2212"):
        # Streamlit reads the direction (arrow, red/green) from a leading ASCII hyphen-minus only: a
        # fall keeps its true minus sign, like every other number, with its colour and arrow given
        # (a grey delta too: its arrow pointed up)
        if delta_color in ("normal", "inverse"):
            delta_color = "red" if delta_color == "normal" else "green"
        delta_arrow = "down" if delta_arrow == "auto" else delta_arrow
    elif delta and _ZERO_CHANGE.match(delta):
        # no change ("0 vs 2021", "0.0 % (0)"): no arrow and grey (Streamlit would point a "0 …" text up)
        delta_arrow = "off" if delta_arrow == "auto" else delta_arrow
        delta_color = "off" if delta_color in ("normal", "inverse") else delta_color
    st.metric(label, value, delta=delta, delta_color=delta_color, help=help, border=True, delta_arrow=delta_arrow)
    if caption:
        st.caption(caption)


def show(
    fig: Figure, *, lang: str, key: str, sources: pd.DataFrame | None = None, filters: dict[str, object] | None = None
) -> None:
    """Render a feature's Figure: the chart with its text alternative, its data as a table, its
    source and as-of date (from `sources`, the store's sources frame indexed by id, unless the
    figure names them), its definition and attribution, and its downloads."""
    source, as_of = fig.source(lang, sources)
    block = plotly_block if fig.is_plotly else chart_block
    block(
        fig.chart,
        lang=lang,
        key=key,
        alt_text=fig.alt_text,
        table=fig.table,
        source=source,
        as_of=as_of,
        definition=fig.definition,
        attribution=fig.attribution,
        export_table=fig.export_table,
        filters=filters,
        figure=fig,
        sources=sources,
    )
