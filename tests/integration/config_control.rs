//! Configuration control (SPEC §3): withdrawn hazards, each document's own
//! control, the content digest and approvals, points in time.

use super::{check_json, clinsafe, project, rules_of, AS_OF};

const WITHDRAWN: &str = r#"hazards:
  - id: HAZ-1
    title: Reply to a closed conversation
    status: withdrawn
    withdrawn_reason: Feature removed in release 4.2
    review_by: 2020-01-01
  - id: HAZ-2
    title: Wrong patient
    initial_risk: { severity: major, likelihood: medium }
    residual_risk: { severity: major, likelihood: very-low }
    controls: [CTL-1]
controls:
  - { id: CTL-1, title: Two identifiers, type: design, status: implemented }
"#;

#[test]
fn a_withdrawn_hazard_is_counted_apart_and_raises_no_risk_findings() {
    // Unassessed, uncovered and past its review date, yet none of that fires: it no longer applies.
    let dir = project(&[("h.yaml", WITHDRAWN)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(rules_of(&json), Vec::<String>::new());
    assert_eq!(json["summary"]["hazards"], 1);
    assert_eq!(json["summary"]["withdrawn"], 1);
    assert_eq!(json["hazards"][0]["status"], "withdrawn");
}

#[test]
fn a_withdrawn_hazard_needs_its_reason() {
    let dir = project(&[(
        "h.yaml",
        &WITHDRAWN.replace("    withdrawn_reason: Feature removed in release 4.2\n", ""),
    )]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&json), vec!["missing-withdrawn-reason".to_string()]);
    assert_eq!(json["findings"][0]["subject"], "HAZ-1");
    assert_eq!(json["findings"][0]["line"], 2);
}

#[test]
fn the_hazard_log_strikes_a_withdrawn_hazard_through_with_its_reason() {
    let dir = project(&[("h.yaml", WITHDRAWN)]);
    let out = dir.path().join("out");
    clinsafe().args(["render", "--format", "html", "--as-of", AS_OF]).arg(dir.path()).assert().code(0);
    let log = std::fs::read_to_string(out.join("hazard-log.html")).unwrap();
    assert!(log.contains("<del>Reply to a closed conversation</del>"), "{log}");
    assert!(log.contains("Feature removed in release 4.2"), "{log}");
    let case = std::fs::read_to_string(out.join("safety-case.html")).unwrap();
    assert!(case.contains("(and 1 withdrawn, not counted)"), "{case}");
}

const OWN_CONTROL_MANIFEST: &str = r#"clinsafe: 1
system: { name: Test system }
document: { id: CSCR-1, version: "2.0", status: draft }
hazard_log: { id: HL-1, version: "3.1" }
"#;

const DPIA: &str = r#"dpia:
  title: Messaging
  document: { id: DPIA-7, version: "0.4", status: draft, review_by: 2027-01-01 }
"#;

#[test]
fn the_hazard_log_and_dpia_carry_their_own_document_control() {
    let dir = project(&[("clinsafe.yaml", OWN_CONTROL_MANIFEST), ("h.yaml", WITHDRAWN), ("dpia.yaml", DPIA)]);
    let out = dir.path().join("out");
    clinsafe().args(["render", "--format", "html", "--as-of", AS_OF]).arg(dir.path()).assert().code(1);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let log = read("hazard-log.html");
    assert!(log.contains("HL-1 version 3.1"), "{log}");
    // Its header and title carry its own control; the safety case is named only as what it supports.
    assert!(!log.contains("CSCR-1 version"), "{log}");
    assert!(log.contains("the clinical safety case report CSCR-1, version 2.0"), "{log}");
    let dpia = read("dpia.html");
    assert!(dpia.contains("DPIA-7 version 0.4"), "{dpia}");
    assert!(dpia.contains("DRAFT — not issued"), "{dpia}");
    assert!(!dpia.contains("not for clinical sign-off"), "a DPIA is not a clinical document: {dpia}");
    let case = read("safety-case.html");
    assert!(case.contains("CSCR-1 version 2.0") && case.contains("not for clinical sign-off"), "{case}");
}

/// The project above, for the PDF test (which needs poppler's pdfinfo).
pub fn own_control_project() -> tempfile::TempDir {
    project(&[("clinsafe.yaml", OWN_CONTROL_MANIFEST), ("h.yaml", WITHDRAWN), ("dpia.yaml", DPIA)])
}

fn digest_of(dir: &std::path::Path) -> String {
    let out = clinsafe().arg("digest").arg(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn issued(digest: &str) -> String {
    format!(
        "clinsafe: 1\nsystem: {{ name: Test system }}\ndocument: {{ id: CSCR-1, version: \"1.0\", status: issued }}\nclinical_safety_officer: {{ name: Dr A }}\nsafety_statement: Acceptable for use.\napprovals:\n  - {{ name: Dr A, date: 2026-11-02, version: \"1.0\", digest: \"{digest}\" }}\n"
    )
}

#[test]
fn an_approval_that_covers_the_content_passes_and_a_later_change_is_approval_outdated() {
    let dir = project(&[("clinsafe.yaml", &issued("sha256:0")), ("h.yaml", WITHDRAWN)]);
    let digest = digest_of(dir.path());
    assert!(digest.starts_with("sha256:") && digest.len() == 71, "{digest}");
    // The digest before signing: recording the approval does not change it.
    std::fs::write(dir.path().join("clinsafe.yaml"), issued(&digest)).unwrap();
    assert_eq!(digest_of(dir.path()), digest);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json}");
    // Reformatting is not a change of content.
    let reformatted =
        format!("# reformatted\n{}", WITHDRAWN.replace("  - id: HAZ-2\n", "  - id:    HAZ-2   # same\n"));
    std::fs::write(dir.path().join("h.yaml"), &reformatted).unwrap();
    assert_eq!(check_json(dir.path(), &[]).0, 0);
    // A change after sign-off is.
    std::fs::write(
        dir.path().join("h.yaml"),
        reformatted.replace("title: Wrong patient", "title: Wrong patient selected"),
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&json), vec!["approval-outdated".to_string()]);
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains(&digest) && message.contains("changed after sign-off"), "{message}");
}

