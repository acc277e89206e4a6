#!/usr/bin/env bash
# One command for every benchmark: ./benchmarks/run.sh
# Installs what it needs the same way as the tests (scripts/test.sh without pytest), then runs:
#   bench_pages   page-ready time vs a bare Streamlit page (≤ 1.3x) and rerun server time (≤ 100 ms)
#   bench_elements what each kind of Streamlit element adds to the bare page in its navigation shell
#   bench_usage   usage-page rerun after a filter change at 1x, 10x, 100x data (≤ 100 / 150 ms)
#   bench_refresh 20 portals answering in 1 s each: sequential vs concurrent (≤ 3 s)
#   bench_refresh_hung 20 healthy portals and one that trickles a byte every 5 s (≤ deadline + 2 s)
#   bench_exports chart export of every chart block (≤ 0.3 s)
#   bench_brief   executive brief in a fresh process (≤ 5 s) and warm (≤ 1 s)
#   bench_imports 200,000-row imports of each kind while an editor saves (≤ 60 s, ≤ 300 MB, saves ≤ 2 s)
# Prints Markdown tables and writes them all to benchmarks/results/latest.md.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OPENGOV_SETUP_ONLY=1 ./scripts/test.sh >/dev/null || exit 2
out=benchmarks/results/latest.md
mkdir -p benchmarks/results
tmp=$(mktemp -d)
status=0
run() {
  local name=$1; shift
  echo "==> $name" >&2
  if ! .venv/bin/python -m "benchmarks.$name" "$@" >"$tmp/$name.md"; then status=1; fi
  cat "$tmp/$name.md"
}
run bench_pages --output "$tmp/pages-full.md"
run bench_elements
run bench_usage
run bench_refresh
run bench_refresh_hung
run bench_exports
run bench_brief
run bench_imports --again
{
  echo "# Benchmarks — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  for f in bench_pages bench_elements bench_usage bench_refresh bench_refresh_hung bench_exports bench_brief bench_imports; do
    echo; echo "## $f"; echo; cat "$tmp/$f.md"
  done
} >"$out"
echo "wrote $out" >&2
exit $status
