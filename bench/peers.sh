#!/usr/bin/env bash
# `clinsafe render --format html` against its peers on the same hazards and controls, in one
# run: sphinx-needs, StrictDoc and Doorstop, installed into a venv from PyPI when missing.
# Prints a Markdown table per size and the ratio to the fastest peer (CPU and wall).
#
#   bench/peers.sh
#
# Environment:
#   SIZES="1000 10000"      hazards (controls 2x, metrics /10 x 24 observations, as run.sh)
#   PEERS="StrictDoc sphinx-needs Doorstop"   the peers to run (the 10,000-hazard round of all
#                           three takes the better part of an hour; sphinx-needs is the fastest)
#   CLINSAFE=path           measure this clinsafe binary instead of building one
#   RUNS=3                  timed clinsafe runs (best CPU and best wall reported); peers run once each (minutes)
#   PROFILE=release         cargo profile of clinsafe (see bench/floor.sh)
#   VENV=${TMPDIR:-/tmp}/clinsafe-peers-venv   the peers' venv (pip install strictdoc sphinx
#                           sphinx-needs doorstop, once)
#   PEER_TIMEOUT=1800       seconds one peer run may take before it is stopped (reported as such)
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-peers
#   AS_OF=2026-11-25
#
# Inputs come from bench/peers.py (one generated project; see there). Commands, each cold
# (output deleted first, so no peer reuses a cache):
#   clinsafe     render DIR --format html --out OUT --as-of $AS_OF   (five documents)
#   StrictDoc    strictdoc export --formats html --output-dir OUT SDOC_DIR   (from an empty folder)
#   sphinx-needs sphinx-build -b html -q SPHINX_DIR OUT
#   Doorstop     doorstop publish all OUT --html   (in the Doorstop tree)
# CPU time is user + system of the process and its children (GNU time): the machine is
# shared, so it is the figure compared; wall time is shown beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZES="${SIZES:-1000 10000}"
PEERS="${PEERS:-StrictDoc sphinx-needs Doorstop}"
RUNS="${RUNS:-3}"
PROFILE="${PROFILE:-release}"
VENV="${VENV:-${TMPDIR:-/tmp}/clinsafe-peers-venv}"
PEER_TIMEOUT="${PEER_TIMEOUT:-1800}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-peers}"
AS_OF="${AS_OF:-2026-11-25}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

if [[ ! -x $VENV/bin/strictdoc || ! -x $VENV/bin/sphinx-build || ! -x $VENV/bin/doorstop ]]; then
  echo "installing the peers into $VENV..." >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet strictdoc sphinx sphinx-needs doorstop
fi
version() { "$VENV/bin/pip" show "$1" 2> /dev/null | awk '/^Version:/ { print $2 }'; }
if [[ -n ${CLINSAFE:-} ]]; then
  BIN="$CLINSAFE"
else
  echo "building clinsafe ($PROFILE)..." >&2
  cargo build --quiet --profile "$PROFILE" --bin clinsafe
  BIN="$ROOT/target/$PROFILE/clinsafe"
