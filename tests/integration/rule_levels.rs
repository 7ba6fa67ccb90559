//! SPEC §3 "Rule levels": `residual-unacceptable` cannot be weakened, and
//! every verdict names the rules a project switches off or lowers.

use super::render::render;
use super::{check_json, clinsafe, project, AS_OF};

const HAZARD: &str = "hazards:\n  - { id: HAZ-1, title: Uncontrolled, initial_risk: { severity: catastrophic, likelihood: very-high },\n      residual_risk: { severity: catastrophic, likelihood: very-high } }\n";

fn manifest(rules: &str) -> String {
    format!("clinsafe: 1\nsystem: {{ name: S }}\ndocument: {{ id: D, version: \"1\" }}\nrules: {rules}\n")
}

#[test]
fn residual_unacceptable_cannot_be_switched_off_or_lowered() {
    for setting in ["off", "warning"] {
        let m = manifest(&format!("{{ uncovered-hazard: off, residual-unacceptable: {setting} }}"));
        let dir = project(&[("clinsafe.yaml", &m), ("h.yaml", HAZARD)]);
        let (code, json) = check_json(dir.path(), &[]);
        assert_eq!(code, 2, "{json}");
        let f = &json["findings"][0];
        assert_eq!(f["rule"], "invalid-input", "{json}");
        assert_eq!(f["file"], "clinsafe.yaml");
        assert_eq!(f["line"], 4);
        assert!(f["message"].as_str().unwrap().contains("residual-unacceptable"), "{json}");
    }
    // Asking for what it already is stays fine.
    let m = manifest("{ residual-unacceptable: error }");
    let dir = project(&[("clinsafe.yaml", &m), ("h.yaml", HAZARD)]);
    assert_eq!(check_json(dir.path(), &[]).0, 1);
}

#[test]
fn check_and_every_document_name_the_rules_switched_off_or_lowered() {
    let m = manifest("{ uncovered-hazard: off, orphan-control: error, unverified-evidence: warning }");
    let hazard = "hazards:\n  - { id: HAZ-1, title: Uncontrolled, initial_risk: { severity: major, likelihood: low } }\n";
    let dir = project(&[("clinsafe.yaml", &m), ("h.yaml", hazard)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(
        json["rules_changed"],
        serde_json::json!([
            { "rule": "uncovered-hazard", "level": "off", "default": "error" },
            { "rule": "unverified-evidence", "level": "warning", "default": "error" },
            { "rule": "orphan-control", "level": "error", "default": "warning" },
        ])
    );
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules switched off or lowered in clinsafe.yaml: uncovered-hazard off (default error), unverified-evidence warning (default error)"),
        "{err}"
    );

    let (code, out, err) = render(dir.path(), &[]);
    assert_eq!(code, 0, "{err}");
    for doc in ["safety-case.html", "hazard-log.html", "checklist.html"] {
        let html = std::fs::read_to_string(out.path().join(doc)).unwrap();
        assert!(html.contains("Rules switched off or lowered</strong>"), "{doc}");
        assert!(html.contains("<code>uncovered-hazard</code> off (default error)"), "{doc}");
        assert!(!html.contains("<code>orphan-control</code> error"), "{doc}: raising a rule weakens nothing");
    }
    let case = std::fs::read_to_string(out.path().join("safety-case.html")).unwrap();
    // The conclusion's facts name them too.
    let facts = &case[case.find("<ul class=\"facts\">").unwrap()..];
    assert!(
        facts[..facts.find("</ul>").unwrap()].contains("<code>uncovered-hazard</code> off (default error)"),
        "{case}"
    );
}

#[test]
fn default_levels_add_no_note() {
    let dir = project(&[("clinsafe.yaml", &manifest("{ orphan-control: error }"))]);
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(json["rules_changed"].as_array().unwrap().len(), 1);
    let (_, out, err) = render(dir.path(), &[]);
    let html = std::fs::read_to_string(out.path().join("safety-case.html")).unwrap();
    assert!(!html.contains("switched off or lowered"), "{err}");
}
