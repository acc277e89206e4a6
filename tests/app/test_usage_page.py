"""The Portal usage page shows the real shipped figures, formatted for en_CA / fr_CA, and applies
the filters found in the URL (invalid ones fall back to the defaults without error)."""

from __future__ import annotations

import re

NBSP = "\u00a0"
PAGE = "pages/usage.py"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _text(at) -> str:
    parts = (
        [x.value for x in at.markdown]
        + [x.value for x in at.caption]
        + [x.value for x in at.warning]
        + [x.value for x in at.info]
    )
    # as the reader sees it: Markdown's backslash escapes (data shown as plain text) removed
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(parts))


def _frames(at) -> list:
    return [d.value for d in at.dataframe]


def _cells(at) -> str:
    return "\n".join(df.to_string() for df in _frames(at))


TABS = ("time", "compare", "datasets", "departments", "geo", "jurisdiction")


def _all_tabs(run_page, lang: str, **query) -> tuple[dict[str, str], str, str]:
    """Metrics, text and table cells of every tab (only the open tab is rendered on a run)."""
    metrics, texts, cells = {}, [], []
    for tab in TABS:
        at = run_page(PAGE, lang, usage_tab=tab, **query)
        metrics.update(_metrics(at))
        texts.append(_text(at))
        cells.append(_cells(at))
    return metrics, "\n".join(texts), "\n".join(cells)


def test_usage_in_english_shows_real_figures(run_page) -> None:
    at = run_page(PAGE, "en")
    assert [t.value for t in at.title][-1] == "Portal usage"
    assert [h.value for h in at.header] == ["Visits and downloads by month"]  # only the open tab is rendered
    m, text, cells = _all_tabs(run_page, "en")
    # default comparison: July 2026 against July 2025, downloads by jurisdiction (all jurisdictions)
    assert m["July 2026"] == "52,518" and m["July 2025"] == "67,016"
    assert m["Change"] == "−14,498" and m["Change (%)"] == "\u221221.6%"  # true minus sign
    assert "Comparable since July 2023" in text
    # growth calculator with the formula filled in (2024: 10 months, 2025: 12 months)
    assert "= (71,154 − 74,223) ÷ 74,223 × 100 = **\u22124.1%**" in text
    assert "2024: 10 months with data; 2025: 12 months with data." in text
    # the cited +75 % claim, and an honest answer on what the loaded data can check
    assert "75% increase in the average monthly number of dataset downloads" in text
    assert "**No.**" in text and "from July 2022 to June 2023" in text
    assert "1,250,429" in cells and "7,396,550" in cells  # fiscal-year totals
    assert "5,563,242" in cells and "Ontario" in cells  # visits by province (map table)
    assert "Untitled (" in cells  # top-50 ids without a title in the shipped files
    assert "Statistics Canada" in text  # StatCan attribution under the map
    assert "Province and territory boundaries: Adapted from Statistics Canada" in text
    # every chart has a source and as-of chip
    assert "as of August 21, 2026" in text and "as of June 30, 2023" in text


def test_usage_in_french_uses_french_formats(run_page) -> None:
    at = run_page(PAGE, "fr")
    assert [t.value for t in at.title][-1] == "Utilisation du portail"
    m, text, cells = _all_tabs(run_page, "fr")
    assert m["juillet 2026"] == f"52{NBSP}518" and m["juillet 2025"] == f"67{NBSP}016"
    assert m["Variation (%)"] == f"\u221221,6{NBSP}%"
    assert "Comparable depuis juillet 2023" in text
    assert "75 % d’augmentation" in text and "**Non.**" in text
    assert "Limites des provinces et territoires : Adapté de Statistique Canada" in text
    assert "en date du 21 août 2026" in text
    assert f"7{NBSP}396{NBSP}550" in cells and "EF 2025-2026" in cells
    assert f"5{NBSP}563{NBSP}242" in cells and "Colombie-Britannique" in cells
    assert "Sans titre (" in cells
    assert "Gouvernment" not in cells and "Gouvernement de la Colombie-Britannique" in cells  # typo fixed at load
    assert "États-Unis" in cells  # country names translated


