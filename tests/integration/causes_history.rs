//! Format v1 additions the importer relies on: cause items with their own
//! controls, `document.history`, and `notes`.

use super::{check_json, clinsafe, project, rules_of, AS_OF};

const HAZARD: &str = r#"hazards:
  - id: HAZ-1
    title: Wrong patient
    initial_risk: { severity: major, likelihood: medium }
    causes:
      - Plain text cause
      - { id: HAZ-1-C1, text: Messaging failure, controls: [CTL-1] }
    notes: [ "Release introduced: 2.1" ]
controls:
  - { id: CTL-1, title: Two identifiers, type: design, status: implemented, notes: [ "Action: train staff" ] }
"#;

#[test]
fn a_control_linked_only_through_a_cause_covers_its_hazard() {
    let dir = project(&[("h.yaml", HAZARD)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["hazards"][0]["controls"], serde_json::json!(["CTL-1"]));
    let rules = rules_of(&json);
    assert!(
        !rules.contains(&"uncovered-hazard".into()) && !rules.contains(&"orphan-control".into()),
        "{rules:?}"
    );
}

#[test]
fn a_cause_item_naming_a_missing_control_is_a_dangling_reference() {
    let dir = project(&[("h.yaml", &HAZARD.replace("controls: [CTL-1]", "controls: [CTL-9]"))]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(rules_of(&json).contains(&"dangling-reference".into()));
}

#[test]
fn unknown_keys_in_a_cause_item_and_in_history_are_refused_by_name() {
    let manifest = "clinsafe: 1\nsystem: { name: S }\ndocument:\n  id: D\n  version: \"1\"\n  history:\n    - { version: \"1\", dat: 2026-01-01 }\n";
    let dir = project(&[
        ("clinsafe.yaml", manifest),
        ("h.yaml", &HAZARD.replace("text: Messaging failure", "txt: Messaging failure")),
    ]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unknown key `dat`; did you mean `date`?"), "{err}");
    assert!(err.contains("unknown key `txt`; did you mean `text`?"), "{err}");
}

#[test]
fn history_must_run_oldest_first() {
    let manifest = "clinsafe: 1\nsystem: { name: S }\ndocument:\n  id: D\n  version: \"1\"\n  history:\n    - { version: \"1.0\", date: 2026-06-01 }\n    - { version: \"0.9\", date: 2026-01-01 }\n";
    let dir = project(&[("clinsafe.yaml", manifest)]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("runs oldest first"), "{err}");
    assert!(err.contains("clinsafe.yaml:8:"), "{err}");
}

#[test]
fn history_notes_and_cause_items_reach_the_documents() {
    let manifest = "clinsafe: 1\nsystem: { name: S }\ndocument:\n  id: D\n  version: \"1.0\"\n  owner: Dr Owner\n  history:\n    - { version: \"0.9\", date: 2026-06-01, author: Dr A, summary: Pilot log }\n    - { version: \"1.0\", date: 2026-11-02, author: Dr A, summary: First issue }\n";
    let dir = project(&[("clinsafe.yaml", manifest), ("h.yaml", HAZARD)]);
    let out = dir.path().join("out");
    clinsafe()
        .args(["render", "--format", "html", "--as-of", AS_OF, "--out"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .code(0);
    let case = std::fs::read_to_string(out.join("safety-case.html")).unwrap();
    assert!(case.contains("Version history") && case.contains("Pilot log") && case.contains("Dr Owner"));
    let log = std::fs::read_to_string(out.join("hazard-log.html")).unwrap();
    assert!(log.contains("First issue"));
    assert!(log.contains("HAZ-1-C1: Messaging failure (controls CTL-1)"), "{log}");
    assert!(log.contains("Release introduced: 2.1"));
}

#[test]
fn cause_ids_are_unique_among_causes_and_items() {
    let twice = HAZARD.replace("      - Plain text cause\n", "      - { id: HAZ-1-C1, text: Again }\n");
    let dir = project(&[("h.yaml", &twice)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let dup = super::findings_of(&json, "duplicate-id");
    assert_eq!(dup.len(), 1, "{}", json["findings"]);
    assert_eq!(dup[0]["subject"], "HAZ-1-C1");
    assert_eq!(dup[0]["line"], 7, "the second use is the one flagged");
    // A cause may not take an item's id either.
    let dir = project(&[("h.yaml", &HAZARD.replace("id: HAZ-1-C1", "id: CTL-1"))]);
    let (_, json) = check_json(dir.path(), &[]);
    assert!(rules_of(&json).contains(&"duplicate-id".into()), "{}", json["findings"]);
}

#[test]
fn json_carries_causes_with_their_ids_and_controls() {
    let dir = project(&[("h.yaml", HAZARD)]);
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        json["hazards"][0]["causes"],
        serde_json::json!([
            { "id": null, "text": "Plain text cause", "controls": [] },
            { "id": "HAZ-1-C1", "text": "Messaging failure", "controls": ["CTL-1"] }
        ])
    );
    // No causes: the key is left out (the SPEC §2 shape).
    let dir = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n")]);
    assert!(check_json(dir.path(), &[]).1["hazards"][0].get("causes").is_none());
}

#[test]
fn a_control_named_by_a_cause_and_the_hazard_is_one_link() {
    let both = HAZARD.replace(
        "initial_risk: { severity: major, likelihood: medium }",
        "initial_risk: { severity: major, likelihood: medium }\n    controls: [CTL-1]",
    );
    let dir = project(&[("h.yaml", &both)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["hazards"][0]["controls"], serde_json::json!(["CTL-1"]));
}
