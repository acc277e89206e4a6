"""Jurisdiction profiles: every province and territory and every jurisdiction with a plan has one, its
numbers are the numbers of the pages they come from, and the one-page PDF renders in both languages."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from metrics.coverage import PROVINCES_TERRITORIES
from opengov.features.jurisdictions import figures as jf
from opengov.features.jurisdictions import queries as jq
from opengov.features.plans import queries as pq
from opengov.features.profiles import figures as pf
from opengov.features.profiles import queries as q
from opengov.features.profiles.pdf import build_profile
from opengov.features.usage import queries as uq
from opengov.store import reads
from tests.helpers.browser import REPO_ROOT

TODAY = dt.date(2026, 12, 3)


def test_every_province_territory_and_jurisdiction_with_a_plan_has_a_profile(store: str) -> None:
    codes = {j.code for j in q.jurisdictions(store)}
    assert {"CA", *PROVINCES_TERRITORIES} <= codes
    with_plan = set(pq.plans(store)["jurisdiction"])
    assert with_plan <= codes  # CA, QC, ON
    for code in ["CA", *PROVINCES_TERRITORIES]:
        p = q.profile(code, store, TODAY)
        for lang in ("en", "fr"):
            assert pf.name_of(p, lang)
            pf.portals_table(p, lang)
            pf.plans_table(p, lang)
            pf.wg_table(p, lang)
            pf.facts_table(p, lang)
            assert pf.comparison_text(p, q.comparable_rates(store), lang)
    assert any(j.kind == "municipal" for j in q.jurisdictions(store))


def test_federated_records_and_per_capita_match_the_jurisdictions_page(store: str) -> None:
    from metrics.jurisdictions import latest_successful

    page = jf.PtFigures(
        reads.portals(store),
        latest_successful(jq.all_snapshots(store)),
        jq.organization_counts(store),
        "en",
        view="per_capita",
        basis="federated",
        populations=reads.populations(store),
    ).pt.set_index("pt_code")
    for code in ("QC", "YT", "AB", "NT"):
        p = q.profile(code, store, TODAY)
        assert p.federated == page.loc[code, "federated_datasets_count"]
        assert p.population == page.loc[code, "population"] and p.population_year == 2021
    rates = q.comparable_rates(store).set_index("pt_code")
    assert rates.loc["YT", "rate_per_100k"] == pytest.approx(page.loc["YT", "rate_per_100k"])
    text = pf.comparison_text(q.profile("YT", store, TODAY), q.comparable_rates(store), "en")
    assert "2,813.7" in text and "territories" in text and "rank 1 of 2" in text  # Nunavut has no records
    assert "no record" in pf.comparison_text(q.profile("NU", store, TODAY), q.comparable_rates(store), "en")


def test_plans_match_the_plans_page_and_usage_matches_the_usage_page(store: str) -> None:
    qc = q.profile("QC", store, TODAY)
    by_id = {s.plan_id: s for s in pq.standings(TODAY, store)}
    assert [s.plan_id for s in qc.plans] == ["QC-2021"]
    assert qc.plans[0].coverage == by_id["QC-2021"].coverage and qc.plans[0].overdue == by_id["QC-2021"].overdue
    ca = q.profile("CA", store, TODAY)
    assert {s.plan_id for s in ca.plans} >= {"NAP5", "NAP6", "CSIS-PMOGO"}
    assert not ca.irm.empty  # the IRM rated federal commitments
    yt = q.profile("YT", store, TODAY)
    assert list(yt.own_usage) == ["yt"]
    pd.testing.assert_frame_equal(
        yt.own_usage["yt"].reset_index(drop=True), uq.monthly("visits", "total", portal="yt", url=store)
    )
    assert int(yt.own_catalogue["records_count"].sum()) > int(
        yt.own_catalogue.loc[yt.own_catalogue["type"] == "data", "records_count"].iloc[0]
    )
    fig = pf.own_usage_figure(yt, "yt", "fr")
    assert fig is not None and "Matomo" in fig.chart.to_dict()["title"]
    # Québec's working-group part and its cited facts (Données Québec's partners, the 2019 floods)
    assert not pf.wg_table(qc, "fr").empty
    facts = " ".join(pf.facts_table(qc, "fr").iloc[:, 0])
    assert "Données Québec" in facts and "2019" in facts
    assert pf.facts_table(qc, "fr").iloc[:, 0].is_unique


def test_a_section_without_data_says_so(store: str) -> None:
    nu = q.profile("NU", store, TODAY)
    assert nu.plans == [] and nu.own_usage == {} and pf.wg_table(nu, "en").empty
    assert pf.count_history_figure(nu, "en") is None


@pytest.mark.parametrize("code", ["QC", "YT"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_one_page_pdf_profile_renders(store: str, code: str, lang: str, tmp_path) -> None:
    pdf = build_profile(code, lang, store, TODAY)
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    name = {"QC": "Québec", "YT": "Yukon"}[code]
    assert name in text
    assert ("Profil du gouvernement ouvert" if lang == "fr" else "Open government profile") in text
    if code == "YT":
        assert "open.yukon.ca" in text  # the usage chart is an image; its text alternative names the portal


def test_profile_command_line(store: str, tmp_path) -> None:
    env = {"OPENGOV_DATABASE_URL": store, "PATH": "/usr/bin:/bin"}
    out = tmp_path / "yt.pdf"
    ok = subprocess.run(
        [sys.executable, "-m", "opengov", "profile", "--jur", "yt", "--lang", "fr", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert out.read_bytes().startswith(b"%PDF")
    bad = subprocess.run(
        [sys.executable, "-m", "opengov", "profile", "--jur", "atlantis", "--lang", "fr", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2 and "unknown jurisdiction 'atlantis'" in bad.stderr and "Traceback" not in bad.stderr