def test_filters_come_from_the_url(run_page) -> None:
    query = {
        "usage_metric": "visits",
        "usage_jur": "federal",
        "usage_cmp": "fiscal",
        "usage_dept": "nrcan-rncan",
        "usage_range": ["2025-01", "2026-07"],
        "usage_top_src": "top25",
        "usage_top_n": "5",
    }
    at = run_page(PAGE, "en", usage_tab="compare", **query)
    assert at.radio(key="usage_metric").value == "visits"
    assert at.multiselect(key="usage_jur").value == ["federal"]
    assert at.select_slider(key="usage_range").value == ("2025-01", "2026-07")
    assert at.selectbox(key="usage_dept").value == "nrcan-rncan"
    m = _metrics(at)
    # fiscal 2025-26 against 2024-25, federal dataset-page visits; crosses the fiscal 2025-26 tool change
    assert "FY 2025-26" in m and "FY 2024-25" in m
    text = _text(at)
    assert "crosses a series break (Change of analytics tool, fiscal 2025-26)" in text
    assert "Comparable since April 2025" in text
    # department filter: Natural Resources Canada's datasets on 2023-06-30, and only its top-25 datasets
    dep = run_page(PAGE, "en", usage_tab="departments", **query)
    assert _metrics(dep)["Natural Resources Canada"] == "10,054"
    top = _frames(run_page(PAGE, "en", usage_tab="datasets", **query))
    ranking = next(df for df in top if "Dataset id" in df.columns)
    assert set(ranking["Department or organization"]) == {"Natural Resources Canada"}
    assert len(ranking) == 5
    # the URL keeps the non-default filters
    assert at.query_params["usage_metric"] == ["visits"] or at.query_params["usage_metric"] == "visits"


def test_invalid_url_values_fall_back_to_defaults(run_page) -> None:
    at = run_page(
        PAGE,
        "fr",
        usage_metric="bogus",
        usage_jur="nowhere",
        usage_dept="no-such-org",
        usage_range=["2030-01", "2020-01"],
        usage_top_n="999",
        usage_cmp="weekly",
        usage_tab="nowhere",
    )
    assert [h.value for h in at.header] == ["Visites et téléchargements par mois"]  # default tab
    at = run_page(
        PAGE,
        "fr",
        usage_metric="bogus",
        usage_jur="nowhere",
        usage_dept="no-such-org",
        usage_range=["2030-01", "2020-01"],
        usage_top_n="999",
        usage_cmp="weekly",
        usage_tab="datasets",
    )
    assert at.radio(key="usage_metric").value == "downloads"
    assert at.multiselect(key="usage_jur").value == ["federal", "provincial", "municipal", "user"]
    assert at.selectbox(key="usage_dept").value == "all"
    assert at.select_slider(key="usage_range").value == ("2022-01", "2026-08")
    assert at.select_slider(key="usage_top_n").value == 10
    cmp_ = run_page(PAGE, "fr", usage_cmp="weekly", usage_tab="compare")
    assert cmp_.radio(key="usage_cmp").value == "month"


def test_previous_period_zero_or_missing_shows_na(run_page) -> None:
    # Custom comparison against months before any data: previous total missing -> "n/a", never infinity.
    at = run_page(PAGE, "en", usage_tab="compare", usage_cmp="calendar", usage_series="portal")
    m = _metrics(at)
    # whole-portal series covers Jul 2022 - Jun 2023; 2023 vs 2022, both partial
    assert m["2023"] == "687,478" and m["2022"] == "582,886"
    text = _text(at)
    assert "2023 is incomplete: 6 of 12 months have data" in text
    at2 = run_page(
        PAGE, "en", usage_tab="compare", usage_cmp="month", usage_series="portal", usage_cmp_month_portal="2023-06"
    )
    m2 = _metrics(at2)
    assert m2["June 2022"] == "–" and m2["Change (%)"] == "n/a"


