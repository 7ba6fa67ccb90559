#!/usr/bin/env bash
# Benchmark `clinsafe import` on a generated 10,000-row hazard log (2,500 hazards x 2 causes x
# 2 controls, the NHS template's columns), as CSV and as xlsx.
#
#   bench/import.sh          # build, generate into $BENCH_DIR, measure, print a Markdown table
#
# Environment:
#   ROWS=10000               data rows (a multiple of 4)
#   RUNS=3                   timed runs per measurement (the best is reported)
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-import
#   CLINSAFE=path            measure this binary instead of building target/release/clinsafe
#
# The xlsx is clinsafe's own `render --format xlsx` of the imported CSV, so the two inputs
# hold the same hazard log. Each run imports into a fresh folder (import never overwrites).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
ROWS="${ROWS:-10000}"
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-import}"
if [ -z "${CLINSAFE:-}" ]; then
  (cd "$here/.." && cargo build --release --quiet)
  CLINSAFE="$here/../target/release/clinsafe"
fi
rm -rf "$BENCH_DIR" && mkdir -p "$BENCH_DIR"
python3 - "$ROWS" > "$BENCH_DIR/log.csv" <<'PY'
import sys
rows = int(sys.argv[1])
sev = ["Minor", "Significant", "Considerable", "Major", "Catastrophic"]
lik = ["Very low", "Low", "Medium", "High", "Very high"]
print("Hazard #,Hazard Name,Clinical impact,Cause #,Possible Causes,Control #,Additional controls,"
      "I. Consequence,I. Likelihood,Control type,Control owner,Action status,R. Consequence,R. Likelihood")
for i in range(rows // 4):
    h = f"{i + 1:05d}"
    for c in range(2):
        for k in range(2):
            first, cause_first = c == 0 and k == 0, k == 0
            print(",".join([
                h if first else "", f"Hazard {h} title" if first else "", f"Harm of {h}" if first else "",
                f"{h}{c + 1:02d}" if cause_first else "", f"Cause {c + 1} of {h}" if cause_first else "",
                f"{h}{c + 1:02d}{k + 1:02d}", f"Control {k + 1} for cause {c + 1} of {h}",
                sev[i % 5] if first else "", lik[(i // 5) % 5] if first else "",
                "Design" if k == 0 else "Training", "Owner", "Closed" if k == 0 else "Open",
                sev[i % 5] if first else "", "Very low" if first else "",
            ]))
PY
"$CLINSAFE" import "$BENCH_DIR/log.csv" --out "$BENCH_DIR/from-csv" 2>/dev/null
"$CLINSAFE" render "$BENCH_DIR/from-csv" --format xlsx --out "$BENCH_DIR/xlsx" --as-of 2026-11-25 >/dev/null 2>&1 || true
best() { # best wall seconds of RUNS imports of $1
  local best="" s e t
  for r in $(seq "$RUNS"); do
    rm -rf "$BENCH_DIR/run"
    s="$(now_ns)"; "$CLINSAFE" import "$1" --out "$BENCH_DIR/run" 2>/dev/null; e="$(now_ns)"
    t="$(seconds_between "$s" "$e")"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$t"; fi
  done
  echo "$best"
}
echo "| input | data rows | hazards | controls | wall s (best of $RUNS) |"
echo "|---|--:|--:|--:|--:|"
for f in "$BENCH_DIR/log.csv" "$BENCH_DIR/xlsx/hazard-log.xlsx"; do
  echo "| $(basename "$f") | $ROWS | $((ROWS / 4)) | $ROWS | $(best "$f") |"
done
