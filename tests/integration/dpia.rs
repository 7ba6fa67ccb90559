//! The DPIA on the ICO template (issue 14 item 8): its optional items, the
//! measures' state from their controls, step 7, and lists that hold commas.

use super::{check_json, clinsafe, project, rendered, rules_of, section};

const CONTROLS: &str = r#"
controls:
  - { id: CTL-1, title: Encryption, type: design, status: verified, evidence: [{ ref: PEN-1 }] }
  - { id: CTL-2, title: Locum induction, type: training, status: planned, due: 2027-01-10 }
"#;

/// A DPIA with only SPEC §1's fields.
const PLAIN: &str = r#"
dpia:
  title: Messaging
  processing: { nature: n, scope: s, context: c, purposes: p }
  lawful_basis: { article_6: "6(1)(e)", article_9: "9(2)(h)" }
  necessity: needed
  data_categories: [Name, Address]
  recipients: ["Brightwell Ltd, as processor", Practice staff]
  risks:
    - { id: DPR-1, title: Disclosure, likelihood: possible, severity: severe, controls: [CTL-1, CTL-2],
        residual: { likelihood: remote, severity: severe }, approved: true }
"#;

fn render_dpia(files: &[(&str, &str)]) -> String {
    rendered(project(files).path(), super::AS_OF, &[], "dpia.html")
}

#[test]
fn lists_whose_items_hold_commas_are_shown_as_lists() {
    let html = render_dpia(&[("c.yaml", CONTROLS), ("d.yaml", PLAIN)]);
    let processing = section(&html, "processing");
    // No comma in any item: one line.
    assert!(processing.contains("<p>Name, Address</p>"), "{processing}");
    // An item with a comma: a list, so "Brightwell Ltd" and "as processor" stay one item.
    assert!(
        processing.contains("<ul><li>Brightwell Ltd, as processor</li><li>Practice staff</li></ul>"),
        "{processing}"
    );
}

#[test]
fn a_dpia_without_the_template_items_says_not_stated_for_each() {
    let html = render_dpia(&[("c.yaml", CONTROLS), ("d.yaml", PLAIN)]);
    assert!(section(&html, "need").contains("not stated"));
    let processing = section(&html, "processing");
    assert!(processing.contains("Controller</th><td><span class=\"none\">not stated</span>"));
    assert!(processing.contains("Data protection officer</th><td><span class=\"none\">not stated</span>"));
    let necessity = section(&html, "necessity");
    assert!(necessity.contains("Individuals' rights</h3>\n<p class=\"none\">not stated</p>"), "{necessity}");
    assert!(necessity.contains("International transfers</h3>\n<p class=\"none\">not stated</p>"));
    let signoff = section(&html, "sign-off");
    assert_eq!(signoff.matches("<span class=\"none\">not stated</span>").count(), 6, "{signoff}");
}

#[test]
fn a_planned_control_is_not_an_approved_measure() {
    let html = render_dpia(&[("c.yaml", CONTROLS), ("d.yaml", PLAIN)]);
    let measures = section(&html, "measures");
    assert!(measures.contains("CTL-1</a> Encryption (verified)"), "{measures}");
    assert!(measures.contains(
        "CTL-2</a> Locum induction (<span class=\"flag flag-overdue\">planned: not yet in place</span>)"
    ));
    // Recorded as approved, but the planned measure is named beside it.
    assert!(measures.contains("yes; CTL-2 not yet in place"), "{measures}");
}

#[test]
fn the_template_items_and_step_7_are_shown() {
    let full = PLAIN.replace("approved: true }", "approved: true, effect: reduced }")
        + r#"  need: "Health data at scale"
  controller: Riverside Practice
  dpo: Jo Bloggs, ICB DPO
  processors: ["Brightwell Ltd: hosting"]
  individuals_rights: Patients may opt out.
  international_transfers: None outside the UK.
  outcomes:
    measures_approved_by: { name: Dr Reyes, role: Partner, date: 2026-09-24, comments: In the plan }
    dpo_advice_decision: { name: Dr Reyes, date: 2026-09-24, decision: overruled, comments: Cost }
    kept_under_review_by: { name: Jo Bloggs }
"#;
    let html = render_dpia(&[("c.yaml", CONTROLS), ("d.yaml", &full)]);
    assert!(section(&html, "need").contains("<p>Health data at scale</p>"));
    let processing = section(&html, "processing");
    assert!(
        processing.contains("<td>Riverside Practice</td>")
            && processing.contains("<td>Jo Bloggs, ICB DPO</td>")
    );
    assert!(processing.contains("<p>Brightwell Ltd: hosting</p>"));
    let necessity = section(&html, "necessity");
    assert!(necessity.contains("Patients may opt out.") && necessity.contains("None outside the UK."));
    assert!(section(&html, "measures").contains("<td>reduced</td>"));
    let signoff = section(&html, "sign-off");
    assert!(signoff
        .contains("Measures approved by</th><td>Dr Reyes, Partner, 2026-09-24</td><td>In the plan</td>"));
    assert!(signoff.contains("DPO advice accepted or overruled by</th><td>Dr Reyes, 2026-09-24</td><td>Advice overruled: Cost</td>"));
    assert!(signoff.contains("This DPIA will be kept under review by</th><td>Jo Bloggs</td>"));
}

#[test]
fn overruled_advice_needs_its_reasons() {
    let without =
        PLAIN.to_string() + "  outcomes:\n    dpo_advice_decision: { name: Dr Reyes, decision: overruled }\n";
    let dir = project(&[("c.yaml", CONTROLS), ("d.yaml", &without)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "dpia-incomplete")
        .expect("a finding");
    assert!(f["message"].as_str().unwrap().contains("overruled without the reasons"));
    assert_eq!((f["file"].as_str(), f["line"].as_u64()), (Some("d.yaml"), Some(13)), "{f}");
    let accepted = without.replace("overruled", "accepted");
    let dir = project(&[("c.yaml", CONTROLS), ("d.yaml", &accepted)]);
    assert!(!rules_of(&check_json(dir.path(), &[]).1).contains(&"dpia-incomplete".to_string()));
}

#[test]
fn bad_template_items_are_located_load_errors() {
    for (bad, expected) in
        [("approved: true, effect: halved }", "halved"), ("approved: true, efect: reduced }", "efect")]
    {
        let text = PLAIN.replace("approved: true }", bad);
        let dir = project(&[("c.yaml", CONTROLS), ("d.yaml", &text)]);
        let o = clinsafe().args(["check", "--as-of", super::AS_OF]).arg(dir.path()).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("d.yaml:11:") && err.contains(expected), "{err}");
    }
    let text = PLAIN.to_string() + "  outcomes:\n    dpo_advice_decision: { name: A, decision: maybe }\n";
    let dir = project(&[("c.yaml", CONTROLS), ("d.yaml", &text)]);
    let o = clinsafe().args(["check", "--as-of", super::AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("d.yaml:13:") && err.contains("maybe") && err.contains("accepted"), "{err}");
}