def test_usage_charts_are_valid_vega_lite() -> None:
    """The page skips Altair's schema validation on every rerun (opengov.charts.fast); validate here."""
    import pandas as pd

    from opengov.charts import base as charts
    from opengov.features.usage import charts as charts_usage

    df = pd.DataFrame(
        {
            "month_start": pd.date_range("2024-01-01", periods=4, freq="MS"),
            "value_count": [1.0, None, 3.0, 4.0],
            "series": "a",
            "kind": "monthly",
        }
    )
    rules = pd.DataFrame({"date": [pd.Timestamp("2024-02-01")], "label": ["break"]})
    built = [
        charts_usage.series_chart(
            df,
            x="month_start",
            y="value_count",
            series="series",
            dashed="kind",
            dashed_title="line",
            breaks=rules,
            title="t",
            x_title="x",
            y_title="y",
            series_title="s",
            lang="fr",
        ),
        charts_usage.grouped_bars(
            df.assign(g=["x", "y", "x", "y"], c=["1", "1", "2", "2"]),
            category="c",
            value="value_count",
            group="g",
            title="t",
            category_title="c",
            value_title="v",
            group_title="g",
            lang="en",
        ),
        charts.fast(
            charts.bar_chart(
                df.assign(k=list("abcd")), "k", "value_count", title="t", category_title="k", value_title="v", lang="en"
            )
        ),
    ]
    for chart in built:
        spec = type(chart).to_dict(chart, validate=True)
        assert spec["autosize"]["type"] == "fit-x" or "layer" not in spec
    layer = type(built[0]).to_dict(built[0], validate=True)
    assert layer["layer"][0]["mark"]["invalid"] == "break-paths-show-domains"  # gaps stay gaps


