"""``streamlit run benchmarks/elements_serve.py`` (PYTHONPATH = the repository): ``elements_app.py``
behind the same page-shell middleware as the app's ``serve.py``."""

import streamlit as st
from starlette.middleware import Middleware

from serve import PageShellMiddleware

app = st.App("elements_app.py", middleware=[Middleware(PageShellMiddleware)])
