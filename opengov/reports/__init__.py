"""Generated documents (pure: data frames in, bytes out; no Streamlit)."""
