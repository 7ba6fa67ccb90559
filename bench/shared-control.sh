#!/usr/bin/env bash
# How `clinsafe check` scales when every hazard names the same control (issue 11 item 10).
#
#   bench/shared-control.sh      # build, generate into $BENCH_DIR, print a Markdown table
#
# Environment:
#   SIZES="10000 20000 40000 80000"   hazards per project
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-shared   where the projects are generated
#   CLINSAFE=path                     measure this binary instead of building target/release/clinsafe
#
# Linear means the last column (seconds per 10,000 hazards) stays about the same as the
# size doubles; before the fix it doubled with the size (graph building compared each new
# link with every edge the shared control already had).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
SIZES="${SIZES:-10000 20000 40000 80000}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-shared}"
bench_binary
mkdir -p "$BENCH_DIR"
echo "| hazards sharing one control | check (s) | max RSS (MB) | s per 10,000 hazards |"
echo "|---:|---:|---:|---:|"
for n in $SIZES; do
  dir="$BENCH_DIR/h$n"
  rm -rf "$dir"
  python3 bench/shared_control.py "$dir" "$n"
  usage="$BENCH_DIR/usage"
  start="$(now_ns)"
  status=0
  /usr/bin/time -o "$usage" -f '%e %M %U %S' "$BIN" check "$dir" --as-of 2026-11-25 --format json > /dev/null 2>&1 || status=$?
  end="$(now_ns)"
  (( status <= 1 )) || { echo "check exited $status on $n hazards" >&2; exit 1; }
  read_usage "$usage"
  secs="$(seconds_between "$start" "$end")"
  per="$(awk -v s="$secs" -v n="$n" 'BEGIN { printf "%.3f", s * 10000 / n }')"
  echo "| $n | $secs | $(( RSS_KB / 1024 )) | $per |"
done
