"""Streamlit's own interface in the page's language, and labels kept whole.

Streamlit 1.67 has no interface translation: its own texts are English (accessible names such as
"Help for …", "Collapse sidebar", "Open"; placeholders; the file uploader's instructions). The frame
adds to every page (`apply`):

* a small script that puts those texts in the page's language (``document.documentElement.lang``,
  which the page shell or the frame sets), from the catalogue (``chrome.*`` keys). It rewrites an
  attribute or a text node only when it is exactly one of Streamlit's texts below, so no content of
  the app is touched; it follows the page as Streamlit redraws it, and puts the English back after a
  switch to English;
* a style sheet that hides the built-in toolbars of charts and tables (English only: "Download as
  PNG", "Show data", "Search", "Download as CSV", and "Show data" opens a view with more of it), since
  every chart block has its own downloads in the UI language (`opengov.ui.blocks.downloads`); and that
  lets KPI labels and deltas wrap instead of ending in "…". (The chart blocks draw Plotly charts
  without a mode bar; a Plotly chart drawn otherwise, the plans timeline, keeps its mode bar, whose
  tooltips the script translates, like the menu of a table's column.)

Both rely on Streamlit's front end (its English texts, its ``data-testid`` names and the
``stMarkdownEllipsis`` class): tests/ui/test_private_internals.py fails when a release changes them,
and tests/browser/test_french_and_fit.py checks the result in French pages.
"""

from __future__ import annotations

import json
from functools import lru_cache

import streamlit as st

from opengov.i18n import LANGS, t

#: Streamlit 1.67's own English texts (aria-label, title, placeholder or whole text node) -> catalogue key.
STREAMLIT_TEXTS: dict[str, str] = {
    "Skip to main content": "chrome.skip_to_content",
    "Sidebar": "chrome.sidebar",
    "Collapse sidebar": "chrome.collapse_sidebar",
    "Expand sidebar": "chrome.expand_sidebar",
    "App pages": "chrome.app_pages",
    "Main menu": "chrome.main_menu",
    "Link to heading": "chrome.heading_link",
    "Open": "chrome.open",
    "Close": "chrome.close",
    "Clear value": "chrome.clear_value",
    "Clear all": "chrome.clear_all",
    "Clear entry": "chrome.clear_entry",
    "Selected values": "chrome.selected_values",
    "Choose an option": "chrome.choose_option",
    "Choose options": "chrome.choose_options",
    "No results": "chrome.no_results",
    "Copy to clipboard": "chrome.copy",
    "Running...": "chrome.running",
    "Stop": "chrome.stop",
    "Stopping...": "chrome.stopping",
    "Show password": "chrome.show_password",
    "Hide password": "chrome.hide_password",
    "Increment": "chrome.increment",
    "Decrement": "chrome.decrement",
    "Choose date": "chrome.choose_date",
    "Clear date": "chrome.clear_date",
    "Previous month": "chrome.previous_month",
    "Next month": "chrome.next_month",
    "Scroll tabs left": "chrome.scroll_tabs_left",
    "Scroll tabs right": "chrome.scroll_tabs_right",
    "Add files": "chrome.add_files",
    "Upload": "chrome.upload",
    "Drag and drop a file here": "chrome.drop_file",
    "Drag and drop files here": "chrome.drop_files",
    "Press Enter to submit form": "chrome.enter_to_submit",
    "Press Enter to apply": "chrome.enter_to_apply",
    # the mode bar of a Plotly chart drawn without one of the app's chart blocks (the plans timeline)
    "Download plot as a PNG": "chrome.plot_png",
    "Fullscreen": "chrome.fullscreen",
    "Close fullscreen": "chrome.close_fullscreen",
    "Zoom": "chrome.zoom",
    "Zoom in": "chrome.zoom_in",
    "Zoom out": "chrome.zoom_out",
    "Pan": "chrome.pan",
    "Autoscale": "chrome.autoscale",
    "Reset axes": "chrome.reset_axes",
    "Reset view": "chrome.reset_view",
    "Box Select": "chrome.box_select",
    "Lasso Select": "chrome.lasso_select",
    # a data table's column menu (its header, clicked), its statistics and number formats; the words
    # French writes the same way (Format, Minimum, Maximum, Dollar, Euro, Yen, Distance) stay out
    "Dataframe column menu": "chrome.column_menu",
    "Copy column name": "chrome.copy_column_name",
    "Sort ascending": "chrome.sort_ascending",
    "Sort descending": "chrome.sort_descending",
    "Statistics": "chrome.statistics",
    "Autosize": "chrome.autosize",
    "Pin column": "chrome.pin_column",
    "Unpin column": "chrome.unpin_column",
    "Hide column": "chrome.hide_column",
    "Values": "chrome.stat_values",
    "Empty": "chrome.stat_empty",
    "Distinct": "chrome.stat_distinct",
    "Average": "chrome.stat_average",
    "Standard deviation": "chrome.stat_std",
    "25th percentile": "chrome.stat_q25",
    "Median": "chrome.stat_median",
    "75th percentile": "chrome.stat_q75",
    "Sum": "chrome.stat_sum",
    "Range": "chrome.stat_range",
    "Minimum length": "chrome.stat_min_length",
    "Maximum length": "chrome.stat_max_length",
    "Average length": "chrome.stat_average_length",
    "Automatic": "chrome.format_automatic",
    "Localized": "chrome.format_localized",
    "Plain": "chrome.format_plain",
    "Compact": "chrome.format_compact",
    "Percent": "chrome.format_percent",
    "Scientific": "chrome.format_scientific",
    "Accounting": "chrome.format_accounting",
    "Duration": "chrome.format_duration",
    "Calendar": "chrome.format_calendar",
}
#: Streamlit's texts that start with a fixed English part: prefix -> catalogue key with a {rest} placeholder.
STREAMLIT_PREFIXES: dict[str, str] = {
    "Help for ": "chrome.help_for",
    "Remove ": "chrome.remove",
}
#: The file uploader's size limit ("200MB per file • CSV, XLSX"): its English part -> catalogue key ({size}).
PER_FILE = " per file"

