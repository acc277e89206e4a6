"""Item 11 of issue 21: ``secrets.toml.example``'s placeholder ``cookie_secret`` copied unchanged is refused
at start-up (``./scripts/run.sh`` stops before the server, and the app shows a clear error instead of pages)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from opengov.auth import MIN_COOKIE_SECRET, SECRETS_EXAMPLE, check_secrets_file, secrets_problems
from opengov.i18n import t
from tests.helpers.browser import REPO_ROOT


def _example() -> dict:
    with SECRETS_EXAMPLE.open("rb") as f:
        return tomllib.load(f)["auth"]


def test_the_example_copied_unchanged_is_refused() -> None:
    assert secrets_problems(_example()) == ["cookie_secret", "client_secret"]
    good = {**_example(), "cookie_secret": "k" * MIN_COOKIE_SECRET, "client_secret": "s3cr3t-from-the-idp"}
    assert secrets_problems(good) == []
    assert secrets_problems({**good, "cookie_secret": "short"}) == ["cookie_secret"]
    assert secrets_problems(None) == [] and secrets_problems({}) == []  # local accounts: nothing to check


def test_start_up_check_stops_on_the_copied_example(tmp_path: Path) -> None:
    copied = tmp_path / "secrets.toml"
    shutil.copyfile(SECRETS_EXAMPLE, copied)
    code = (
        "import sys; from pathlib import Path; from opengov.auth import check_secrets_file; "
        f"sys.exit(check_secrets_file(Path({str(copied)!r})))"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert res.returncode == 2
    assert "cookie_secret, client_secret is still the example's placeholder" in res.stderr
    assert "secrets.token_urlsafe(48)" in res.stderr and "Traceback" not in res.stderr
    copied.write_text(
        copied.read_text()
        .replace("change-me-to-a-long-random-string", "x" * 64)
        .replace('"change-me"', '"the-real-client-secret"')
    )
    assert check_secrets_file(copied) == 0
    assert check_secrets_file(tmp_path / "absent.toml") == 0
    assert "check_secrets_file" in (REPO_ROOT / "scripts" / "run.sh").read_text()  # run before the server


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_app_refuses_to_run_with_the_placeholder(
    sqlite_cli_store: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = _example()
    at.query_params["lang"] = lang
    at.run()
    expected = t("error.secrets_placeholder", lang, keys="cookie_secret, client_secret", n=MIN_COOKIE_SECRET)
    assert [e.value for e in at.error] == [expected]
    assert not at.title and not at.metric  # no page ran