#[test]
fn an_issued_approval_without_a_digest_or_for_another_version_is_approval_outdated() {
    let no_digest = issued("x").replace(", digest: \"x\"", "");
    let dir = project(&[("clinsafe.yaml", &no_digest), ("h.yaml", WITHDRAWN)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!((code, rules_of(&json)), (1, vec!["approval-outdated".to_string()]), "{json}");
    let old_version =
        issued(&digest_of(dir.path())).replace("version: \"1.0\", digest", "version: \"0.9\", digest");
    std::fs::write(dir.path().join("clinsafe.yaml"), old_version).unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        json["findings"][0]["message"].as_str().unwrap().contains("no approval is for version 1.0"),
        "{json}"
    );
}

#[test]
fn an_issued_version_missing_from_a_kept_version_table_is_flagged() {
    // The table stops at 0.9 while 1.0 is issued and signed: the signed document's own version
    // table would not show the version it is.
    let with_history = |rows: &str| {
        issued("x").replace("status: issued }", &format!("status: issued, history: [{rows}] }}"))
    };
    let dir = project(&[
        ("clinsafe.yaml", &with_history("{ version: \"0.9\", date: 2026-06-01, summary: Pilot }")),
        ("h.yaml", WITHDRAWN),
    ]);
    let digest = digest_of(dir.path());
    let signed = |rows: &str| with_history(rows).replace("digest: \"x\"", &format!("digest: \"{digest}\""));
    std::fs::write(
        dir.path().join("clinsafe.yaml"),
        signed("{ version: \"0.9\", date: 2026-06-01, summary: Pilot }"),
    )
    .unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!((code, rules_of(&json)), (0, vec!["version-not-in-history".to_string()]), "{json}");
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("issued as version 1.0, but its `document.history` stops at version 0.9"),
        "{json}"
    );
    // With its row, nothing; a project keeping no table is not asked for one.
    let both = "{ version: \"0.9\", date: 2026-06-01, summary: Pilot }, { version: \"1.0\", date: 2026-11-02, summary: First issue }";
    std::fs::write(dir.path().join("clinsafe.yaml"), signed(both)).unwrap();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!((code, rules_of(&json)), (0, Vec::<String>::new()), "{json}");
    std::fs::write(dir.path().join("clinsafe.yaml"), issued(&digest)).unwrap();
    assert_eq!(rules_of(&check_json(dir.path(), &[]).1), Vec::<String>::new());
}

