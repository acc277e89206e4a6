"""In-page checks of what a reader sees: text cut short, and English left on a French page.

Used by tests/browser/test_french_and_fit.py. Each check is one JavaScript function run in the page
(``page.evaluate``) that returns a list of findings, each a dict with ``what`` (where the text is: the
nearest ``data-testid``), ``key`` (the widget key of its block, or None), ``text`` (the text, or its
start) and ``why``.

"Cut short" (``TRUNCATION_JS``) means any of:

* a heading, KPI (label, value, delta), widget label, tab, expander or button text whose box clips it
  (``text-overflow: ellipsis`` or hidden overflow, with the text wider than its box);
* a select box whose shown value is wider than the box (the box clips it without an ellipsis);
* a chart text (title, axis title or label, legend title or label, header) that Vega or Plotly
  ellipsised (it ends with "…") or that lies outside the chart's box (a legend running off its edge).
"""

from __future__ import annotations

TRUNCATION_JS = r"""
() => {
  const found = [];
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  // drawn and not transparent (Vega hides overlapping axis labels with opacity 0)
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    }
    return true;
  };
  const where = (el) => {
    const t = el.closest('[data-testid]');
    return t ? t.getAttribute('data-testid') : el.tagName.toLowerCase();
  };
  // the widget key of the element's block (Streamlit's "st-key-<key>" class), if it has one
  const keyOf = (el) => {
    const c = el.closest('[class*="st-key-"]');
    const m = c && /(?:^|\s)st-key-(\S+)/.exec(c.className);
    return m ? m[1] : null;
  };
  const text = (s) => (s || '').replace(/\s+/g, ' ').trim().slice(0, 120);

  // 1. text boxes that clip their text
  const boxes = [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    '[data-testid="stMetricLabel"]', '[data-testid="stMetricLabel"] *',
    '[data-testid="stMetricValue"]', '[data-testid="stMetricValue"] *',
    '[data-testid="stMetricDelta"]', '[data-testid="stMetricDelta"] *',
    '[data-testid="stWidgetLabel"] *', '[role="tab"] *', '[data-testid="stExpander"] summary *',
    '[data-testid="stBaseButton-secondary"] *', '[data-testid="stBaseButton-primary"] *',
    '[data-testid="stPopoverButton"] *', '[data-testid="stRadio"] label *',
  ].join(',');
  for (const el of main.querySelectorAll(boxes)) {
    if (!el.textContent.trim() || !shown(el) || el.closest('svg')) continue;
    const s = getComputedStyle(el);
    const clips = s.textOverflow === 'ellipsis' || ['hidden', 'clip'].includes(s.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      found.push({what: where(el), key: keyOf(el), text: text(el.textContent), why: 'clipped by its box'});
    }
  }

  // 2. select boxes: the value shown is wider than the input that shows it
  const ctx = document.createElement('canvas').getContext('2d');
  for (const input of main.querySelectorAll('[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input')) {
    if (!input.value || !shown(input)) continue;
    const s = getComputedStyle(input);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    if (ctx.measureText(input.value).width > room + 1) {
      found.push({what: where(input), key: keyOf(input), text: text(input.value), why: 'wider than its select box'});
    }
  }

  // 3. chart texts: ellipsised, or outside the chart
  const charts = main.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"]');
  for (const chart of charts) {
    if (!shown(chart)) continue;
    const box = chart.getBoundingClientRect();
    for (const t of chart.querySelectorAll('svg text')) {
      const content = t.textContent.trim();
      if (!content || !shown(t)) continue;
      const r = t.getBoundingClientRect();
      if (content.endsWith('…')) {
        found.push({what: where(chart) + ' text', key: keyOf(chart), text: text(content), why: 'ellipsised'});
      } else if (r.right > box.right + 1 || r.left < box.left - 1) {
        found.push({what: where(chart) + ' text', key: keyOf(chart), text: text(content), why: 'outside the chart'});
      }
    }
  }
  return found;
}
"""


#: English left by Streamlit in a page (``ENGLISH_CHROME_JS``, called with the exact texts and the
#: prefixes to look for): accessible names, tooltips (``title``, Plotly's ``data-title``) and
#: placeholders of elements a reader can reach (not hidden), and whole visible text nodes.
ENGLISH_CHROME_JS = r"""
([exact, prefixes]) => {
  const found = [];
  const hidden = (el) => {
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return true;
    }
    return false;
  };
  const english = (v) => {
    v = (v || '').trim();
    return v && (exact.includes(v) || prefixes.some((p) => v.startsWith(p)));
  };
  const attrs = ['aria-label', 'title', 'placeholder', 'data-title'];
  for (const el of document.querySelectorAll(attrs.map((a) => `[${a}]`).join(','))) {
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v !== null && english(v) && !hidden(el)) found.push(`${el.tagName.toLowerCase()}[${a}]: ${v.slice(0, 80)}`);
    }
  }
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walk.nextNode())) {
    if (n.parentElement && english(n.nodeValue) && !hidden(n.parentElement)) found.push(`text: ${n.nodeValue.trim()}`);
  }
  return found;
}
"""

#: The built-in toolbars beside charts and tables: each one's computed ``display``.
TOOLBARS_JS = r"""
() => Array.from(document.querySelectorAll('[data-testid="stElementToolbar"]')).map((e) => getComputedStyle(e).display)
"""
