"""The one-click executive brief (PDF, English or French, two Letter pages): a headline paragraph written
from the figures (what rose, what fell, plan progress), the Overview's KPIs and its two charts, the active
filters, the definitions and series breaks of what it shows, and only the sources it used. No browser needed.

Performance: the frames, plan standings and chart images of one store state are kept in this process
(keyed by the store URL and its data version), so a second brief in the same process only lays out text.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from typing import Any

import pandas as pd

from metrics.overview import OverviewKpis
from opengov.features.overview.queries import (
    kpis_of,
    national_progress,
    overview_frames,
    plan_source_ids,
    plan_standings,
)
from opengov.i18n import fmt_date, fmt_fiscal_year, fmt_int, fmt_month, fmt_pct, fmt_signed_int, pick_bilingual, t, tn

#: The statuses that count as "done" in the headline (reported complete or with substantial progress).
DONE = ("complete", "substantial")
#: What the brief defines and which series breaks touch its figures (downloads by level of government
#: include user records; the fiscal 2025-26 visits changed tool; usage is comparable since GA4).
DEFINITIONS = ("downloads", "visits", "datasets", "jurisdiction_field", "fiscal_year")
BREAKS = ("ga4_2023", "fy2025_visits", "user_jurisdiction")
#: The charts' heights in the brief (px at the export width).
CHART_HEIGHT = {"downloads": 90, "catalogue": 56}


# Kept per store state in this process: the key holds the store's data version, so a write is seen at the
# next build and an old state's entries simply age out of the bound (no list of caches to clear).
@functools.lru_cache(maxsize=4)
def _frames(url: str | None, version: int) -> dict[str, Any]:
    return overview_frames(url)


@functools.lru_cache(maxsize=8)
def _standings(url: str | None, version: int, today: dt.date) -> Any:
    return plan_standings(today, url)


@functools.lru_cache(maxsize=8)
def _chart(url: str | None, version: int, name: str, frame_key: str, lang: str) -> tuple[bytes, str]:
    return _chart_png(name, _frames(url, version)[frame_key], lang)


def _period(p: str, lang: str) -> str:
    if len(p) == 7 and p[4] == "-" and p[:4].isdigit():
        return fmt_month(p + "-01", lang)
    if len(p) == 10 and p[4] == "-" and p[:4].isdigit():
        return fmt_date(p, lang)
    return p or "–"


def _sign(v: float | None) -> str:
    return "flat" if not v else "up" if v > 0 else "down"


def headline(k: OverviewKpis, standings: list, basis: str, lang: str) -> str:
    """One paragraph written from the figures: what rose first, then what fell, then plan progress."""
    rose: list[str] = []
    fell: list[str] = []
    flat: list[str] = []
    buckets = {"up": rose, "down": fell, "flat": flat}
    w = k.downloads_window
    if w is not None:
        vs = t(f"brief.hl.vs.{w.basis}", lang, n=w.months)
        way = _sign(w.change_abs)
        buckets[way].append(
            t(
                f"brief.hl.downloads.{way}",
                lang,
                pct=fmt_pct(abs(w.change_pct) if w.change_pct is not None else None, lang),
                abs=fmt_signed_int(w.change_abs, lang),
                start=fmt_month(w.current_start, lang),
                end=fmt_month(w.current_end, lang),
                vs=vs,
            )
        )
    c = k.catalogue
    if c and c.get("change_abs") is not None:
        way = _sign(float(c["change_abs"]))
        buckets[way].append(
            t(
                f"brief.hl.catalogue.{way}",
                lang,
                abs=fmt_int(abs(float(c["change_abs"])), lang),
                date=fmt_date(c["previous_date"], lang),
                value=fmt_int(c["value"], lang),
            )
        )
    f = k.fy_downloads
    if f and f.previous_start_year is not None and f.change_pct is not None:
        way = _sign(f.change_pct)
        buckets[way].append(
            t(
                f"brief.hl.fy.{way}",
                lang,
                pct=fmt_pct(abs(f.change_pct), lang),
                fy=fmt_fiscal_year(f.start_year, lang),
                prev=fmt_fiscal_year(f.previous_start_year, lang),
            )
        )
    parts = rose + fell + flat
    nat = national_progress(standings)
    if nat is not None:
        parts.append(
            t(
                "brief.hl.plan",
                lang,
                plan=getattr(nat, f"title_{lang}"),
                reported=fmt_int(nat.coverage.reported, lang),
                total=fmt_int(nat.coverage.total, lang),
                units=tn(f"plans.unit.{nat.unit}", nat.coverage.total, lang),
                done=fmt_int(sum(nat.counts.get(s, 0) for s in DONE), lang),
                period=_period(nat.coverage.latest_period, lang),
            )
        )
    if standings:
        parts.append(
            t(
                "brief.hl.overdue",
                lang,
                n=fmt_int(sum(s.overdue for s in standings), lang),
                plans=fmt_int(sum(1 for s in standings if s.overdue), lang),
                all=fmt_int(len(standings), lang),
            )
        )
    return " ".join(parts)


def _rows(k: OverviewKpis, standings: list, src: pd.DataFrame, lang: str, today: dt.date) -> list[tuple[str, ...]]:
    from opengov.features.overview.figures import window_delta, window_period

    def asof(source_key: str, date: object) -> str:
        return t("brief.src_asof", lang, source=t(source_key, lang), date=fmt_date(date, lang))

    rows: list[tuple[str, ...]] = []
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
                asof("source.open_canada_catalogue", c["date"]),
            )
        )
    split = ", ".join(
        f"{t(f'jurisdiction.{jur}', lang)} {fmt_int(k.split_counts.get(jur, 0), lang)} "
        f"({fmt_pct(k.split_counts.get(jur, 0) / k.split_total * 100 if k.split_total else None, lang)})"
        for jur in ("federal", "provincial", "municipal")
    )
    rows.append((t("brief.split", lang), fmt_int(k.split_total, lang), split, ""))
    w = k.downloads_window
    if w:
        rows.append(
            (
                f"{t('kpi.downloads_window', lang, n=w.months)} ({window_period(w, lang)})",
                fmt_int(w.current_value, lang),
                window_delta(w, lang),
                asof("source.ogp_jurisdiction_reports", src.loc["ogp_downloads_by_jurisdiction", "as_of"]),
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
                asof("source.corporate_report", f.period_end),
            )
        )
    f = k.fy_visits
    if f:
        rows.append(
            (
                t("kpi.fy_visits", lang, fy=fmt_fiscal_year(f.start_year, lang)),
                fmt_int(f.value, lang),
                t("kpi.not_comparable", lang),
                asof("source.corporate_report", f.period_end),
            )
        )
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
            asof("source.catalog_list", src.loc["portals", "as_of"]),
        )
    )
    return rows


def _chart_png(name: str, frame: pd.DataFrame, lang: str) -> tuple[bytes, str]:
    """One of the Overview's charts as a PNG sized for the brief, with its alt text."""
    from opengov.charts.base import title_lines
    from opengov.charts.export import altair_bytes
    from opengov.features.overview.figures import catalogue_size, downloads_by_jurisdiction

    fig = (downloads_by_jurisdiction if name == "downloads" else catalogue_size)(frame, lang)
    chart = fig.chart.properties(width=640, height=CHART_HEIGHT[name])
    if isinstance(fig.chart.title, str):  # a long title wraps instead of running off the image
        chart = chart.properties(title=title_lines(fig.chart.title, 80))
    return altair_bytes(chart, "png"), fig.alt_text


