# Shared by bench/run.sh, render.sh and strictdoc.sh (sourced, not run).

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
