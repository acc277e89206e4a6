"""The one-page PDF profile of a jurisdiction (English or French), from the page's own figures.

`python -m opengov profile --jur CODE --lang fr|en --out FILE.pdf`, or the page's download button."""

from __future__ import annotations

import datetime as dt
import io

from opengov.charts.export import altair_bytes
from opengov.features.profiles import figures as pf
from opengov.features.profiles import queries as q
from opengov.i18n import fmt_date, fmt_int, t
from opengov.pdf import MUTED, Pdf, heading, para


def build_profile(code: str, lang: str, url: str | None = None, today: dt.date | None = None) -> bytes:
    """The profile of `code` as a one-page Letter PDF (bytes). Raises KeyError for an unknown code."""
    today = today or dt.date.today()
    p = q.profile(code, url, today)
    name = pf.name_of(p, lang)
    pdf = Pdf(lang, "profile.pdf.footer")
    pdf.set_title(t("profile.pdf.title", lang, name=name))
    pdf.set_author("OpenGov Impact")
    pdf.add_page()
    heading(pdf, t("profile.pdf.title", lang, name=name), 15)
    para(pdf, t("profile.pdf.subtitle", lang, date=fmt_date(today, lang)), 9, MUTED)

    odp = p.portals[p.portals["catalog_type"].fillna("Open data portal") == "Open data portal"]
    listed = odp[odp["listing"].fillna("") != "2020"]
    heading(pdf, t("profile.section.portals", lang, name=name), 11)
    names = ", ".join(pf.portal_label(p, i, lang) for i in listed["id"].head(6)) or "–"
    para(pdf, t("profile.pdf.portals", lang, n=fmt_int(len(listed), lang), names=names))
    if p.federated is not None:
        para(
            pdf,
            t("profile.pdf.federated", lang, n=fmt_int(p.federated, lang), date=fmt_date(p.federated_as_of, lang)),
        )
    if not p.own_catalogue.empty:
        para(
            pdf,
            t(
                "profile.own_catalogue",
                lang,
                total=fmt_int(p.own_catalogue["records_count"].sum(), lang),
                data=fmt_int(p.own_catalogue.loc[p.own_catalogue["type"] == "data", "records_count"].sum(), lang),
                date=fmt_date(p.own_catalogue["as_of"].max(), lang),
                federated=fmt_int(p.federated, lang) if p.federated is not None else "–",
            ).replace("**", ""),
        )
    para(pdf, pf.comparison_text(p, q.comparable_rates(url), lang).replace("**", ""))

    heading(pdf, t("profile.section.usage", lang), 11)
    usage_done = False
    for pid in p.own_usage:
        fig = pf.own_usage_figure(p, pid, lang)
        if fig is not None:
            png = altair_bytes(fig.chart.properties(width=480, height=150), "png")
            pdf.image(io.BytesIO(png), w=150)
            para(pdf, fig.definition or "", 8, MUTED)
            usage_done = True
    if not usage_done:
        para(pdf, t("profile.usage.none", lang), 9, MUTED)

    heading(pdf, t("profile.section.plans", lang), 11)
    if p.plans:
        for _, row in pf.plans_table(p, lang).iterrows():
            para(pdf, " · ".join(f"{k} : {v}" if lang == "fr" else f"{k}: {v}" for k, v in row.items()), 8.5)
    else:
        para(pdf, t("profile.plans.none", lang), 9, MUTED)

    heading(pdf, t("profile.section.wg", lang), 11)
    wg = pf.wg_table(p, lang)
    if wg.empty:
        para(pdf, t("profile.wg.none", lang), 9, MUTED)
    for _, row in wg.iterrows():
        para(pdf, t("profile.pdf.wg_year", lang, year=row.iloc[0], presented=row.iloc[1], agenda=row.iloc[2]), 8.5)

    heading(pdf, t("profile.section.facts", lang), 11)
    facts = pf.facts_table(p, lang)
    if facts.empty:
        para(pdf, t("profile.facts.none", lang), 9, MUTED)
    for _, row in facts.head(4).iterrows():
        para(pdf, f"• {row.iloc[0]} ({row.iloc[1]})", 8.5)

    para(pdf, t("profile.pdf.sources", lang), 7.5, MUTED)
    return bytes(pdf.output())
