#!/usr/bin/env bash
# Install OpenGov Impact into .venv (first time) and start the dashboard on the embedded SQLite store.
# Usage: ./scripts/run.sh [extra streamlit options, e.g. --server.port 8502]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing requirements"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$want" > "$stamp"
fi
echo "==> preparing the store (${OPENGOV_DATABASE_URL:-sqlite:///var/opengov.db})"
.venv/bin/python -m opengov init
.venv/bin/python -c "import sys; from opengov.auth import check_secrets_file; sys.exit(check_secrets_file())"
echo "==> starting the dashboard"
exec .venv/bin/python -m streamlit run serve.py "$@"
