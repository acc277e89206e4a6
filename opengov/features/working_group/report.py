"""The working group's yearly progress report, in French or English, as HTML or PDF.

Pure: `build_report(data, year, lang, fmt)` takes the working group's frames and returns bytes. The
structure follows the COGWG 2021–2022 progress report (seed 001): context, current situation (the
year's priorities, meetings and activities, action-plan progress), priorities for the future, then
annex A (meetings with their activities), annex B (agenda topics with their status) and annex C
(proposed projects), and the sources with their as-of dates.

The content is assembled once as a list of blocks, then rendered: HTML (standalone, `lang`, headings,
tables with `<th scope>`, charts as inline SVG with `<title>`/`<desc>`; every text escaped) or PDF
(fpdf2 with a Unicode TTF font, charts as PNG through vl-convert, title/language metadata, outline).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from metrics import working_group as wg
from opengov.features.working_group import charts as charts_wg
from opengov.i18n import fmt_date, fmt_int, fmt_month, locale, pick_bilingual, t
from opengov.ingest.status import CANONICAL

FORMATS: tuple[str, ...] = ("html", "pdf")
HTML_LANG = {"en": "en-CA", "fr": "fr-CA"}
CHART_WIDTH_PX = 620


class ReportError(RuntimeError):
    """The report cannot be produced (e.g. no Unicode font available for the PDF)."""


@dataclass(frozen=True)
class WgData:
    """Everything the review and the report read (frames as returned by opengov.features.working_group.queries)."""

    meetings: pd.DataFrame
    activities: pd.DataFrame
    agenda: pd.DataFrame
    priorities: pd.DataFrame
    projects: pd.DataFrame
    milestones: pd.DataFrame = field(default_factory=pd.DataFrame)
    plans: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    as_of: pd.Timestamp | None = None


# --------------------------------------------------------------------------- labels shared with the page
def jurisdiction_label(code: str | None, lang: str) -> str:
    """'ON' -> 'Ontario'; 'federal' -> 'Federal'/'Fédéral'; '' -> 'Not named'/'Non précisé'."""
    code = (code or "").strip()
    if not code:
        return t("wg.jur.unknown", lang)
    if code in ("federal", "municipal", "international"):
        return t(f"wg.jur.{code}", lang)
    if code in wg.PT_CODES:
        return t(f"pt.{code}", lang)
    return code


def jurisdiction_labels(lang: str) -> dict[str, str]:
    return {j: jurisdiction_label(j, lang) for j in wg.JURISDICTIONS}


def kind_labels(lang: str) -> dict[str, str]:
    return {k: t(f"wg.kind.{k}", lang) for k in wg.CONTRIBUTION_KINDS}


def state_labels(lang: str) -> dict[str, str]:
    return {s: t(f"wg.state.{s}", lang) for s in wg.MONTH_STATES}


def status_labels(lang: str) -> dict[str, str]:
    return {s: t(f"wg.ms_status.{s}", lang) for s in CANONICAL}


def month_labels(lang: str) -> list[str]:
    """Abbreviated stand-alone month names: Jan … Dec / janv. … déc."""
    months = locale(lang).months["stand-alone"]["abbreviated"]
    return [months[i] for i in range(1, 13)]


def as_item(text: str) -> str:
    """A list item of a source document as a table cell or bullet: capital first letter, without the
    list's trailing ';' or ','.

    >>> as_item("élaborer et maintenir des portails;")
    'Élaborer et maintenir des portails'
    """
    text = str(text).strip().rstrip(";,").rstrip()
    return text[:1].upper() + text[1:]


def pick(row: Any, base: str, lang: str) -> str:
    """The `base_{lang}` text of a row, else the other language's (data entered in one language only)."""
    other = "fr" if lang == "en" else "en"
    for col in (f"{base}_{lang}", f"{base}_{other}"):
        v = row.get(col, "") if hasattr(row, "get") else getattr(row, col, "")
        if isinstance(v, str) and v.strip():
            return v
    return ""


