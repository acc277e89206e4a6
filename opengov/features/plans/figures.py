"""Figures of the plans page: frames in, one `Figure` out (no Streamlit, no store)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from opengov.charts.figure import Figure
from opengov.charts.plain import escape_plotly
from opengov.features.plans.charts import burnup_chart, challenges_chart, gantt, progress_bars

# --------------------------------------------------------------------------- page blocks (page and export)
# pages/plans.py and `python -m opengov export chart plans ...` call the same functions (tidy frames from
# opengov.features.plans.queries + `lang` in; a Figure out), so they cannot drift. A plan's charts are
# sourced to the plan itself (its title, as of its status date): it is not one of the store's sources.
#: The CSIS plan: its references are requirements of the Directive on Open Government (a definition says so).
CSIS_PLAN = "CSIS-PMOGO"
GROUPINGS: tuple[str, ...] = ("year_index", "reference", "commitment_code")


def state_labels(lang: str) -> dict[str, str]:
    from opengov.i18n import t
    from opengov.ingest.status import CANONICAL

    return {s: t(f"status.{s}", lang) for s in (*CANONICAL, "not_reported")}


def prepare_milestones(ms: pd.DataFrame, ind: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A plan's milestones with deadline windows, displayed `state` and `title` in `lang` (else the other
    language, else the code)."""
    from metrics.milestones import deadline_windows, display_state

    other = "fr" if lang == "en" else "en"
    out = deadline_windows(ms, ind)
    out["state"] = display_state(out)
    out["title"] = out.apply(
        lambda r: str(r.get(f"title_{lang}") or r.get(f"title_{other}") or r.get("code") or ""), axis=1
    )
    return out


def status_date(plan: pd.Series, ms: pd.DataFrame) -> pd.Timestamp:
    """The plan's status date, else the latest status date of its milestones, else NaT."""
    reported = ms["status"].notna()
    if pd.notna(plan["status_as_of"]):
        return plan["status_as_of"]
    return ms.loc[reported, "status_as_of"].max() if reported.any() else pd.NaT


