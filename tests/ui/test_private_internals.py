"""Guards for the places where the app relies on undocumented behaviour of Streamlit, Altair or Plotly.

Each was kept for a measured reason (see its test's docstring) because no public route does the same
job. Each test names the internal, why it is used and what to do when the test fails. They are written
against the versions in requirements.txt: Streamlit is held to one minor release (the first test), so a
Streamlit upgrade is a deliberate change that re-runs these guards; Altair and Plotly are bounded by
major version and guarded by behaviour.

Not repeated here: serve.py edits two markers of Streamlit's HTML page shell (``<head>`` and
``<html lang="en">``). tests/browser/test_page_shell.py::test_page_shell_declares_base_url_and_language
fails when either marker is gone: it asserts ``<html lang="fr">`` for ``/usage?lang=fr`` and exactly one
``BACKEND_BASE_URL`` script (inserted after ``<head>``) in the shell served by the real server.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import pickle
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _space(text: str) -> str:
    """French typography puts (narrow) no-break spaces before ':'; compare texts with plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


# --------------------------------------------------------------------------- the Streamlit pin


def test_installed_streamlit_is_the_minor_release_requirements_pins() -> None:
    """requirements.txt holds Streamlit to one minor release (``>=X.Y,<X.Y+1``) because the guards in
    this file are written against it. When this fails, Streamlit was installed outside the pin, or the
    pin was moved: re-run this file against the new release, follow each failing test's docstring, and
    only then move the pin (both bounds) to the release the tests pass on."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    specs = [m.group(1) for line in lines if (m := re.match(r"\s*streamlit\s*([<>=!~][^#;]*)", line))]
    assert len(specs) == 1, f"one streamlit line expected in requirements.txt, found {specs}"
    spec = SpecifierSet(specs[0].strip())
    lower = [Version(s.version) for s in spec if s.operator == ">="]
    upper = [Version(s.version) for s in spec if s.operator == "<"]
    assert len(lower) == 1 and len(upper) == 1, f"streamlit{spec}: expected >=X.Y,<X.Y+1"
    pinned = (lower[0].major, lower[0].minor)
    assert (upper[0].major, upper[0].minor, upper[0].micro) == (pinned[0], pinned[1] + 1, 0), (
        f"streamlit{spec} allows more than the minor release {pinned[0]}.{pinned[1]}"
    )
    installed = Version(importlib.metadata.version("streamlit"))
    assert (installed.major, installed.minor) == pinned, (
        f"Streamlit {installed} is installed, requirements.txt pins {pinned[0]}.{pinned[1]}.x"
    )


# --------------------------------------------------------------------------- runner.postScriptGC


def test_config_turns_off_the_garbage_collection_after_each_run() -> None:
    """.streamlit/config.toml sets ``runner.postScriptGC = false``.

    Why: Streamlit runs ``gc.collect(2)`` after every script run while it still holds the run's last
    messages; in this app's process that full collection walks some 230,000 long-lived objects and
    added about 120 ms to every rerun (AppTest rerun benchmark with the server's collection replayed:
    median 130-210 ms per page with it, 25-70 ms without). The option replaced ``opengov.ui.heap``,
    which froze the heap with ``gc.freeze()`` to make that collection cheap.
    When this fails: put the line back, or, if the option was removed on purpose, re-measure the
    rerun benchmark with Streamlit's collection on (``benchmarks/bench_pages.py``)."""
    with (REPO / ".streamlit" / "config.toml").open("rb") as f:
        config = tomllib.load(f)
    assert config.get("runner", {}).get("postScriptGC") is False