def join_names(names: list[str], lang: str) -> str:
    """'a, b and c' / 'a, b et c'."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (" et " if lang == "fr" else " and ") + names[-1]


def plural(key: str, count: int, lang: str, **kw: object) -> str:
    one = count < 2 if lang == "fr" else count == 1
    return t(f"{key}.{'one' if one else 'other'}", lang, **kw)


def months_frame(data: WgData, year: int, lang: str) -> pd.DataFrame:
    """meetings_by_month plus `reason` in `lang`."""
    months = wg.meetings_by_month(data.meetings, year)
    months["reason"] = [
        r[f"reason_{lang}"] or r["reason_fr" if lang == "en" else "reason_en"] for _, r in months.iterrows()
    ]
    return months


def agenda_status_text(row: Any, lang: str) -> str:
    if row["status"] == "done":
        return (
            t("wg.agenda.done_on", lang, date=fmt_date(row["done_date"], lang))
            if pd.notna(row["done_date"])
            else t("wg.state.held", lang)
        )
    return t("wg.agenda.pending", lang)


# --------------------------------------------------------------------------- charts (shared with the page)
def chart_months(data: WgData, year: int, lang: str, width: int | str = "container") -> alt.Chart:
    return charts_wg.month_strip(
        months_frame(data, year, lang),
        title=t("wg.chart.months.title", lang, year=year),
        month_labels=month_labels(lang),
        month_title=t("wg.col.month", lang),
        state_labels=state_labels(lang),
        state_title=t("wg.col.state", lang),
        count_title=t("wg.col.meetings", lang),
        reason_title=t("wg.col.reason", lang),
        lang=lang,
        width=width,
    )


def months_alt(data: WgData, year: int, lang: str) -> str:
    months = wg.meetings_by_month(data.meetings, year)
    none = t("wg.report.future.none", lang).rstrip(".")
    names = {
        s: ", ".join(fmt_month(d, lang) for d in months.loc[months["state"] == s, "month_start"]) or none
        for s in ("not_held", "no_record")
    }
    return t(
        "wg.chart.months.alt",
        lang,
        year=year,
        held=fmt_int(months["meetings_held_count"].sum(), lang),
        not_held=names["not_held"],
        no_record=names["no_record"],
    )


def chart_participation(data: WgData, year: int, lang: str, width: int | str = "container") -> alt.Chart | None:
    part = wg.participation_by_jurisdiction(data.activities, data.agenda, year)
    if part.empty:
        return None
    return charts_wg.participation_bars(
        part,
        title=t("wg.chart.participation.title", lang, year=year),
        jur_labels=jurisdiction_labels(lang),
        kind_labels=kind_labels(lang),
        jur_title=t("wg.col.jurisdiction", lang),
        kind_title=t("wg.col.kind", lang),
        value_title=t("wg.axis.contributions", lang),
        lang=lang,
        width=width,
    )


def participation_alt(data: WgData, year: int, lang: str) -> str:
    tot = wg.participation_totals(wg.participation_by_jurisdiction(data.activities, data.agenda, year))
    summary = "; ".join(
        f"{jurisdiction_label(r.jurisdiction, lang)} {fmt_int(r.contributions_count, lang)}" for r in tot.itertuples()
    )
    return t("wg.chart.participation.alt", lang, year=year, summary=summary)


def plan_title(data: WgData, plan_id: str, lang: str) -> str:
    if not data.plans.empty and "id" in data.plans:
        hit = data.plans[data.plans["id"] == plan_id]
        if len(hit):
            return str(pick(hit.iloc[0], "title", lang) or plan_id)
    return plan_id


def chart_progress(data: WgData, year: int, lang: str, width: int | str = "container") -> alt.Chart | None:
    prog = wg.plan_progress(data.milestones, data.plans, year)
    if prog.empty:
        return None
    return charts_wg.progress_bars(
        prog,
        title=t("wg.chart.progress.title", lang, year=year),
        status_labels=status_labels(lang),
        plan_labels={p: plan_title(data, p, lang) for p in prog["plan_id"].unique()},
        status_title=t("wg.col.status", lang),
        plan_title=t("wg.col.plan", lang),
        value_title=t("wg.axis.milestones", lang),
        lang=lang,
        width=width,
    )


def progress_notes(data: WgData, year: int, lang: str) -> list[str]:
    """'<plan>: status as of <date>.' per plan, or the statement that no active plan has status data."""
    prog = wg.plan_progress(data.milestones, data.plans, year)
    if prog.empty:
        return [t("wg.chart.progress.none", lang, year=year)]
    out = []
    for pid, g in prog.groupby("plan_id", sort=False):
        out.append(
            t(
                "wg.chart.progress.as_of",
                lang,
                plan=plan_title(data, pid, lang),
                date=fmt_date(g["status_as_of"].iloc[0], lang) if pd.notna(g["status_as_of"].iloc[0]) else "–",
            )
        )
    return out


def progress_alt(data: WgData, year: int, lang: str) -> str:
    prog = wg.plan_progress(data.milestones, data.plans, year)
    by = prog.groupby("status", sort=False)["milestones_count"].sum()
    summary = "; ".join(f"{status_labels(lang).get(s, s)} {fmt_int(n, lang)}" for s, n in by.items())
    return t("wg.chart.progress.alt", lang, year=year, summary=summary)


# --------------------------------------------------------------------------- content as blocks
@dataclass
class Block:
    kind: str  # h1 h2 h3 p ul table figure small
    text: str = ""
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # a cell is a str or a list of str (bulleted)
    widths: tuple[float, ...] = ()
    chart: alt.Chart | None = None
    alt_text: str = ""


def _source_line(data: WgData, lang: str) -> str:
    return t("wg.report.source_line", lang, source=t("wg.source", lang), date=fmt_date(data.as_of, lang))


def report_blocks(data: WgData, year: int, lang: str, today: dt.date | None = None) -> list[Block]:
    """The report's content in `lang`, in the order of seed 001."""
    today = today or dt.date.today()
    B: list[Block] = []
    add = B.append
    summary = wg.year_summary(data.meetings, data.activities, data.agenda, year)
    months = months_frame(data, year, lang)

    add(Block("h1", t("wg.report.title", lang, year=year)))
    add(Block("small", t("wg.report.subtitle", lang, date=fmt_date(today, lang), as_of=fmt_date(data.as_of, lang))))

    # ---- context (seed 001's own text)
    add(Block("h2", t("wg.report.context", lang)))
    add(Block("h3", t("wg.report.context.og.title", lang)))
    add(Block("p", t("wg.report.context.og.text", lang)))
    add(Block("h3", t("wg.report.context.wg.title", lang)))
    add(Block("p", t("wg.report.context.wg.text1", lang)))
    add(Block("p", t("wg.report.context.wg.text2", lang)))
    add(Block("small", t("wg.report.context.source", lang)))

    # ---- current situation
    add(Block("h2", t("wg.report.situation", lang)))
    add(Block("h3", t("wg.report.priorities", lang, year=year)))
    pri = (
        data.priorities[data.priorities["year"] == year].sort_values(["rank", "id"])
        if len(data.priorities)
        else data.priorities
    )
    if len(pri):
        items = []
        for _, r in pri.iterrows():
            status = pick(r, "status_text", lang)
            text = pick(r, "text", lang)
            items.append(text + (" — " + t("wg.report.priority_status", lang, status=status) if status else ""))
        add(Block("ul", items=items))
    else:
        add(Block("p", t("wg.priorities.none", lang, year=year)))

    add(Block("h3", t("wg.report.meetings", lang, year=year)))
    n_held = int(summary["meetings_held_count"])
    acts = wg.activities_of_year(data.activities, year)
    add(
        Block(
            "p",
            plural("wg.report.meetings_held", n_held, lang, year=year, n=fmt_int(n_held, lang))
            + " "
            + t(
                "wg.report.activity_counts",
                lang,
                items=join_names(
                    [
                        plural(f"wg.report.n_{k}", int(c), lang, n=fmt_int(c, lang))
                        for k, c in (
                            ("presentation", summary["presentations_count"]),
                            ("discussion", summary["discussions_count"]),
                            ("other", int((acts["kind"] == "other").sum())),
                        )
                    ],
                    lang,
                ),
            )
            + " "
            + plural(
                "wg.report.topics_done",
                int(summary["topics_done_count"]),
                lang,
                n=fmt_int(summary["topics_done_count"], lang),
            ),
        )
    )
    jur = list(summary["jurisdictions"])
    add(
        Block(
            "p",
            t(
                "wg.report.jurisdictions",
                lang,
                n=fmt_int(len(jur), lang),
                names=join_names([jurisdiction_label(j, lang) for j in jur], lang),
            )
            if jur
            else t("wg.report.no_jurisdictions", lang),
        )
    )
    not_held = months[months["state"] == "not_held"]
    if len(not_held):
        text = t(
            "wg.report.months_not_held",
            lang,
            months=join_names([fmt_month(d, lang) for d in not_held["month_start"]], lang),
        )
        reasons = [r for r in dict.fromkeys(not_held["reason"]) if r]
        if reasons:
            text += " " + t("wg.report.reason", lang, reason=" ".join(reasons))
        add(Block("p", text))
    no_rec = months[months["state"] == "no_record"]
    if len(no_rec):
        add(
            Block(
                "p",
                t(
                    "wg.report.months_no_record",
                    lang,
                    months=join_names([fmt_month(d, lang) for d in no_rec["month_start"]], lang),
                ),
            )
        )
    add(Block("p", t("wg.report.annex_ref", lang)))
    add(
        Block(
            "figure",
            t("wg.chart.months.title", lang, year=year),
            chart=chart_months(data, year, lang, CHART_WIDTH_PX),
            alt_text=months_alt(data, year, lang),
        )
    )
    add(Block("small", _source_line(data, lang)))
    part_chart = chart_participation(data, year, lang, CHART_WIDTH_PX)
    if part_chart is not None:
        add(
            Block(
                "figure",
                t("wg.chart.participation.title", lang, year=year),
                chart=part_chart,
                alt_text=participation_alt(data, year, lang),
            )
        )
        add(Block("small", t("wg.chart.participation.def", lang) + " " + _source_line(data, lang)))

    add(Block("h3", t("wg.report.progress", lang, year=year)))
    prog_chart = chart_progress(data, year, lang, CHART_WIDTH_PX)
    if prog_chart is not None:
        add(
            Block(
                "figure",
                t("wg.chart.progress.title", lang, year=year),
                chart=prog_chart,
                alt_text=progress_alt(data, year, lang),
            )
        )
    for note in progress_notes(data, year, lang):
        add(Block("p", note))
    add(Block("small", t("wg.source.plans", lang)))

    # ---- priorities for the future
    add(Block("h2", t("wg.report.future", lang)))
    add(Block("h3", t("wg.report.future.priorities", lang)))
    fut = pd.DataFrame()
    if len(data.priorities):
        p = data.priorities
        fut = p[(p["year"] == year + 1) | ((p["year"] == year) & (p["kind"] == "proposed_project"))]
        fut = fut.sort_values(["year", "rank", "id"])
    if len(fut):
        add(
            Block(
                "ul",
                items=[
                    pick(r, "text", lang)
                    + (" — " + pick(r, "status_text", lang) if pick(r, "status_text", lang) else "")
                    for _, r in fut.iterrows()
                ],
            )
        )
    else:
        add(Block("p", t("wg.report.future.none", lang)))
    add(Block("h3", t("wg.report.future.agenda", lang)))
    ag = data.agenda
    todo = ag[((ag["year"] == year) & (ag["status"] == "pending")) | (ag["year"] == year + 1)] if len(ag) else ag
    if len(todo):
        add(Block("ul", items=[pick(r, "topic", lang) for _, r in todo.sort_values(["year", "id"]).iterrows()]))
    else:
        add(Block("p", t("wg.report.future.none", lang)))
    if len(data.projects):
        add(Block("p", t("wg.report.future.projects", lang)))

    # ---- annex A: meetings with their activities
    add(Block("h2", t("wg.report.annex_a", lang, year=year)))
    rows: list[list[Any]] = []
    done = wg.topics_done(data.agenda, year)
    for _, mrow in months.iterrows():
        if mrow["state"] == "held":
            for d in mrow["meeting_dates"].split(", "):
                day = pd.Timestamp(d)
                texts = [pick(a, "text", lang) for _, a in acts[acts["meeting_date"] == day].iterrows()]
                texts += [
                    t("wg.report.agenda_item", lang, topic=pick(a, "topic", lang))
                    for _, a in done[done["done_date"] == day].iterrows()
                ]
                rows.append([fmt_date(day, lang), texts or [t("wg.report.no_activity", lang)]])
        elif mrow["state"] == "not_held":
            label = fmt_month(mrow["month_start"], lang)
            rows.append(
                [
                    label[:1].upper() + label[1:],
                    [t("wg.report.no_meeting", lang) + (" — " + mrow["reason"] if mrow["reason"] else "")],
                ]
            )
    if rows:
        add(
            Block(
                "table",
                t("wg.report.annex_a", lang, year=year),
                headers=[t("wg.col.date", lang), t("wg.col.activities", lang)],
                rows=rows,
                widths=(1, 3.2),
            )
        )
    else:
        add(Block("p", t("wg.months.none", lang, year=year)))
    add(Block("small", _source_line(data, lang)))

    # ---- annex B: agenda topics with their status
    add(Block("h2", t("wg.report.annex_b", lang)))
    rel = (
        ag[
            (ag["year"] == year)
            | (ag["year"] == year + 1)
            | (ag["status"].eq("done") & (pd.to_datetime(ag["done_date"]).dt.year == year))
        ]
        if len(ag)
        else ag
    )
    if len(rel):
        rel = rel.sort_values(["year", "status", "done_date", "id"])
        add(
            Block(
                "table",
                t("wg.report.annex_b", lang),
                headers=[t("wg.col.topic", lang), t("wg.col.jurisdiction", lang), t("wg.col.status", lang)],
                rows=[
                    [
                        pick(r, "topic", lang),
                        jurisdiction_label(r["presenter_jurisdiction"], lang) if r["presenter_jurisdiction"] else "–",
                        agenda_status_text(r, lang),
                    ]
                    for _, r in rel.iterrows()
                ],
                widths=(3.2, 1.1, 1.1),
            )
        )
    else:
        add(Block("p", t("wg.agenda.no_agenda", lang, year=year)))
    add(Block("small", _source_line(data, lang)))

    # ---- annex C: proposed projects
    if len(data.projects):
        add(Block("h2", t("wg.report.annex_c", lang)))
        for _, r in data.projects.iterrows():
            add(Block("h3", pick(r, "title", lang)))
            rationale = [s.strip() for s in pick(r, "rationale", lang).split(" | ") if s.strip()]
            planned = [s.strip() for s in pick(r, "activities", lang).split(" | ") if s.strip()]
            if rationale:
                add(Block("p", t("wg.col.rationale", lang)))
                add(Block("ul", items=rationale))
            if planned:
                add(Block("p", t("wg.col.planned", lang)))
                add(Block("ul", items=planned))

    # ---- sources
    add(Block("h2", t("wg.report.sources", lang)))
    items = []
    for _, s in data.sources.iterrows() if len(data.sources) else []:
        items.append(
            t(
                "wg.report.source_item",
                lang,
                title=pick(s, "title", lang),
                publisher=pick_bilingual(s["publisher"], lang),
                date=fmt_date(s["as_of"], lang),
                licence=pick_bilingual(s["licence"], lang),
            )
        )
    items.append(t("wg.report.source_line", lang, source=t("wg.source", lang), date=fmt_date(data.as_of, lang)))
    add(Block("ul", items=items))
    add(Block("small", t("wg.report.translation_note", lang)))
    return B


