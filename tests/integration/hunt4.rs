//! Bug hunt 4: SPEC conformance line by line and the DCB0160 records on edge
//! cases (the documents are in `hunt4_reports`) — each test failed before its
//! fix.

use super::{clinsafe, project, rendered, AS_OF};

pub fn schema() -> jsonschema::Validator {
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// A required text left blank (`title: ""`, `name: " "`) said nothing and was
/// taken: an issued case "signed off" by a clinical safety officer and an
/// approval with no name passed `missing-sign-off`, and hazards went into
/// the log as "HAZ-2 — " with no title. Each blank is a load error at its
/// place, and the schema refuses it too (editors agree with `check`).
#[test]
fn a_required_text_left_blank_is_refused_at_its_place() {
    let manifest = "clinsafe: 1\nsystem: { name: \" \" }\ndocument: { id: \"\", version: \"\", status: issued }\nclinical_safety_officer: { name: \"\" }\napprovals: [ { name: \"  \", date: 2026-01-01 } ]\nsafety_statement: Safe to use.\n";
    let items = "hazards:\n  - { id: HAZ-1, title: \"\" }\ncontrols:\n  - { id: CTL-1, title: \" \", type: design, status: planned, mitigates: [HAZ-1] }\nmetrics:\n  - { id: MET-1, title: \"\", better: lower }\nactions:\n  - { id: ACT-1, title: \"\" }\nincidents:\n  - { id: INC-1, date: 2026-01-01, title: \"\\t\" }\n";
    let dir = project(&[("clinsafe.yaml", manifest), ("items.yaml", items)]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    for place in [
        "clinsafe.yaml:2:17",
        "clinsafe.yaml:3:17",
        "clinsafe.yaml:3:30",
        "clinsafe.yaml:4:34",
        "clinsafe.yaml:5:22",
        "items.yaml:2:25",
        "items.yaml:4:25",
        "items.yaml:6:25",
        "items.yaml:8:25",
        "items.yaml:10:43",
    ] {
        assert!(err.contains(&format!("--> {place}\n")), "no error at {place}:\n{err}");
    }
    assert!(err.contains("is blank"), "{err}");

    let validator = schema();
    let yaml = |text: &str| -> serde_json::Value { serde_saphyr::from_str(text).unwrap() };
    assert!(!validator.is_valid(&yaml(items)), "the schema takes blank titles");
    assert!(!validator.is_valid(&yaml(manifest)), "the schema takes blank names");
    assert!(validator.is_valid(&yaml("hazards: [{ id: HAZ-1, title: \" x \" }]\n")));
}

/// A wrong value inside `system:` or `document:` was reported twice: at the
/// value, and as "clinsafe.yaml is missing `system:`" at the top of the
/// file — false (the key is there) and sending the user looking for it.
#[test]
fn a_wrong_value_inside_a_manifest_section_does_not_make_it_missing() {
    let manifest = "clinsafe: 1\nsystem: { name: [a] }\ndocument: { id: D, version: { v: 1 } }\n";
    let dir = project(&[("clinsafe.yaml", manifest)]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--> clinsafe.yaml:2:17\n") && err.contains("--> clinsafe.yaml:3:29\n"), "{err}");
    assert!(!err.contains("is missing"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
    // Still said when the section really is missing.
    let dir = project(&[("clinsafe.yaml", "clinsafe: 1\nsystem: { name: [a] }\n")]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("clinsafe.yaml is missing `document:`") && !err.contains("missing `system:`"),
        "{err}"
    );
}

fn issued_with_digest(digest: &str) -> tempfile::TempDir {
    let items = "hazards:\n  - { id: HAZ-1, title: h, initial_risk: { severity: minor, likelihood: low }, residual_risk: { severity: minor, likelihood: low }, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n";
    let manifest = |digest: &str| {
        format!("clinsafe: 1\nsystem: {{ name: S }}\ndocument: {{ id: D, version: \"1.1\", status: issued }}\nclinical_safety_officer: {{ name: Dr A }}\nsafety_statement: Safe.\napprovals:\n  - {{ name: Dr A, role: CSO, date: 2026-11-02, version: \"1.1\", digest: \"{digest}\" }}\n")
    };
    let dir = project(&[("clinsafe.yaml", &manifest("sha256:0")), ("h.yaml", items)]);
    let out = clinsafe().arg("digest").arg(dir.path()).output().unwrap();
    let now = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let hex = now.strip_prefix("sha256:").unwrap();
    let digest = digest.replace("HEX", hex).replace("UPPER", &hex.to_uppercase());
    super::write(dir.path(), "clinsafe.yaml", manifest(&digest).as_bytes());
    dir
}

/// The digest an approval records, written as another tool prints SHA-256
/// (upper-case hex, `SHA256:`, the hex alone) for the very content now: it
/// was "approved for content SHA256:C230…, but the content digest now is
/// sha256:c230…: the case changed after sign-off" — false, the same digest.
/// And a value that is no digest at all (`sha256:xyz`) said the case had
/// changed; it says what is wrong with the value instead.
#[test]
fn an_approval_digest_is_read_as_a_digest() {
    for same in ["SHA256:UPPER", "sha256:UPPER", "HEX", " sha256:HEX "] {
        let dir = issued_with_digest(same);
        let (code, json) = super::check_json(dir.path(), &[]);
        assert_eq!(code, 0, "{same}: {json}");
        let case = rendered(dir.path(), AS_OF, &[], "safety-case.html");
        assert!(case.contains("(the content now)") && !case.contains("not the content now"), "{same}");
    }
    let dir = issued_with_digest("sha256:xyz");
    let (code, json) = super::check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let message = super::findings_of(&json, "approval-outdated")[0]["message"].as_str().unwrap().to_string();
    assert!(!message.contains("the case changed"), "{message}");
    assert!(message.contains("records `sha256:xyz`, which is not a content digest"), "{message}");
}

/// A hazard file saved as `HAZ-010.YAML` (Windows tools and some exports
/// write upper-case extensions) was skipped without a word: its hazard was
/// in no check and no document, and `check` passed. YAML files are read
/// whatever the case of their extension, and attached to the PDFs.
#[test]
fn a_yaml_file_with_an_upper_case_extension_is_read() {
    let dir = project(&[
        ("hazards/HAZ-010.YAML", "hazards:\n  - { id: HAZ-010, title: Upper-case file }\n"),
        ("hazards/HAZ-011.Yml", "hazards:\n  - { id: HAZ-011, title: Mixed-case file }\n"),
    ]);
    let (code, json) = super::check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["summary"]["hazards"], 2, "{json}");
    let files: Vec<&str> =
        json["findings"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert!(files.contains(&"hazards/HAZ-010.YAML") && files.contains(&"hazards/HAZ-011.Yml"), "{files:?}");
}

/// A version table that goes on past the version issued: `document.version`
/// left at 1.0 after a 1.1 row was added (the reports said "version 1.0"
/// above a table whose last row is 1.1, and nothing was flagged). The same
/// rule that flags a table stopping short flags it.
#[test]
fn a_history_that_goes_past_the_version_issued_is_flagged() {
    let manifest = "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1.0\", status: issued, history: [{ version: \"1.0\", date: 2026-10-01 }, { version: \"1.1\", date: 2026-11-01 }] }\nclinical_safety_officer: { name: Dr A }\nsafety_statement: Safe.\napprovals: [{ name: Dr A, date: 2026-11-02 }]\n";
    let dir = project(&[("clinsafe.yaml", manifest)]);
    let (_, json) = super::check_json(dir.path(), &[]);
    let found = super::findings_of(&json, "version-not-in-history");
    assert_eq!(found.len(), 1, "{json}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("version 1.0") && message.contains("1.1"), "{message}");
    // Issued as the last row's version: nothing to say.
    let dir = project(&[(
        "clinsafe.yaml",
        &manifest.replace("version: \"1.0\", status", "version: \"1.1\", status"),
    )]);
    let (_, json) = super::check_json(dir.path(), &[]);
    assert!(super::findings_of(&json, "version-not-in-history").is_empty(), "{json}");
}

/// A recurring control whose `last_done` is after `--as-of` (checked as of an
/// earlier day) was said to have "never been done: no `last_done`" — but the
/// file has one; it is not counted as of that day, and the message says so.
#[test]
fn a_recurrence_done_only_after_the_day_checked_is_not_called_never_done() {
    let items = "hazards:\n  - { id: HAZ-1, title: h, initial_risk: { severity: minor, likelihood: low }, controls: [CTL-1] }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented, every: 1 months, last_done: 2026-12-01 }\n";
    let dir = project(&[("h.yaml", items)]);
    let (_, json) = super::check_json(dir.path(), &[]);
    let found = super::findings_of(&json, "action-overdue");
    assert_eq!(found.len(), 1, "{json}");
    let message = found[0]["message"].as_str().unwrap();
    assert!(!message.contains("no `last_done`"), "{message}");
    assert!(message.contains("2026-12-01") && message.contains("after"), "{message}");
}

const DPIA: &str = "controls:\n  - { id: C1, title: c, type: design, status: implemented }\ndpia:\n  title: T\n  document: { id: DPIA-1, version: \"1\", status: STATUS, review_by: 2026-01-01 }\n  processing: { nature: n, scope: s, context: c, purposes: p }\n  lawful_basis: { article_6: a, article_9: b }\n  necessity: n\n  risks:\n    - { id: DPR-1, title: r, likelihood: possible, severity: minimal, controls: [C1], residual: { likelihood: remote, severity: minimal } }\n";

/// A DPIA with its own document control (`dpia.document`, SPEC §3) issued
/// without a `sign_off`: the sign-off was asked for only when the *safety
/// case* was issued, so an issued DPIA with no one's signature passed, and a
/// draft DPIA beside an issued safety case was asked for one. The DPIA's own
/// status decides (the safety case's when it has none).
#[test]
fn an_issued_dpia_of_its_own_needs_its_sign_off() {
    let signed = |dpia_status: &str, case_issued: bool| {
        let manifest = if case_issued {
            "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\nclinical_safety_officer: { name: A }\napprovals: [{ name: A, date: 2026-01-01 }]\nsafety_statement: s\n"
        } else {
            super::MANIFEST
        };
        let dir = project(&[("clinsafe.yaml", manifest), ("d.yaml", &DPIA.replace("STATUS", dpia_status))]);
        let (_, json) = super::check_json(dir.path(), &[]);
        let asks = super::findings_of(&json, "dpia-incomplete")
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("no `sign_off`"));
        asks
    };
    assert!(signed("issued", false), "an issued DPIA without a sign-off passed");
    assert!(!signed("draft", true), "a draft DPIA was asked for its sign-off");
    assert!(signed("issued", true));
    assert!(!signed("draft", false));
}

/// A document with its own control (`dpia.document`, `hazard_log:`) whose
/// `review_by` is past: nothing said so — no `review-overdue`, and its page
/// showed the date without the "review overdue" flag the safety case gets.
#[test]
fn a_documents_own_review_date_past_is_overdue() {
    let manifest =
        format!("{}hazard_log: {{ id: HL-1, version: \"1\", review_by: 2026-02-01 }}\n", super::MANIFEST);
    let dir = project(&[("clinsafe.yaml", &manifest), ("d.yaml", &DPIA.replace("STATUS", "draft"))]);
    let (_, json) = super::check_json(dir.path(), &[]);
    let overdue = super::findings_of(&json, "review-overdue");
    let subjects: Vec<&str> = overdue.iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert!(subjects.contains(&"dpia") && subjects.contains(&"document"), "{json}");
    assert!(overdue.iter().any(|f| f["message"].as_str().unwrap().contains("DPIA-1")), "{json}");
    assert!(overdue.iter().any(|f| f["message"].as_str().unwrap().contains("HL-1")), "{json}");
    for doc in ["dpia.html", "hazard-log.html"] {
        let html = rendered(dir.path(), AS_OF, &[], doc);
        assert!(html.contains("review overdue"), "{doc} does not flag its review date");
    }
}

/// A title of invisible characters only (a zero-width space, a BOM, a soft
/// hyphen) is as blank as an empty one: the log would list the hazard with
/// nothing a reader can see.
#[test]
fn a_required_text_of_invisible_characters_is_blank() {
    let items = "hazards:\n  - { id: HAZ-1, title: \"\\u200B\\uFEFF \\u00AD\" }\n";
    let dir = project(&[("h.yaml", items)]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the title is blank"), "{err}");
    let yaml: serde_json::Value = serde_saphyr::from_str(items).unwrap();
    assert!(!schema().is_valid(&yaml), "the schema takes an invisible title");
    let visible: serde_json::Value =
        serde_saphyr::from_str("hazards: [{ id: H, title: \"\\u200Bx\" }]\n").unwrap();
    assert!(schema().is_valid(&visible));
}
