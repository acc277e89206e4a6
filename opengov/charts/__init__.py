"""Chart plumbing shared by the features: base style, static export, frozen Plotly figures."""
