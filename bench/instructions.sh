#!/usr/bin/env bash
# Instructions executed by `clinsafe render --format pdf`, counted by callgrind: a measure that
# does not move with the machine's load (CPU time on a shared 2-core machine varies ±10–20%),
# for comparing two builds of the PDF path step by step.
#
#   bench/instructions.sh [BINARY...]   # default: target/profiling/clinsafe
#
# Environment:
#   HAZARDS=200             size of the generated project (controls 2x, metrics /10 x 24 observations)
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-instructions
#   AS_OF=2026-11-25
#   FORMAT=pdf              what `render` writes (pdf, html or both as html,pdf)
#
# Prints, per binary, the whole render's instructions and the inclusive instructions of the
# PDF layout (`Layout::stream`, on the document's thread: it includes reading the fragment), of
# the writer (`backend::Writer::page`, on a thread of its own) and of reading the fragment
# (`parse::Blocks::next`); the layout's own share is the first minus the third (before the
# one-pass round the writer ran inside the layout: there, minus the second too). Needs
# valgrind (callgrind, callgrind_annotate); a profiling build keeps the symbols:
#   CARGO_PROFILE_PROFILING_INCREMENTAL=true cargo build --profile profiling --bin clinsafe
set -euo pipefail
cd "$(dirname "$0")/.."
HAZARDS=${HAZARDS:-200}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-instructions}
AS_OF=${AS_OF:-2026-11-25}
FORMAT=${FORMAT:-pdf}
for tool in valgrind callgrind_annotate python3; do
  command -v "$tool" >/dev/null || { echo "bench/instructions.sh needs $tool" >&2; exit 2; }
done
[ $# -gt 0 ] || set -- target/profiling/clinsafe
project="$BENCH_DIR/project-$HAZARDS"
if [ ! -f "$project/clinsafe.yaml" ]; then
  python3 bench/generate.py "$project" --hazards "$HAZARDS" --controls $((HAZARDS * 2)) \
    --metrics $((HAZARDS / 10 > 0 ? HAZARDS / 10 : 1)) --observations 24 >/dev/null
fi
printf '| binary | render | Layout::stream | Writer::page | Blocks::next |\n|--|--:|--:|--:|--:|\n'
for bin in "$@"; do
  out="$BENCH_DIR/out" data="$BENCH_DIR/callgrind.out"
  rm -rf "$out"
  valgrind --tool=callgrind --callgrind-out-file="$data" "$bin" render "$project" \
    --format "$FORMAT" --as-of "$AS_OF" --out "$out" >/dev/null 2>&1 || [ $? -le 1 ]
  report=$(callgrind_annotate --inclusive=yes "$data" 2>/dev/null)
  count() { # the inclusive count of the first function matching $1, or 0
    printf '%s\n' "$report" | grep -E "$1" | head -1 | awk '{gsub(",", "", $1); print $1}' | grep . || echo 0
  }
  total=$(printf '%s\n' "$report" | grep -E 'PROGRAM TOTALS' | awk '{gsub(",", "", $1); print $1}')
  printf '| %s | %s | %s | %s | %s |\n' "$bin" "$total" "$(count 'layout::Layout::stream ')" \
    "$(count 'backend::Writer::page ')" "$(count 'parse::Blocks as core::iter')"
done
