"""OpenGov Impact — the frame: page config, language, store start-up, sign-in and navigation."""

from __future__ import annotations

import streamlit as st

from opengov.i18n import t
from opengov.ui.frame import ensure_frame, frame, page_title
from opengov.ui.navigation import MOVED, PAGES

ensure_frame(in_frame=True)
lang = frame()

pages = [
    st.Page(p.path, title=t(p.nav_title_key, lang), icon=p.icon, url_path=p.url_path, default=(i == 0))
    for i, p in enumerate(PAGES)
]


def _moved(target: st.Page):  # noqa: ANN202 - a page callable
    def go() -> None:  # an old address (a bookmark, a link in a report) opens its page, with its filters
        st.switch_page(target, query_params=st.query_params.to_dict())

    return go


by_path = {p.url_path: page for p, page in zip(PAGES, pages, strict=True)}
moved = [
    st.Page(_moved(by_path[new]), title=t("nav.moved", lang), url_path=old, visibility="hidden")
    for old, new in MOVED.items()
]
nav = st.navigation(pages + moved)
page_title(nav.title, lang)
nav.run()
