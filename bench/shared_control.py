#!/usr/bin/env python3
"""Write a project of N hazards that all name one control (and one metric monitoring it).

    python3 bench/shared_control.py OUT_DIR N

Every hazard is assessed and linked, so `check` has work per hazard; the one control
is linked from all of them, the shape that once made check quadratic (issue 11 item 10).
"""
import os
import sys

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(os.path.join(out, "hazards"), exist_ok=True)
with open(os.path.join(out, "clinsafe.yaml"), "w") as f:
    f.write('clinsafe: 1\nsystem: { name: Shared control }\ndocument: { id: DOC-1, version: "1" }\n')
with open(os.path.join(out, "controls.yaml"), "w") as f:
    f.write("controls:\n  - { id: CTL-1, title: One control for all, type: design, status: implemented,"
            " owner: Ops, monitored_by: [MET-1] }\n")
    f.write("metrics:\n  - { id: MET-1, title: One metric, better: lower }\n")
with open(os.path.join(out, "hazards", "hazards.yaml"), "w") as f:
    f.write("hazards:\n")
    for i in range(1, n + 1):
        f.write(f"  - id: HAZ-{i}\n    title: Hazard {i}\n    controls: [CTL-1]\n"
                f"    initial_risk: {{ severity: major, likelihood: low }}\n"
                f"    residual_risk: {{ severity: minor, likelihood: low }}\n")
