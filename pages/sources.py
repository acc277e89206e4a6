"""Data & sources: where every number comes from, how fresh it is, what each metric means."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.staleness import staleness
from opengov import cache, config
from opengov.features.sources import data as sd
from opengov.i18n import fmt_date, fmt_int, localized_url, pick_bilingual, t
from opengov.ui.blocks import grid, url_choice
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
db = cache.url()

st.title(t("page.sources.title", lang))
st.markdown(t("page.sources.intro", lang))

kind = url_choice(
    t("sources.kind", lang),
    ("all", "shipped_file", "seed", "live"),
    key="sources_kind",
    param="kind",
    default="all",
    format_func=lambda k: t(f"sources.kind.{k}", lang),
)

src = sd.sources(url=db)
if kind != "all":
    src = src[src["kind"] == kind]
now = pd.Timestamp.now(tz="UTC").tz_localize(None)
BADGE_ICON = {"current": "🟢", "stale": "🟠", "outdated": "🔴", "static": "⚪", "unknown": "⚪"}

rows = []
for _, r in src.iterrows():
    ref = r["last_refresh_at"] if pd.notna(r["last_refresh_at"]) else None
    as_of = pd.Timestamp(r["as_of"]) if pd.notna(r["as_of"]) else None
    badge, age = staleness(as_of, r["cadence"], now)
    rows.append(  # what a reader checks first (source, freshness, date) on the left, in view at any width
        {
            t("sources.col.source", lang): r[f"title_{lang}"],
            t("sources.col.status", lang): f"{BADGE_ICON[badge]} {t(f'staleness.{badge}', lang)}"
            + (f" ({t('staleness.age_days', lang, n=fmt_int(age, lang))})" if age is not None else ""),
            t("sources.col.as_of", lang): fmt_date(as_of, lang) if as_of is not None else "–",
            t("sources.col.cadence", lang): t(f"cadence.{r['cadence']}", lang),
            t("sources.col.last_refresh", lang): fmt_date(ref, lang)
            if ref is not None
            else t("sources.never_refreshed", lang),
            t("sources.col.publisher", lang): pick_bilingual(r["publisher"], lang),
            t("sources.col.licence", lang): pick_bilingual(r["licence"], lang),
            t("sources.col.rows", lang): fmt_int(r["rows_loaded"], lang),
            t("sources.col.file", lang): r["file_name"],
            # the source's page in the UI language where it has one
            t("sources.col.url", lang): localized_url(pick_bilingual(r["url"], lang), lang),
        }
    )
table = pd.DataFrame(rows)
st.subheader(t("sources.section.list", lang, n=len(table)))
st.caption(t("sources.staleness_note", lang))
if table.empty:
    st.info(t("sources.none_of_kind", lang))
else:
    grid(table, hide_index=True, width="stretch", key="sources_table")

# Live portals: per-portal refresh status, and the Refresh button for editors (opengov/ui/refresh.py).
from opengov.ui.refresh import portal_status_table, refresh_panel, signed_in_actor  # noqa: E402

st.subheader(t("refresh.section", lang))
st.caption(t("refresh.intro", lang))
portal_status_table(lang, db)
refresh_panel(lang, signed_in_actor(), db)

# each section is one Markdown element (every element costs the browser a few ms to draw)
st.subheader(t("sources.section.definitions", lang))
DEFINITIONS = (
    "visits",
    "dataset_page_visits",
    "downloads",
    "download_events",
    "open_maps_views",
    "datasets",
    "jurisdiction_field",
    "fiscal_year",
)
st.markdown("\n\n".join(f"**{t(f'def.{key}.term', lang)}** — {t(f'def.{key}', lang)}" for key in DEFINITIONS))

st.subheader(t("sources.section.breaks", lang))
BREAKS = (
    "consolidation_2017",
    "ga4_2023",
    "fy2025_visits",
    "openmaps_gaps",
    "user_jurisdiction",
    "daily_gaps",
    "counts_methods",
)
st.markdown("\n".join(f"- **{t(f'break.{key}.title', lang)}** — {t(f'break.{key}', lang)}" for key in BREAKS))

st.subheader(t("sources.section.attribution", lang))
st.markdown("\n\n".join(t(f"attribution.{key}", lang) for key in ("statcan", "ogl", "cdi", "statcan_census", "yukon")))

# The provenance file (about 50 kB) is sent when the expander is opened (it reruns), not with every load.
prov_box = st.expander(t("sources.provenance_file", lang), key="sources_provenance_box", on_change="rerun")
if prov_box.open:
    prov = config.data_dir() / "PROVENANCE.md"
    prov_box.code(
        prov.read_text(encoding="utf-8") if prov.is_file() else t("sources.provenance_missing", lang),
        language="markdown",
        wrap_lines=True,
    )
