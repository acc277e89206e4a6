"""Every view in its link: on each page, values set through the widgets go into the URL, and a fresh
session opened on that URL shows the same widget values and the same state (issue 17). An unknown or
malformed value in a link falls back to the default without an error."""

from __future__ import annotations

from typing import Any

import pytest


def params_of(at: Any) -> dict[str, Any]:
    """The URL of a session as a link would carry it ({param: value or [values]})."""
    return {k: v for k, v in at.query_params.items() if k != "lang"}


def widget_values(at: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for kind in ("selectbox", "radio", "multiselect", "select_slider", "number_input", "button_group"):
        for w in getattr(at, kind):
            if w.key in keys:
                v = w.value
                found[w.key] = list(v) if isinstance(v, (list, tuple)) else v
    return found


def captions(at: Any) -> list[str]:
    return [c.value for c in at.caption] + [m.value for m in at.markdown]


def reopen(run_page, path: str, lang: str, at: Any) -> Any:
    """A fresh session on the link of `at`."""
    return run_page(path, lang, open_tables=False, **params_of(at))


def test_usage_link_reopens_the_same_view(run_page) -> None:
    at = run_page("pages/usage.py", "fr", open_tables=False)
    at.radio(key="usage_metric").set_value("visits").run()
    at.multiselect(key="usage_jur").set_value(["federal", "municipal"]).run()
    dept = at.selectbox(key="usage_dept")
    dept.select_index(2).run()
    rng = at.select_slider(key="usage_range")
    rng.set_value(("2023-01", "2025-06")).run()
    assert not at.exception
    keys = ("usage_metric", "usage_jur", "usage_dept", "usage_range")
    before = widget_values(at, keys)
    assert before["usage_jur"] == ["federal", "municipal"] and before["usage_dept"] != "all"
    link = params_of(at)
    assert set(keys) <= set(link), link
    fresh = reopen(run_page, "pages/usage.py", "fr", at)
    assert widget_values(fresh, keys) == before
    summary = [c for c in captions(at) if c.startswith("**Affiché")]
    assert summary and summary == [c for c in captions(fresh) if c.startswith("**Affiché")]
    # the filters say what they apply to, and a chart that cannot take the department says so
    assert any("Le filtre par ministère s’applique" in c for c in captions(fresh))
    assert any("n’est ventilée ni par ministère ni par ordre de gouvernement" in c for c in captions(fresh)) or any(
        "n’est pas ventilée par ministère" in c for c in captions(fresh)
    )


def test_usage_tab_and_comparison_in_the_link(run_page) -> None:
    at = run_page("pages/usage.py", "en", open_tables=False, usage_tab="compare")
    at.radio(key="usage_series").set_value("portal").run()
    at.radio(key="usage_cmp").set_value("calendar").run()
    at.selectbox(key="usage_growth_a").set_value(2023).run()
    assert not at.exception
    keys = ("usage_series", "usage_cmp", "usage_growth_a", "usage_growth_b", "usage_cmp_year_portal")
    before = widget_values(at, keys)
    assert before["usage_series"] == "portal" and before["usage_cmp"] == "calendar"
    link = params_of(at)
    assert link.get("usage_tab") in ("compare", ["compare"]) and "usage_cmp" in link
    fresh = reopen(run_page, "pages/usage.py", "en", at)
    assert widget_values(fresh, keys) == before
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


def test_usage_filter_kept_when_another_control_is_used(run_page) -> None:
    """The jurisdiction and department choices hold through a rerun caused by another control, and
    each widget is sent with its current value as its default (a widget drawn late shows it)."""
    at = run_page("pages/usage.py", "en", open_tables=False, usage_jur=["provincial"], usage_dept="aafc-aac")
    at.radio(key="usage_metric").set_value("visits").run()
    assert at.multiselect(key="usage_jur").value == ["provincial"]
    assert list(at.multiselect(key="usage_jur").proto.default) == [1]  # "provincial"
    assert at.selectbox(key="usage_dept").value == "aafc-aac"
    assert any("Whole portal: this series has no breakdown by department" in c for c in captions(at))


def test_working_group_link_reopens_the_same_view(run_page) -> None:
    at = run_page("pages/working_group.py", "en", open_tables=False, wg_section="compare")
    year = at.selectbox(key="working_group_year")
    year.select_index(0).run()
    at.selectbox(key="working_group_cmp_b").select_index(0).run()
    assert not at.exception
    keys = ("working_group_year", "working_group_cmp_a", "working_group_cmp_b")
    before = widget_values(at, keys)
    assert "wg_year" in params_of(at) and "wg_b" in params_of(at) and "wg_section" in params_of(at)
    fresh = reopen(run_page, "pages/working_group.py", "en", at)
    assert widget_values(fresh, keys) == before
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


def test_plans_link_reopens_the_same_view(run_page) -> None:
    at = run_page("pages/plans.py", "fr", open_tables=False)
    plan = at.selectbox(key="plans_plan")
    plan.select_index(len(plan.options) - 1 if plan.index == 0 else 0).run()
    at.number_input(key="plans_risk_days").set_value(200).run()
    at.radio(key="plans_view").set_value("history").run()
    ref = at.radio(key="plans_ref")
    if len(ref.options) > 1:
        ref.set_value("status_date").run()
    assert not at.exception
    keys = ("plans_plan", "plans_risk_days", "plans_view", "plans_ref", "plans_progress_by", "plans_challenges_by")
    before = widget_values(at, keys)
    link = params_of(at)
    assert link.get("risk") in ("200", ["200"]) and link.get("view") in ("history", ["history"])
    fresh = reopen(run_page, "pages/plans.py", "fr", at)
    assert widget_values(fresh, keys) == before
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


def test_jurisdictions_link_reopens_the_same_view(run_page) -> None:
    at = run_page("pages/jurisdictions.py", "en", open_tables=False)
    at.selectbox(key="jurisdictions_level").set_value("provincial").run()
    at.selectbox(key="jurisdictions_pt").set_value("YT").run()
    at.radio(key="jurisdictions_view").set_value("per_capita").run()
    at.session_state["jurisdictions_section_en"] = "Provinces and territories"  # the tab, as a click sets it
    at.run()
    assert not at.exception
    keys = ("jurisdictions_level", "jurisdictions_pt", "jurisdictions_view", "jurisdictions_basis")
    before = widget_values(at, keys)
    fresh = reopen(run_page, "pages/jurisdictions.py", "en", at)
    assert widget_values(fresh, keys) == before
    assert fresh.session_state["jurisdictions_section_current"] == "pt"  # the open section too
    # a chart that follows neither the level nor the province says so; the ranking takes the province
    notes = captions(fresh)
    assert "All levels of government, all provinces and territories: this chart follows neither filter." in notes
    assert "All levels of government: this chart has no breakdown by level of government." in notes
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


@pytest.mark.parametrize(
    ("path", "key", "value"),
    [
        ("pages/overview.py", "overview_window", "6"),
        ("pages/profile.py", "profile_jur", "YT"),
        ("pages/sources.py", "sources_kind", "seed"),
    ],
)
def test_single_choice_pages_link(run_page, path: str, key: str, value: str) -> None:
    at = run_page(path, "en", open_tables=False)
    at.selectbox(key=key).set_value(value).run()
    assert not at.exception
    assert params_of(at)  # the choice is in the link
    fresh = reopen(run_page, path, "en", at)
    assert fresh.selectbox(key=key).value == value
    assert [m.value for m in fresh.metric] == [m.value for m in at.metric]


@pytest.mark.parametrize(
    ("path", "query", "defaults"),
    [
        (
            "pages/usage.py",
            {"usage_metric": "clicks", "usage_jur": "mars", "usage_dept": "<b>", "usage_range": "2030-01,1999-12"},
            {"usage_metric": "downloads", "usage_jur": ["federal", "provincial", "municipal", "user"]},
        ),
        ("pages/working_group.py", {"wg_year": "1850", "wg_a": "x"}, {}),
        ("pages/plans.py", {"plan": "nope", "risk": "-5x", "view": "?", "by": "zzz", "challenges": "1"}, {}),
        ("pages/jurisdictions.py", {"jur_level": "planet", "jur_view": "%00"}, {"jurisdictions_level": "all"}),
        ("pages/overview.py", {"window": "999"}, {"overview_window": "12"}),
        ("pages/sources.py", {"kind": "[]"}, {"sources_kind": "all"}),
    ],
)
def test_malformed_link_values_fall_back_to_defaults(run_page, path: str, query: dict, defaults: dict) -> None:
    at = run_page(path, "en", open_tables=False, **query)
    assert not at.exception
    assert widget_values(at, tuple(defaults)) == defaults
    for param in query if defaults else ():  # a value that fell back to its default is left out of the link
        assert at.query_params.get(param) not in (query[param], [query[param]]), param