def test_streamlit_still_reads_post_script_gc_and_gates_its_collection_on_it() -> None:
    """``runner.postScriptGC`` is a hidden option in Streamlit 1.67 (``streamlit config show`` does not
    list it), so it may change without notice: check that Streamlit still defines it, reads it from
    the project's config file (a server started in the repository, as scripts/run.sh does), and that
    the collection after a script run (``ScriptRunner._on_script_finished``) still depends on it.
    When this fails after an upgrade: find how the new release collects garbage after a run; if the
    option is gone or ignored, measure the rerun benchmark with the collection (it costs about
    120 ms per run here) and, if it is back, bring back a ``gc.freeze()`` after the runs that import
    new modules (git history: opengov/ui/heap.py) or pin Streamlit below that release."""
    out = subprocess.run(
        [sys.executable, "-c", "from streamlit import config; print(config.get_option('runner.postScriptGC'))"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False", out.stdout + out.stderr[-2000:]

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    source = inspect.getsource(ScriptRunner._on_script_finished)
    gate = re.search(r'if config\.get_option\("runner\.postScriptGC"\):\s*\n\s*gc\.collect\(2\)', source)
    assert gate, "Streamlit's post-run gc.collect(2) is no longer gated by runner.postScriptGC"


# --------------------------------------------------------------------------- PagesManager.uses_pages_directory


def test_pages_manager_flag_is_a_class_level_bool_set_from_the_pages_folder() -> None:
    """``streamlit.runtime.pages_manager.PagesManager.uses_pages_directory`` (private).

    Why: the design keeps a top-level ``pages/`` folder, so Streamlit's legacy multipage mode
    answers the first request of a new server process (and every AppTest run) by running the page
    file alone, without app.py. ``opengov.ui.frame.ensure_frame`` turns the flag off and runs the
    frame itself (or reruns through app.py). No public route does this: ``st.navigation`` turns it off
    only after the first run, and ``client.showSidebarNavigation`` only hides the menu.
    When this fails after an upgrade: read the new ``PagesManager`` and ``ScriptRunner`` for how a
    ``pages/`` folder is detected; if the legacy mode is gone, ``ensure_frame`` can go too (keep the
    tests of the frame); otherwise adapt ``ensure_frame`` to the new flag, or pin Streamlit."""
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager), "no longer a class attribute of PagesManager"
    assert "bool" in str(PagesManager.__annotations__.get("uses_pages_directory"))
    saved = PagesManager.uses_pages_directory
    assert saved is None or isinstance(saved, bool)
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(REPO / "app.py"))  # app.py has a pages/ folder beside it: legacy mode on
        assert PagesManager.uses_pages_directory is True
        PagesManager.uses_pages_directory = False
        PagesManager(str(REPO / "app.py"))  # once off (st.navigation ran), it stays off
        assert PagesManager.uses_pages_directory is False
    finally:
        PagesManager.uses_pages_directory = saved


def test_streamlit_runs_a_page_alone_while_the_flag_is_on_and_navigation_turns_it_off() -> None:
    """The meaning ``ensure_frame`` relies on: while the flag is on, a script run goes through
    ``_mpa_v1`` (the page file alone); ``st.navigation`` turns the flag off. When this fails, see the
    previous test's docstring."""
    from streamlit.commands import navigation
    from streamlit.runtime.scriptrunner import script_runner

    runner_source = inspect.getsource(script_runner.ScriptRunner)
    assert re.search(r"if PagesManager\.uses_pages_directory:\s*\n\s*_mpa_v1\(", runner_source)
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation.navigation)


