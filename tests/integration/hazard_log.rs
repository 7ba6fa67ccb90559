//! The hazard log stands alone (issue 14 item 7): its own document control
//! with the version table and approvals, and each control's evidence in it.

use super::{project, rendered, section, AS_OF};

const ITEMS: &str = r#"hazards:
  - { id: HAZ-1, title: Wrong patient, controls: [CTL-1, CTL-2],
      initial_risk: { severity: major, likelihood: medium }, residual_risk: { severity: major, likelihood: very-low } }
controls:
  - { id: CTL-1, title: Two identifiers, type: design, status: verified,
      evidence: [{ ref: UAT-12, date: 2026-10-01 }, { ref: AUD-3, date: 2026-10-20, valid_until: 2027-10-20 }] }
  - { id: CTL-2, title: Training, type: training, status: planned, due: 2027-01-10 }
"#;

const MANIFEST: &str = r#"clinsafe: 1
system: { name: Test system }
document:
  id: CSCR-1
  version: "1.0"
  history: [{ version: "1.0", date: 2026-11-02, author: Dr A, summary: First issue }]
clinical_safety_officer: { name: Dr A, registration: GMC 1 }
approvals:
  - { name: Dr A, role: CSO, date: 2026-11-02, version: "1.0" }
"#;

fn hazard_log(manifest: &str) -> String {
    let dir = project(&[("clinsafe.yaml", manifest), ("items.yaml", ITEMS)]);
    rendered(dir.path(), AS_OF, &[], "hazard-log.html")
}

#[test]
fn the_hazard_log_carries_its_own_document_control_and_approvals() {
    let log = hazard_log(MANIFEST);
    let control = section(&log, "document-control");
    assert!(control.contains("<td>CSCR-1, version 1.0</td>"), "{control}");
    assert!(control.contains("Dr A (GMC 1)"));
    assert!(control.contains("Version history") && control.contains("<td>First issue</td>"));
    assert!(
        control.contains("<h3>Approvals</h3>") && control.contains("<td>Dr A</td><td>CSO</td><td>1.0</td>")
    );
    // The same log under the safety case's control needs no pointer to it.
    assert!(!control.contains("Supports"));
}

#[test]
fn a_hazard_log_with_its_own_control_says_whose_the_approvals_are() {
    let own = MANIFEST.to_string() + "hazard_log: { id: HL-1, version: \"3.1\" }\n";
    let control = section(&hazard_log(&own), "document-control").to_string();
    assert!(control.contains("<td>HL-1, version 3.1</td>"), "{control}");
    assert!(control.contains("Supports</th><td>the clinical safety case report CSCR-1, version 1.0</td>"));
    assert!(control.contains("recorded in <code>clinsafe.yaml</code> for the safety case, CSCR-1"));
}

#[test]
fn each_control_shows_its_evidence_in_the_hazard_log() {
    let log = hazard_log(MANIFEST);
    let controls = section(&log, "controls");
    assert!(
        controls.contains("<td>UAT-12 (2026-10-01); AUD-3 (2026-10-20), valid until 2027-10-20</td>"),
        "{controls}"
    );
    assert!(controls.contains("<span class=\"none\">none recorded</span>"), "the planned control has none");
    assert!(!log.contains("section 7"), "no pointer to another document for the evidence");
    // And where the hazard lists its controls.
    let start = log.find("<section class=\"hazard\" id=\"HAZ-1\">").expect("the hazard's entry");
    let entry = &log[start..start + log[start..].find("</section>").unwrap()];
    assert!(
        entry.contains("CTL-1</a> Two identifiers (verified; evidence: UAT-12 (2026-10-01); AUD-3 (2026-10-20), valid until 2027-10-20)"),
        "{entry}"
    );
    assert!(
        entry.contains("CTL-2</a> Training (planned; evidence: <span class=\"none\">none recorded</span>)")
    );
}