def test_dataset_top_is_one_query_equal_to_ranking_least_and_total(db_url: str) -> None:
    """The datasets tab reads its top list, least-used list and total with ONE query, on SQLite and
    PostgreSQL, and gets exactly what the three separate queries give (ties, zeros, two sources
    for the same month, a department filter, another portal, a multi-month range)."""
    import datetime as dt

    import pandas as pd
    from sqlalchemy import event

    from opengov.features.usage import figures as uv
    from opengov.features.usage import queries as q
    from opengov.store import models as m
    from opengov.store.db import get_engine

    engine = get_engine(db_url)
    m.Base.metadata.create_all(engine)
    aug, jul = dt.date(2026, 8, 1), dt.date(2026, 7, 1)
    values = {"a": 50, "b": 50, "c": 7, "d": 0, "e": 3, "f": 3, "g": 90, "h": 1}
    org = {k: ("Natural Resources Canada" if k in "aceg" else "Statistics Canada") for k in values}
    with engine.begin() as conn:
        conn.execute(
            m.Source.__table__.insert(), [{"id": s, "kind": "seed", "title_en": s, "title_fr": s} for s in ("s1", "s2")]
        )
        conn.execute(
            m.Portal.__table__.insert(),
            [{"id": p, "name_en": p, "name_fr": p, "level": "federal"} for p in ("canada", "other")],
        )
        conn.execute(
            m.Dataset.__table__.insert(),
            [
                {
                    "id": k,
                    "title_en": f"T {k}",
                    "title_fr": f"T {k} fr",
                    "organization_en": org[k],
                    "organization_fr": org[k],
                }
                for k in values
                if k != "h"
            ],
        )  # h: no title
        rows = [
            {
                "source_id": "s1",
                "portal_id": "canada",
                "metric": "download_events",
                "grain": "month",
                "period_start": aug,
                "period_end": dt.date(2026, 8, 31),
                "dimension": "dataset",
                "dimension_key": k,
                "value": float(v),
                "note": f"days_covered={len(k)}",
            }
            for k, v in values.items()
        ]
        rows += [
            {**rows[2], "source_id": "s2", "value": 100.0, "note": "days_covered=9"},  # c: two sources
            {**rows[0], "period_start": jul, "period_end": dt.date(2026, 7, 31), "value": 5.0},
            {**rows[1], "portal_id": "other", "source_id": "s2", "value": 1000.0},
        ]
        conn.execute(m.UsageStat.__table__.insert(), rows)

    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        if "usage_stats" in statement:  # pandas may add a catalog lookup on PostgreSQL
            statements.append(statement)

    for start, end in ((aug, aug), (jul, aug)):
        for organization in (None, "Natural Resources Canada"):
            for n in (3, 10):
                statements.clear()
                event.listen(engine, "before_cursor_execute", count)
                try:
                    frame = q.dataset_top("download_events", start, end, n, organization, "canada", url=db_url)
                finally:
                    event.remove(engine, "before_cursor_execute", count)
                assert len(statements) == 1, statements
                top, least, grand = uv.split_top(frame)
                pd.testing.assert_frame_equal(
                    top,
                    q.dataset_ranking("download_events", start, end, n, False, organization, "canada", url=db_url),
                    check_dtype=False,
                )
                pd.testing.assert_frame_equal(
                    least,
                    q.dataset_ranking("download_events", start, end, n, True, organization, "canada", url=db_url),
                    check_dtype=False,
                )
                total = q.dataset_total("download_events", start, end, "canada", url=db_url)
                assert grand == float(total["value_count"].iloc[0])
                total_rows = frame.loc[frame["list"] == "total", "datasets_count"]
                assert int(total_rows.iloc[0]) == int(total["datasets_count"].iloc[0])
    # hand-checked: August, whole portal, top 3 = c (7 + 100), g (90), then the a/b tie by id; least skips d (0)
    top, least, grand = uv.split_top(q.dataset_top("download_events", aug, aug, 3, None, "canada", url=db_url))
    assert top["dataset_id"].tolist() == ["c", "g", "a"] and top["value_count"].tolist() == [107.0, 90.0, 50.0]
    assert least["dataset_id"].tolist() == ["h", "e", "f"] and grand == 304.0
    assert top.loc[0, "note"] == "days_covered=9"  # the last note (MAX), as dataset_ranking gives
    empty = q.dataset_top("download_events", dt.date(2020, 1, 1), dt.date(2020, 1, 1), 3, None, "canada", url=db_url)
    assert uv.split_top(empty)[2] == 0.0 and uv.split_top(empty)[0].empty


def test_a_range_from_the_url_survives_the_next_click(run_page) -> None:
    """A shared link's month range stays when the reader changes another filter (it used to come
    back as a single value, so the range fell back to the default on the next rerun)."""
    at = run_page(PAGE, "en", open_tables=False, usage_range=["2025-01", "2026-07"])
    assert at.select_slider(key="usage_range").value == ("2025-01", "2026-07")
    at.radio(key="usage_metric").set_value("visits").run()
    assert at.select_slider(key="usage_range").value == ("2025-01", "2026-07")
    assert at.query_params["usage_range"] == ["2025-01", "2026-07"]


def test_chart_tables_are_built_when_opened(run_page) -> None:
    at = run_page(PAGE, "en", open_tables=False)
    assert _frames(at) == []  # the "Data table" expander is closed: no table sent
    at.session_state["usage_monthly_tablebox"] = True
    at.run()
    assert len(_frames(at)) == 1 and "Month" in _frames(at)[0].columns


def test_usage_figures_pickle_for_the_figure_cache() -> None:
    """opengov.features.usage.data.monthly_figure caches figures with st.cache_data, which pickles them:
    a chart made fast (no validation on serialisation) must pickle and give the same spec back."""
    import pickle

    import pandas as pd

    from opengov.features.usage import charts as charts_usage

    df = pd.DataFrame(
        {
            "month_start": pd.date_range("2024-01-01", periods=3, freq="MS"),
            "value_count": [1.0, 2.0, 3.0],
            "series": "a",
            "kind": "monthly",
        }
    )
    chart = charts_usage.series_chart(
        df,
        x="month_start",
        y="value_count",
        series="series",
        dashed="kind",
        dashed_title="line",
        title="t",
        x_title="x",
        y_title="y",
        series_title="s",
        lang="en",
    )
    back = pickle.loads(pickle.dumps(chart))
    assert type(back) is type(chart) and back.to_dict() == chart.to_dict()
    assert "__class__" not in chart.to_dict()


