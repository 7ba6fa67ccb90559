//! Accessibility of every HTML document clinsafe writes (WCAG 2.2 AA):
//! axe-core in headless Chromium finds no serious or critical violation, and
//! the Nu Html Checker finds no error. The documents: the example's, a
//! hostile/Unicode project's, a project that puts every palette colour on the
//! page, one with Markdown of every kind in every field, and `serve`'s error page.
//! Need Chromium, axe-core and vnu-jar (npm) and Java: ignored by plain
//! `cargo test`, run by `.ci/run` (`--include-ignored`), where a missing tool
//! is a failure, not a skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::browser::Browser;
use super::consumers::ci_tools;
use super::project;
use super::render::{render, HOSTILE};
use super::serve::{Serve, HAZARD};
use super::write;

/// Every coloured class of the palette in use: ratings 1–5 and none, a
/// draft, overdue reviews, expired evidence, a breach, a warning, a stale
/// metric, error and warning findings, DPIA levels low to high, an approval
/// of other content and a rule switched off.
const EVERY_COLOUR: &[(&str, &str)] = &[
    (
        "clinsafe.yaml",
        r#"clinsafe: 1
system: { name: Every colour, version: "0.1" }
organisation: { name: Test practice, ods_code: Y00001 }
document: { id: DOC-1, version: "0.2", status: draft, review_by: 2026-01-01, history: [{ version: "0.1", date: 2026-01-01, author: A, summary: First }] }
clinical_safety_officer: { name: Dr A }
approvals:
  - { name: Dr A, role: CSO, date: 2026-01-02, version: "0.1", digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000" }
rules: { orphan-control: off, unverified-evidence: warning }
"#,
    ),
    (
        "h.yaml",
        r#"hazards:
  - { id: HAZ-1, title: Rating one, owner: A, controls: [CTL-1], initial_risk: { severity: minor, likelihood: very-low }, residual_risk: { severity: minor, likelihood: very-low } }
  - { id: HAZ-2, title: Rating two, owner: A, controls: [CTL-1], initial_risk: { severity: minor, likelihood: medium }, residual_risk: { severity: minor, likelihood: low }, review_by: 2026-01-01 }
  - { id: HAZ-3, title: Rating three, controls: [CTL-2], initial_risk: { severity: major, likelihood: medium }, residual_risk: { severity: major, likelihood: medium } }
  - { id: HAZ-4, title: Rating four, controls: [CTL-2], initial_risk: { severity: major, likelihood: high }, residual_risk: { severity: major, likelihood: high } }
  - { id: HAZ-5, title: Rating five, initial_risk: { severity: catastrophic, likelihood: very-high }, residual_risk: { severity: catastrophic, likelihood: very-high } }
  - { id: HAZ-6, title: Not assessed }
  - { id: HAZ-7, title: Half rated, initial_risk: { severity: major } }
  - { id: HAZ-8, title: Gone, status: withdrawn, withdrawn_reason: Duplicate of HAZ-1 }
controls:
  - { id: CTL-1, title: Watched, type: business-process, status: implemented, owner: Practice manager, evidence: [{ ref: Audit, date: 2025-01-01, valid_until: 2025-06-01 }] }
  - { id: CTL-2, title: Planned, type: design, status: planned }
  - { id: CTL-3, title: Orphan, type: design, status: planned }
metrics:
  - { id: MET-1, title: Response time, unit: hours, better: lower, threshold: 24, warn: 18, monitors: [CTL-1], data: data/met-1.csv }
  - { id: MET-2, title: Warned, better: lower, threshold: 10, warn: 5, monitors: [CTL-2], observations: [{ date: 2026-10-31, value: 6 }, { date: 2026-11-20, value: 7 }] }
  - { id: MET-3, title: Fine, better: higher, threshold: 5, monitors: [CTL-2], observations: [{ date: 2026-11-20, value: 9 }] }
  - { id: MET-4, title: Stale, better: neutral, monitors: [CTL-1], stale_after: 30 days, observations: [{ date: 2026-01-20, value: 9 }] }
"#,
    ),
    ("data/met-1.csv", "date,value\n2026-08-31,12\n2026-09-30,30\n2026-10-31,27\n2026-11-20,31\n"),
    (
        "dpia.yaml",
        r#"dpia:
  title: Every level
  risks:
    - { id: DPR-1, title: Low, likelihood: remote, severity: minimal, controls: [CTL-1], residual: { likelihood: remote, severity: minimal }, approved: true }
    - { id: DPR-2, title: Medium, likelihood: possible, severity: significant, controls: [CTL-1], residual: { likelihood: possible, severity: significant }, approved: false }
    - { id: DPR-3, title: High, likelihood: probable, severity: severe, residual: { likelihood: probable, severity: severe } }
"#,
    ),
];

/// The every-colour project as it was before: rendering with `--since` this
/// copy adds the changes section and every "… since" mark (an added, a
/// removed, a changed, a withdrawn hazard and a changed control).
fn every_colour_before() -> TempDir {
    let files: Vec<(&str, String)> = EVERY_COLOUR
        .iter()
        .map(|(name, text)| {
            let text = text
                .replace("document: { id: DOC-1, version: \"0.2\"", "document: { id: DOC-1, version: \"0.1\"")
                .replace("title: Rating one,", "title: Rating one before,")
                .replace("  - { id: HAZ-7, title: Half rated, initial_risk: { severity: major } }\n", "")
                .replace(", status: withdrawn, withdrawn_reason: Duplicate of HAZ-1", "")
                .replace(
                    "status: implemented, owner: Practice manager",
                    "status: planned, owner: Practice manager",
                )
                .replace("controls:\n", "  - { id: HAZ-9, title: Removed since }\ncontrols:\n");
            (*name, text)
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    project(&files)
}

/// The pages to check, with what keeps them there: each as the browser
/// opens it (a `file://` URL, or the URL `serve` shows it at) and as a file
/// for the checker (which refuses local hosts: a copy of the served page).
struct Documents {
    pages: Vec<(String, PathBuf)>,
    _folders: Vec<TempDir>,
    _serve: Serve,
}

fn documents() -> Documents {
    let mut pages = Vec::new();
    let mut folders = Vec::new();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging");
    let hostile = project(&[("h.yaml", HOSTILE)]);
    let every_colour = project(EVERY_COLOUR);
    let before = every_colour_before();
    let since = ["--since", before.path().to_str().unwrap()];
    // Markdown of every kind (headings in any order, tables, lists) in every field.
    let torture = super::hunt2::torture_project();
    let unusual = super::hunt4_reports::unusual_projects();
    for (dir, expect, extra) in [
        (example.as_path(), 5, &[][..]),
        (hostile.path(), 3, &[]),
        (every_colour.path(), 5, &since),
        (torture.path(), 5, &[]),
        (unusual[0].path(), 3, &[]),
        (unusual[1].path(), 5, &[]),
    ] {
        let (code, out, err) = render(dir, extra);
        assert_ne!(code, 2, "{err}");
        let mut html: Vec<(String, PathBuf)> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| (format!("file://{}", p.display()), p))
            .collect();
        assert!(html.len() >= expect, "{}: {html:?}", dir.display());
        if !extra.is_empty() {
            let case = std::fs::read_to_string(out.path().join("safety-case.html")).unwrap();
            assert!(case.contains("Changes since version 0.1"), "--since shows its changes");
        }
        html.sort();
        pages.extend(html);
        folders.push(out);
    }
    // What `serve` shows in place of the report while the project is broken.
    let broken = project(&[("hazards/h.yaml", HAZARD)]);
    let serve = Serve::start(broken.path());
    let v = serve.version();
    write(
        broken.path(),
        "hazards/h.yaml",
        b"hazards:\n  - { id: HAZ-1, title: \"<b>x</b>\", status: shut }\n",
    );
    serve.wait_for_render(v);
    let (status, page) = serve.get("GET", "/safety-case.html");
    assert!(status == 200 && page.contains("could not be rendered"), "{page}");
    let copy = broken.path().join("served-error-page.html");
    std::fs::write(&copy, page).unwrap();
    pages.push((serve.url("/safety-case.html"), copy));
    folders.push(broken);
    Documents { pages, _folders: folders, _serve: serve }
}

/// axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA, and its
/// best practices; the violations, one line per element.
const AXE_RUN: &str = r"axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\s+/g, ' ')),
})))";

