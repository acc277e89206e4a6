"""Data text shown as plain text: imported titles, codes and names never become markup.

Two escapes, one per renderer, applied where data text meets it (never to the catalogue's own text):

* :func:`escape_markdown` - for Streamlit's Markdown (``st.caption``, ``st.markdown``, ``st.success``...):
  every character that starts inline markup in Markdown, GitHub-flavoured Markdown or Streamlit's own
  extensions (``:red[...]``, ``:material/icon:``, ``$math$``) is backslash-escaped, and so is a heading,
  list or quote marker that begins the text; line breaks become spaces (no new block can start);
* :func:`escape_plotly` - for Plotly's text, hover text, tick labels and titles, which read a subset of
  HTML (``<a href>``, ``<b>``, ``<br>``, ``<span style>``...): ``&``, ``<`` and ``>`` as entities, which
  Plotly shows as the characters themselves.

>>> print(escape_markdown("![x](http://evil/x.png) **bold**"))
\\!\\[x\\](http\\://evil/x.png) \\*\\*bold\\*\\*
>>> escape_plotly('<a href="x">y</a> & <b>z</b>')
'&lt;a href="x"&gt;y&lt;/a&gt; &amp; &lt;b&gt;z&lt;/b&gt;'
"""

from __future__ import annotations

import re

__all__ = ["escape_markdown", "escape_plotly"]

#: Characters that start inline markup anywhere in a line: emphasis, code, links and images, raw HTML and
#: entities, tables, strikethrough, math, Streamlit's directives and icons (``:red[x]``, ``:material/x:``).
_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>!|~$:&^])")
#: What starts a block when it begins the text: heading, list, quote, setext rule, ordered list.
_MD_BLOCK_START = re.compile(r"^([#\-+=>]|\d+[.)])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
_WWW = re.compile(r"(?i)\b(www)\.")  # a bare www.host would become a link


def escape_markdown(text: object) -> str:
    """``text`` as Markdown that shows exactly its characters, on one line (leading and trailing white
    space dropped: four spaces would start a code block).

    >>> escape_markdown("CSIS-Y5-01 (2015)"), escape_markdown("# 1. x"), escape_markdown("2. x")
    ('CSIS-Y5-01 (2015)', '\\\\# 1. x', '2\\\\. x')
    """
    one_line = _LINE_BREAKS.sub(" ", str(text)).strip()
    out = _MD_INLINE.sub(r"\\\1", one_line)
    out = _MD_BLOCK_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], out)
    return _WWW.sub(r"\1\\.", out)


def escape_plotly(text: object) -> str:
    """``text`` for a Plotly text field: shown as is, no tag read."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
