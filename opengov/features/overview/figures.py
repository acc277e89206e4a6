"""The Overview's charts, shared by the page, the brief and `python -m opengov export chart overview ...`."""

from __future__ import annotations

import pandas as pd

from opengov.charts import base as charts
from opengov.charts.figure import Figure, source_ids_of
from opengov.i18n import fmt_date, fmt_int, fmt_month, t

JUR = ("federal", "provincial", "municipal", "user")


def jurisdiction_labels(lang: str) -> dict[str, str]:
    return {j: t(f"jurisdiction.{j}", lang) for j in JUR}


def downloads_by_jurisdiction(dl: pd.DataFrame, lang: str) -> Figure:
    """Stacked monthly downloads by jurisdiction (the table's headers in `lang`, ISO months and plain
    numbers; on screen the table shows in the language's formats)."""
    labels = jurisdiction_labels(lang)
    data = dl.rename(columns={"period_start": "month", "dimension_key": "jurisdiction", "value": "downloads_count"})
    chart = charts.stacked_area(
        data,
        "month",
        "downloads_count",
        "jurisdiction",
        title=t("chart.downloads_by_jurisdiction.title", lang),
        x_title=t("axis.month", lang),
        y_title=t("axis.downloads", lang),
        color_title=t("axis.jurisdiction", lang),
        lang=lang,
        color_labels=labels,
    )
    monthly = data.groupby("month", as_index=False)["downloads_count"].sum()
    peak = monthly.loc[monthly["downloads_count"].idxmax()]
    alt_text = t(
        "chart.downloads_by_jurisdiction.alt",
        lang,
        start=fmt_month(monthly["month"].min(), lang),
        end=fmt_month(monthly["month"].max(), lang),
        peak_month=fmt_month(peak["month"], lang),
        peak=fmt_int(peak["downloads_count"], lang),
    )
    table = data.assign(jurisdiction=data["jurisdiction"].map(lambda v: labels.get(v, v)))[
        ["month", "jurisdiction", "downloads_count"]
    ].rename(
        columns={
            "month": t("axis.month", lang),
            "jurisdiction": t("axis.jurisdiction", lang),
            "downloads_count": t("axis.downloads", lang),
        }
    )
    table[t("axis.month", lang)] = pd.to_datetime(table[t("axis.month", lang)]).dt.strftime("%Y-%m")
    return Figure(
        chart,
        alt_text,
        display_table(table, lang),
        source_ids=source_ids_of(dl) or ("ogp_downloads_by_jurisdiction",),
        definition=t("def.downloads", lang),
        export_table=table,
        source_label=t("source.ogp_jurisdiction_reports", lang),
    )


def catalogue_size(daily: pd.DataFrame, lang: str) -> Figure:
    """Daily number of records on open.canada.ca."""
    data = daily[["snapshot_date", "dataset_count"]].rename(columns={"snapshot_date": "day"})
    chart = charts.line_chart(
        data,
        "day",
        "dataset_count",
        title=t("chart.catalogue_size.title", lang),
        x_title=t("axis.day", lang),
        y_title=t("axis.datasets", lang),
        lang=lang,
        time_format="%-d %b",
        points=False,
        height=200,
        zero=False,
    )
    first, last = data.iloc[0], data.iloc[-1]
    alt_text = t(
        "chart.catalogue_size.alt",
        lang,
        start=fmt_date(first["day"], lang),
        end=fmt_date(last["day"], lang),
        first=fmt_int(first["dataset_count"], lang),
        last=fmt_int(last["dataset_count"], lang),
    )
    table = data.rename(columns={"day": t("axis.day", lang), "dataset_count": t("axis.datasets", lang)})
    table[t("axis.day", lang)] = pd.to_datetime(table[t("axis.day", lang)]).dt.strftime("%Y-%m-%d")
    return Figure(
        chart,
        alt_text,
        display_table(table, lang),
        source_ids=source_ids_of(daily) or ("ogp_packages_daily",),
        definition=t("def.datasets", lang),
        export_table=table,
        source_label=t("source.open_canada_catalogue", lang),
    )


def display_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The on-screen form of an export table above: ISO months/days as 'juillet 2026' / '25 juin 2026'
    and counts with the language's digit grouping (the CSV/XLSX downloads keep ISO dates and numbers)."""
    out = table.copy()
    month, day = t("axis.month", lang), t("axis.day", lang)
    for col in out.columns:
        if col == month:
            out[col] = [fmt_month(pd.Timestamp(v), lang) for v in out[col]]
        elif col == day:
            out[col] = [fmt_date(pd.Timestamp(v), lang) for v in out[col]]
        elif pd.api.types.is_numeric_dtype(out[col]):
            out[col] = [fmt_int(v, lang) for v in out[col]]
    return out


def window_delta(w, lang: str) -> str:
    """The downloads card's change, naming what it is compared with: "+3.1% (+12,345) vs the same 6 months a
    year before (January 2025 – June 2025)" (`w` is a metrics.periods.WindowComparison). It starts with the
    change's sign, so the card's arrow and colour follow it."""
    from opengov.i18n import fmt_pct, fmt_signed_int

    change = (
        f"{fmt_pct(w.change_pct, lang, signed=True)} ({fmt_signed_int(w.change_abs, lang)})"
        if w.change_pct is not None
        else fmt_signed_int(w.change_abs, lang)
    )
    return t(
        f"kpi.vs_{w.basis}",
        lang,
        change=change,
        n=w.months,
        start=fmt_month(w.previous_start, lang),
        end=fmt_month(w.previous_end, lang),
    )


def window_period(w, lang: str) -> str:
    """The current window's months ("January 2026 – June 2026, complete months")."""
    return t("kpi.window_current", lang, start=fmt_month(w.current_start, lang), end=fmt_month(w.current_end, lang))


def fact_cards(facts: pd.DataFrame, lang: str) -> list[str]:
    """The cited facts as Markdown cards, one per source document and date, in the frame's order:
    the document's statements quoted whole (escaped: shown as published, never read as Markdown),
    then one small citation line.

    >>> f = pd.DataFrame({"statement_en": ["A [1]", "B", "C"], "document_en": ["Deck", "Deck", "Letter"],
    ...     "document_date": pd.to_datetime(["2019-05-01", "2019-05-01", "2021-03-04"]),
    ...     "document_date_precision": ["year", "year", "day"]})
    >>> print(fact_cards(f, "en")[0])
    > - A \\[1\\]
    > - B
    <BLANKLINE>
    :small[— Deck, 2019]
    >>> fact_cards(f, "en")[1]
    '> C\\n\\n:small[— Letter, March 4, 2021]'
    """
    from opengov.charts.plain import escape_markdown

    def when(row: pd.Series) -> str:
        if pd.isna(row["document_date"]):
            return "–"
        if row["document_date_precision"] == "day":
            return fmt_date(row["document_date"], lang)
        return str(pd.Timestamp(row["document_date"]).year)

    keyed = facts.assign(_document=facts[f"document_{lang}"].fillna("–"), _when=facts.apply(when, axis=1))
    cards = []
    for (document, date), group in keyed.groupby(["_document", "_when"], sort=False):
        statements = [escape_markdown(s) for s in group[f"statement_{lang}"]]
        quote = f"> {statements[0]}" if len(statements) == 1 else "\n".join(f"> - {s}" for s in statements)
        citation = t("fact.citation", lang, document=escape_markdown(document), date=date)
        cards.append(f"{quote}\n\n:small[{citation}]")
    return cards
