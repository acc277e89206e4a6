"""``streamlit run benchmarks/bare_nav_serve.py`` (PYTHONPATH = the repository): ``bare_nav_app.py``
behind the same page-shell middleware as the app's ``serve.py``."""

import streamlit as st
from starlette.middleware import Middleware

from serve import PageShellMiddleware

app = st.App("bare_nav_app.py", middleware=[Middleware(PageShellMiddleware)])
