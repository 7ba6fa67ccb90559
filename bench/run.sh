#!/usr/bin/env bash
# Benchmark `clinsafe check` on generated projects of growing size.
#
#   bench/run.sh            # build, generate into target/bench/, measure, print a Markdown table
#
# Environment:
#   RUNS=3                  timed runs per size (the best is reported)
#   BENCH_DIR=target/bench  where the projects are generated
#   AS_OF=2026-11-25        the --as-of date given to check
#   SIZES="a b"             only these sizes (default: a b c d)
#   TIME_BIN=/usr/bin/time  GNU time (when missing, a Python wrapper measures instead)
#   CLINSAFE=path           measure this binary instead of building target/release/clinsafe
#
# Each timed run is
#   target/release/clinsafe check DIR --as-of $AS_OF --format json > /dev/null
# measured for wall time and max RSS (with /usr/bin/time -f '%e %M' when it exists,
# otherwise with a Python wrapper using resource.getrusage(RUSAGE_CHILDREN)).
# With GNU time the wall time is taken with nanosecond clock reads around the run,
# because %e has only 10 ms resolution. An exit code other than 0 or 1 (2 = the project could not
# be read, 101 = a panic) stops the script with check's stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-$ROOT/target/bench}"
AS_OF="${AS_OF:-2026-11-25}"
SIZES="${SIZES:-a b c d}"
TIME_BIN="${TIME_BIN:-/usr/bin/time}"
BIN="${CLINSAFE:-$ROOT/target/release/clinsafe}"

#      name hazards controls metrics observations csv
ALL_SIZES=(
  "a     1000    2000   100  24 no"
  "b    10000   20000  1000  24 no"
  "c   100000  200000  1000  24 no"
  "d     1000    2000  1000 120 yes"
)

if [[ -z ${CLINSAFE:-} ]]; then
  echo "building the release binary..." >&2
  cargo build --release --quiet
fi

