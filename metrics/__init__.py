"""Pure pandas computations behind every page: typed, never mutate inputs, no Streamlit.

Columns carry their unit in their name (`downloads_count`, `change_pct`, `age_days`).
"""
