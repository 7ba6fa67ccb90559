#!/usr/bin/env bash
# Benchmark `clinsafe render` (HTML and PDF) on generated projects of growing size.
#
#   bench/render.sh         # build, generate into $BENCH_DIR, measure, print Markdown tables
#
# Environment:
#   RUNS=3                  timed runs per measurement (the best is reported)
#   BENCH_DIR=${TMPDIR:-/tmp}/clinsafe-bench-render   where projects and outputs go
#   AS_OF=2026-11-25        the --as-of date
#   SIZES="s m l"           only these sizes (default: all three, see below)
#   DOC_SIZES="m"           sizes that also get the per-document PDF breakdown ("" for none)
#   TIME_BIN=/usr/bin/time  GNU time (when missing, a Python wrapper measures instead)
#   CLINSAFE=path           measure this binary instead of building target/release/clinsafe
#   RENDER_TIMEOUT=300      seconds a single render may take before it is stopped (timeout)
#   MEM_LIMIT_MB=...        address-space cap for a single render (ulimit -v); default the
#                           smaller of 16384 and 75% of MemAvailable, so a render that would
#                           need more memory than the machine has aborts instead of waking
#                           the OOM killer
#
# Sizes (hazards, controls, metrics x observations; controls and metrics in proportion):
#   s   200 hazards,   400 controls,  20 metrics x 24
#   m  1000 hazards,  2000 controls, 100 metrics x 24   (the size the targets are set for)
#   l  5000 hazards, 10000 controls, 500 metrics x 24
#   xl 10000 hazards, 20000 controls, 1000 metrics x 24  (the PDF scaling target: all PDFs < 3 s, < 500 MB)
#
# Measurements per size, each timed for wall time and max RSS like bench/run.sh
# (/usr/bin/time -f '%e %M %U %S', wall time from nanosecond clock reads around the run):
#   check   clinsafe check DIR --as-of $AS_OF --format json > /dev/null    (baseline: load + check)
#   html    clinsafe render DIR --format html --out OUT --as-of $AS_OF      (all HTML documents)
#   pdf     clinsafe render DIR --format pdf  --out OUT --as-of $AS_OF      (all PDFs)
#   hl      clinsafe render DIR --format pdf  --out OUT --as-of $AS_OF --templates T
#           where T holds safety-case.html, dpia.html, checklist.html and monitoring.html
#           replaced by `<article><p>x</p></article>`: hazard-log.pdf alone, plus four
#           trivial one-page PDFs (components.html and hazard-log.html are the built-ins)
# and, for DOC_SIZES, the same trick for each other document, for "all five trivial" (the
# floor: load, check, context, five one-page PDFs) and for safety-case.html without its
# Appendix A (hazard x control traceability: a matrix, or an index beyond 30 controls since
# commit e1e272a; cut from templates/safety-case.html in this checkout, which should match the
# binary's built-in template).
# OUT is deleted before every run. A run that exits with 2 or more stops the script with
# clinsafe's stderr, except a run stopped by the budget above (RENDER_TIMEOUT: exit 124;
# MEM_LIMIT_MB: "memory allocation of N bytes failed"), which is reported as over budget
# and not repeated.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/clinsafe-bench-render}"
AS_OF="${AS_OF:-2026-11-25}"
SIZES="${SIZES:-s m l xl}"
DOC_SIZES="${DOC_SIZES-m}"
TIME_BIN="${TIME_BIN:-/usr/bin/time}"
BIN="${CLINSAFE:-$ROOT/target/release/clinsafe}"
RENDER_TIMEOUT="${RENDER_TIMEOUT:-300}"
if [[ -z ${MEM_LIMIT_MB:-} ]]; then
  avail_kb="$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo 2>/dev/null || echo 0)"
  MEM_LIMIT_MB=$(( avail_kb * 3 / 4 / 1024 ))
  (( MEM_LIMIT_MB <= 0 || MEM_LIMIT_MB > 16384 )) && MEM_LIMIT_MB=16384
fi

