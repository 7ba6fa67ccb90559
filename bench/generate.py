#!/usr/bin/env python3
"""Generate a large, valid, deterministic clinsafe project (format v1) for benchmarks.

    python3 bench/generate.py OUT_DIR --hazards N --controls M --metrics K \
        --observations P [--files F] [--seed S] [--csv]

The project is meant to pass `clinsafe check OUT_DIR --as-of 2026-11-25` with
0 errors and 0 warnings:

* every hazard has an initial and a residual risk; the residual rating is never
  above the initial rating nor above 2 (the default `max_residual_rating`), so
  no justification is required (some hazards carry one anyway);
* every hazard links 2 controls (hazard i -> CTL 2i+1, 2i+2, wrapping), so with
  M <= 2N every control is linked from a hazard; controls beyond 2N declare
  `mitigates:` from the control side; some controls also declare links the
  hazard already declares (both sides) or extra ones (control side only);
* verified controls carry evidence; recurring controls are within their period;
  planned controls are due after the as-of date and listed in `go_live_conditions`;
* metrics are `better: lower`, with values well below `warn`, and the last
  observation is lower than the one before it (never a worsening run); the
  latest observation is 2026-10-31, 25 days before the as-of date.

Only the Python standard library is used; YAML is written as text. OUT_DIR is
replaced if an earlier run of this script made it (it holds the marker file
.clinsafe-bench-generated); any other non-empty folder is refused. On success
the script prints two numbers on stdout: the YAML files and the CSV files written.
"""

import argparse
import calendar
import math
import os
import random
import shutil
import sys

MARKER = ".clinsafe-bench-generated"

SEVERITIES = ["minor", "significant", "considerable", "major", "catastrophic"]
LIKELIHOODS = ["very-low", "low", "medium", "high", "very-high"]
# DCB0129/DCB0160 matrix: MATRIX[likelihood][severity]
MATRIX = {
    "very-high": [3, 4, 4, 5, 5],
    "high": [2, 3, 3, 4, 5],
    "medium": [2, 2, 3, 3, 4],
    "low": [1, 2, 2, 3, 4],
    "very-low": [1, 1, 2, 2, 3],
}
CONTROL_TYPES = ["design", "test", "training", "business-process", "information"]

SUBJECTS = [
    "referral", "prescription", "test result", "discharge summary", "appointment",
    "allergy record", "medication list", "care plan", "message thread", "triage note",
    "lab request", "imaging report", "vaccination record", "repeat request", "task list",
]
FAILURES = [
    "sent to the wrong patient", "delayed beyond the agreed time", "not filed to the record",
    "shown with stale data", "lost during synchronisation", "duplicated in the worklist",
    "truncated in the display", "attached to the wrong episode", "hidden behind a filter",
    "read by an unauthorised user",
]
CAUSES = [
    "Two patients with similar names in the search results",
    "Interface queue backlog after a network outage",
    "Configuration change not tested before release",
    "Locum staff unfamiliar with the workflow",
    "Free-text field used instead of a coded entry",
    "Time zone handling error in the integration engine",
    "Notification suppressed by a user preference",
    "Manual workaround during planned downtime",
]
EFFECTS = [
    "Clinician acts on incomplete information",
    "Patient does not receive timely follow-up",
    "Confidential information disclosed to the wrong person",
    "Duplicate or contradictory entries in the record",
    "Task is never picked up by the responsible team",
]
HARMS = [
    "Delayed diagnosis or treatment, which in the worst case could lead to serious harm.",
    "Inappropriate treatment based on another patient's information.",
    "Psychological distress and loss of trust in the service.",
    "Missed deterioration of a long-term condition.",
]
CONTROL_ACTIONS = [
    "Three-identifier confirmation before", "Automated reconciliation report for",
    "Mandatory training on handling", "Daily worklist review of", "Alert on failed delivery of",
    "Read-back check of", "Audit trail review of", "Supplier acceptance test of",
]
OWNERS = ["Practice manager", "Clinical Safety Officer", "Lead GP", "Reception lead",
          "IT service manager", "Caldicott Guardian"]
