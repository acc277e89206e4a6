"""Every Altair chart the pages draw is valid Vega-Lite, in both languages.

The app serialises charts without Altair's schema validation and builds them with Altair's debug
mode off (opengov.charts.base: it cost a third of some pages' rerun time), so this test is where a
chart spec that Vega-Lite would reject is caught: it validates the spec of every chart element of
every page, on each tab of the usage page and each section of the jurisdictions page, as the browser
receives it."""

from __future__ import annotations

import json

import pytest

from opengov.features.usage.figures import TABS
from opengov.ui.navigation import PAGES


def _vega_lite_validator():
    import jsonschema
    from altair.vegalite.v6.schema import core

    schema = core.load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


JUR_SECTIONS = ("level", "pt", "federal", "growth", "freshness", "directory")
ID_PARTS = ("usage_portal", "usage_tab", "jur_section", "section")
NO_CHART = {  # no Altair chart there (the plans' timeline is Plotly; tests/hostile checks its labels)
    ("pages/sources.py", ""),
    ("pages/jurisdictions.py", "level"),
    ("pages/jurisdictions.py", "directory"),
    ("pages/plans.py", "deadlines"),
}
VIEWS = (
    [(p.path, {}) for p in PAGES if p.url_path not in ("usage", "jurisdictions", "plans")]
    + [("pages/jurisdictions.py", {"jur_section": s}) for s in JUR_SECTIONS]
    + [("pages/plans.py", {"section": s}) for s in ("deadlines", "groups")]
    + [("pages/usage.py", {"usage_tab": tab}) for tab in TABS]
    # open.yukon.ca's charts (Matomo by month; top records and records created by year)
    + [("pages/usage.py", {"usage_portal": "yt", "usage_tab": tab}) for tab in ("time", "datasets")]
)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("path", "query"),
    VIEWS,
    ids=[p.split("/")[-1][:-3] + "-" + "".join(q.get(k, "") for k in ID_PARTS) for p, q in VIEWS],
)
def test_every_chart_is_valid_vega_lite(run_page, path: str, query: dict, lang: str) -> None:
    at = run_page(path, lang, open_tables=False, **query)
    charts = at.get("vega_lite_chart")
    validator = _vega_lite_validator()
    for element in charts:
        spec = json.loads(element.proto.spec)
        errors = sorted(validator.iter_errors(spec), key=lambda e: list(e.path))
        assert not errors, f"{path} {query} [{lang}]: {errors[0].message[:300]} at {list(errors[0].path)}"
    if (path, query.get("jur_section") or query.get("section", "")) not in NO_CHART:
        assert charts, f"{path} {query}: no chart found to validate"


def test_the_validator_rejects_an_invalid_spec() -> None:
    validator = _vega_lite_validator()
    spec = {"data": {"values": [{"a": 1}]}, "mark": "line", "encoding": {"x": {"field": "a", "type": "nominal"}}}
    assert list(validator.iter_errors(spec)) == []
    assert list(validator.iter_errors({**spec, "mark": "lines"}))
    assert list(validator.iter_errors({**spec, "encoding": {"x": {"field": "a", "type": "nominal", "sort": 3}}}))
