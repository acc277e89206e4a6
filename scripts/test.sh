#!/usr/bin/env bash
# The one test command: ./scripts/test.sh [pytest args...]
#
# Idempotent. On a fresh Debian 12 machine (root, Python 3.11, node/npm) it installs what the
# tests need, then runs pytest over tests/ and exits with pytest's code:
#   * .venv (created if missing) + pip install -r requirements-dev.txt (when the requirements changed)
#   * Debian packages chromium and postgresql (apt-get, only when missing)
#   * npm ci from package-lock.json (axe-core) when node_modules is missing or stale
# then runs the static checks (ruff lint + format, import-linter contracts, mypy), each fatal, and
# pytest over tests/ (AppTest, SQLite and a real PostgreSQL server, headless Chromium with axe-core).
# No display is needed (Chromium runs headless).
#
# Environment:
#   OPENGOV_SETUP_ONLY=1  install everything, then exit 0 without running pytest
#   OPENGOV_SKIP_PG=1     do not install PostgreSQL; PostgreSQL-backed tests are skipped
#   PYTHON=python3.11     interpreter used to create .venv
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$(pwd)"
VENV="$REPO/.venv"

say() { printf '[test.sh] %s\n' "$*"; }
die() { printf '[test.sh] ERROR: %s\n' "$*" >&2; exit 2; }

# ----------------------------------------------------------------------- system packages
apt_missing=()
if [[ ! -x /usr/bin/chromium ]]; then
    apt_missing+=(chromium)
fi
if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
    apt_missing+=(poppler-utils)  # PDF text and page-image checks of the generated reports
fi
if [[ "${OPENGOV_SKIP_PG:-}" != "1" ]] && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    apt_missing+=(postgresql)
fi
if ((${#apt_missing[@]})); then
    if [[ "$(id -u)" != "0" ]]; then
        die "missing Debian packages: ${apt_missing[*]}; run this script as root or install them with apt-get"
    fi
    say "installing Debian packages: ${apt_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${apt_missing[@]}"
else
    say "Debian packages present: chromium$( [[ "${OPENGOV_SKIP_PG:-}" == "1" ]] || echo ", postgresql")"
fi

# ----------------------------------------------------------------------- Python venv
[[ -f requirements-dev.txt ]] || die "requirements-dev.txt not found in $REPO"
if [[ ! -x "$VENV/bin/python" ]]; then
    PY="${PYTHON:-}"
    if [[ -z "$PY" ]]; then
        if command -v python3.11 >/dev/null; then PY=python3.11; else PY=python3; fi
    fi
    "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
        || die "$PY is older than Python 3.11"
    say "creating $VENV with $("$PY" --version 2>&1)"
    "$PY" -m venv "$VENV"
fi
req_stamp="$VENV/.opengov-requirements.sha256"
req_hash="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$req_stamp" || "$(cat "$req_stamp")" != "$req_hash" ]]; then
    say "pip install -r requirements-dev.txt"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip
    "$VENV/bin/python" -m pip install --disable-pip-version-check -r requirements-dev.txt
    echo "$req_hash" >"$req_stamp"
else
    say "Python requirements unchanged since the last install (stamp $req_stamp)"
fi

# ----------------------------------------------------------------------- npm (axe-core)
npm_stamp="node_modules/.opengov-lock.sha256"
npm_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [[ ! -f node_modules/axe-core/axe.min.js || ! -f "$npm_stamp" || "$(cat "$npm_stamp")" != "$npm_hash" ]]; then
    command -v npm >/dev/null || die "npm not found (Node.js is needed for axe-core)"
    say "npm ci (package-lock.json: axe-core)"
    npm ci --no-audit --no-fund
    echo "$npm_hash" >"$npm_stamp"
else
    say "node_modules up to date with package-lock.json"
fi

if [[ "${OPENGOV_SETUP_ONLY:-}" == "1" ]]; then
    say "setup done (OPENGOV_SETUP_ONLY=1): not running pytest"
    exit 0
fi

# ----------------------------------------------------------------------- static checks
# Each fails the command on a finding: lint and format (ruff), the layer contracts (import-linter,
# [tool.importlinter] in pyproject.toml), and the type checks of metrics/ and the store (mypy).
say "ruff check . && ruff format --check ."
"$VENV/bin/ruff" check . || die "ruff found lint problems (fix them, or run: .venv/bin/ruff check --fix .)"
"$VENV/bin/ruff" format --check . || die "files are not formatted (run: .venv/bin/ruff format .)"
say "lint-imports (layer contracts)"
"$VENV/bin/lint-imports" || die "an import breaks a layer contract (see pyproject.toml [tool.importlinter])"
say "mypy (metrics/, opengov/store/)"
"$VENV/bin/python" -m mypy || die "mypy found type errors"

# ----------------------------------------------------------------------- tests
say "running: .venv/bin/python -m pytest $*"
set +e
"$VENV/bin/python" -m pytest "$@"
code=$?
set -e
say "pytest exit code: $code"
exit "$code"
