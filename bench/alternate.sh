#!/usr/bin/env bash
# Two or more builds of clinsafe rendered alternately on one generated project: on a shared
# machine whose speed moves by tens of per cent from minute to minute, runs taken in turn (A B A
# B …) see the same conditions, where a block of runs of each would not. Prints, per binary,
# the best and median wall time, the best and median CPU (user + system) and the range of max RSS.
#
#   bench/alternate.sh BINARY BINARY...   # e.g. main's build and a branch's
#
# Environment:
#   RUNS=6                  runs of each binary
#   HAZARDS=10000           size of the generated project (controls 2x, metrics /10 x 24 observations)
#   FORMAT=pdf              what `render` writes (pdf, html or html,pdf)
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-alternate
#   AS_OF=2026-11-25
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
RUNS=${RUNS:-6}
HAZARDS=${HAZARDS:-10000}
FORMAT=${FORMAT:-pdf}
AS_OF=${AS_OF:-2026-11-25}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-alternate}
[ $# -ge 1 ] || { echo "usage: bench/alternate.sh BINARY [BINARY...]" >&2; exit 2; }
project="$BENCH_DIR/project-$HAZARDS"
if [ ! -f "$project/clinsafe.yaml" ]; then
  python3 bench/generate.py "$project" --hazards "$HAZARDS" --controls $((HAZARDS * 2)) \
    --metrics $((HAZARDS / 10 > 0 ? HAZARDS / 10 : 1)) --observations 24 >/dev/null
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
for ((r = 1; r <= RUNS; r++)); do
  n=0
  for bin in "$@"; do
    n=$((n + 1))
    rm -rf "$BENCH_DIR/out"
    s="$(now_ns)"
    /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$bin" render "$project" --format "$FORMAT" \
      --out "$BENCH_DIR/out" --as-of "$AS_OF" >/dev/null 2>"$TMP/err" || {
      rc=$?
      [ "$rc" -le 1 ] || { echo "ERROR: $bin exited $rc:" >&2; tail -n 20 "$TMP/err" >&2; exit 1; }
    }
    e="$(now_ns)"
    read_usage "$TMP/time"
    echo "$(seconds_between "$s" "$e") $CPU $((RSS_KB / 1024))" >> "$TMP/runs-$n"
  done
done
echo "| binary | wall s best | wall s median | CPU s best | CPU s median | max RSS MB |"
echo "|--|--:|--:|--:|--:|--:|"
n=0
for bin in "$@"; do
  n=$((n + 1))
  python3 - "$bin" "$TMP/runs-$n" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[2])]
wall = [float(r[0]) for r in rows]; cpu = [float(r[1]) for r in rows]; rss = [int(r[2]) for r in rows]
print(f"| {sys.argv[1]} | {min(wall):.2f} | {statistics.median(wall):.2f} | {min(cpu):.2f} | "
      f"{statistics.median(cpu):.2f} | {min(rss)}–{max(rss)} |")
EOF
done
echo "($RUNS runs each, alternated; $HAZARDS hazards; render --format $FORMAT; load average $(cut -d' ' -f1-3 /proc/loadavg))"