def test_a_deep_link_first_run_in_legacy_mode_still_gets_the_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run straight to a page (a shared link, the first request of a new server process)
    starts in legacy mode, and the page still renders inside the frame (language, store, sign-in).
    Also covered, for every page in both languages: tests/app/test_apptest_pages.py (AppTest resets the
    flag before every run, so each page's run there goes through the legacy mode with the frame run by
    ``ensure_frame``) and, against a real server, tests/browser/test_deep_links.py."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    import opengov.ui.frame
    from opengov.i18n import t
    from opengov.ui.lang import FRAME_SEEN

    seen: list[tuple[bool, bool | None]] = []
    real = opengov.ui.frame.ensure_frame

    def spy(in_frame: bool = False) -> None:
        seen.append((in_frame, PagesManager.uses_pages_directory))
        real(in_frame=in_frame)

    monkeypatch.setattr(opengov.ui.frame, "ensure_frame", spy)  # the pages import it at each run
    monkeypatch.setenv("OPENGOV_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.chdir(REPO)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["lang"] = "fr"
    at.switch_page("pages/sources.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert (False, True) in seen, f"the page never ran alone in legacy mode: {seen}"
    assert seen[-1] == (False, False)  # the page's last run came through app.py's navigation
    assert [title.value for title in at.title] == [t("page.sources.title", "fr")]
    assert at.session_state[FRAME_SEEN] is True
    assert _space(t("app.tagline", "fr")) in [_space(c.value) for c in at.sidebar.caption]
    assert PagesManager.uses_pages_directory is False


# --------------------------------------------------------------------------- Altair: opengov.charts.base.fast


def _data():
    import pandas as pd

    return pd.DataFrame(
        {"month": pd.date_range("2024-01-01", periods=4, freq="MS"), "n": [1, 3, 2, 4], "k": ["a", "b", "a", "b"]}
    )


def _line(df=None):
    import altair as alt

    return alt.Chart(_data() if df is None else df).mark_line().encode(x="month:T", y="n:Q")


def _chart():
    return _line().properties(title="t", width="container")


def _layer():
    return _line() + _line().mark_point()


def _facet():
    return _line().facet(column="k:N")


def _vconcat():
    return _line() & _line().mark_bar()


def _hconcat():
    return _line() | _line().mark_bar()


CHART_BUILDERS: dict[str, Callable] = {
    "Chart": _chart,
    "LayerChart": _layer,
    "FacetChart": _facet,
    "VConcatChart": _vconcat,
    "HConcatChart": _hconcat,
}


def test_fast_covers_the_chart_classes_and_their_to_dict_takes_validate() -> None:
    """``opengov.charts.base.fast`` swaps a chart's ``__class__`` to a module-level subclass whose
    ``to_dict`` defaults ``validate=False`` (``object.__setattr__`` past Altair's ``__setattr__``).

    Why: Streamlit's ``st.altair_chart`` calls ``chart.to_dict()`` on every rerun and Altair then
    validates the whole spec against the Vega-Lite JSON schema: a third of the rerun time of the pages
    with several charts. Altair has no global switch for that validation (``disable_debug_mode``
    covers construction only). The public alternative, ``st.vega_lite_chart`` with the chart's
    ``to_dict(validate=False)``, needs a change in opengov/ui/blocks.py (see the report of this guard).
    When this fails after an Altair upgrade: the chart classes or ``to_dict(validate=...)`` changed;
    update ``_FAST`` and ``_UnvalidatedDict`` in opengov/charts/base.py (or cap Altair below the
    release) and re-run tests/app/test_charts_valid.py, which validates every chart of every page."""
    import altair as alt

    from opengov.charts import base

    assert alt.utils.schemapi.DEBUG_MODE is False  # base turned Altair's debug mode off
    assert set(base._FAST) == {getattr(alt, name) for name in CHART_BUILDERS}
    for altair_type, fast_type in base._FAST.items():
        assert fast_type.__mro__[1:3] == (base._UnvalidatedDict, altair_type)
        validate = inspect.signature(altair_type.to_dict).parameters.get("validate")
        assert validate is not None and validate.default is True, f"{altair_type.__name__}.to_dict(validate=)"
    for name, build in CHART_BUILDERS.items():
        assert type(build()) is getattr(alt, name)  # the builders above make the class they are named after


@pytest.mark.parametrize("name", list(CHART_BUILDERS))
def test_fast_chart_serialises_as_the_unvalidated_chart_and_pickles(name: str) -> None:
    """The fast chart gives exactly Altair's own unvalidated spec, keeps its subclass through a pickle
    round trip (the loaders' caches pickle figures) and still validates when asked explicitly (the
    exports call ``to_json()``, which passes ``validate=True``). When this fails, see the previous
    test's docstring."""
    from opengov.charts.base import _FAST, fast

    build = CHART_BUILDERS[name]
    expected = build().to_dict(validate=False)
    chart = build()
    assert fast(chart) is chart and type(chart) is _FAST[type(build())]
    assert chart.to_dict() == expected
    again = pickle.loads(pickle.dumps(chart))
    assert type(again) is type(chart)
    assert again.to_dict() == expected
    assert chart.to_dict(validate=True) == expected


def test_fast_chart_skips_validation_in_streamlit_altair_chart(tmp_path: Path) -> None:
    """The point of ``fast``: Streamlit still serialises the chart through the chart's own
    ``to_dict()``, so an invalid spec that ``st.altair_chart`` rejects as is goes through once fast
    (nothing validates it on the rerun path). When this fails after a Streamlit upgrade, read how
    ``streamlit/elements/vega_charts.py`` now turns an Altair chart into a spec (1.67:
    ``_convert_altair_to_vega_lite_spec`` calls ``altair_chart.to_dict()``) and adapt ``fast``."""
    from altair.utils.schemapi import SchemaValidationError
    from streamlit.testing.v1 import AppTest

    invalid = _line().mark_line(interpolate="not-an-interpolation")
    with pytest.raises(SchemaValidationError):
        invalid.to_dict()
    script = tmp_path / "altair_fast.py"
    script.write_text(
        "import altair as alt\nimport pandas as pd\nimport streamlit as st\n"
        "from opengov.charts.base import fast\n"
        "df = pd.DataFrame({'x': [1, 2], 'y': [3, 4]})\n"
        "chart = alt.Chart(df).mark_line(interpolate='not-an-interpolation').encode(x='x:Q', y='y:Q')\n"
        "st.altair_chart(fast(chart) if st.session_state.get('fast', True) else chart)\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(script), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e for e in at.main if getattr(e, "type", None) == "vega_lite_chart"]
    at.session_state["fast"] = False
    at.run()
    assert at.exception, "st.altair_chart no longer validates a chart: fast() may be unnecessary"


# --------------------------------------------------------------------------- Plotly: opengov.charts.frozen.freeze


def _figure():
    import plotly.graph_objects as go

    fig = go.Figure(
        [
            go.Scatter(x=[1, 2, 3], y=[2, 1, 3], uid="first", marker={"color": "#0072B2"}),
            go.Bar(x=["a", "b"], y=[4, 5], uid="second"),
        ]
    )
    fig.update_layout(title="t", geo={"fitbounds": "locations"})
    return fig


def test_frozen_figure_gives_the_original_dict_in_fresh_top_level_containers() -> None:
    """``opengov.charts.frozen.freeze`` swaps a Plotly figure's ``__class__`` to ``FrozenFigure``, whose
    ``to_dict()`` makes the dict once and hands each caller fresh top-level containers over it.

    Why: Streamlit turns a figure into a dict on every rerun (``fig.to_dict()`` deep-copies every
    trace, GeoJSON included: about half the server time of the jurisdictions page); the cached
    figures are shared by sessions and only read. ``plotly.io.to_json`` pops each trace's ``uid`` from
    that dict, so the data list, each trace and the layout must be new for every call.
    When this fails after a Plotly upgrade: ``BaseFigure.to_dict`` or the figure's attribute handling
    changed; adapt ``FrozenFigure`` (or cap Plotly below the release), then re-run the jurisdictions
    and plans page tests."""
    import plotly.graph_objects as go

    from opengov.charts.frozen import FrozenFigure, freeze

    assert list(inspect.signature(go.Figure.to_dict).parameters) == ["self"]  # FrozenFigure.to_dict(self)
    expected = _figure().to_dict()
    fig = _figure()
    assert freeze(fig) is fig and type(fig) is FrozenFigure and isinstance(fig, go.Figure)
    first, second = fig.to_dict(), fig.to_dict()
    assert first == expected and second == expected
    assert first is not second and first["data"] is not second["data"] and first["layout"] is not second["layout"]
    assert all(a is not b for a, b in zip(first["data"], second["data"], strict=True))
    first["data"][0].pop("uid")  # what plotly.io.to_json does to every trace
    first["data"].append({"type": "scatter"})
    first["layout"]["title"] = "changed"
    assert fig.to_dict() == expected


def test_frozen_figure_still_serialises_with_plotly_io_and_st_plotly_chart(tmp_path: Path) -> None:
    """``plotly.io.to_json`` (what Streamlit sends) gives the same JSON for a frozen figure, every time,
    and ``st.plotly_chart`` accepts the frozen figure (AppTest). When this fails, see the previous
    test's docstring; after a Streamlit upgrade also read how ``streamlit/elements/plotly_chart.py``
    now serialises a figure (1.67: ``return_figure_from_figure_or_data`` calls ``fig.to_dict()``, then
    ``plotly.io.to_json(..., validate=False)``)."""
    import json

    import plotly.io as pio
    from streamlit.testing.v1 import AppTest

    from opengov.charts.frozen import freeze

    expected = pio.to_json(_figure())
    fig = freeze(_figure())
    assert pio.to_json(fig) == expected and pio.to_json(fig) == expected
    script = tmp_path / "plotly_frozen.py"
    script.write_text(
        "import plotly.graph_objects as go\nimport streamlit as st\n"
        "from opengov.charts.frozen import freeze\n"
        "fig = go.Figure([go.Scatter(x=[1, 2, 3], y=[2, 1, 3], uid='first', marker={'color': '#0072B2'}),\n"
        "                 go.Bar(x=['a', 'b'], y=[4, 5], uid='second')])\n"
        "fig.update_layout(title='t', geo={'fitbounds': 'locations'})\n"
        "st.plotly_chart(freeze(fig), key='frozen')\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(script), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert json.loads(charts[0].proto.spec) == json.loads(expected)


# --------------------------------------------------------------------------- the front end's texts and test ids


def _frontend_js() -> str:
    """Every script of Streamlit's front end (its bundle, with Plotly's and Vega's code)."""
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    files = sorted(js.glob("*.js"))
    assert files, f"no front-end scripts under {js}"
    return "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in files)


#: Texts the front end composes from parts (``Press Enter to ${e}`` with ``submit form`` or ``apply``).
_COMPOSED = {
    "Press Enter to submit form": ("`Press Enter to ${e}`", "`submit form`"),
    "Press Enter to apply": ("`Press Enter to ${e}`", "`apply`"),
}


def test_streamlit_still_writes_the_english_texts_the_frame_localizes() -> None:
    """``opengov.ui.chrome`` puts Streamlit's own English texts (accessible names, placeholders, the file
    uploader's instructions) in the page's language by matching them exactly (``STREAMLIT_TEXTS``,
    ``STREAMLIT_PREFIXES``, ``PER_FILE``), in the page, once Streamlit has drawn them.

    Why: Streamlit 1.67 has no interface translation and no option for these texts; on a French page
    they were the English left (issue 19). When this fails after an upgrade: a text was reworded or
    removed; find the new wording in ``streamlit/static/static/js`` and update the key in
    ``STREAMLIT_TEXTS`` (the catalogue keys ``chrome.*`` stay), or drop it. If Streamlit gained its own
    translation, the script can go; tests/browser/test_french_and_fit.py checks the French pages."""
    from opengov.ui import chrome

    source = _frontend_js()
    missing = []
    for text in [*chrome.STREAMLIT_TEXTS, *chrome.STREAMLIT_PREFIXES, chrome.PER_FILE]:
        parts = _COMPOSED.get(text, (text.strip(),))
        if not all(part in source for part in parts):
            missing.append(text)
    assert missing == [], f"no longer in Streamlit's front end: {missing}"


def test_the_toolbars_the_frame_hides_are_still_english_and_still_named_so() -> None:
    """``opengov.ui.chrome.CSS`` hides the built-in toolbars of charts and tables
    (``[data-testid="stElementToolbar"]`` beside a Vega chart, a data frame or a Plotly chart), and lets
    KPI texts wrap (``stMetric``, ``stMetricDelta``, the ``stMarkdownEllipsis`` class).

    Why: the toolbars' texts are English only ("Download as PNG", "Show data", "Fullscreen", "Search",
    "Download as CSV") and no option removes them for one element (``client.disableDataExport`` only
    drops the CSV button); every chart block has its own downloads in the UI language. A KPI label
    ended in "…" where French is longer. When this fails after an upgrade: a test id or class was
    renamed (update the selectors in opengov/ui/chrome.py), or the labels became translatable (then
    show the toolbars again). tests/browser/test_french_and_fit.py fails when the selectors stop
    matching in the page."""
    from opengov.ui import chrome

    source = _frontend_js()
    for test_id in ("stElementToolbar", "stVegaLiteChart", "stDataFrameResizable", "stPlotlyChart", "stMetric"):
        assert f"`{test_id}`" in source, test_id
    assert "`stMetricDelta`" in source and "stMarkdownEllipsis" in source
    for label in ("`Download as PNG`", "`Show data`", "`Fullscreen`", "`Search`", "`Download as CSV`"):
        assert label in source, f"{label}: the toolbar's label changed; is it translatable now?"
    for selector in (chrome.TOOLBAR, *chrome.TOOLBAR_OF, chrome.METRIC_TEXT):
        assert selector in chrome.CSS