#[test]
#[ignore = "needs Chromium and axe-core (npm); run by .ci/run"]
fn every_document_has_no_serious_axe_core_violation() {
    let script = ci_tools().join("node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&script)
        .unwrap_or_else(|e| panic!("{}: {e}: .ci/run installs axe-core with npm", script.display()));
    let docs = documents();
    let mut browser = Browser::open("about:blank");
    let (mut report, mut serious) = (Vec::new(), 0);
    for (page, _) in &docs.pages {
        browser.goto(page);
        browser.eval(&axe); // DevTools runs it past the page's no-script policy
        let violations = browser.eval(AXE_RUN);
        for v in violations.as_array().expect("axe returns a list") {
            let impact = v["impact"].as_str().unwrap_or("unknown");
            if matches!(impact, "serious" | "critical") {
                serious += 1;
            }
            report.push(format!("{page} [{impact}] {}: {}", v["id"], v["help"]));
            for node in v["nodes"].as_array().into_iter().flatten() {
                report.push(format!("    {}", node.as_str().unwrap_or_default()));
            }
        }
    }
    assert!(docs.pages.len() >= 14);
    assert_eq!(serious, 0, "axe-core violations:\n{}", report.join("\n"));
    // Moderate and minor ones are reported too: none is left today.
    assert!(report.is_empty(), "axe-core violations:\n{}", report.join("\n"));
}

#[test]
#[ignore = "needs vnu-jar (npm) and Java; run by .ci/run"]
fn every_document_passes_the_nu_html_checker() {
    let jar = ci_tools().join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.is_file(), "{} is missing: .ci/run installs vnu-jar with npm", jar.display());
    let docs = documents();
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--format", "json"])
        .args(docs.pages.iter().map(|(_, file)| file))
        .output()
        .expect("java is missing: .ci/run installs default-jre-headless");
    let json: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("vnu printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let messages = json["messages"].as_array().expect("a list of messages");
    let line = |m: &serde_json::Value| {
        format!("{}:{}: {} {}: {}", m["url"], m["lastLine"], m["type"], m["subType"], m["message"])
    };
    let errors: Vec<String> = messages.iter().filter(|m| m["type"] != "info").map(line).collect();
    assert!(errors.is_empty(), "Nu Html Checker errors:\n{}", errors.join("\n"));
    // Warnings too; only infos (`<br/>`: the PDF writer reads pages as XML)
    // stay, and the served page's script, which its policy allows from the
    // server but the checker judges from the copy's `file:` address.
    let warnings: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] == "info" && m["subType"] == "warning")
        .filter(|m| !m["message"].as_str().unwrap_or_default().contains("/__clinsafe/reload.js"))
        .map(line)
        .collect();
    assert!(warnings.is_empty(), "Nu Html Checker warnings:\n{}", warnings.join("\n"));
}