# --------------------------------------------------------------------------- HTML
_CSS = """
body{font-family:"DejaVu Sans",Verdana,sans-serif;color:#1f2933;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #0072B2;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem}table{border-collapse:collapse;width:100%;margin:1rem 0}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #9aa5b1;padding:.35rem .5rem;vertical-align:top;text-align:left}thead th{background:#e4e7eb}
td ul{margin:0;padding-left:1.1rem}.small{font-size:.9rem;color:#3e4c59}figure{margin:1rem 0}
figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#3e4c59}
"""


def _svg_with_text(svg: str, fig_id: str, title: str, desc: str) -> str:
    """Give vl-convert's SVG role=img, a <title> and a <desc> (escaped)."""
    m = re.search(r"<svg\b[^>]*>", svg)
    if not m:
        raise ReportError("vl-convert returned no <svg> element")
    open_tag = m.group(0)
    new_tag = open_tag[:-1] + f' role="img" aria-labelledby="{fig_id}-t {fig_id}-d">'
    inner = f'<title id="{fig_id}-t">{html.escape(title)}</title><desc id="{fig_id}-d">{html.escape(desc)}</desc>'
    return svg[: m.start()] + new_tag + inner + svg[m.end() :]


def render_html(blocks: list[Block], lang: str) -> bytes:
    import vl_convert as vlc

    e = html.escape
    title = next((b.text for b in blocks if b.kind == "h1"), "")
    out = [
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG[lang]}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(title)}</title>\n'
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
    ]
    fig = 0
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append(f"<{b.kind}>{e(b.text)}</{b.kind}>\n")
        elif b.kind == "p":
            out.append(f"<p>{e(b.text)}</p>\n")
        elif b.kind == "small":
            out.append(f'<p class="small">{e(b.text)}</p>\n')
        elif b.kind == "ul":
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>\n")
        elif b.kind == "table":
            out.append(
                f"<table>\n<caption>{e(b.text)}</caption>\n<thead><tr>"
                + "".join(f'<th scope="col">{e(h)}</th>' for h in b.headers)
                + "</tr></thead>\n<tbody>\n"
            )
            for row in b.rows:
                cells = []
                for i, c in enumerate(row):
                    body = (
                        ("<ul>" + "".join(f"<li>{e(x)}</li>" for x in c) + "</ul>")
                        if isinstance(c, list)
                        else e(str(c))
                    )
                    cells.append(f'<th scope="row">{body}</th>' if i == 0 else f"<td>{body}</td>")
                out.append("<tr>" + "".join(cells) + "</tr>\n")
            out.append("</tbody>\n</table>\n")
        elif b.kind == "figure" and b.chart is not None:
            fig += 1
            svg = vlc.vegalite_to_svg(b.chart.to_json())
            caption = t("wg.report.figure", lang, n=fig, title=b.text)
            out.append(
                f"<figure>\n{_svg_with_text(svg, f'fig{fig}', caption, b.alt_text)}\n"
                f"<figcaption>{e(caption)}</figcaption>\n</figure>\n"
            )
    out.append("</main>\n</body>\n</html>\n")
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- PDF
def find_fonts() -> tuple[Path, Path]:
    """(regular, bold) DejaVu Sans TTF bundled with the package (opengov/assets/fonts)."""
    from opengov.assets import FONT_BOLD, FONT_REGULAR

    if not FONT_REGULAR.is_file():
        raise ReportError(f"the bundled font {FONT_REGULAR} is missing: restore it from the repository")
    return FONT_REGULAR, FONT_BOLD if FONT_BOLD.is_file() else FONT_REGULAR


