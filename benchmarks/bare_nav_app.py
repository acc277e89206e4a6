"""Second baseline for the page-ready benchmark: the bare one-chart page (``bare_app.py``'s title and
100-point Altair line) inside ``st.navigation`` with a two-link sidebar (issue 18's floor).
Served by ``bare_nav_serve.py`` (the same page-shell middleware as ``serve.py``), it is reachable at
``/`` (default page) and at ``/bare``, so each app page is compared with a bare page at a URL of the
same shape. It shows what Streamlit's own navigation shell costs before any content."""

import altair as alt
import pandas as pd
import streamlit as st


def bare() -> None:
    st.title("Bare baseline")
    data = pd.DataFrame({"x": range(100), "y": [(i * 37) % 101 for i in range(100)]})
    st.altair_chart(alt.Chart(data).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")


pages = [st.Page(bare, title="Home", url_path="home", default=True), st.Page(bare, title="Bare", url_path="bare")]
st.navigation(pages).run()
