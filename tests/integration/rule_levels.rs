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
    let dir = weakened_project();
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

/// Rules switched off, lowered and raised, and a hazard an off rule would fail.
pub fn weakened_project() -> tempfile::TempDir {
    let m = manifest("{ uncovered-hazard: off, orphan-control: error, unverified-evidence: warning }");
    let hazard = "hazards:\n  - { id: HAZ-1, title: Uncontrolled, initial_risk: { severity: major, likelihood: low } }\n";
    project(&[("clinsafe.yaml", &m), ("h.yaml", hazard)])
}

fn check_format(dir: &std::path::Path, format: &str) -> String {
    let out = clinsafe().args(["check", "--as-of", AS_OF, "--format", format]).arg(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// SARIF, JUnit and GitHub annotations carry the rule levels too, each in its
/// own terms, so a clean machine report never reads as clean by the defaults.
#[test]
fn machine_formats_name_the_rules_switched_off_or_lowered() {
    let dir = weakened_project();
    let sarif: serde_json::Value = serde_json::from_str(&check_format(dir.path(), "sarif")).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/sarif-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let invocation = &sarif["runs"][0]["invocations"][0];
    let overrides = invocation["ruleConfigurationOverrides"].as_array().unwrap();
    let by_rule =
        |id: &str| overrides.iter().find(|o| o["descriptor"]["id"] == id).unwrap()["configuration"].clone();
    assert_eq!(by_rule("uncovered-hazard"), serde_json::json!({ "enabled": false }));
    assert_eq!(by_rule("unverified-evidence"), serde_json::json!({ "level": "warning" }));
    assert_eq!(by_rule("orphan-control"), serde_json::json!({ "level": "error" }));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for o in overrides {
        let index = o["descriptor"]["index"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], o["descriptor"]["id"], "the index points at the rule");
    }
    let notice = invocation["toolConfigurationNotifications"][0]["message"]["text"].as_str().unwrap();
    assert!(notice.contains("uncovered-hazard off (default error), unverified-evidence warning"), "{notice}");

    let junit = check_format(dir.path(), "junit");
    assert!(junit.contains("<property name=\"rules-weakened\" value=\"rules switched off or lowered in clinsafe.yaml: uncovered-hazard off"), "{junit}");
    let suite = &junit[junit.find("<testsuite name=\"uncovered-hazard\"").unwrap()..];
    let suite = &suite[..suite.find("</testsuite>").unwrap()];
    assert!(suite.contains("<property name=\"level\" value=\"off\"/>"), "{suite}");
    assert!(suite.contains("<property name=\"default-level\" value=\"error\"/>"), "{suite}");
    assert!(suite.contains("<skipped message=\"switched off in clinsafe.yaml: not checked\"/>"), "{suite}");
    assert!(!suite.contains("no findings"), "an unchecked rule does not pass: {suite}");

    let github = check_format(dir.path(), "github");
    assert!(
        github.lines().any(|l| l.starts_with("::notice title=rules weakened::rules switched off or lowered in clinsafe.yaml: uncovered-hazard off")),
        "{github}"
    );
}