def plan_source(plan: pd.Series, ms: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The source of a plan's charts: `source_label` (the plan's title in `lang`, else its id) and
    `as_of` (its status date, None when it has none), as Figure fields.

    >>> plan = pd.Series({"title_en": "Plan A", "title_fr": "", "status_as_of": pd.NaT}, name="P1")
    >>> ms = pd.DataFrame({"status": [None], "status_as_of": [pd.NaT]})
    >>> plan_source(plan, ms, "en"), plan_source(plan, ms, "fr")
    ({'source_label': 'Plan A', 'as_of': None}, {'source_label': 'P1', 'as_of': None})
    """
    sd = status_date(plan, ms)
    return {"source_label": plan[f"title_{lang}"] or plan.name, "as_of": sd if pd.notna(sd) else None}


def _year_start(label: str) -> pd.Timestamp:
    from opengov.features.plans.imports import year_window

    start, _ = year_window(label)
    return pd.Timestamp(start) if start else pd.NaT


def short_text(text: object, n: int = 42) -> str:
    """`text` on one line, cut at `n` characters with an ellipsis (chart labels).

    >>> short_text("Climate Change and Sustainable Growth", 20)
    'Climate Change and…'
    """
    one = " ".join(str(text or "").split())
    return one if len(one) <= n else one[: n - 1].rstrip() + "\u2026"


_short = short_text


def timeline_frame(slip: pd.DataFrame, plan: pd.Series, lang: str = "en") -> pd.DataFrame:
    """metrics.milestones.slippage(...) plus the bars of the timeline: bar_start (start, else planned
    start, else the start of its plan year, else the plan's start), bar_end (planned end) and label (code,
    title in `lang` and lead department), rows grouped by commitment."""
    tl = slip.copy()
    if "commitment_code" in tl and tl["commitment_code"].notna().any():
        tl = tl.sort_values(["commitment_code", "code"], kind="stable", na_position="last")
    plan_start = plan["period_start"] if pd.notna(plan["period_start"]) else pd.NaT
    tl["year_start"] = tl["year_label_fr"].map(lambda s: _year_start(s) if s else pd.NaT)
    tl["bar_start"] = (
        pd.to_datetime(tl["start_date"])
        .fillna(pd.to_datetime(tl["planned_start"]))
        .fillna(pd.to_datetime(tl["year_start"]))
        .fillna(pd.Timestamp(plan_start) if pd.notna(plan_start) else pd.NaT)
    )
    tl["bar_end"] = pd.to_datetime(tl["planned_end"])
    lead_col = f"lead_{lang}" if f"lead_{lang}" in tl else "lead"

    def label(r: pd.Series) -> str:
        ref = r.get("reference") or ""
        head = f"{r['code']}" + (f" · {ref}" if ref and ref not in r["code"] else "")
        if r.get("commitment_code") or r.get("milestone_code"):  # tracker and commitment plans: title and lead
            head += f" {_short(r.get('title', ''))}"
            lead = str(r.get(lead_col) or "")
            if lead:
                head += f" ({_short(lead, 30)})"
        return head

    # Plotly reads tags in tick labels (<a href>, <b>, <br>...): data text is escaped, shown as it is.
    tl["label"] = tl.apply(lambda r: escape_plotly(label(r)), axis=1) if not tl.empty else pd.Series(dtype=str)
    return tl


def milestone_timeline(
    tl: pd.DataFrame, lang: str, *, plan: pd.Series, today: dt.date, ref: pd.Timestamp, unit: str = "milestone"
) -> Figure:
    """The Gantt timeline (Plotly) of `plan`'s milestones `tl` (from `timeline_frame`, with at least
    one dated milestone) at the reference date `ref`."""
    from opengov.i18n import fmt_date, fmt_int, t

    labels = state_labels(lang)
    title = t("plans.timeline.title", lang, plan=escape_plotly(plan[f"title_{lang}"] or plan.name))

    def hover(r: pd.Series) -> str:  # Plotly markup of our own (<b>, <br>) around escaped data text
        lines = [f"<b>{escape_plotly(r['code'])}</b> {escape_plotly(r['title'][:90])}", f"{labels[r['state']]}"]
        if pd.notna(r["planned_end"]):
            lines.append(
                t(
                    "plans.hover.planned",
                    lang,
                    start=fmt_date(r["bar_start"], lang),
                    end=fmt_date(r["planned_end"], lang),
                )
            )
        if r.get("deadline_text") and r["deadline_kind"] != "dates":
            lines.append(t("plans.hover.deadline", lang, text=escape_plotly(r["deadline_text"])))
        if pd.notna(r.get("actual_end_date")):
            lines.append(t("plans.hover.actual", lang, date=fmt_date(r["actual_end_date"], lang)))
        if r["slip_flag"] in ("overdue", "late_complete"):
            lines.append(t(f"plans.slip.{r['slip_flag']}", lang, n=fmt_int(r["slip_days"], lang)))
        return "<br>".join(lines)

    tl = tl.copy()
    tl["hover"] = tl.apply(hover, axis=1)
    dated = tl.dropna(subset=["bar_end"])
    fig = gantt(
        tl,
        labels={
            "today": t("plans.today", lang, date=fmt_date(today, lang)),
            "ref_date": t("plans.ref_line", lang, date=fmt_date(ref, lang)),
            "late_marker": t("plans.late_marker", lang),
            "axis_time": t("plans.axis.time", lang),
        },
        state_labels=labels,
        lang=lang,
        today=today,
        ref_date=ref.date(),
        title=title,
    )
    alt_text = t(
        "plans.timeline.alt",
        lang,
        n=fmt_int(len(dated), lang),
        start=fmt_date(dated["bar_start"].min(), lang),
        end=fmt_date(dated["bar_end"].max(), lang),
        late=fmt_int(int(tl["slip_flag"].isin(["overdue", "late_complete"]).sum()), lang),
    )
    lead_col = f"lead_{lang}" if f"lead_{lang}" in tl else "lead"
    table = pd.DataFrame(
        {
            t("plans.col.code", lang): tl["code"],
            t(f"plans.unit.{'commitment' if unit == 'commitment' else 'milestone'}.title", lang): tl["title"],
            t("plans.col.lead", lang): tl[lead_col] if lead_col in tl else "",
            t("plans.col.status", lang): tl["state"].map(labels),
            t("plans.col.start", lang): tl["bar_start"].map(lambda d: fmt_date(d, lang) if pd.notna(d) else "–"),
            t("plans.col.planned_end", lang): tl["planned_end"].map(
                lambda d: fmt_date(d, lang) if pd.notna(d) else "–"
            ),
            t("plans.col.deadline_text", lang): tl["deadline_text"].where(tl["deadline_text"] != "", tl["end_text"]),
            t("plans.col.deadline_read", lang): tl["deadline_kind"].map(lambda k: t(f"deadline.kind.{k}", lang)),
            t("plans.col.actual_end", lang): tl["actual_end_date"].map(
                lambda d: fmt_date(d, lang) if pd.notna(d) else "–"
            ),
            t("plans.col.slippage", lang): tl.apply(
                lambda r: t(f"plans.slip.{r['slip_flag']}", lang, n=fmt_int(r["slip_days"], lang)), axis=1
            ),
        }
    )
    return Figure(fig, alt_text, table, **plan_source(plan, tl, lang))


def progress_groupings(ms: pd.DataFrame) -> list[str]:
    """The groupings the plan's milestones can be shown by (the first is the page's default)."""
    return [g for g in GROUPINGS if g in ms and ms[g].notna().any() and (ms[g].astype(str) != "").any()]


def progress_by_group(ms: pd.DataFrame, by: str, lang: str, *, plan: pd.Series, unit: str = "milestone") -> Figure:
    """`plan`'s items `ms` (milestones, or indicators) by `by` (year, reference or commitment) and state,
    stacked bars."""
    from metrics.milestones import progress_by
    from opengov.i18n import fmt_int, t

    labels = state_labels(lang)
    frame = ms.copy()
    if by == "year_index":
        frame["year_index"] = frame["year_index"].map(
            lambda v: (
                t("plans.year.multi", lang) if v == 0 else t("plans.year.n", lang, n=int(v)) if pd.notna(v) else "–"
            )
        )
    pb = progress_by(frame, by)
    chart = progress_bars(
        pb,
        by,
        title=t(f"plans.progress.title.{unit}", lang, by=t(f"plans.by.{by}", lang).lower()),
        by_title=t(f"plans.by.{by}", lang),
        count_title=t(f"plans.axis.{unit}", lang),
        state_title=t("plans.col.status", lang),
        state_labels=labels,
        lang=lang,
    )
    table = pb.assign(state=pb["state"].map(labels)).rename(
        columns={
            by: t(f"plans.by.{by}", lang),
            "state": t("plans.col.status", lang),
            "milestones_count": t(f"plans.axis.{unit}", lang),
        }
    )
    alt_text = t(f"plans.progress.alt.{unit}", lang, groups=fmt_int(pb[by].nunique(), lang), n=fmt_int(len(ms), lang))
    definition = t("plans.progress.def", lang) if by == "reference" and plan.name == CSIS_PLAN else None
    return Figure(chart, alt_text, table, definition=definition, **plan_source(plan, ms, lang))


def burnup_frame(ms: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    """Cumulative planned and completed milestones by month (empty when nothing is dated)."""
    from metrics.milestones import burnup, completion_dates

    return burnup(ms, completion_dates(ms, hist))


def milestone_burnup(bu: pd.DataFrame, lang: str, *, plan: pd.Series, ms: pd.DataFrame) -> Figure:
    """The burn-up chart of `bu` (from `burnup_frame` of `plan`'s milestones `ms`, not empty)."""
    from opengov.i18n import fmt_int, t

    series_labels = {"planned": t("plans.burnup.planned", lang), "completed": t("plans.burnup.completed", lang)}
    chart = burnup_chart(
        bu,
        title=t("plans.burnup.title", lang),
        x_title=t("axis.month", lang),
        y_title=t("plans.axis.cumulative", lang),
        series_title=t("plans.burnup.series", lang),
        series_labels=series_labels,
        lang=lang,
    )
    last = bu.groupby("series")["milestones_count"].max()
    wide = bu.pivot(index="month", columns="series", values="milestones_count").reset_index()
    table = pd.DataFrame(
        {
            t("axis.month", lang): wide["month"].dt.strftime("%Y-%m"),
            series_labels["planned"]: wide.get("planned"),
            series_labels["completed"]: wide.get("completed"),
        }
    )
    alt_text = t(
        "plans.burnup.alt",
        lang,
        planned=fmt_int(last.get("planned", 0), lang),
        completed=fmt_int(last.get("completed", 0), lang),
    )
    return Figure(chart, alt_text, table, definition=t("plans.burnup.def", lang), **plan_source(plan, ms, lang))


#: The IRM's own words, as the pages show them (English and French); anything else is shown as written.
IRM_TERMS: tuple[str, ...] = (
    "did_not_change",
    "marginal",
    "major",
    "outstanding",
    "pending_irm_review",
    "no_irm_data",
    "yes",
    "no",
    "low",
    "moderate",
    "high",
    "transformative",
)


def irm_label(value: object, lang: str) -> str:
    """An IRM rating in `lang` ("Did Not Change" -> "N'a rien changé"); "–" when blank.

    >>> irm_label("Pending IRM Review", "en"), irm_label("", "fr")
    ('Pending IRM review', '–')
    """
    from opengov.i18n import t

    text = str(value or "").strip()
    if not text:
        return "–"
    key = "_".join(text.lower().split())
    return t(f"irm.{key}", lang) if key in IRM_TERMS else text


CHALLENGE_DIMENSIONS: tuple[str, ...] = ("commitment_code", "department", "reporting_period")


def challenges_by(ch: pd.DataFrame, by: str, lang: str) -> Figure:
    """A plan's coded challenges `ch` (not empty) counted by `by` (one of CHALLENGE_DIMENSIONS) and
    code, stacked bars; sourced to the imported progress reports (no date given)."""
    from metrics.milestones import challenge_counts
    from opengov.i18n import fmt_int, t
    from opengov.ingest.status import CHALLENGES

    code_labels = {c: t(f"challenge.{c}", lang) for c in CHALLENGES}
    cc = challenge_counts(ch, by)
    chart = challenges_chart(
        cc,
        by,
        title=t("plans.challenges.title", lang),
        by_title=t(f"plans.by.{by}", lang),
        count_title=t("plans.axis.challenges", lang),
        code_title=t("plans.col.challenge", lang),
        code_labels=code_labels,
        lang=lang,
    )
    table = cc.assign(code=cc["code"].map(code_labels)).rename(
        columns={
            by: t(f"plans.by.{by}", lang),
            "code": t("plans.col.challenge", lang),
            "challenges_count": t("plans.axis.challenges", lang),
        }
    )
    return Figure(
        chart,
        t("plans.challenges.alt", lang, n=fmt_int(len(ch), lang)),
        table,
        source_label=t("plans.source.imported", lang),
    )


def plan_timeline(
    view: Any, plan: pd.Series, indicators: pd.DataFrame | None, ref: pd.Timestamp, today: dt.date, lang: str
) -> tuple[Figure | None, int]:
    """A plan's timeline Figure (None when no row is dated) and how many rows have no planned end. Rows are
    milestones (a tracker plan's milestone has a status only when every indicator has one) or, for a plan
    reported per commitment, commitments. `view` is a opengov.features.plans.queries.PlanView."""
    from metrics.milestones import slippage

    rows = view.items if view.unit == "commitment" else view.milestones
    ms = prepare_milestones(rows, indicators if view.unit == "indicator" else None, lang)
    tl = timeline_frame(slippage(ms, ref), plan, lang)
    if tl.dropna(subset=["bar_end"]).empty:
        return None, int(len(tl))
    fig = milestone_timeline(tl, lang, plan=plan, today=today, ref=ref, unit=view.unit)
    return fig, int(tl["bar_end"].isna().sum())


# --------------------------------------------------------------------------- the page's tables (frames in, frames out)
STATE_ORDER: tuple[str, ...] = (
    "complete",
    "substantial",
    "on_track",
    "in_progress",
    "limited",
    "delayed",
    "not_started",
    "withdrawn",
)


def period_text(p: str, lang: str) -> str:
    """A reporting period as the source gives it, in `lang`: YYYY-MM (the tracker's), a date, or years.

    >>> period_text("2024-06", "fr"), period_text("2018-10-22", "en"), period_text("2017-2018", "fr")
    ('juin 2024', 'October 22, 2018', '2017-2018')
    """
    from opengov.i18n import fmt_date, fmt_month

    if len(p) == 10 and p[4] == "-" and p[:4].isdigit():
        return fmt_date(p, lang)
    if len(p) == 7 and p[4] == "-" and p[:4].isdigit():
        return fmt_month(p + "-01", lang)
    return p


def count_units(unit: str, reported: int, total: int, lang: str) -> str:
    """The unit's noun for "12 of 106 indicators" / "12 indicateurs sur 106": English agrees it with the total,
    French with the count before it (the catalogue's ``plans.count_basis`` says which).

    >>> count_units("indicator", 1, 106, "en"), count_units("indicator", 1, 106, "fr")
    ('indicators', 'indicateur')
    """
    from opengov.i18n import t, tn

    return tn(f"plans.unit.{unit}", reported if t("plans.count_basis", lang) == "reported" else total, lang)


def _in_lang(df: pd.DataFrame, col: str, lang: str) -> pd.Series:
    other = "fr" if lang == "en" else "en"
    return df[f"{col}_{lang}"].where(df[f"{col}_{lang}"].astype(bool), df[f"{col}_{other}"]).fillna("")


def items_table(items: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """The plan's list, one row per item (its index kept, so the page can filter it by state): code, status,
    the period it was reported for, title, lead department, deadline, commitment, milestones done."""
    from opengov.i18n import fmt_int, t

    labels = state_labels(lang)
    cols: dict[str, object] = {t("plans.col.code", lang): items["code"]}
    cols[t("plans.col.status", lang)] = items["state"].map(labels)
    cols[t("plans.col.period", lang)] = items["status_period"].map(lambda p: period_text(str(p), lang) if p else "–")
    cols[t(f"plans.unit.{unit}.title", lang)] = items["title"]
    cols[t("plans.col.lead", lang)] = items[f"lead_{lang}"]
    cols[t("plans.col.deadline_text", lang)] = items["deadline_text"].where(items["deadline_text"] != "", "–")
    if unit == "indicator":
        cols[t("plans.col.commitment", lang)] = items["commitment_code"] + " " + _in_lang(items, "commitment", lang)
    if unit == "commitment" and items["milestones_total"].notna().any():
        cols[t("plans.col.milestones_done", lang)] = [
            t("plans.done_of", lang, done=fmt_int(d, lang), total=fmt_int(n, lang)) if pd.notna(n) else "–"
            for d, n in zip(items["milestones_done"], items["milestones_total"], strict=True)
        ]
    return pd.DataFrame(cols, index=items.index)


def irm_table(irm: pd.DataFrame, items: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """The IRM's ratings beside the government's own status of the same commitment (its status, or how many
    of its indicators have one and which)."""
    from opengov.i18n import fmt_int, t, tn

    labels = state_labels(lang)

    def own(code: object) -> str:
        part = items[items["commitment_code"] == code] if isinstance(code, str) and code else items.iloc[0:0]
        if part.empty:
            return t("plans.irm.own.none", lang)
        if unit == "commitment":
            row = part.iloc[0]
            period = str(row["status_period"] or "")
            return labels[row["state"]] + (f" ({period_text(period, lang)})" if period else "")
        rep = part[part["status"].notna()]
        if rep.empty:
            return t(
                "plans.irm.own.unreported",
                lang,
                n=fmt_int(len(part), lang),
                units=tn(f"plans.unit.{unit}", len(part), lang),
            )
        by = rep["state"].value_counts()
        return t(
            "plans.irm.own.partial",
            lang,
            reported=fmt_int(len(rep), lang),
            total=fmt_int(len(part), lang),
            units=count_units(unit, len(rep), len(part), lang),
            done=tn("plans.reported_word", len(rep), lang),
            detail=", ".join(f"{labels[s]} {fmt_int(int(by[s]), lang)}" for s in STATE_ORDER if s in by),
        )

    return pd.DataFrame(
        {
            t("plans.col.irm_id", lang): irm["irm_id"],
            t("plans.col.commitment", lang): irm["title"],
            t("plans.col.own_status", lang): irm["commitment_code"].map(own),
            t("plans.col.irm_results", lang): irm["early_results"].map(lambda v: irm_label(v, lang)),
            t("plans.col.irm_ambition", lang): irm["ambition"].map(lambda v: irm_label(v, lang)),
            t("plans.col.irm_starred", lang): irm["starred"].map(lambda v: irm_label(v, lang)),
            t("plans.col.link", lang): irm["source_url"],
        }
    )
