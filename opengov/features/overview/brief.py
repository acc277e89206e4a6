"""The one-click executive brief (PDF, English or French): Overview KPIs, key charts, filters,
as-of stamps, metric definitions, series-break notes and sources. No browser needed."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from metrics.overview import overview_kpis
from opengov.charts.export import altair_bytes
from opengov.features.overview.figures import catalogue_size, downloads_by_jurisdiction
from opengov.features.overview.queries import national_progress, overview_frames, plan_standings
from opengov.i18n import fmt_date, fmt_fiscal_year, fmt_int, fmt_month, fmt_pct, fmt_signed_int, t, tn
from opengov.pdf import INK, MUTED, Pdf, heading, para

_Pdf, _h, _p = Pdf, heading, para


def _period(p: str, lang: str) -> str:
    if len(p) == 7 and p[4] == "-" and p[:4].isdigit():
        return fmt_month(p + "-01", lang)
    if len(p) == 10 and p[4] == "-" and p[:4].isdigit():
        return fmt_date(p, lang)
    return p or "–"


def build_brief(
    lang: str,
    url: str | None = None,
    window_months: int = 12,
    today: dt.date | None = None,
    basis: str = "year_before",
) -> bytes:
    """Return the brief as PDF bytes."""
    today = today or dt.date.today()
    fr = overview_frames(url)
    k = overview_kpis(
        fr["daily_snapshots"],
        fr["jurisdiction_facets"],
        fr["downloads_by_jurisdiction"],
        fr["fy_downloads"],
        fr["fy_visits"],
        fr["portals"],
        window_months=window_months,
        basis=basis,
    )
    src = fr["sources"]
    pdf = _Pdf(lang)
    pdf.set_title(t("brief.title", lang))
    pdf.set_author("OpenGov Impact")
    pdf.add_page()
    _h(pdf, t("brief.title", lang), 18)
    _p(pdf, t("brief.subtitle", lang, date=fmt_date(today, lang)), 10, MUTED)
    _p(pdf, t("brief.filters", lang, window=t("overview.window_months", lang, n=window_months)), 9, MUTED)

    # ------------------------------------------------------------------ KPIs
    _h(pdf, t("brief.kpis", lang))
    rows: list[tuple[str, str, str, str]] = []
    if k.catalogue:
        c = k.catalogue
        rows.append(
            (
                t("kpi.datasets_now", lang),
                fmt_int(c["value"], lang),
                t(
                    "kpi.delta_since",
                    lang,
                    delta=fmt_signed_int(c["change_abs"], lang),
                    date=fmt_date(c["previous_date"], lang),
                )
                if c["change_abs"] is not None
                else "",
                t(
                    "brief.src_asof",
                    lang,
                    source=t("source.open_canada_catalogue", lang),
                    date=fmt_date(c["date"], lang),
                ),
            )
        )
    for jur in ("federal", "provincial", "municipal"):
        n = k.split_counts.get(jur, 0)
        rows.append(
            (
                t(f"kpi.datasets_{jur}", lang),
                fmt_int(n, lang),
                t("kpi.share_of_total", lang, pct=fmt_pct(n / k.split_total * 100 if k.split_total else None, lang)),
                "",
            )
        )
    w = k.downloads_window
    if w:
        rows.append(
            (
                t("kpi.downloads_window", lang, n=window_months),
                fmt_int(w.current_value, lang),
                f"{fmt_pct(w.change_pct, lang, signed=True)} ({fmt_signed_int(w.change_abs, lang)}) — "
                + t(
                    "kpi.window_caption",
                    lang,
                    cur_start=fmt_month(w.current_start, lang),
                    cur_end=fmt_month(w.current_end, lang),
                    prev_start=fmt_month(w.previous_start, lang),
                    prev_end=fmt_month(w.previous_end, lang),
                ),
                t(
                    "brief.src_asof",
                    lang,
                    source=t("source.ogp_jurisdiction_reports", lang),
                    date=fmt_date(src.loc["ogp_downloads_by_jurisdiction", "as_of"], lang),
                ),
            )
        )
    f = k.fy_downloads
    if f and f.previous_start_year is not None:
        rows.append(
            (
                t("kpi.fy_downloads", lang, fy=fmt_fiscal_year(f.start_year, lang)),
                fmt_int(f.value, lang),
                t(
                    "kpi.vs_fy",
                    lang,
                    pct=fmt_pct(f.change_pct, lang, signed=True),
                    fy=fmt_fiscal_year(f.previous_start_year, lang),
                ),
                t("brief.src_asof", lang, source=t("source.corporate_report", lang), date=fmt_date(f.period_end, lang)),
            )
        )
    f = k.fy_visits
    if f:
        rows.append(
            (
                t("kpi.fy_visits", lang, fy=fmt_fiscal_year(f.start_year, lang)),
                fmt_int(f.value, lang),
                t("kpi.not_comparable", lang),
                t("brief.src_asof", lang, source=t("source.corporate_report", lang), date=fmt_date(f.period_end, lang)),
            )
        )
    standings = plan_standings(today, url)
    nat = national_progress(standings)
    if nat is not None:
        shown = ", ".join(
            f"{t(f'status.{st}', lang)} {fmt_int(nat.counts[st], lang)}"
            for st in ("complete", "substantial", "on_track", "in_progress", "limited", "delayed", "not_started")
            if nat.counts.get(st)
        )
        rows.append(
            (
                getattr(nat, f"title_{lang}"),
                t(
                    "overview.plans.reported_of" if nat.coverage.known_total else "overview.plans.reported_of.unknown",
                    lang,
                    reported=fmt_int(nat.coverage.reported, lang),
                    total=fmt_int(nat.coverage.total, lang),
                    units=tn(f"plans.unit.{nat.unit}", nat.coverage.total, lang),
                ),
                shown,
                t(
                    "brief.src_period",
                    lang,
                    source=t("overview.plans.tracker_source", lang),
                    period=_period(nat.coverage.latest_period, lang),
                ),
            )
        )
    rows.append(
        (
            t("overview.plans.overdue", lang, date=fmt_date(today, lang)),
            fmt_int(sum(s.overdue for s in standings), lang),
            t(
                "brief.plans_overdue_detail",
                lang,
                plans=fmt_int(sum(1 for s in standings if s.overdue), lang),
                all=fmt_int(len(standings), lang),
            ),
            t("overview.plans.sources", lang),
        )
    )
    cov = k.coverage
    rows.append(
        (
            t("kpi.pt_with_portal", lang),
            t("kpi.x_of_y", lang, x=cov["pt_with_portal_count"], y=cov["pt_total_count"]),
            t("brief.municipal", lang, n=fmt_int(cov["municipal_portal_count"], lang)),
            t(
                "brief.src_asof",
                lang,
                source=t("source.catalog_list", lang),
                date=fmt_date(src.loc["portals", "as_of"], lang),
            ),
        )
    )
    pdf.set_font("DejaVu", "", 8.5)
    pdf.set_text_color(*INK)
    with pdf.table(col_widths=(34, 16, 30, 30), text_align=("LEFT", "RIGHT", "LEFT", "LEFT"), line_height=4.6) as table:
        head = table.row()
        for h in ("brief.col.indicator", "brief.col.value", "brief.col.change", "brief.col.source"):
            head.cell(t(h, lang))
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)

    # ------------------------------------------------------------------ charts
    for builder, frame in (
        (downloads_by_jurisdiction, fr["downloads_by_jurisdiction"]),
        (catalogue_size, fr["daily_snapshots"]),
    ):
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            fig = builder(frame, lang)
            chart, alt_text = fig.chart, fig.alt_text
            png = altair_bytes(chart, "png")
            pdf.ln(3)
            pdf.image(io.BytesIO(png), w=pdf.epw, alt_text=alt_text)
            _p(pdf, alt_text, 8, MUTED)

    # ------------------------------------------------------------------ definitions, breaks, facts, sources
    _h(pdf, t("sources.section.definitions", lang))
    for key in ("visits", "dataset_page_visits", "downloads", "datasets", "jurisdiction_field", "fiscal_year"):
        _p(pdf, f"{t(f'def.{key}.term', lang)} — {t(f'def.{key}', lang)}", 8.5)
    _h(pdf, t("sources.section.breaks", lang))
    for key in ("consolidation_2017", "ga4_2023", "fy2025_visits", "user_jurisdiction", "counts_methods"):
        _p(pdf, f"{t(f'break.{key}.title', lang)} — {t(f'break.{key}', lang)}", 8.5)
    _h(pdf, t("overview.section.facts", lang))
    _p(pdf, t("overview.facts_note", lang), 8.5, MUTED)
    facts = fr["facts"].sort_values(["document_date", "id"]).drop_duplicates(subset=[f"statement_{lang}"])
    for _, fact in facts.iterrows():
        year = str(pd.Timestamp(fact["document_date"]).year) if pd.notna(fact["document_date"]) else "–"
        _p(
            pdf,
            f"« {fact[f'statement_{lang}']} » — {fact[f'document_{lang}']}, {year}"
            if lang == "fr"
            else f"“{fact[f'statement_{lang}']}” — {fact[f'document_{lang}']}, {year}",
            8.5,
        )
    _h(pdf, t("brief.sources", lang))
    for _, s in src.sort_values("title_en").iterrows():
        _p(
            pdf,
            f"{s[f'title_{lang}']} — {s['publisher']} — {s['licence']} — "
            f"{t('sources.col.as_of', lang)} {fmt_date(s['as_of'], lang)}",
            8,
        )
    _p(pdf, t("attribution.ogl", lang), 8, MUTED)
    return bytes(pdf.output())
