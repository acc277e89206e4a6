#!/usr/bin/env bash
# One command for the performance benchmark: ./benchmarks/run.sh [--strict] [--n-page N] ...
# Installs what it needs the same way as the tests (scripts/test.sh, without running pytest),
# then prints Markdown tables and writes them to benchmarks/results/latest.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OPENGOV_SETUP_ONLY=1 ./scripts/test.sh
exec .venv/bin/python -m benchmarks.bench_pages "$@"