#[test]
fn two_rows_for_one_version_in_the_version_table_are_a_load_error_at_the_second() {
    let manifest = issued("x").replace(
        "status: issued }",
        "status: issued, history: [\n    { version: \"1.0\", date: 2026-06-01, summary: Pilot },\n    { version: \"1.0\", date: 2026-11-02, summary: First issue }] }",
    );
    let dir = project(&[("clinsafe.yaml", &manifest), ("h.yaml", WITHDRAWN)]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("version 1.0 has two rows in `document.history`"), "{stderr}");
    assert!(stderr.contains("clinsafe.yaml:5:5"), "located at the second row: {stderr}");
}

#[test]
fn digest_of_an_unreadable_project_exits_2() {
    let dir = project(&[("h.yaml", "hazards: [ { id: HAZ-1 } ]\n")]);
    clinsafe().arg("digest").arg(dir.path()).assert().code(2);
}

#[test]
fn the_sign_off_block_is_filled_from_the_approvals_with_version_date_and_digest() {
    let dir = project(&[("clinsafe.yaml", &issued("sha256:0")), ("h.yaml", WITHDRAWN)]);
    let digest = digest_of(dir.path());
    let signed = issued(&digest).replace("document: { id: CSCR-1, version: \"1.0\", status: issued }", "document:\n  id: CSCR-1\n  version: \"1.0\"\n  status: issued\n  history:\n    - { version: \"0.9\", date: 2026-06-01, author: Dr A, summary: Pilot hazard log }\n    - { version: \"1.0\", date: 2026-11-02, author: Dr A, summary: First issue }\n");
    std::fs::write(dir.path().join("clinsafe.yaml"), signed).unwrap();
    clinsafe().args(["render", "--format", "html", "--as-of", AS_OF]).arg(dir.path()).assert().code(0);
    let case = std::fs::read_to_string(dir.path().join("out/safety-case.html")).unwrap();
    let signoff = &case[case.find("<table class=\"signoff\">").unwrap()..];
    let signoff = &signoff[..signoff.find("</table>").unwrap()];
    assert!(
        signoff.contains("<td>Dr A</td>")
            && signoff.contains("<td>1.0</td>")
            && signoff.contains("<td>2026-11-02</td>")
            && signoff.contains("<td>approved</td>"),
        "{signoff}"
    );
    assert!(case.contains(&format!("<code>{digest}</code> (the content now)")), "{case}");
    for doc in ["safety-case.html", "hazard-log.html", "checklist.html"] {
        let html = std::fs::read_to_string(dir.path().join("out").join(doc)).unwrap();
        assert!(
            html.contains("Pilot hazard log") && html.contains("First issue"),
            "{doc} lacks the version table"
        );
    }
}

/// The digest an approval records must not move when the code that computes it changes:
/// this project (duplicate ids, a metric's observations, escapes) gave this digest when it
/// was computed as one text (before it was streamed into the hash).
#[test]
fn the_content_digest_of_a_fixed_project_is_stable_across_versions() {
    let dir = project(&[
        ("clinsafe.yaml", "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\n"),
        (
            "h.yaml",
            "hazards:\n  - { id: HAZ-1, title: \"b \\\"q\\\" \\u00e9\", initial_risk: { severity: minor, likelihood: low } }\n  - { id: HAZ-1, title: a, description: \"x\\ny\" }\nmetrics:\n  - id: M\n    title: m\n    better: lower\n    threshold: 1.5\n    observations: [{date: 2026-01-01, value: 0.1}, {date: 2026-02-01, value: 3, note: \"n\"}]\n  - { id: M, title: n, better: higher }\n",
        ),
    ]);
    let out = clinsafe().arg("digest").arg(dir.path()).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "sha256:5b9fd6f107f84e03b9d55549064d4bd0b63a69163899bbc476fc701362712bdc"
    );
}

#[test]
fn a_go_live_condition_listed_twice_or_a_blank_manufacturer_ref_is_a_load_error_at_its_place() {
    // Listed twice, the safety case counted "2 of 3 still open" for two controls.
    let manifest = format!(
        "{}go_live_conditions: [CTL-1, CTL-1]\nmanufacturer: {{ ref: \" \" }}\n",
        issued("x").replace(" status: issued", " status: draft")
    );
    let dir = project(&[("clinsafe.yaml", &manifest), ("h.yaml", WITHDRAWN)]);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("CTL-1 is listed twice in `go_live_conditions`")
            && stderr.contains("clinsafe.yaml:8:29"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`manufacturer:` needs a `ref`") && stderr.contains("clinsafe.yaml:9:22"),
        "{stderr}"
    );
}
