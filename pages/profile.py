"""One government on one screen: a jurisdiction's portals, counts, usage, action plans, part in the
working group and cited facts, each figure from the page it belongs to and named with its source."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from opengov import cache
from opengov.charts.plain import escape_markdown
from opengov.features.profiles import data as prd
from opengov.i18n import fmt_date, fmt_int, t
from opengov.ui.blocks import kpi, plain_table, show, source_chip, source_line, url_choice
from opengov.ui.frame import ensure_frame
from opengov.ui.lang import current_lang

ensure_frame()
lang = current_lang()
db = cache.url()

juris = prd.jurisdictions(url=db)
by_code = {j.code: j for j in juris}


def _label(code: str) -> str:
    j = by_code[code]
    if j.kind in ("provincial", "territorial"):
        return t(f"pt.{code}", lang)
    name = j.name_fr if lang == "fr" else j.name_en
    return name if j.kind == "country" else f"{name} · {t(f'jur.level.{j.kind}', lang)}"


st.title(t("page.profile.title", lang))
st.markdown(t("profile.intro", lang))
# a link may name a province or territory in lower case (?jur=yt): the same profile
wanted = str(st.query_params.get("jur", ""))
if wanted not in by_code and wanted.upper() in by_code:
    st.query_params["jur"] = wanted.upper()
code = url_choice(
    t("profile.filter.jurisdiction", lang),
    [j.code for j in juris],
    key="profile_jur",
    param="jur",
    default="CA",
    format_func=_label,
)
v = prd.view(code, dt.date.today(), lang, url=db)
p = v.data
sources = v.sources
name = v.name
filters = {"jurisdiction": name}

# ---------------------------------------------------------------- portals and counts
st.header(t("profile.section.portals", lang, name=name))
odp = p.portals[p.portals["catalog_type"].fillna("Open data portal") == "Open data portal"]
listed = odp[odp["listing"].fillna("") != "2020"]
c1, c2, c3 = st.columns(3)
with c1:
    kpi(t("profile.kpi.portals", lang), fmt_int(len(listed), lang), help=t("profile.kpi.portals.help", lang))
with c2:
    kpi(
        t("profile.kpi.other_catalogues", lang),
        fmt_int(len(p.portals) - len(odp), lang),
        help=t("profile.kpi.other_catalogues.help", lang),
    )
with c3:
    if p.federated is not None:
        kpi(
            t("profile.kpi.federated", lang),
            fmt_int(p.federated, lang),
            help=t("profile.kpi.federated.help", lang, date=fmt_date(p.federated_as_of, lang)),
        )
    else:
        kpi(t("profile.kpi.federated", lang), "–", help=t("profile.federated.none", lang))
if p.portals.empty:
    st.info(t("profile.portals.none", lang))
else:
    plain_table(
        v.portals_table,
        links=[t("profile.col.link", lang)],
        key="profile_portals_table",
    )
    st.caption(
        source_line(lang, t("source.catalog_list", lang), sources.loc["portals", "as_of"])
        + "  \n"
        + t("jur.registry.attribution", lang)
    )
if not p.own_catalogue.empty:
    total = p.own_catalogue["records_count"].sum()
    data_n = p.own_catalogue.loc[p.own_catalogue["type"] == "data", "records_count"].sum()
    st.markdown(
        t(
            "profile.own_catalogue",
            lang,
            total=fmt_int(total, lang),
            data=fmt_int(data_n, lang),
            date=fmt_date(p.own_catalogue["as_of"].max(), lang),
            federated=fmt_int(p.federated, lang) if p.federated is not None else "–",
        )
    )
history = v.history
if history is None:
    st.caption(t("profile.history.none", lang))
else:
    show(history, lang=lang, key="profile_history", sources=sources, filters=filters)

# ---------------------------------------------------------------- comparison
st.subheader(t("profile.section.compare", lang))
st.markdown(v.comparison)
st.markdown(v.growth)

# ---------------------------------------------------------------- usage
st.header(t("profile.section.usage", lang))
for pid, fig in v.usage:
    show(fig, lang=lang, key=f"profile_usage_{pid}", sources=sources, filters=filters)
if not v.usage:
    st.caption(t("profile.usage.none", lang))
if p.jurisdiction.kind != "country":
    st.caption(t("profile.usage.federal_files", lang))

# ---------------------------------------------------------------- action plans
st.header(t("profile.section.plans", lang))
if p.plans:
    plain_table(v.plans_table, key="profile_plans_table")
    st.caption(t("profile.plans.note", lang))
    st.page_link(
        "pages/plans.py", label=t("profile.plans.link", lang), query_params={"lang": lang, "plan": p.plans[0].plan_id}
    )
else:
    st.caption(t("profile.plans.none", lang))

# ---------------------------------------------------------------- working group
st.header(t("profile.section.wg", lang))
wg = v.wg_table
if wg.empty:
    st.caption(t("profile.wg.none", lang))
else:
    topics = t("profile.col.topics", lang)
    plain_table(wg.drop(columns=[topics]), key="profile_wg_table")
    # the topics whole, as a list (a table cell would cut them short)
    st.markdown(
        "\n".join(
            f"- **{year}** — {escape_markdown(topic)}"
            for year, cell in zip(wg.iloc[:, 0], wg[topics], strict=True)
            for topic in str(cell).split("; ")
            if topic
        )
    )
    source_chip(lang, t("profile.wg.source", lang), None)

# ---------------------------------------------------------------- cited facts
st.header(t("profile.section.facts", lang))
facts = v.facts_table
if facts.empty:
    st.caption(t("profile.facts.none", lang))
else:
    # each fact whole, with its document and date (a table cell would cut a sentence short)
    st.markdown(
        "\n".join(
            f"- {escape_markdown(fact)} — *{escape_markdown(doc)}*, {escape_markdown(date)}"
            for fact, doc, date in facts.itertuples(index=False)
        )
    )

# ---------------------------------------------------------------- one-page PDF


def _pdf() -> bytes:
    from opengov.features.profiles.pdf import build_profile  # on click: the page does not load fpdf

    return build_profile(code, lang, db or None)


st.download_button(
    t("profile.pdf", lang),
    data=_pdf,
    file_name=t("profile.pdf.file", lang, code=code.lower()),
    mime="application/pdf",
    on_click="ignore",
    key="profile_pdf",
)
