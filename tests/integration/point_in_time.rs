//! `--as-of` is a point in time (SPEC §3, issue 12 item 6, issue 11 item 13):
//! each dated kind, dated after the day checked, is not counted and gets a
//! located `future-dated` warning.

use super::{check_json, clinsafe, findings_of, project, rules_of, AS_OF};

/// `check --format json` as of another day.
fn check_on(dir: &std::path::Path, as_of: &str) -> (i32, serde_json::Value) {
    let out = clinsafe().args(["check", "--format", "json", "--as-of", as_of]).arg(dir).output().unwrap();
    (out.status.code().unwrap(), serde_json::from_slice(&out.stdout).unwrap())
}

/// The `future-dated` findings as (subject, file, line).
fn future(json: &serde_json::Value) -> Vec<(String, String, u64)> {
    findings_of(json, "future-dated")
        .iter()
        .map(|f| {
            assert_eq!(f["level"], "warning", "{f}");
            assert!(
                f["message"].as_str().unwrap().contains(&format!("after the day checked ({AS_OF})")),
                "{f}"
            );
            (
                f["subject"].as_str().unwrap().into(),
                f["file"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_csv_row_dated_2062_no_longer_keeps_a_metric_fresh() {
    let dir = project(&[
        ("m.yaml", "metrics:\n  - { id: MET-1, title: t, better: lower, threshold: 10, stale_after: 45 days, data: m.csv }\n"),
        ("m.csv", "date,value\n2026-01-31,3\n2062-10-31,50\n"),
        super::HAZARD,
    ]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0);
    let rules = rules_of(&json);
    // As of the day, the latest observation is January's: stale, and the 2062 breach is not counted.
    assert!(rules.contains(&"metric-stale".to_string()), "{rules:?}");
    assert!(!rules.contains(&"metric-breach".to_string()), "{rules:?}");
    assert_eq!(future(&json), [("MET-1".to_string(), "m.csv".to_string(), 3)]);
    // As of 2062 the row counts, and nothing is future-dated.
    let (_, json) = check_on(dir.path(), "2062-11-01");
    assert!(rules_of(&json).contains(&"metric-breach".to_string()));
    assert!(future(&json).is_empty());
}

#[test]
fn future_evidence_does_not_verify_a_control() {
    let dir = project(&[(
        "c.yaml",
        "controls:\n  - id: CTL-1\n    title: c\n    type: test\n    status: verified\n    mitigates: []\n    evidence:\n      - { ref: TR-12, date: 2026-12-01 }\n",
    )]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "unverified-evidence is an error");
    assert!(rules_of(&json).contains(&"unverified-evidence".to_string()));
    assert_eq!(future(&json), [("CTL-1".to_string(), "c.yaml".to_string(), 8)]);
    let (_, json) = check_on(dir.path(), "2026-12-01");
    assert!(!rules_of(&json).contains(&"unverified-evidence".to_string()));
}

#[test]
fn an_approval_dated_later_is_not_yet_a_sign_off() {
    let dir = project(&[
        (
            "clinsafe.yaml",
            "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued }\nclinical_safety_officer: { name: C }\nsafety_statement: Acceptably safe.\napprovals:\n  - { name: C, role: CSO, date: 2026-12-02 }\n",
        ),
        super::HAZARD,
    ]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(rules_of(&json).contains(&"missing-sign-off".to_string()));
    assert_eq!(future(&json), [("document".to_string(), "clinsafe.yaml".to_string(), 7)]);
    let (code, _) = check_on(dir.path(), "2026-12-02");
    assert_eq!(code, 0);
}

#[test]
fn an_action_done_later_is_still_open_and_overdue() {
    let dir = project(&[(
        "a.yaml",
        "actions:\n  - { id: ACT-1, title: a, due: 2026-11-01, status: done, done_on: 2026-12-10 }\n  - { id: ACT-2, title: b, every: 1 year, last_done: 2027-01-01 }\n",
    )]);
    let (_, json) = check_json(dir.path(), &[]);
    let overdue: Vec<&str> =
        findings_of(&json, "action-overdue").iter().map(|f| f["subject"].as_str().unwrap()).collect();
    assert_eq!(overdue, ["ACT-1", "ACT-2"], "{}", json["findings"]);
    assert_eq!(future(&json).iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["ACT-1", "ACT-2"]);
}

#[test]
fn an_issued_document_rendered_later_says_both_dates_and_shows_that_days_findings() {
    let dir = project(&[
        (
            "clinsafe.yaml",
            "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\", status: issued, date: 2026-11-02 }\nclinical_safety_officer: { name: C }\nsafety_statement: Acceptably safe.\napprovals: [{ name: C, role: CSO, date: 2026-11-02 }]\n",
        ),
        ("m.yaml", "metrics:\n  - { id: MET-1, title: Response time, better: lower, threshold: 10, observations: [{ date: 2026-10-31, value: 4 }, { date: 2027-02-28, value: 12 }] }\n"),
        super::HAZARD,
    ]);
    let render = |as_of: &str| {
        let out = tempfile::tempdir().unwrap();
        let o = clinsafe()
            .args(["render", "--format", "html", "--as-of", as_of, "--out"])
            .arg(out.path())
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out.path().join("safety-case.html")).unwrap()
    };
    let then = render(AS_OF);
    assert!(then.contains(&format!("Issued on 2026-11-02; checked as of {AS_OF}")), "{then}");
    assert!(
        then.contains("4 (2026-10-31)") && !then.contains("class=\"status status-breach\""),
        "as of then: no breach yet"
    );
    assert!(then.contains("future-dated"), "the later observation is named as future-dated");
    let later = render("2027-03-01");
    assert!(later.contains("Issued on 2026-11-02; checked as of 2027-03-01"));
    assert!(
        later.contains("12 (2027-02-28)") && later.contains("class=\"status status-breach\""),
        "as of later: the breach"
    );
    assert!(!later.contains("future-dated"));
}

#[test]
fn a_hazard_raised_or_closed_later_is_flagged_with_what_the_log_shows() {
    let dir = project(&[(
        "h.yaml",
        "hazards:\n  - id: HAZ-1\n    title: t\n    status: closed\n    raised_on: 2026-12-02\n    closed_on: 2027-01-05\n    \
         initial_risk: { severity: minor, likelihood: low }\n    justification: j\n",
    )]);
    let (_, json) = check_json(dir.path(), &[]);
    assert_eq!(
        future(&json),
        [("HAZ-1".to_string(), "h.yaml".to_string(), 5), ("HAZ-1".to_string(), "h.yaml".to_string(), 6)]
    );
    let messages: Vec<&str> =
        findings_of(&json, "future-dated").iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages[0].ends_with("`raised_on` is dated 2026-12-02, after the day checked (2026-11-25): the log lists it though as of that day it was not yet raised"), "{messages:?}");
    assert!(
        messages[1].ends_with("the log shows it closed though as of that day it was not"),
        "{messages:?}"
    );
    assert!(future(&check_on(dir.path(), "2027-01-05").1).is_empty());
}

#[test]
fn the_documents_own_dates_after_the_day_are_flagged_at_their_place() {
    let manifest = "clinsafe: 1\nsystem: { name: S }\ndocument:\n  id: DOC-1\n  version: \"2\"\n  date: 2026-12-01\n  history:\n    - { version: \"1\", date: 2026-10-01 }\n    - { version: \"2\", date: 2026-12-01 }\nmanufacturer:\n  ref: M-CSCR\n  date: 2026-09-30\n  reviewed_on: 2027-01-10\n";
    let dpia = "dpia:\n  outcomes:\n    measures_approved_by: { name: Dr A, date: 2026-12-03 }\n    dpo_advice_provided: { name: DPO, date: 2026-11-01 }\n";
    let dir = project(&[("clinsafe.yaml", manifest), ("dpia.yaml", dpia)]);
    let (_, json) = check_json(dir.path(), &[]);
    let at = |subject: &str, file: &str, line| (subject.to_string(), file.to_string(), line);
    assert_eq!(
        future(&json),
        [
            at("document", "clinsafe.yaml", 6),
            at("document", "clinsafe.yaml", 9),
            at("document", "clinsafe.yaml", 13),
            at("dpia", "dpia.yaml", 3),
        ]
    );
    let messages: Vec<&str> =
        findings_of(&json, "future-dated").iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages[2].contains("`M-CSCR`'s `reviewed_on`"), "{messages:?}");
    assert!(messages[3].contains("`measures_approved_by`"), "{messages:?}");
    assert!(future(&check_on(dir.path(), "2027-01-10").1).is_empty());
}