#      name hazards controls metrics observations
ALL_SIZES=(
  "s      200     400    20  24"
  "m     1000    2000   100  24"
  "l     5000   10000   500  24"
  "xl   10000   20000  1000  24"
)
DOCS=(safety-case hazard-log dpia checklist monitoring)
TRIVIAL='<article><p>x</p></article>'

if [[ -z ${CLINSAFE:-} ]]; then
  echo "building the release binary..." >&2
  cargo build --release --quiet
fi
HAVE_PDFINFO=no
command -v pdfinfo > /dev/null && HAVE_PDFINFO=yes

mkdir -p "$BENCH_DIR"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
RESULTS="$TMP/results.tsv"
: > "$RESULTS"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# templates_keeping DOC [VARIANT]: a --templates folder where every document but DOC is trivial;
# DOC="none" makes all five trivial; VARIANT=no-appendix also cuts Appendix A from safety-case.html.
templates_keeping() {
  local keep="$1" variant="${2:-}" dir="$BENCH_DIR/templates/keep-$1${2:+-$2}" d
  rm -rf "$dir"
  mkdir -p "$dir"
  for d in "${DOCS[@]}"; do
    [[ $d == "$keep" ]] || printf '%s\n' "$TRIVIAL" > "$dir/$d.html"
  done
  if [[ $variant == no-appendix ]]; then
    python3 - "$ROOT/templates/safety-case.html" "$dir/safety-case.html" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
cut, n = re.subn(r'<section id="traceability".*?</section>\n?', "", text, count=1, flags=re.S)
if n != 1:
    sys.exit("render.sh: no <section id=\"traceability\"> in templates/safety-case.html")
open(sys.argv[2], "w", encoding="utf-8").write(cut)
PY
  fi
  echo "$dir"
}

# pdf_pages FILE: page count (pdfinfo), or "?" without pdfinfo.
pdf_pages() {
  if [[ $HAVE_PDFINFO == yes && -f $1 ]]; then pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; else echo "?"; fi
}