fi
runs() { [[ " $PEERS " == *" $1 "* ]]; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# timed OUT CMD...: one cold run (OUT deleted first); sets CPU WALL RSS_KB, or WALL=timeout.
timed() {
  local out="$1" s e rc=0
  shift
  rm -rf "$out"
  s="$(now_ns)"
  /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" timeout "$PEER_TIMEOUT" "$@" > "$TMP/out" 2>&1 || rc=$?
  e="$(now_ns)"
  WALL="$(seconds_between "$s" "$e")"
  read_usage "$TMP/time"
  if [[ $rc -eq 124 ]]; then WALL=timeout; elif [[ $rc -ge 2 ]]; then
    echo "ERROR: $* exited $rc:" >&2; tail -n 20 "$TMP/out" >&2; exit 1
  fi
}

for n in $SIZES; do
  p="$BENCH_DIR/p$n" in="$BENCH_DIR/in$n"
  python3 bench/generate.py "$p" --hazards "$n" --controls $((2 * n)) --metrics $((n / 10)) --observations 24 > /dev/null
  rm -rf "$in"
  read -r nh nc nl < <("$VENV/bin/python" bench/peers.py "$p" "$in")
  declare -A cpu=() wall=() rss=()
  for ((r = 1; r <= RUNS; r++)); do
    timed "$TMP/cs" "$BIN" render "$p" --format html --out "$TMP/cs" --as-of "$AS_OF"
    # Best CPU and best wall each over the runs: on a shared machine the run
    # with the least CPU may be one that waited longest for a core.
    if [[ -z ${cpu[clinsafe]:-} ]] || awk -v a="$CPU" -v b="${cpu[clinsafe]}" 'BEGIN { exit !(a < b) }'; then
      cpu[clinsafe]="$CPU" rss[clinsafe]="$((RSS_KB / 1024))"
    fi
    if [[ -z ${wall[clinsafe]:-} ]] || awk -v a="$WALL" -v b="${wall[clinsafe]}" 'BEGIN { exit !(a < b) }'; then
      wall[clinsafe]="$WALL"
    fi
  done
  mkdir -p "$TMP/empty"
  if runs StrictDoc; then
    timed "$TMP/sd" bash -c 'cd "$1" && shift && exec "$@"' _ "$TMP/empty" \
      "$VENV/bin/strictdoc" export --formats html --output-dir "$TMP/sd" "$in/sdoc"
    cpu[StrictDoc]="$CPU" wall[StrictDoc]="$WALL" rss[StrictDoc]="$((RSS_KB / 1024))"
  fi
  if runs sphinx-needs; then
    timed "$TMP/sn" "$VENV/bin/sphinx-build" -b html -q "$in/sphinx" "$TMP/sn"
    cpu[sphinx-needs]="$CPU" wall[sphinx-needs]="$WALL" rss[sphinx-needs]="$((RSS_KB / 1024))"
  fi
  if runs Doorstop; then
    timed "$TMP/ds" bash -c 'cd "$1" && shift && exec "$@"' _ "$in/doorstop" \
      "$VENV/bin/doorstop" publish all "$TMP/ds" --html
    cpu[Doorstop]="$CPU" wall[Doorstop]="$WALL" rss[Doorstop]="$((RSS_KB / 1024))"
  fi

  echo
  echo "### $(printf "%'d" "$nh") hazards, $(printf "%'d" "$nc") controls, $(printf "%'d" "$nl") links → HTML"
  echo
  echo "| tool | version | CPU s | wall s | max RSS MB | CPU ratio to clinsafe | wall ratio |"
  echo "|---|---|--:|--:|--:|--:|--:|"
  fastest=""
  for t in clinsafe StrictDoc sphinx-needs Doorstop; do
    [[ $t == clinsafe ]] || runs "$t" || continue
    case $t in clinsafe) v="$("$BIN" --version | awk '{ print $2 }')" ;; StrictDoc) v="$(version strictdoc)" ;;
      sphinx-needs) v="$(version sphinx-needs)" ;; Doorstop) v="$(version doorstop)" ;; esac
    ratio="$(awk -v a="${cpu[$t]}" -v b="${cpu[clinsafe]}" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 0.005) }')"
    wratio="$(awk -v a="${wall[$t]}" -v b="${wall[clinsafe]}" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 0.005) }')"
    [[ ${wall[$t]} == timeout ]] && wratio="–"
    echo "| $t | $v | ${cpu[$t]} | ${wall[$t]} | ${rss[$t]} | ${ratio}× | ${wratio}× |"
    if [[ $t != clinsafe && ${wall[$t]} != timeout ]] && { [[ -z $fastest ]] || awk -v a="${cpu[$t]}" -v b="${cpu[$fastest]}" 'BEGIN { exit !(a < b) }'; }; then fastest="$t"; fi
  done
  ratio="$(awk -v a="${cpu[$fastest]}" -v b="${cpu[clinsafe]}" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 0.005) }')"
  wratio="$(awk -v a="${wall[$fastest]}" -v b="${wall[clinsafe]}" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 0.005) }')"
  echo
  echo "- $(awk -v r="$ratio" 'BEGIN { print (r >= 100 ? "PASS" : "MISS") }'): clinsafe ≥ 100× the fastest peer run ($fastest) in CPU time: ${ratio}×"
  echo "- $(awk -v r="$wratio" 'BEGIN { print (r >= 100 ? "PASS" : "MISS") }'): clinsafe ≥ 100× the fastest peer run ($fastest) in wall time: ${wratio}×"
  [[ $n == 10000 ]] && echo "- $(awk -v m="${rss[clinsafe]}" 'BEGIN { print (m <= 300 ? "PASS" : "MISS") }'): clinsafe ≤ 300 MB at 10,000 hazards: ${rss[clinsafe]} MB"
  unset cpu wall rss
done
what="$PROFILE build of clinsafe"; [[ -n ${CLINSAFE:-} ]] && what="clinsafe binary $CLINSAFE"
echo "- $what; $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
