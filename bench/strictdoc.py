#!/usr/bin/env python3
"""Turn a clinsafe project into an equivalent StrictDoc document (.sdoc), for bench/strictdoc.sh.

    python3 bench/strictdoc.py PROJECT_DIR OUT.sdoc [--markup RST|Text|Markdown]

Reads PROJECT_DIR/clinsafe.yaml, hazards/*.yaml and controls/*.yaml (PyYAML; any clinsafe
project whose hazards and controls sit under the usual folders, e.g. one made by
bench/generate.py) and writes one StrictDoc document with two sections ([[SECTION]] composite nodes; StrictDoc
0.30 rejects the old [SECTION] blocks):

* "Hazards": one [REQUIREMENT] per hazard: UID = the hazard id, TITLE = its title,
  STATEMENT = its description (multi-line, as written; the generator's descriptions use
  **bold**, which reads the same in RST and Markdown);
* "Controls": one [REQUIREMENT] per control: UID, TITLE, STATEMENT = its description, and
  RELATIONS with one `- TYPE: Parent` per hazard the control is linked to. A link is the
  union of the hazard's `controls:` and the control's `mitigates:`, as clinsafe links them,
  so StrictDoc shows each control under its hazards and each hazard's children.

The grammar is StrictDoc's default (no [GRAMMAR] block): REQUIREMENT with UID, TITLE,
STATEMENT and RELATIONS, checked against StrictDoc 0.30.4. Items without a description get
the title as STATEMENT (StrictDoc rejects empty fields). Text that StrictDoc's parser would
read as markup of its own (a line starting with `<<<`, `[LINK: `, `[ANCHOR: `) is escaped with
a leading space. On success prints: hazards controls relations.
"""

import argparse
import glob
import os
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("strictdoc.py: needs PyYAML (python3 -m pip install pyyaml, or run with the StrictDoc venv's python)")

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_items(project, folder, key):
    items = []
    for path in sorted(glob.glob(os.path.join(project, folder, "**", "*.yaml"), recursive=True)
                       + glob.glob(os.path.join(project, folder, "**", "*.yml"), recursive=True)):
        if any(part.startswith(".") for part in os.path.relpath(path, project).split(os.sep)):
            continue  # clinsafe skips hidden files and folders
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=Loader) or {}
        items.extend(doc.get(key) or [])
    return items


def single_line(text):
    text = " ".join(str(text).split())
    return text or "-"


def multi_line(text):
    lines = str(text).rstrip("\n").split("\n")
    out = []
    for line in lines:
        if line.startswith(("<<<", "[LINK: ", "[ANCHOR: ", ">>>")):
            line = " " + line
        out.append(line.rstrip())
    while out and not out[0].strip():
        out.pop(0)
    return "\n".join(out) if out else "-"


def requirement(uid, title, statement, parents=()):
    lines = [
        "[REQUIREMENT]",
        "UID: %s" % uid,
        "TITLE: %s" % single_line(title),
        "STATEMENT: >>>",
        multi_line(statement),
        "<<<",
    ]
    if parents:
        lines.append("RELATIONS:")
        for p in parents:
            lines.append("- TYPE: Parent")
            lines.append("  VALUE: %s" % p)
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("project", metavar="PROJECT_DIR")
    p.add_argument("out", metavar="OUT.sdoc")
    p.add_argument("--markup", choices=["RST", "Text", "Markdown"], default=None,
                   help="the document's MARKUP option (default: none given, StrictDoc's default, RST)")
    a = p.parse_args(argv)

    with open(os.path.join(a.project, "clinsafe.yaml"), encoding="utf-8") as f:
        manifest = yaml.load(f, Loader=Loader) or {}
    hazards = load_items(a.project, "hazards", "hazards")
    controls = load_items(a.project, "controls", "controls")
    if not hazards:
        sys.exit("strictdoc.py: no hazards found under %s/hazards" % a.project)

    hazard_ids = [str(h["id"]) for h in hazards]
    known = set(hazard_ids)
    parents = {str(c["id"]): [] for c in controls}
    seen = set()

    def link(hid, cid):
        if hid in known and cid in parents and (hid, cid) not in seen:
            seen.add((hid, cid))
            parents[cid].append(hid)

    for h in hazards:
        for cid in h.get("controls") or []:
            link(str(h["id"]), str(cid))
    for c in controls:
        for hid in c.get("mitigates") or []:
            link(str(hid), str(c["id"]))

    system = (manifest.get("system") or {}).get("name") or "clinsafe project"
    lines = ["[DOCUMENT]", "TITLE: %s" % single_line("Hazard log: %s" % system)]
    if a.markup:
        lines += ["OPTIONS:", "  MARKUP: %s" % a.markup]
    lines += ["", "[[SECTION]]", "TITLE: Hazards"]
    for h in hazards:
        lines.append("")
        lines += requirement(h["id"], h.get("title") or h["id"], h.get("description") or h.get("title") or h["id"])
    lines += ["", "[[/SECTION]]", "", "[[SECTION]]", "TITLE: Controls"]
    for c in controls:
        cid = str(c["id"])
        lines.append("")
        lines += requirement(cid, c.get("title") or cid, c.get("description") or c.get("title") or cid,
                             sorted(parents[cid]))
    lines += ["", "[[/SECTION]]", ""]

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    print("%d %d %d" % (len(hazards), len(controls), len(seen)))


if __name__ == "__main__":
    main()