def test_the_definition_names_the_line_styles_the_chart_draws() -> None:
    """The rolling average is drawn solid and the monthly values dashed, and the definition under the
    chart says so in both languages (it used to call the rolling average the dashed line)."""
    import pandas as pd

    from opengov.features.usage import figures as uv
    from opengov.i18n import t

    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    series = pd.DataFrame({"month_start": months, "value_count": [float(i) for i in range(14)]})
    for lang, solid, dashed in (("en", "Solid line", "dashed line"), ("fr", "Ligne pleine", "ligne pointillée")):
        chart = uv.monthly_figure(series, series, "downloads", months[0], months[-1], lang).chart
        dash = chart.to_dict()["layer"][0]["encoding"]["strokeDash"]["scale"]
        assert dash["range"] == [[1, 0], [4, 2]]  # the first value solid, the second dashed
        assert dash["domain"] == [t("usage.series.rolling", lang), t("usage.series.monthly", lang)]
        text = t("usage.rolling_def", lang)
        assert text.startswith(solid) and dashed in text


def test_break_list_is_built_when_opened(run_page) -> None:
    """The "Known series breaks" list is sent once its expander is opened; it names every break in
    the UI language and says which ones fall outside the months shown."""
    at = run_page(PAGE, "fr", open_tables=False, usage_range=["2024-01", "2026-07"])
    assert "GA4" not in _text(at)
    at.session_state["usage_breaks_box"] = True
    at.run()
    listed = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(listed) == 1
    items = listed[0].split("\n")
    assert len(items) == 3
    assert any("GA4" in item and "hors des mois affichés" in item for item in items)  # July 2023 < 2024-01
    assert sum("hors des mois affichés" in item for item in items) == 2


def test_top_datasets_default_to_the_latest_complete_month_and_say_what_is_partial(run_page, loaded_store_url) -> None:
    from metrics.usage import default_top_month, months_covered
    from opengov.features.usage import queries as q

    cov = months_covered(q.dataset_month_notes("download_events", loaded_store_url, "canada"))
    last = cov.iloc[-1]
    assert bool(last["in_progress"])  # the shipped top-50 lists stop inside their last month
    want = default_top_month(cov)
    assert want < last["month_start"]
    at = run_page(PAGE, "en", usage_tab="datasets")
    slider = at.select_slider(key="usage_top_range_events")
    assert slider.value == (want.strftime("%Y-%m"),) * 2
    text = " ".join(c.value for c in at.caption)
    untitled = next(c.value for c in at.caption if c.value.startswith("Untitled bars: "))
    ranking = next(d.value for d in at.dataframe if "Dataset id" in d.value.columns)
    shown = ranking.head(10)
    assert untitled.startswith(f"Untitled bars: {shown['Dataset'].str.startswith('Untitled (').sum()} of {len(shown)}")
    # the chosen month lost a day in the source: the page says so
    cur = cov[cov["month_start"] == want].iloc[0]
    if cur["partial"]:
        assert f"{int(cur['days_covered'])} of its {int(cur['days_in_month'])} days in the source" in text
    # the running month, chosen, says how many days it covers and that the source ends before it
    month = last["month_start"].strftime("%Y-%m")
    at.select_slider(key="usage_top_range_events").set_value((month, month)).run()
    text = " ".join(c.value for c in at.caption)
    assert (
        f"{int(last['days_covered'])} of its {int(last['days_in_month'])} days in the source, "
        "which ends before the month does"
    ) in text
