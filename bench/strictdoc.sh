#!/usr/bin/env bash
# Compare `clinsafe render --format html` with StrictDoc's HTML export on the same items.
#
#   python3 -m venv /tmp/sdvenv && /tmp/sdvenv/bin/pip install strictdoc   # once
#   bench/strictdoc.sh      # build, generate, convert, measure, print a Markdown table and the ratio
#
# Environment:
#   RUNS=3                  timed runs of each tool (the best is reported)
#   SD_RUNS=$RUNS           timed StrictDoc runs; cut to 1 when its first run takes more than
#                           SD_SLOW=60 seconds
#   HAZARDS=1000 CONTROLS=2000 METRICS=100 OBSERVATIONS=24   the generated project
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-strictdoc        where projects and outputs go
#   AS_OF=2026-11-25        the --as-of date given to clinsafe
#   STRICTDOC=/tmp/sdvenv/bin/strictdoc                       the StrictDoc executable
#   TIME_BIN=/usr/bin/time  GNU time (required here)
#   CLINSAFE=path           measure this binary instead of building target/release/clinsafe
#   WARM=1                  also time one StrictDoc export onto the previous output (its cache
#                           kept), for information; 0 to skip
#
# The clinsafe project comes from bench/generate.py; bench/strictdoc.py turns its hazards and
# controls into one .sdoc (a REQUIREMENT per hazard and per control, controls linked to their
# hazards with RELATIONS / Parent). clinsafe renders strictly more from it: metrics, five
# fields more per hazard, and four documents (safety case with its traceability appendix,
# hazard log, checklist, monitoring pack).
#
# Timed commands (wall time from nanosecond clock reads around /usr/bin/time; max RSS is the
# largest single process, %M, so for StrictDoc's worker processes it is not their sum):
#   clinsafe:  clinsafe render DIR --format html --out OUT --as-of $AS_OF
#              (OUT deleted before each run; exit 0 or 1 is fine, 2 or more stops the script)
#   StrictDoc: strictdoc export --formats html --output-dir OUT SDOC_DIR
#              run from an empty working folder (no strictdoc.toml is picked up). Cold: before
#              each run OUT is deleted, which holds StrictDoc's only cache (OUT/_cache/<version>:
#              pickled parsed documents, RST fragments, compiled Jinja templates; the default
#              since no strictdoc.toml sets dir_for_sdoc_cache), and so is $TMPDIR/strictdoc_cache
#              should a config ever have moved it there. StrictDoc 0.30 has no --no-cache option.
#              Any exit code but 0, or a missing output, stops the script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-3}"
SD_RUNS="${SD_RUNS:-$RUNS}"
SD_SLOW="${SD_SLOW:-60}"
HAZARDS="${HAZARDS:-1000}"
CONTROLS="${CONTROLS:-2000}"
METRICS="${METRICS:-100}"
OBSERVATIONS="${OBSERVATIONS:-24}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-strictdoc}"
AS_OF="${AS_OF:-2026-11-25}"
STRICTDOC="${STRICTDOC:-/tmp/sdvenv/bin/strictdoc}"
TIME_BIN="${TIME_BIN:-/usr/bin/time}"
BIN="${CLINSAFE:-$ROOT/target/release/clinsafe}"
WARM="${WARM:-1}"

if [[ ! -x $STRICTDOC ]]; then
  echo "ERROR: no StrictDoc at $STRICTDOC; install it with:" >&2
  echo "  python3 -m venv /tmp/sdvenv && /tmp/sdvenv/bin/pip install strictdoc" >&2
  exit 1
fi
if [[ ! -x $TIME_BIN ]]; then
  echo "ERROR: GNU time ($TIME_BIN) is needed for max RSS" >&2
  exit 1
fi
if [[ -z ${CLINSAFE:-} ]]; then
  echo "building the release binary..." >&2
  cargo build --release --quiet
fi
SD_VERSION="$("$STRICTDOC" --version 2>/dev/null | tail -n 1)"
SD_PY="$(dirname "$STRICTDOC")/python"
PY=python3
python3 -c 'import yaml' 2> /dev/null || PY="$SD_PY"   # the StrictDoc venv has PyYAML

mkdir -p "$BENCH_DIR"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

PROJECT="$BENCH_DIR/project"
SDOC_DIR="$BENCH_DIR/sdoc"
CS_OUT="$BENCH_DIR/out-clinsafe"
SD_OUT="$BENCH_DIR/out-strictdoc"
SD_CWD="$BENCH_DIR/cwd"
mkdir -p "$SD_CWD"