#: What the style sheet hides or un-truncates (also read by the guards of Streamlit's internals).
TOOLBAR = '[data-testid="stElementToolbar"]'
TOOLBAR_OF = (
    '[data-testid="stVegaLiteChart"]',
    '[data-testid="stDataFrameResizable"]',
    '[data-testid="stPlotlyChart"]',
)
METRIC_TEXT = '[data-testid="stMetric"] .stMarkdownEllipsis'
METRIC_DELTA = '[data-testid="stMetricDelta"]'

CSS = f"""
<style>
/* Built-in toolbars of charts and tables: English only, and every chart block has its downloads. */
{TOOLBAR}:has({", ".join("~ " + s for s in TOOLBAR_OF)}) {{ display: none !important; }}
/* KPI labels, values and deltas wrap instead of ending in an ellipsis. */
{METRIC_TEXT}, {METRIC_TEXT} p {{ white-space: normal; overflow: visible; text-overflow: clip; }}
[data-testid="stMetric"] :has(> {METRIC_DELTA}) {{ overflow: visible; }}
</style>
"""

_SCRIPT = r"""
<script>
(function () {
  if (window.__ogChrome) { window.__ogChrome.texts = TEXTS; window.__ogChrome.all(); return; }
  var state = {texts: TEXTS};
  window.__ogChrome = state;
  var ATTRS = ['aria-label', 'title', 'placeholder', 'data-title'];  // data-title: Plotly's mode bar
  var orig = new WeakMap();     // node -> {attr or '#text': Streamlit's English text}
  var written = new WeakMap();  // node -> {attr or '#text': what this script wrote}
  function lang() { return (document.documentElement.lang || 'en').slice(0, 2); }
  function translate(en) {
    var d = state.texts[lang()];
    if (!d || !en) return en;
    if (Object.prototype.hasOwnProperty.call(d.exact, en)) return d.exact[en];
    for (var p in d.prefix) {
      if (en.indexOf(p) === 0 && en.length > p.length) return d.prefix[p].replace('{rest}', en.slice(p.length));
    }
    var i = en.indexOf(PER_FILE);
    if (i > 0) {
      var size = en.slice(0, i).replace(/MB$/, ' Mo').replace(/KB$/, ' ko');
      return d.per_file.replace('{size}', size) + en.slice(i + PER_FILE.length);
    }
    return en;
  }
  function slot(map, node) { var s = map.get(node); if (!s) { s = {}; map.set(node, s); } return s; }
  // Put `key` of `node` (an attribute, or '#text') in the page's language: `current` is its value
  // now; what Streamlit last wrote there is kept as the English original.
  function fix(node, key, current, set, tr) {
    var w = slot(written, node), o = slot(orig, node);
    if (w[key] !== current) o[key] = current;
    var want = tr(o[key]);
    w[key] = want;
    if (want !== current) set(want);
  }
  function element(el) {
    ATTRS.forEach(function (a) {
      if (el.hasAttribute(a)) fix(el, a, el.getAttribute(a), function (v) { el.setAttribute(a, v); }, translate);
    });
  }
  // A text node: its text without the spaces around it is one of Streamlit's texts.
  function spaced(v) {
    var m = /^(\s*)([\s\S]*?)(\s*)$/.exec(v);
    return m[1] + translate(m[2]) + m[3];
  }
  function text(node) {
    var p = node.parentElement;
    if (!p || p.closest('[data-testid="stMarkdownContainer"], script, style')) return;
    var v = node.nodeValue;
    if (!v.trim()) return;
    var o = orig.get(node);
    if (!(o && '#text' in o) && spaced(v) === v) return;  // not one of Streamlit's texts
    fix(node, '#text', v, function (x) { node.nodeValue = x; }, spaced);
  }
  function tree(root) {
    if (root.nodeType === 3) { text(root); return; }
    if (root.nodeType !== 1) return;
    element(root);
    var els = root.querySelectorAll('[aria-label], [title], [placeholder], [data-title]');
    for (var i = 0; i < els.length; i++) element(els[i]);
    var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), n;
    while ((n = walk.nextNode())) text(n);
  }
  state.all = function () { tree(document.body); };
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.type === 'attributes') {
        if (r.target === document.documentElement) { state.all(); return; }
        element(r.target);
      } else if (r.type === 'characterData') {
        text(r.target);
      } else {
        for (var j = 0; j < r.addedNodes.length; j++) tree(r.addedNodes[j]);
      }
    }
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRS.concat(['lang'])
  });
  state.all();
})();
</script>
"""


@lru_cache(maxsize=1)
def script() -> str:
    """The localizing script, with Streamlit's texts in every language (the same for every page and
    language, so that Streamlit keeps the element from one run to the next)."""
    texts = {
        lang: {
            "exact": {en: t(key, lang) for en, key in STREAMLIT_TEXTS.items()},
            "prefix": {en: t(key, lang, rest="{rest}") for en, key in STREAMLIT_PREFIXES.items()},
            "per_file": t("chrome.per_file", lang, size="{size}"),
        }
        for lang in LANGS
        if lang != "en"
    }
    return _SCRIPT.replace("TEXTS", json.dumps(texts, ensure_ascii=False)).replace("PER_FILE", json.dumps(PER_FILE))


def apply() -> None:
    """Add the style sheet (no room taken: Streamlit sends style-only HTML to its event container) and
    the localizing script (at the end of the sidebar, where its empty element takes no visible room)."""
    st.html(CSS)
    st.sidebar.html(script(), unsafe_allow_javascript=True)
