# Shared by the bench scripts (sourced, not run).

now_ns() { date +%s%N; }

# seconds_between START_NS END_NS: elapsed seconds, 3 decimals.
seconds_between() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", (e - s) / 1e9 }'; }

# read_usage FILE: sets RSS_KB and CPU (user + system seconds) from the last line that
# GNU time (-f '%e %M %U %S') or the Python fallback wrote to FILE.
read_usage() {
  RSS_KB="$(tail -n 1 "$1" | awk '{ print $2 }')"
  CPU="$(tail -n 1 "$1" | awk '{ printf "%.2f", $3 + $4 }')"
}

# bench_binary: sets BIN to $CLINSAFE, or builds target/release/clinsafe and uses it.
bench_binary() {
  BIN="${CLINSAFE:-$PWD/target/release/clinsafe}"
  if [[ -z ${CLINSAFE:-} ]]; then
    echo "building the release binary..." >&2
    cargo build --release --quiet
  fi
}

# best_of CMD...: "CPU WALL RSS_MB" of CMD, each the best of RUNS runs (needs TMP). An exit code
# above ${BEST_MAX_EXIT:-1} stops the bench with the command's stderr (check exits 1 on findings).
best_of() {
  local r cpu="" wall="" rss="" s e w rc
  for ((r = 1; r <= RUNS; r++)); do
    s="$(now_ns)"
    rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$TMP/time" "$@" > /dev/null 2> "$TMP/err" || rc=$?
    if [[ $rc -gt ${BEST_MAX_EXIT:-1} ]]; then echo "ERROR: $* exited $rc:" >&2; tail -n 20 "$TMP/err" >&2; exit 1; fi
    e="$(now_ns)"
    w="$(seconds_between "$s" "$e")"
    read_usage "$TMP/time"
    if [[ -z $cpu ]] || awk -v a="$CPU" -v b="$cpu" 'BEGIN { exit !(a < b) }'; then cpu="$CPU"; fi
    if [[ -z $wall ]] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then wall="$w"; fi
    if [[ -z $rss || $RSS_KB -lt $rss ]]; then rss="$RSS_KB"; fi
  done
  echo "$cpu $wall $((rss / 1024))"
}