TAGS = ["clinical", "confidentiality", "timeliness", "record-keeping", "integration",
        "patient-identification", "usability"]
UNITS = ["hours", "percent", "incidents per month", "messages per month", "minutes"]


def rating(severity, likelihood):
    return MATRIX[likelihood][SEVERITIES.index(severity)]


def residual_for(rng, severity, likelihood):
    """A residual risk with rating <= min(2, initial rating); keep the severity where possible."""
    limit = min(2, rating(severity, likelihood))
    same = [l for l in LIKELIHOODS if rating(severity, l) <= limit
            and LIKELIHOODS.index(l) <= LIKELIHOODS.index(likelihood)]
    if same:
        return severity, rng.choice(same)
    options = [(s, l) for s in SEVERITIES for l in LIKELIHOODS if rating(s, l) <= limit]
    return rng.choice(options)


def month_ends(count, last=(2026, 10)):
    """`count` month-end dates, oldest first, the last being the end of `last` (year, month)."""
    year, month = last
    out = []
    for _ in range(count):
        out.append("%04d-%02d-%02d" % (year, month, calendar.monthrange(year, month)[1]))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    out.reverse()
    return out


def q(text):
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split(items, files):
    """Split `items` into `files` contiguous chunks of nearly equal size."""
    files = max(1, min(files, len(items))) if items else 0
    n = len(items)
    return [items[n * i // files: n * (i + 1) // files] for i in range(files)]


def hazard_id(i):
    return "HAZ-%06d" % (i + 1)


def control_id(i):
    return "CTL-%06d" % (i + 1)


def metric_id(i, width):
    return "MET-%0*d" % (width, i + 1)


def hazard_controls(i, n_controls):
    return [(2 * i) % n_controls, (2 * i + 1) % n_controls]


def emit_hazard(rng, i, n_hazards, n_controls):
    subject = rng.choice(SUBJECTS)
    failure = rng.choice(FAILURES)
    sev = rng.choice(SEVERITIES)
    lik = rng.choice(LIKELIHOODS)
    rsev, rlik = residual_for(rng, sev, lik)
    lines = [
        "  - id: %s" % hazard_id(i),
        "    title: %s" % q("%s %s (%d)" % (subject.capitalize(), failure, i + 1)),
        "    description: |",
        "      A %s is %s," % (subject, failure),
        "      so the care team works from the wrong picture of the patient.",
        "      Seen in **%s** workflows." % rng.choice(TAGS),
        "    causes:",
    ]
    for cause in rng.sample(CAUSES, 2):
        lines.append("      - %s" % q(cause))
    lines.append("    effects:")
    for effect in rng.sample(EFFECTS, 2):
        lines.append("      - %s" % q(effect))
    lines.append("    harm: %s" % q(rng.choice(HARMS)))
    lines.append("    tags: [%s]" % ", ".join(rng.sample(TAGS, 2)))
    if i % 4 == 0:  # some logs state the rating; it must match the matrix
        lines.append("    initial_risk: { severity: %s, likelihood: %s, rating: %d }"
                     % (sev, lik, rating(sev, lik)))
    else:
        lines.append("    initial_risk: { severity: %s, likelihood: %s }" % (sev, lik))
    lines.append("    residual_risk: { severity: %s, likelihood: %s }" % (rsev, rlik))
    lines.append("    controls: [%s]" % ", ".join(control_id(c) for c in hazard_controls(i, n_controls)))
    if i % 10 == 3 and n_hazards > 1:
        other = (i + 1 + rng.randrange(n_hazards - 1)) % n_hazards  # never i itself
        lines.append("    related: [%s]" % hazard_id(other))
    if i % 5 == 0:
        lines.append("    justification: %s" % q(
            "The controls make the hazard unlikely; further reduction is impractical."))
    lines.append("    owner: %s" % rng.choice(OWNERS))
    lines.append("    status: open")
    lines.append("    review_by: 2027-06-30")
    if i % 3 == 0:
        lines.append("    references: [%s]" % q("Supplier CSCR v2 section %d" % (i % 17 + 1)))
    return lines


def emit_control(rng, i, n_hazards, mitigated_by_hazard):
    lines = [
        "  - id: %s" % control_id(i),
        "    title: %s" % q("%s %s (%d)" % (rng.choice(CONTROL_ACTIONS), rng.choice(SUBJECTS), i + 1)),
        "    description: %s" % q("Control %d, described in the local SOP." % (i + 1)),
        "    type: %s" % CONTROL_TYPES[i % len(CONTROL_TYPES)],
    ]
    mitigates = []
    if not mitigated_by_hazard:
        mitigates.append(i % n_hazards)  # nothing links this control: declare it from this side
    elif i % 5 == 0:
        mitigates.append((i // 2) % n_hazards)  # same link, declared from both sides
    if i % 7 == 0 and n_hazards > 1:
        mitigates.append(rng.randrange(n_hazards))  # extra link, declared from this side only
    mitigates = sorted(set(mitigates))
    if mitigates:
        lines.append("    mitigates: [%s]" % ", ".join(hazard_id(h) for h in mitigates))
    lines.append("    owner: %s" % rng.choice(OWNERS))
    kind = i % 10
    if kind < 4:
        lines.append("    status: verified")
        lines.append("    evidence:")
        lines.append("      - { ref: %s, date: 2026-01-01 }" % q("Test report TR-%d" % (i + 1)))
    elif kind == 9:
        lines.append("    status: planned")
        lines.append("    due: 2027-03-31")
    else:
        lines.append("    status: implemented")
        if kind == 8:
            lines.append("    every: 12 months")
            lines.append("    last_done: 2026-06-01")
    return lines


def emit_metric(rng, i, width, n_controls, dates, csv_rel):
    threshold, warn = 100, 80
    values = [round(rng.uniform(30, 60), 1) for _ in dates]
    if len(values) >= 2 and values[-1] >= values[-2]:
        values[-1] = round(values[-2] - rng.uniform(0.5, 5.0), 1)  # last move is an improvement
    first = (i * 3) % n_controls
    monitors = sorted({(first + k) % n_controls for k in range(3)})
    lines = [
        "  - id: %s" % metric_id(i, width),
        "    title: %s" % q("Metric %d for %s" % (i + 1, rng.choice(SUBJECTS))),
        "    unit: %s" % rng.choice(UNITS),
        "    better: lower",
        "    threshold: %d" % threshold,
        "    warn: %d" % warn,
        "    monitors: [%s]" % ", ".join(control_id(c) for c in monitors),
        "    stale_after: 45 days",
        "    worsening_after: 3",
    ]
    rows = list(zip(dates, values))
    if csv_rel is not None:
        lines.append("    data: %s" % csv_rel)
    else:
        lines.append("    observations:")
        for d, v in rows:
            lines.append("      - { date: %s, value: %s }" % (d, v))
    return lines, rows


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def prepare(out):
    if os.path.exists(out):
        if not os.path.isdir(out):
            sys.exit("generate.py: %s exists and is not a folder" % out)
        if os.listdir(out):
            if not os.path.exists(os.path.join(out, MARKER)):
                sys.exit("generate.py: %s is not empty and was not made by generate.py; refusing to overwrite" % out)
            shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)
    write(os.path.join(out, MARKER), "generated by bench/generate.py; safe to delete\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out", metavar="OUT_DIR")
    p.add_argument("--hazards", type=int, required=True)
    p.add_argument("--controls", type=int, required=True)
    p.add_argument("--metrics", type=int, required=True)
    p.add_argument("--observations", type=int, required=True)
    p.add_argument("--files", type=int, default=None,
                   help="files for hazards, and for controls (default: about 1,000 items per file)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--csv", action="store_true",
                   help="keep each metric's observations in metrics/data/MET-xxxx.csv")
    a = p.parse_args(argv)
    if a.hazards < 1 or a.controls < 1:
        p.error("--hazards and --controls must be at least 1")
    if a.metrics < 0 or a.observations < 0 or (a.files is not None and a.files < 1):
        p.error("--metrics, --observations must be >= 0 and --files >= 1")

    rng = random.Random(a.seed)
    prepare(a.out)
    n_files = {"yaml": 1, "csv": 0}

    write(os.path.join(a.out, "clinsafe.yaml"), "\n".join([
        "# Generated by bench/generate.py (seed %d): %d hazards, %d controls, %d metrics x %d observations."
        % (a.seed, a.hazards, a.controls, a.metrics, a.observations),
        "clinsafe: 1",
        "system:",
        "  name: Benchmark Clinical System",
        '  version: "1.0"',
        "  supplier: Example Supplier Ltd",
        "  description: |",
        "    A synthetic system used to benchmark `clinsafe check`.",
        "organisation:",
        "  name: Example Trust",
        "document:",
        "  id: CSCR-BENCH-001",
        '  version: "0.1"',
        "  status: draft",
        "  date: 2026-11-01",
        "  review_by: 2027-05-01",
        "acceptance:",
        "  max_residual_rating: 2",
        # Planned controls (every tenth) are accepted as conditions of go-live, as a CSO would
        # list them; otherwise each residual rating relying on one is a warning.
        "go_live_conditions: [%s]" % ", ".join(control_id(i) for i in range(a.controls) if i % 10 == 9),
        "",
    ]))

    def files_for(count, per_file=1000):
        return a.files if a.files is not None else max(1, math.ceil(count / per_file))

    # Hazards.
    linked = [False] * a.controls
    for i in range(a.hazards):
        for c in hazard_controls(i, a.controls):
            linked[c] = True
    for f, chunk in enumerate(split(list(range(a.hazards)), files_for(a.hazards)), 1):
        lines = ["# Hazards %s to %s." % (hazard_id(chunk[0]), hazard_id(chunk[-1])), "hazards:"]
        for i in chunk:
            lines.extend(emit_hazard(rng, i, a.hazards, a.controls))
            lines.append("")
        write(os.path.join(a.out, "hazards", "hazards-%04d.yaml" % f), "\n".join(lines))
        n_files["yaml"] += 1

    # Controls.
    for f, chunk in enumerate(split(list(range(a.controls)), files_for(a.controls)), 1):
        lines = ["# Controls %s to %s." % (control_id(chunk[0]), control_id(chunk[-1])), "controls:"]
        for i in chunk:
            lines.extend(emit_control(rng, i, a.hazards, linked[i]))
            lines.append("")
        write(os.path.join(a.out, "controls", "controls-%04d.yaml" % f), "\n".join(lines))
        n_files["yaml"] += 1

    # Metrics.
    if a.metrics:
        width = max(4, len(str(a.metrics)))
        dates = month_ends(a.observations)
        for f, chunk in enumerate(split(list(range(a.metrics)), files_for(a.metrics, 100)), 1):
            lines = ["# Metrics %s to %s." % (metric_id(chunk[0], width), metric_id(chunk[-1], width)),
                     "metrics:"]
            for i in chunk:
                rel = "metrics/data/%s.csv" % metric_id(i, width) if a.csv else None
                mlines, rows = emit_metric(rng, i, width, a.controls, dates, rel)
                lines.extend(mlines)
                lines.append("")
                if rel is not None:
                    write(os.path.join(a.out, rel),
                          "date,value\n" + "".join("%s,%s\n" % r for r in rows))
                    n_files["csv"] += 1
            write(os.path.join(a.out, "metrics", "metrics-%04d.yaml" % f), "\n".join(lines))
            n_files["yaml"] += 1

    print("%d %d" % (n_files["yaml"], n_files["csv"]))


if __name__ == "__main__":
    main()
