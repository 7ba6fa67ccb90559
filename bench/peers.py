#!/usr/bin/env python3
"""Turn a clinsafe project into the inputs of its peers, for bench/peers.sh.

    python3 bench/peers.py PROJECT_DIR OUT_DIR

Writes, from the project's hazards and controls (read as bench/strictdoc.py reads them, with
the same hazard-control links: a hazard's `controls:` and a control's `mitigates:`):

* OUT_DIR/sdoc/hazard-log.sdoc: StrictDoc (bench/strictdoc.py's document);
* OUT_DIR/sphinx/: a Sphinx project with sphinx-needs: `conf.py` and `index.rst` with a
  `.. req::` need per hazard and a `.. spec::` need per control, `:links:` to its hazards
  (ids with `-` as `_`, as sphinx-needs' default id pattern wants); a section per kind;
* OUT_DIR/doorstop/: a Doorstop tree (a git working copy, which Doorstop needs): document HAZ
  with an item per hazard, document CTL (parent HAZ) with an item per control linked to its
  hazards.

Prints: hazards controls links.
"""

import importlib.util
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("sdoc_convert", os.path.join(here, "strictdoc.py"))
sd = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sd)
yaml = sd.yaml


def links(hazards, controls):
    known = {str(h["id"]) for h in hazards}
    parents = {str(c["id"]): [] for c in controls}
    for h in hazards:
        for cid in h.get("controls") or []:
            if str(cid) in parents and str(h["id"]) not in parents[str(cid)]:
                parents[str(cid)].append(str(h["id"]))
    for c in controls:
        for hid in c.get("mitigates") or []:
            if str(hid) in known and str(hid) not in parents[str(c["id"])]:
                parents[str(c["id"])].append(str(hid))
    return parents


def text_of(item):
    return str(item.get("description") or item.get("title") or item["id"]).rstrip("\n")


def sphinx(out, hazards, controls, parents):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "conf.py"), "w", encoding="utf-8") as f:
        f.write('project = "Hazard log"\nextensions = ["sphinx_needs"]\nhtml_theme = "alabaster"\n')
    nid = lambda i: str(i).replace("-", "_")
    lines = ["Hazard log", "==========", "", "Hazards", "-------", ""]
    for h in hazards:
        lines += [".. req:: %s" % sd.single_line(h.get("title") or h["id"]), "   :id: %s" % nid(h["id"]), ""]
        lines += ["   " + l for l in text_of(h).split("\n")] + [""]
    lines += ["Controls", "--------", ""]
    for c in controls:
        lines += [".. spec:: %s" % sd.single_line(c.get("title") or c["id"]), "   :id: %s" % nid(c["id"])]
        if parents[str(c["id"])]:
            lines.append("   :links: %s" % ", ".join(nid(p) for p in sorted(parents[str(c["id"])])))
        lines += [""] + ["   " + l for l in text_of(c).split("\n")] + [""]
    with open(os.path.join(out, "index.rst"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def doorstop(out, hazards, controls, parents):
    def document(folder, prefix, parent, items):
        d = os.path.join(out, folder)
        os.makedirs(d, exist_ok=True)
        settings = {"settings": {"digits": 6, "prefix": prefix, "sep": "-"}}
        if parent:
            settings["settings"]["parent"] = parent
        with open(os.path.join(d, ".doorstop.yml"), "w", encoding="utf-8") as f:
            yaml.safe_dump(settings, f)
        for level, (uid, title, text, ups) in enumerate(items, 1):
            item = {"active": True, "derived": False, "header": title, "level": "1.%d" % level,
                    "links": [{u: None} for u in ups], "normative": True, "ref": "", "reviewed": None,
                    "text": text}
            with open(os.path.join(d, "%s.yml" % uid), "w", encoding="utf-8") as f:
                yaml.safe_dump(item, f, allow_unicode=True)

    os.makedirs(out, exist_ok=True)
    subprocess.run(["git", "init", "-q", out], check=True)
    document("haz", "HAZ", None, [(str(h["id"]), sd.single_line(h.get("title") or h["id"]), text_of(h), [])
                                  for h in hazards])
    document("ctl", "CTL", "HAZ", [(str(c["id"]), sd.single_line(c.get("title") or c["id"]), text_of(c),
                                    sorted(parents[str(c["id"])])) for c in controls])


def main():
    project, out = sys.argv[1], sys.argv[2]
    hazards = sd.load_items(project, "hazards", "hazards")
    controls = sd.load_items(project, "controls", "controls")
    parents = links(hazards, controls)
    with open(os.devnull, "w") as null:
        saved, sys.stdout = sys.stdout, null
        try:
            sd.main([project, os.path.join(out, "sdoc", "hazard-log.sdoc")])
        finally:
            sys.stdout = saved
    sphinx(os.path.join(out, "sphinx"), hazards, controls, parents)
    doorstop(os.path.join(out, "doorstop"), hazards, controls, parents)
    print(len(hazards), len(controls), sum(len(p) for p in parents.values()))


if __name__ == "__main__":
    main()
