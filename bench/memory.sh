#!/usr/bin/env bash
# Peak memory of `clinsafe render` on a long metric CSV and on a long unbroken title
# (issue 11 item 9). Not a timed test: it prints a Markdown table of max RSS.
#
#   bench/memory.sh          # build, generate into $BENCH_DIR, measure
#
# Environment:
#   ROWS="200000 1000000"    CSV rows of the one metric (dates spread over six and a half years)
#   TITLE_CHARS="1000000"    characters of one hazard title with no space in it
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-memory
#   CLINSAFE=path            measure this binary instead of building target/release/clinsafe
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source bench/lib.sh
ROWS="${ROWS:-200000 1000000}"
TITLE_CHARS="${TITLE_CHARS:-1000000}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-memory}"
bench_binary
mkdir -p "$BENCH_DIR"

manifest() { printf 'clinsafe: 1\nsystem: { name: Memory }\ndocument: { id: DOC-1, version: "1" }\n' > "$1/clinsafe.yaml"; }

# measure NAME DIR FORMAT: one render, its max RSS in MB.
measure() {
  rm -rf "$2/out"
  local status=0
  /usr/bin/time -o "$BENCH_DIR/usage" -f '%e %M %U %S' "$BIN" render "$2" --format "$3" --as-of 2026-11-25 > /dev/null 2>&1 || status=$?
  (( status <= 1 )) || { echo "render exited $status on $1" >&2; exit 1; }
  read_usage "$BENCH_DIR/usage"
  echo "| $1 | $3 | $(du -k "$4" | cut -f1) | $(( RSS_KB / 1024 )) |"
}

echo "| input | format | input size (KB) | max RSS (MB) |"
echo "|---|---|---:|---:|"
for rows in $ROWS; do
  dir="$BENCH_DIR/csv-$rows"
  rm -rf "$dir"; mkdir -p "$dir/metrics"; manifest "$dir"
  printf 'metrics:\n  - { id: MET-1, title: Busy, better: lower, threshold: 900, warn: 800, data: metrics/m.csv }\n' > "$dir/metrics/m.yaml"
  python3 - "$dir/metrics/m.csv" "$rows" <<'PY'
import datetime, random, sys
random.seed(1)
path, n = sys.argv[1], int(sys.argv[2])
d0 = datetime.date(2020, 1, 1)
with open(path, "w") as f:
    f.write("date,value,note\n")
    for i in range(n):
        f.write(f"{(d0 + datetime.timedelta(days=i * 2400 // n)).isoformat()},{random.uniform(0, 1000):.2f},\n")
PY
  measure "CSV of $rows rows" "$dir" html "$dir/metrics/m.csv"
  measure "CSV of $rows rows" "$dir" pdf "$dir/metrics/m.csv"
done
for chars in $TITLE_CHARS; do
  dir="$BENCH_DIR/title-$chars"
  rm -rf "$dir"; mkdir -p "$dir"; manifest "$dir"
  python3 -c "import sys; print('hazards:\n  - id: HAZ-1\n    title: ' + 'A' * int(sys.argv[1]) + '\n    justification: ok\n    initial_risk: { severity: minor, likelihood: low }')" "$chars" > "$dir/h.yaml"
  measure "title of $chars characters" "$dir" pdf "$dir/h.yaml"
done
