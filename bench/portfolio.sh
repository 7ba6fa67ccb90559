#!/usr/bin/env bash
# A trust's portfolio: N small projects checked in one invocation
# (`clinsafe check P1 P2 … --format json`) against N start-ups (one `clinsafe check` each).
#
#   bench/portfolio.sh
#
# Environment:
#   N=500                   projects
#   HAZARDS=20              hazards per project (controls 2x, 2 metrics x 12 observations)
#   RUNS=3                  timed runs of each (the best is reported)
#   PROFILE=release         cargo profile to build and measure (see bench/floor.sh)
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-portfolio
#   AS_OF=2026-11-25
#
# CPU time (user + system of the process and its children, GNU time) and wall time, best of
# RUNS. The machine is shared: CPU time is the steadier figure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
N="${N:-500}"
HAZARDS="${HAZARDS:-20}"
RUNS="${RUNS:-3}"
PROFILE="${PROFILE:-release}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-portfolio}"
AS_OF="${AS_OF:-2026-11-25}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

echo "building ($PROFILE)..." >&2
cargo build --quiet --profile "$PROFILE" --bin clinsafe
BIN="$ROOT/target/$PROFILE/clinsafe"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

rm -rf "$BENCH_DIR" && mkdir -p "$BENCH_DIR"
python3 bench/generate.py "$BENCH_DIR/template" --hazards "$HAZARDS" --controls $((2 * HAZARDS)) \
  --metrics 2 --observations 12 > /dev/null
projects=()
for i in $(seq -w 1 "$N"); do
  cp -r "$BENCH_DIR/template" "$BENCH_DIR/p$i"
  projects+=("$BENCH_DIR/p$i")
done
printf '%s\n' "${projects[@]}" > "$TMP/list"

# Both ways must agree before they are timed.
"$BIN" check "${projects[@]}" --as-of "$AS_OF" --format json > "$TMP/one.json" 2> /dev/null || true
count="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$TMP/one.json")"
[[ $count == "$N" ]] || { echo "ERROR: $count reports for $N projects" >&2; exit 1; }

# xargs exits 123 when a project has findings: not a failure here.
BEST_MAX_EXIT=255
read -r c1 w1 r1 < <(best_of "$BIN" check "${projects[@]}" --as-of "$AS_OF" --format json)
read -r cn wn rn < <(best_of xargs -a "$TMP/list" -n 1 "$BIN" check --as-of "$AS_OF" --format json)
echo "| $N projects × $HAZARDS hazards | CPU s | wall s | max RSS MB |"
echo "|---|--:|--:|--:|"
echo "| one \`clinsafe check P1 … P$N --format json\` | $c1 | $w1 | $r1 |"
echo "| $N × \`clinsafe check P --format json\` (xargs -n 1) | $cn | $wn | $rn (each) |"
echo
echo "- one process: $(awk -v a="$cn" -v b="$c1" 'BEGIN { printf "%.1f", a / b }')x less CPU, $(awk -v a="$wn" -v b="$w1" 'BEGIN { printf "%.1f", a / b }')x less wall time than $N start-ups"
echo "- $PROFILE build; best of $RUNS; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