echo "generating $HAZARDS hazards, $CONTROLS controls, $METRICS metrics x $OBSERVATIONS observations..." >&2
python3 bench/generate.py "$PROJECT" --hazards "$HAZARDS" --controls "$CONTROLS" --metrics "$METRICS" \
  --observations "$OBSERVATIONS" > /dev/null
rm -rf "$SDOC_DIR"
read -r n_haz n_ctl n_rel < <("$PY" bench/strictdoc.py "$PROJECT" "$SDOC_DIR/hazard-log.sdoc")
echo "wrote $SDOC_DIR/hazard-log.sdoc: $n_haz hazards, $n_ctl controls, $n_rel Parent relations" >&2

# timed LABEL CMD...: one run; sets WALL CPU RSS_KB RC (stdout/stderr in $TMP/LABEL.{out,err}).
timed() {
  local label="$1" start end
  shift
  RC=0
  start="$(now_ns)"
  "$TIME_BIN" -f '%e %M %U %S' -o "$TMP/time" "$@" > "$TMP/$label.out" 2> "$TMP/$label.err" || RC=$?
  end="$(now_ns)"
  WALL="$(seconds_between "$start" "$end")"
  read_usage "$TMP/time"
}

RESULTS="$TMP/results.tsv"
: > "$RESULTS"
# keep_best TOOL: folds WALL/CPU/RSS_KB into BEST_* for TOOL.
declare -A BEST_WALL BEST_CPU BEST_RSS NRUNS
keep_best() {
  local t="$1"
  NRUNS[$t]=$(( ${NRUNS[$t]:-0} + 1 ))
  if [[ -z ${BEST_WALL[$t]:-} ]] || awk -v a="$WALL" -v b="${BEST_WALL[$t]}" 'BEGIN { exit !(a < b) }'; then BEST_WALL[$t]="$WALL"; fi
  if [[ -z ${BEST_CPU[$t]:-} ]] || awk -v a="$CPU" -v b="${BEST_CPU[$t]}" 'BEGIN { exit !(a < b) }'; then BEST_CPU[$t]="$CPU"; fi
  if [[ -z ${BEST_RSS[$t]:-} || $RSS_KB -lt ${BEST_RSS[$t]} ]]; then BEST_RSS[$t]="$RSS_KB"; fi
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

# clinsafe: one untimed run warms the page cache (as bench/run.sh does).
"$BIN" render "$PROJECT" --format html --out "$CS_OUT" --as-of "$AS_OF" > /dev/null 2>&1 || true
for ((r = 1; r <= RUNS; r++)); do
  rm -rf "$CS_OUT"
  timed clinsafe "$BIN" render "$PROJECT" --format html --out "$CS_OUT" --as-of "$AS_OF"
  if [[ $RC -ne 0 && $RC -ne 1 ]]; then
    echo "ERROR: clinsafe render exited with $RC (expected 0 or 1). stderr:" >&2
    tail -n 40 "$TMP/clinsafe.err" >&2
    exit 1
  fi
  echo "clinsafe run $r: ${WALL} s wall, ${CPU} s CPU, $((RSS_KB / 1024)) MB" >&2
  keep_best clinsafe
done
CS_BYTES="$(du -sb "$CS_OUT" | awk '{ print $1 }')"
CS_FILES="$(find "$CS_OUT" -type f | wc -l)"

sd_export() {  # sd_export LABEL: one StrictDoc export into $SD_OUT, from $SD_CWD
  timed "$1" bash -c 'cd "$1" && shift && exec "$@"' _ "$SD_CWD" \
    "$STRICTDOC" export --formats html --output-dir "$SD_OUT" "$SDOC_DIR"
  if [[ $RC -ne 0 ]]; then
    echo "ERROR: strictdoc export exited with $RC. output:" >&2
    tail -n 40 "$TMP/$1.out" "$TMP/$1.err" >&2
    exit 1
  fi
  if [[ ! -s $SD_OUT/html/sdoc/hazard-log.html ]]; then
    echo "ERROR: strictdoc export wrote no $SD_OUT/html/sdoc/hazard-log.html; its output:" >&2
    tail -n 40 "$TMP/$1.out" "$TMP/$1.err" >&2
    exit 1
  fi
}

for ((r = 1; r <= SD_RUNS; r++)); do
  rm -rf "$SD_OUT" "${TMPDIR:-/tmp}/strictdoc_cache"
  sd_export strictdoc
  echo "strictdoc cold run $r: ${WALL} s wall, ${CPU} s CPU, $((RSS_KB / 1024)) MB (largest process)" >&2
  keep_best strictdoc
  if (( r == 1 && SD_RUNS > 1 )) && awk -v a="$WALL" -v b="$SD_SLOW" 'BEGIN { exit !(a > b) }'; then
    echo "strictdoc: the first run took more than $SD_SLOW s; one run only" >&2
    break
  fi
done
SD_BYTES="$(du -sb --exclude=_cache "$SD_OUT" | awk '{ print $1 }')"
SD_CACHE_BYTES="$(du -sb "$SD_OUT/_cache" 2>/dev/null | awk '{ print $1 }')"
SD_FILES="$(find "$SD_OUT" -path "$SD_OUT/_cache" -prune -o -type f -print | wc -l)"
grep -h -E '^(Step .*took|Total execution time)' "$TMP/strictdoc.out" "$TMP/strictdoc.err" > "$TMP/sd-steps" || true

WARM_ROW=""
if [[ $WARM == 1 ]]; then
  sd_export strictdoc-warm   # onto the output of the last cold run: its cache is kept
  echo "strictdoc warm run: ${WALL} s wall, ${CPU} s CPU, $((RSS_KB / 1024)) MB" >&2
  WARM_ROW="$WALL	$CPU	$RSS_KB"
fi
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"

python3 - "$n_haz" "$n_ctl" "$n_rel" "$METRICS" "$OBSERVATIONS" "$SD_VERSION" \
  "${BEST_WALL[clinsafe]}" "${BEST_CPU[clinsafe]}" "${BEST_RSS[clinsafe]}" "${NRUNS[clinsafe]}" "$CS_BYTES" "$CS_FILES" \
  "${BEST_WALL[strictdoc]}" "${BEST_CPU[strictdoc]}" "${BEST_RSS[strictdoc]}" "${NRUNS[strictdoc]}" "$SD_BYTES" "$SD_FILES" \
  "${SD_CACHE_BYTES:-0}" "$WARM_ROW" "$TMP/sd-steps" "$LOAD_START" "$LOAD_END" "$(nproc 2>/dev/null || echo '?')" <<'PY'
import sys
a = sys.argv[1:]
n_haz, n_ctl, n_rel, n_met, n_obs, sd_version = a[0:6]
cs = dict(wall=float(a[6]), cpu=a[7], rss=int(a[8]) / 1024, runs=a[9], mb=int(a[10]) / 1e6, files=a[11])
sd = dict(wall=float(a[12]), cpu=a[13], rss=int(a[14]) / 1024, runs=a[15], mb=int(a[16]) / 1e6, files=a[17])
cache_mb, warm, steps, load_start, load_end, cpus = int(a[18]) / 1e6, a[19], a[20], a[21], a[22], a[23]
print()
print(f"### HTML export of {int(n_haz):,} hazards and {int(n_ctl):,} controls ({int(n_rel):,} hazard–control links): clinsafe vs StrictDoc {sd_version}")
print()
print("| tool | command | runs | wall s (best) | CPU s | max RSS MB | output MB | output files |")
print("|---|---|--:|--:|--:|--:|--:|--:|")
print(f"| clinsafe | `render DIR --format html` (+ {int(n_met):,} metrics × {n_obs}) | {cs['runs']} | {cs['wall']:.3f} | {cs['cpu']} | {cs['rss']:.0f} | {cs['mb']:.1f} | {cs['files']} |")
print(f"| StrictDoc, cold | `export --formats html` | {sd['runs']} | {sd['wall']:.3f} | {sd['cpu']} | {sd['rss']:.0f} | {sd['mb']:.1f} (+ {cache_mb:.1f} cache) | {sd['files']} |")
if warm:
    w, c, r = warm.split("\t")
    print(f"| StrictDoc, warm (cache kept; not the comparison) | `export --formats html` | 1 | {float(w):.3f} | {c} | {int(r) / 1024:.0f} | | |")
print()
ratio = sd["wall"] / cs["wall"]
print(f"- ratio StrictDoc / clinsafe, wall time: {ratio:.0f}×; CPU time: {float(sd['cpu']) / max(float(cs['cpu']), 0.005):.0f}×")
print(f"- {'PASS' if ratio >= 50 else 'MISS'}: clinsafe at least 50× faster than StrictDoc (cold): {ratio:.0f}×")
lines = [l.strip() for l in open(steps) if l.strip()]
if lines:
    print("- StrictDoc's own step timings (last cold run): " + "; ".join(lines))
print(f"- machine: {cpus} CPUs; load average {load_start} at start, {load_end} at end "
      "(other work on the machine inflates the times)")
PY