def _sources_used(fr: dict[str, Any], standings: list, url: str | None) -> list[str]:
    """The ids of the sources behind the brief's figures, in the order they appear."""
    from opengov.charts.figure import ids, source_ids_of

    frames = ("daily_snapshots", "downloads_by_jurisdiction", "fy_downloads", "fy_visits", "portals")
    used = ids(
        source_ids_of(*(fr[f] for f in frames)),
        "ogp_packages_daily",  # the split by level of government is read from the same daily snapshots
        plan_source_ids(url) if standings else (),
    )
    return [s for s in used if s in fr["sources"].index]


def build_brief(
    lang: str,
    url: str | None = None,
    window_months: int = 12,
    today: dt.date | None = None,
    basis: str = "year_before",
) -> bytes:
    """Return the brief as PDF bytes (two Letter pages)."""
    from opengov.pdf import INK, MUTED, Pdf, heading, para
    from opengov.store.db import read_data_version

    today = today or dt.date.today()
    version = read_data_version(url)
    fr = _frames(url, version)
    standings = _standings(url, version, today)
    k = kpis_of(fr, window_months, basis)
    src = fr["sources"]
    pdf = Pdf(lang)
    pdf.set_title(t("brief.title", lang))
    pdf.set_author("OpenGov Impact")
    pdf.add_page()
    heading(pdf, t("brief.title", lang), 16)
    para(pdf, t("brief.subtitle", lang, date=fmt_date(today, lang)), 9, MUTED)
    para(
        pdf,
        t(
            "brief.filters",
            lang,
            window=t("overview.window_months", lang, n=window_months),
            compare=t(f"overview.compare.{basis}", lang),
        ),
        9,
        MUTED,
    )
    pdf.ln(1)
    para(pdf, headline(k, standings, basis, lang), 10.5)

    # ------------------------------------------------------------------ KPIs
    heading(pdf, t("brief.kpis", lang), 12)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(*INK)
    with pdf.table(col_widths=(34, 16, 34, 28), text_align=("LEFT", "RIGHT", "LEFT", "LEFT"), line_height=3.9) as table:
        head = table.row()
        for h in ("brief.col.indicator", "brief.col.value", "brief.col.change", "brief.col.source"):
            head.cell(t(h, lang))
        for r in _rows(k, standings, src, lang, today):
            row = table.row()
            for cell in r:
                row.cell(cell)

    # ------------------------------------------------------- definitions and breaks (they fill the first page)
    heading(pdf, t("sources.section.definitions", lang), 11)
    for key in DEFINITIONS:
        para(pdf, f"{t(f'def.{key}.term', lang)} — {t(f'def.{key}', lang)}", 7.2)
    heading(pdf, t("sources.section.breaks", lang), 11)
    for key in BREAKS:
        para(pdf, f"{t(f'break.{key}.title', lang)} — {t(f'break.{key}', lang)}", 7.2)
    # ------------------------------------------------------------------ charts
    for name, frame_key in (("downloads", "downloads_by_jurisdiction"), ("catalogue", "daily_snapshots")):
        frame = fr[frame_key]
        if isinstance(frame, pd.DataFrame) and not frame.empty:
            png, alt_text = _chart(url, version, name, frame_key, lang)
            pdf.ln(2)
            pdf.image(io.BytesIO(png), x=pdf.l_margin + pdf.epw * 0.06, w=pdf.epw * 0.88, alt_text=alt_text)
            para(pdf, alt_text, 7, MUTED)

    # ------------------------------------------------------------------ only the sources used
    heading(pdf, t("brief.sources", lang), 11)
    for sid in _sources_used(fr, standings, url):
        s = src.loc[sid]
        para(
            pdf,
            f"{s[f'title_{lang}']} — {pick_bilingual(s['publisher'], lang)} — {pick_bilingual(s['licence'], lang)} — "
            f"{t('sources.col.as_of', lang)} {fmt_date(s['as_of'], lang)}",
            6.8,
        )
    para(pdf, t("attribution.ogl", lang), 6.8, MUTED)
    return bytes(pdf.output())
