"""Baseline for the page-ready benchmark: a bare Streamlit page with one 100-point Altair line."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Bare baseline")
data = pd.DataFrame({"x": range(100), "y": [(i * 37) % 101 for i in range(100)]})
st.altair_chart(alt.Chart(data).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
