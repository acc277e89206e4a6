"""OpenGov Impact — the frame: page config, language, store start-up and navigation."""

from __future__ import annotations

import streamlit as st

from opengov import app_data
from opengov.i18n import t
from opengov.loaders import ShippedDataError
from opengov.navigation import PAGES
from opengov.store.db import StoreError
from opengov.ui import current_lang, ensure_frame, language_switch, set_document_language
from opengov.ui_auth import sidebar_sign_in

st.set_page_config(page_title="OpenGov Impact", page_icon=":material/account_balance:", layout="wide",
                   initial_sidebar_state="expanded")

ensure_frame(in_frame=True)
lang = current_lang()
lang = language_switch(lang)
set_document_language(lang)

try:
    app_data.store_ready(app_data.url())
except ShippedDataError as exc:
    st.error(t("error.shipped_data", lang, file=exc.file, reason=exc.reason, line=exc.line or "–"))
    st.stop()
except StoreError as exc:
    st.error(t(f"error.store.{exc.code}", lang) + "\n\n" + t("error.detail", lang, detail=exc.detail[:300]))
    st.stop()

sidebar_sign_in(lang)
st.sidebar.caption(t("app.tagline", lang))

pages = [st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url_path, default=(i == 0))
         for i, p in enumerate(PAGES)]
nav = st.navigation(pages)
nav.run()