def _pdf_class():
    from fpdf import FPDF

    class ReportPDF(FPDF):
        footer_text = ""

        def footer(self) -> None:  # noqa: D401 - fpdf2 hook
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(90, 100, 110)
            self.cell(0, 6, self.footer_text.format(n=self.page_no()), align="C")

    return ReportPDF


def render_pdf(blocks: list[Block], lang: str) -> bytes:
    import vl_convert as vlc
    from fpdf.fonts import FontFace

    from opengov.pdf import PAPER

    reg, bold = find_fonts()
    pdf = _pdf_class()(format=PAPER, unit="mm")  # Letter, as the executive brief
    pdf.footer_text = t("wg.report.page", lang, n="{n}")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("DejaVu", "", str(reg))
    pdf.add_font("DejaVu", "B", str(bold))
    title = next((b.text for b in blocks if b.kind == "h1"), "")
    pdf.set_title(title)
    pdf.set_lang(HTML_LANG[lang])
    pdf.set_author("OpenGov Impact")
    pdf.set_creator("OpenGov Impact")
    pdf.set_subject(t("wg.name", lang))
    pdf.set_keywords(t("wg.short", lang))
    pdf.set_display_mode("fullwidth")
    pdf.add_page()
    dark = (31, 41, 51)
    pdf.set_text_color(*dark)
    fig = 0

    def para(text: str, size: float = 10, style: str = "", lh: float = 5.2, after: float = 2) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, lh, text, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(after)

    for b in blocks:
        if b.kind == "h1":
            para(b.text, 16, "B", 7.5, 2)
        elif b.kind == "h2":
            if pdf.get_y() > pdf.h - 60:
                pdf.add_page()
            pdf.ln(3)
            pdf.start_section(b.text, level=0)
            para(b.text, 13, "B", 6.5, 1)
            pdf.set_draw_color(0, 114, 178)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.ln(2)
        elif b.kind == "h3":
            if pdf.get_y() > pdf.h - 40:
                pdf.add_page()
            pdf.start_section(b.text, level=1)
            para(b.text, 11, "B", 5.8, 1)
        elif b.kind == "p":
            para(b.text)
        elif b.kind == "small":
            pdf.set_text_color(62, 76, 89)
            para(b.text, 8.5, "", 4.4, 3)
            pdf.set_text_color(*dark)
        elif b.kind == "ul":
            pdf.set_font("DejaVu", "", 10)
            for item in b.items:
                pdf.set_x(pdf.l_margin + 2)
                pdf.multi_cell(0, 5.2, "• " + item, new_x="LMARGIN", new_y="NEXT", align="L")
                pdf.ln(0.8)
            pdf.ln(1.5)
        elif b.kind == "table":
            pdf.set_font("DejaVu", "", 9)
            with pdf.table(
                col_widths=b.widths or None,
                text_align="LEFT",
                line_height=4.6,
                padding=1.2,
                headings_style=FontFace(emphasis="BOLD", fill_color=(228, 231, 235)),
                first_row_as_headings=True,
                repeat_headings=1,
            ) as table:
                table.row(list(b.headers))
                for row in b.rows:
                    cells = [
                        "\n".join(("• " + x) if len(c) > 1 else x for x in c) if isinstance(c, list) else str(c)
                        for c in row
                    ]
                    table.row(cells)
            pdf.ln(2)
        elif b.kind == "figure" and b.chart is not None:
            fig += 1
            png = vlc.vegalite_to_png(b.chart.to_json(), scale=2)
            from PIL import Image

            with Image.open(io.BytesIO(png)) as im:
                w_px, h_px = im.size
            w_mm = pdf.epw
            h_mm = w_mm * h_px / w_px
            if pdf.get_y() + h_mm + 10 > pdf.h - pdf.b_margin:
                pdf.add_page()
            caption = t("wg.report.figure", lang, n=fig, title=b.text)
            pdf.image(
                io.BytesIO(png), x=pdf.l_margin, w=w_mm, h=h_mm, alt_text=f"{caption} {b.alt_text}", title=caption
            )
            pdf.ln(1)
            pdf.set_text_color(62, 76, 89)
            para(caption, 8.5, "", 4.4, 1)
            pdf.set_text_color(*dark)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- entry point
def build_report(data: WgData, year: int, lang: str, fmt: str, today: dt.date | None = None) -> bytes:
    """The yearly progress report of `year` in `lang` ('fr'|'en') as `fmt` ('html'|'pdf') bytes."""
    if lang not in HTML_LANG:
        raise ValueError(f"unsupported language: {lang!r}")
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format: {fmt!r}")
    blocks = report_blocks(data, int(year), lang, today)
    return render_html(blocks, lang) if fmt == "html" else render_pdf(blocks, lang)


def file_name(year: int, lang: str, fmt: str) -> str:
    return f"{'gtgoc-rapport' if lang == 'fr' else 'cogwg-report'}-{int(year)}-{lang}.{fmt}"
