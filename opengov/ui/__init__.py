"""Streamlit rendering shared by the pages: frame, language, blocks, sign-in, refresh panel."""