# run_once OUT CMD...: one timed run under the budget; sets WALL CPU RSS_KB STATUS (ok|timeout|memory).
run_once() {
  local out="$1" rc=0 start end
  shift
  [[ -n $out ]] && rm -rf "$out"
  start="$(now_ns)"
  if [[ -x $TIME_BIN ]]; then
    ( ulimit -v $(( MEM_LIMIT_MB * 1024 ))
      exec "$TIME_BIN" -f '%e %M %U %S' -o "$TMP/time" timeout --kill-after=10 "$RENDER_TIMEOUT" "$@" ) \
      > /dev/null 2> "$TMP/stderr" || rc=$?
  else
    ( ulimit -v $(( MEM_LIMIT_MB * 1024 ))
      exec python3 - "$TMP/time" timeout --kill-after=10 "$RENDER_TIMEOUT" "$@" <<'PY'
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # ru_maxrss is in KiB on Linux
open(sys.argv[1], "w").write("%.3f %d %.3f %.3f\n" % (wall, ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
sys.exit(rc)
PY
    ) > /dev/null 2> "$TMP/stderr" || rc=$?
  fi
  end="$(now_ns)"
  STATUS=ok
  if [[ $rc -eq 124 ]]; then
    STATUS=timeout
  elif [[ $rc -ge 2 ]] && grep -q 'memory allocation of .* failed' "$TMP/stderr"; then
    STATUS=memory
  elif [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "ERROR: $* exited with $rc (expected 0 or 1). stderr:" >&2
    tail -n 40 "$TMP/stderr" >&2
    [[ $rc -eq 137 ]] && echo "(137 = SIGKILL: the kernel's OOM killer? lower MEM_LIMIT_MB)" >&2
    exit 1
  fi
  if [[ -x $TIME_BIN ]]; then
    WALL="$(seconds_between "$start" "$end")"
  else
    WALL="$(tail -n 1 "$TMP/time" | awk '{ print $1 }')"
  fi
  read_usage "$TMP/time"
}

# measure SIZE MODE OUT CMD...: best of RUNS; appends a row to $RESULTS:
#   size mode status wall cpu rss_kb out_bytes hazard_log_bytes hazard_log_pages safety_case_pages doc_bytes doc_pages
# (doc_* describe the document the mode keeps, for the per-document modes "doc:NAME").
measure() {
  local size="$1" mode="$2" out="$3" r best_wall="" best_rss="" best_cpu="" status=ok
  shift 3
  for ((r = 1; r <= RUNS; r++)); do
    run_once "$out" "$@"
    if [[ $STATUS != ok ]]; then
      status="$STATUS"
      best_wall="$WALL" best_cpu="$CPU" best_rss="$RSS_KB"
      echo "[$size] $mode run $r: stopped by the budget ($STATUS) after ${WALL} s, $((RSS_KB / 1024)) MB; not repeated" >&2
      break
    fi
    echo "[$size] $mode run $r: ${WALL} s wall, ${CPU} s CPU, $((RSS_KB / 1024)) MB" >&2
    if [[ -z $best_wall ]] || awk -v a="$WALL" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then best_wall="$WALL"; fi
    if [[ -z $best_rss || $RSS_KB -lt $best_rss ]]; then best_rss="$RSS_KB"; fi
    if [[ -z $best_cpu ]] || awk -v a="$CPU" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then best_cpu="$CPU"; fi
  done
  local bytes=0 hl_bytes="" hl_pages="" sc_pages="" doc_bytes="" doc_pages="" doc
  if [[ -n $out && -d $out && $status == ok ]]; then
    bytes="$(du -sb "$out" | awk '{ print $1 }')"
    if [[ -f $out/hazard-log.pdf ]]; then
      hl_bytes="$(stat -c %s "$out/hazard-log.pdf")"
      hl_pages="$(pdf_pages "$out/hazard-log.pdf")"
    fi
    [[ -f $out/safety-case.pdf ]] && sc_pages="$(pdf_pages "$out/safety-case.pdf")"
    if [[ $mode == doc:* ]]; then
      doc="${mode#doc:}"
      doc="${doc%%+*}"
      if [[ -f $out/$doc.pdf ]]; then
        doc_bytes="$(stat -c %s "$out/$doc.pdf")"
        doc_pages="$(pdf_pages "$out/$doc.pdf")"
      fi
    fi
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$mode" "$status" "$best_wall" \
    "$best_cpu" "$best_rss" "$bytes" "${hl_bytes:--}" "${hl_pages:--}" "${sc_pages:--}" \
    "${doc_bytes:--}" "${doc_pages:--}" >> "$RESULTS"
}

SIZE_ROWS="$TMP/sizes.tsv"
: > "$SIZE_ROWS"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
for spec in "${ALL_SIZES[@]}"; do
  read -r name hazards controls metrics obs <<< "$spec"
  [[ " $SIZES " == *" $name "* ]] || continue
  dir="$BENCH_DIR/$name"
  out="$BENCH_DIR/out-$name"

  echo "[$name] generating $hazards hazards, $controls controls, $metrics metrics x $obs observations..." >&2
  python3 bench/generate.py "$dir" --hazards "$hazards" --controls "$controls" \
    --metrics "$metrics" --observations "$obs" > /dev/null
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$hazards" "$controls" "$metrics" "$obs" >> "$SIZE_ROWS"

  # One untimed check: reports the findings and warms the page cache.
  rc=0
  "$BIN" check "$dir" --as-of "$AS_OF" --format json > "$TMP/out.json" 2> "$TMP/stderr" || rc=$?
  if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "ERROR: clinsafe check $dir exited with $rc (expected 0 or 1). stderr:" >&2
    cat "$TMP/stderr" >&2
    exit 1
  fi

  measure "$name" check "" "$BIN" check "$dir" --as-of "$AS_OF" --format json
  measure "$name" html "$out/html" "$BIN" render "$dir" --format html --out "$out/html" --as-of "$AS_OF"
  measure "$name" pdf "$out/pdf" "$BIN" render "$dir" --format pdf --out "$out/pdf" --as-of "$AS_OF"
  tpl="$(templates_keeping hazard-log)"
  measure "$name" hl "$out/hl" "$BIN" render "$dir" --format pdf --out "$out/hl" --as-of "$AS_OF" --templates "$tpl"
  if [[ -f $out/pdf/hazard-log.pdf && -f $out/hl/hazard-log.pdf ]] && ! cmp -s "$out/pdf/hazard-log.pdf" "$out/hl/hazard-log.pdf"; then
    echo "WARNING: [$name] hazard-log.pdf differs between the full render and the isolated one" >&2
  fi

  if [[ " $DOC_SIZES " == *" $name "* ]]; then
    for keep in none safety-case checklist monitoring; do
      tpl="$(templates_keeping "$keep")"
      measure "$name" "doc:$keep" "$out/doc-$keep" "$BIN" render "$dir" --format pdf --out "$out/doc-$keep" \
        --as-of "$AS_OF" --templates "$tpl"
    done
    tpl="$(templates_keeping safety-case no-appendix)"
    measure "$name" "doc:safety-case+no-appendix" "$out/doc-sc-no-appendix" "$BIN" render "$dir" --format pdf \
      --out "$out/doc-sc-no-appendix" --as-of "$AS_OF" --templates "$tpl"
  fi
done

LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
python3 - "$RESULTS" "$SIZE_ROWS" "$RUNS" "$LOAD_START" "$LOAD_END" "$(nproc 2>/dev/null || echo '?')" \
  "$RENDER_TIMEOUT" "$MEM_LIMIT_MB" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
sizes = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
runs, timeout, memcap = sys.argv[3], sys.argv[7], sys.argv[8]
R = {}
for size, mode, status, wall, cpu, rss, out, hlb, hlp, scp, db, dp in rows:
    R[(size, mode)] = dict(status=status, wall=float(wall), cpu=cpu, rss=int(rss) / 1024, out=int(out) / 1e6,
                           hlb=hlb, hlp=hlp, scp=scp, db=db, dp=dp)

def t(r):
    if r is None:
        return "–"
    if r["status"] != "ok":
        why = {"timeout": f"over {timeout} s", "memory": f"over {int(memcap):,} MB"}[r["status"]]
        return f"stopped ({why}) after {r['wall']:.1f}"
    return f"{r['wall']:.3f}"

def mb(r, key="rss"):
    if r is None:
        return "–"
    return ("≥ " if r["status"] != "ok" else "") + f"{r[key]:,.0f}" if key == "rss" else f"{r[key]:.1f}"

def dash(v):
    return "–" if v in ("-", "") else v

def pdfmb(b):
    return "–" if b in ("-", "") else f"{int(b) / 1e6:.2f}"

print()
print(f"### clinsafe render, HTML (all documents); best of {runs}")
print()
print("| size | hazards | controls | metrics × obs | check s (baseline) | render html s | CPU s | max RSS MB | written MB |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
for name, hz, ct, mt, ob in sizes:
    c, h = R.get((name, "check")), R.get((name, "html"))
    print(f"| {name} | {int(hz):,} | {int(ct):,} | {int(mt):,} × {ob} | {t(c)} | {t(h)} | {h['cpu'] if h else '–'} | {mb(h)} | {mb(h, 'out') if h and h['status'] == 'ok' else '–'} |")
print()
print(f"### clinsafe render, PDF; best of {runs}")
print()
print("| size | hazards | all PDFs s | CPU s | max RSS MB | written MB | safety-case.pdf pages | hazard-log.pdf alone s | CPU s | max RSS MB | hazard-log.pdf MB | hazard-log.pdf pages |")
print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
for name, hz, ct, mt, ob in sizes:
    p, hl = R.get((name, "pdf")), R.get((name, "hl"))
    pw = mb(p, "out") if p and p["status"] == "ok" else "–"
    print(f"| {name} | {int(hz):,} | {t(p)} | {p['cpu'] if p else '–'} | {mb(p)} | {pw} | {dash(p['scp']) if p else '–'} | {t(hl)} | {hl['cpu'] if hl else '–'} | {mb(hl)} | {pdfmb(hl['hlb']) if hl else '–'} | {dash(hl['hlp']) if hl else '–'} |")

docs = [(s, m) for (s, m) in R if m.startswith("doc:")]
for name in dict.fromkeys(s for s, _ in docs):
    floor = R.get((name, "doc:none"))
    print()
    print(f"### Size {name}: one PDF document at a time (the others trivial); best of {runs}")
    print()
    print("| document kept | render pdf s | minus floor s | CPU s | max RSS MB | its PDF MB | its pages |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    order = ["doc:none", "doc:safety-case", "doc:safety-case+no-appendix", "hl", "doc:checklist", "doc:monitoring"]
    label = {"doc:none": "none (all five trivial: the floor)", "doc:safety-case": "safety-case",
             "doc:safety-case+no-appendix": "safety-case without Appendix A (traceability)",
             "hl": "hazard-log", "doc:checklist": "checklist", "doc:monitoring": "monitoring"}
    for mode in order:
        r = R.get((name, mode))
        if r is None:
            continue
        b, pg = (r["hlb"], r["hlp"]) if mode == "hl" else (r["db"], r["dp"])
        minus = f"{r['wall'] - floor['wall']:.3f}" if floor and mode != "doc:none" and r["status"] == "ok" else "–"
        print(f"| {label[mode]} | {t(r)} | {minus} | {r['cpu']} | {mb(r)} | {pdfmb(b) if mode != 'doc:none' else '–'} | {dash(pg) if mode != 'doc:none' else '–'} |")

print()
checks = []
h, hl, p = R.get(("m", "html")), R.get(("m", "hl")), R.get(("m", "pdf"))
ok = lambda r, limit: r is not None and r["status"] == "ok" and r["wall"] < limit
if h:
    checks.append(("(m) 1,000 hazards: render --format html (all documents) under 0.5 s", ok(h, 0.5), t(h) + " s"))
if hl:
    checks.append(("(m) 1,000 hazards: hazard-log.pdf (rendered alone) under 2 s", ok(hl, 2.0), t(hl) + " s"))
if p:
    checks.append(("(m) 1,000 hazards: render --format pdf (all PDFs) under 2 s", ok(p, 2.0), t(p) + " s"))
p10 = R.get(("xl", "pdf"))
if p10:
    checks.append(("(xl) 10,000 hazards: render --format pdf (all PDFs) under 3 s", ok(p10, 3.0), t(p10) + " s"))
    checks.append(("(xl) 10,000 hazards: render --format pdf (all PDFs) under 500 MB", p10["status"] == "ok" and p10["rss"] < 500, mb(p10) + " MB"))
for what, good, got in checks:
    print(f"- {'PASS' if good else 'MISS'}: {what}: {got}")
for mode, what in (("html", "render html"), ("hl", "hazard-log.pdf alone"), ("pdf", "all PDFs")):
    a, b, c = R.get(("s", mode)), R.get(("m", mode)), R.get(("l", mode))
    parts = []
    if a and b and a["status"] == b["status"] == "ok":
        parts.append(f"s→m (5× items) {b['wall'] / a['wall']:.1f}× time, {b['rss'] / a['rss']:.1f}× memory")
    if b and c and b["status"] == c["status"] == "ok":
        parts.append(f"m→l (5× items) {c['wall'] / b['wall']:.1f}× time, {c['rss'] / b['rss']:.1f}× memory")
    d = R.get(("xl", mode))
    if c and d and c["status"] == d["status"] == "ok":
        parts.append(f"l→xl (2× items) {d['wall'] / c['wall']:.1f}× time, {d['rss'] / c['rss']:.1f}× memory")
    if parts:
        print(f"- scaling, {what}: " + "; ".join(parts))
print(f"- budget per render: {timeout} s, {int(memcap):,} MB address space (ulimit -v)")
print(f"- machine: {sys.argv[6]} CPUs; load average {sys.argv[4]} at start, {sys.argv[5]} at end "
      "(other work on the machine inflates the times)")
PY
