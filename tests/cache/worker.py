"""One app server process for tests/cache: an AppTest of a page on the store of OPENGOV_DATABASE_URL, driven by
commands read from stdin, one JSON answer per line on stdout (nothing else is written there).

    python -m tests.cache.worker PAGE LABEL_KEY     e.g. pages/overview.py overview.plans.kpi.overdue

    run                       rerun the page (the first time: build the AppTest of app.py, run it, switch to PAGE)
                              -> {"ok": true, "value": the metric labelled t(LABEL_KEY, "en"), "exceptions": [...]}
    edit CODE FIELD=VALUE...  save a CSIS milestone as an editor (opengov.features.plans.edits.save_milestone at the
                              version load_milestone reads) -> {"ok": true, "milestone": id, "version": new version}
    quit

A command that fails answers {"ok": false, "error": the traceback}. Separate processes share no Python memory, so
no Streamlit cache: what one sees of another's write comes through the database only.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PLAN = "CSIS-PMOGO"
EDITOR_NAME = "ed"


class Server:
    def __init__(self, page: str, label_key: str) -> None:
        self.page = page
        self.label_key = label_key
        self.url = os.environ["OPENGOV_DATABASE_URL"]
        self.at: Any = None

    def run(self) -> dict[str, Any]:
        from streamlit.testing.v1 import AppTest

        from opengov.i18n import t

        if self.at is None:
            self.at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
            self.at.query_params["lang"] = "en"
            self.at.run()
            self.at.switch_page(self.page)
        self.at.run()
        metrics = {m.label: m.value for m in self.at.metric}
        return {"value": metrics.get(t(self.label_key, "en")), "exceptions": [str(e.value) for e in self.at.exception]}

    def edit(self, code: str, *assignments: str) -> dict[str, Any]:
        from sqlalchemy import select

        from opengov.auth import Actor
        from opengov.features.plans.edits import load_milestone, save_milestone
        from opengov.store import models as m
        from opengov.store.db import session_scope

        changes = dict(a.split("=", 1) for a in assignments)
        with session_scope(self.url) as s:
            mid = s.scalar(select(m.Milestone.id).where(m.Milestone.plan_id == PLAN, m.Milestone.code == code))
        if mid is None:
            raise KeyError(f"no milestone {code} in {PLAN}")
        current = load_milestone(self.url, mid)["version"]
        version = save_milestone(self.url, Actor(EDITOR_NAME, "editor"), mid, current, changes, note="tests/cache")
        return {"milestone": mid, "version": version}


def main(argv: list[str]) -> int:
    answers = sys.stdout
    sys.stdout = sys.stderr  # Streamlit's and anyone's prints must not break the JSON lines
    os.chdir(REPO)
    server = Server(*argv)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        try:
            if words[0] == "run":
                reply = {"ok": True, **server.run()}
            elif words[0] == "edit":
                reply = {"ok": True, **server.edit(*words[1:])}
            else:
                reply = {"ok": False, "error": f"unknown command {words[0]!r}"}
        except Exception:  # noqa: BLE001 - the test reads the traceback
            reply = {"ok": False, "error": traceback.format_exc()}
        answers.write(json.dumps(reply) + "\n")
        answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
