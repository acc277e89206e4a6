"""The bare one-chart page of ``bare_nav_app.py`` (inside a two-link ``st.navigation``) followed by one
set of Streamlit elements, chosen with ``?set=``: what each kind of element the app's pages draw costs
the browser on top of Streamlit's own floor (``benchmarks/bench_elements.py``). Synthetic content,
for the benchmark only."""

import altair as alt
import pandas as pd
import streamlit as st

#: set -> (how many elements it adds, what they are)
SETS: dict[str, tuple[int, str]] = {
    "none": (0, "the bare page alone"),
    "captions": (30, "st.caption, 30 one-line captions"),
    "markdown": (1, "st.markdown, one element of 30 paragraphs (the captions above merged)"),
    "metrics": (15, "st.metric with border, delta and help, 3 rows of 5 columns"),
    "charts": (2, "st.altair_chart, 2 more 100-point area charts"),
    "table": (1, "st.table, 8 rows x 7 text columns"),
    "grid": (1, "st.dataframe, 8 rows x 7 text columns, fixed height"),
    "mdtable": (1, "st.markdown, the same 8 x 7 table as one Markdown table"),
    "headings": (10, "st.header and st.subheader, 5 of each"),
    "widgets": (6, "2 st.selectbox, st.radio, st.multiselect, st.select_slider and st.button"),
    "columns": (12, "3 rows of st.columns(4) with one caption in each column (12 columns, 12 captions)"),
    "lazy": (12, "6 closed expanders and 6 closed popovers that rerun when opened (a chart block's footer)"),
}


def bare() -> None:
    st.title("Bare baseline")
    data = pd.DataFrame({"x": range(100), "y": [(i * 37) % 101 for i in range(100)]})
    st.altair_chart(alt.Chart(data).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
    which = st.query_params.get("set", "none")
    table = pd.DataFrame({f"Column {c}": [f"Text of row {r}, column {c}" for r in range(8)] for c in range(7)})
    if which == "captions":
        for i in range(30):
            st.caption(f"Source: a caption of one line, number {i}")
    elif which == "markdown":
        st.markdown("\n\n".join(f"Source: a caption of one line, number {i}" for i in range(30)))
    elif which == "metrics":
        for row in range(3):
            for i, col in enumerate(st.columns(5)):
                with col:
                    st.metric(f"Measure {row}-{i}", f"{row * 1000 + i:,}", delta="+3.1%", border=True, help="Help")
    elif which == "charts":
        for _ in range(2):
            st.altair_chart(alt.Chart(data).mark_area().encode(x="x:Q", y="y:Q"), width="stretch")
    elif which == "table":
        st.table(table, hide_index=True)
    elif which == "grid":
        st.dataframe(table, hide_index=True, height=317)
    elif which == "mdtable":
        head = "| " + " | ".join(table.columns) + " |\n|" + " --- |" * len(table.columns)
        st.markdown(head + "\n" + "\n".join("| " + " | ".join(row) + " |" for row in table.itertuples(index=False)))
    elif which == "headings":
        for i in range(5):
            st.header(f"Section {i}")
            st.subheader(f"Part {i}")
    elif which == "widgets":
        st.selectbox("Period", ["12", "6", "3"], key="w1")
        st.selectbox("Compare with", ["the year before", "the months before"], key="w2")
        st.radio("Measure", ["Visits", "Downloads"], horizontal=True, key="w3")
        st.multiselect("Departments", ["A", "B", "C"], default=["A"], key="w4")
        st.select_slider("Months", options=list(range(1, 25)), value=(1, 24), key="w5")
        st.button("Reset", key="w6")
    elif which == "columns":
        for row in range(3):
            for i, col in enumerate(st.columns(4)):
                col.caption(f"Column {row}-{i}")
    elif which == "lazy":
        for k in range(6):
            st.expander(f"Data table {k}", key=f"box{k}", on_change="rerun")
            st.popover(f"Download {k}", key=f"dl{k}", on_change="rerun")


pages = [st.Page(bare, title="Home", url_path="home", default=True), st.Page(bare, title="Bare", url_path="bare")]
st.navigation(pages).run()