mkdir -p "$BENCH_DIR"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
RESULTS="$TMP/results.tsv"
: > "$RESULTS"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# measure DIR: one timed run of check; sets WALL and CPU (user + system, seconds) and RSS_KB, fails loudly on exit >= 2.
measure() {
  local dir="$1" rc=0 start end
  start="$(now_ns)"
  if [[ -x $TIME_BIN ]]; then
    "$TIME_BIN" -f '%e %M %U %S' -o "$TMP/time" \
      "$BIN" check "$dir" --as-of "$AS_OF" --format json > /dev/null 2> "$TMP/stderr" || rc=$?
  else
    python3 - "$TMP/time" "$BIN" check "$dir" --as-of "$AS_OF" --format json > /dev/null 2> "$TMP/stderr" <<'PY' || rc=$?
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss is in KiB on Linux
open(sys.argv[1], "w").write("%.3f %d %.3f %.3f\n" % (wall, ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
sys.exit(rc)
PY
  fi
  end="$(now_ns)"
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "ERROR: clinsafe check $dir exited with $rc (expected 0 or 1). stderr:" >&2
    cat "$TMP/stderr" >&2
    exit 1
  fi
  if [[ -x $TIME_BIN ]]; then
    WALL="$(seconds_between "$start" "$end")"
  else
    WALL="$(tail -n 1 "$TMP/time" | awk '{ print $1 }')"  # measured inside the wrapper, without Python's start-up
  fi
  read_usage "$TMP/time"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
for spec in "${ALL_SIZES[@]}"; do
  read -r name hazards controls metrics obs csv <<< "$spec"
  [[ " $SIZES " == *" $name "* ]] || continue
  dir="$BENCH_DIR/$name"
  csv_flag=()
  [[ $csv == yes ]] && csv_flag=(--csv)

  echo "[$name] generating $hazards hazards, $controls controls, $metrics metrics x $obs observations${csv_flag:+ (CSV)}..." >&2
  gstart="$(now_ns)"
  read -r yaml_files csv_files < <(python3 bench/generate.py "$dir" --hazards "$hazards" --controls "$controls" \
    --metrics "$metrics" --observations "$obs" "${csv_flag[@]}")
  gend="$(now_ns)"
  gen_s="$(awk -v s="$gstart" -v e="$gend" 'BEGIN { printf "%.2f", (e - s) / 1e9 }')"
  bytes="$(du -sb "$dir" | awk '{ print $1 }')"

  # One untimed run that keeps the JSON, to report the findings and warm the page cache.
  rc=0
  "$BIN" check "$dir" --as-of "$AS_OF" --format json > "$TMP/out.json" 2> "$TMP/stderr" || rc=$?
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "ERROR: clinsafe check $dir exited with $rc (expected 0 or 1). stderr:" >&2
    cat "$TMP/stderr" >&2
    exit 1
  fi
  read -r errors warnings < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(s["errors"], s["warnings"])' "$TMP/out.json")
  if [[ $errors -ne 0 ]]; then
    echo "WARNING: [$name] check reports $errors error(s); first findings:" >&2
    python3 -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"][:10]:
    print("  %(level)s[%(rule)s] %(subject)s: %(message)s" % f)' "$TMP/out.json" >&2
  fi

  best_wall="" best_rss="" best_cpu=""
  for ((r = 1; r <= RUNS; r++)); do
    measure "$dir"
    echo "[$name] run $r: ${WALL} s wall, ${CPU} s CPU, $((RSS_KB / 1024)) MB" >&2
    if [[ -z $best_wall ]] || awk -v a="$WALL" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then best_wall="$WALL"; fi
    if [[ -z $best_rss || $RSS_KB -lt $best_rss ]]; then best_rss="$RSS_KB"; fi
    if [[ -z $best_cpu ]] || awk -v a="$CPU" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then best_cpu="$CPU"; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$name" "$hazards" "$controls" "$metrics" "$obs" "$csv" "$yaml_files" "$csv_files" "$bytes" \
    "$gen_s" "$best_wall" "$best_rss" "$errors" "$warnings" "$best_cpu" >> "$RESULTS"
done

LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
python3 - "$RESULTS" "$RUNS" "$LOAD_START" "$LOAD_END" "$(nproc 2>/dev/null || echo '?')" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
runs = sys.argv[2]
print()
print("| size | hazards | controls | metrics | observations | files | project MB | generate s | check wall s (best of %s) | check CPU s | max RSS MB | errors | warnings |" % runs)
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
by = {}
for name, hz, ct, mt, ob, csv, yf, cf, size, gen, wall, rss, err, warn, cpu in rows:
    by[name] = (float(wall), int(rss) / 1024)
    obs = "%s × %s%s" % (f"{int(mt):,}", ob, " (CSV)" if csv == "yes" else "")
    files = f"{int(yf):,}" + (f" YAML + {int(cf):,} CSV" if int(cf) else " YAML")
    print(f"| {name} | {int(hz):,} | {int(ct):,} | {int(mt):,} | {obs} | {files} | {int(size)/1e6:.1f} | {gen} | {float(wall):.3f} | {cpu} | {int(rss)/1024:.1f} | {err} | {warn} |")
print()
checks = []
if "b" in by:
    w, m = by["b"]
    checks.append(("(b) 10k hazards under 1 s", w < 1.0, f"{w:.3f} s"))
    checks.append(("(b) 10k hazards under 300 MB", m < 300, f"{m:.1f} MB"))
if "b" in by and "c" in by:
    r = by["c"][0] / by["b"][0]
    checks.append(("(c) 100k hazards at most ~10x (b)", r <= 10.5, f"{r:.1f}x time, {by['c'][1] / by['b'][1]:.1f}x memory"))
if "d" in by:
    w, _ = by["d"]
    checks.append(("(d) 1k metrics x 120 CSV observations under 0.5 s", w < 0.5, f"{w:.3f} s"))
for what, ok, got in checks:
    print(f"- {'PASS' if ok else 'MISS'}: {what}: {got}")
print(f"- machine: {sys.argv[5]} CPUs; load average {sys.argv[3]} at start, {sys.argv[4]} at end "
      "(other work on the machine inflates the times)")
PY
