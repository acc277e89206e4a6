"""OpenGov Impact — the frame: page config, language, store start-up, sign-in and navigation."""

from __future__ import annotations

import streamlit as st

from opengov.ui import heap
from opengov.ui.frame import frame
from opengov.i18n import t
from opengov.ui.navigation import PAGES
from opengov.ui.frame import ensure_frame

ensure_frame(in_frame=True)
lang = frame()

pages = [st.Page(p.path, title=t(p.nav_title_key, lang), icon=p.icon, url_path=p.url_path, default=(i == 0))
         for i, p in enumerate(PAGES)]
nav = st.navigation(pages)
nav.run()
heap.settle()  # keeps Streamlit's collection after each run from holding back the run's last messages
