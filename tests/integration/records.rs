//! The DCB0160 records beyond the hazard log (SPEC §3, issue 13): the hazard
//! log's own fields, evidence that expires, neutral metrics, the manufacturer's
//! report, incidents and reviews. Rules are in `rules.rs`; here: JSON, the
//! schema and load errors.

use super::{check_json, clinsafe, project, AS_OF};

fn schema() -> jsonschema::Validator {
    let out = clinsafe().arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn load_error(files: &[(&str, &str)]) -> String {
    let dir = project(files);
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8(out.stderr).unwrap()
}

const CLOSED: &str = "hazards:\n  - id: HAZ-1\n    title: a\n    status: closed\n    category: clinical\n    raised_on: 2026-05-12\n    raised_by: Reception lead\n    closed_on: 2026-10-01\n    closed_by: Dr Jane Example\n    source: PM-H03\n    residual_risk: { severity: minor, likelihood: low }\n    justification: j\n";

#[test]
fn json_carries_the_hazard_logs_own_fields() {
    let dir = project(&[("h.yaml", CLOSED)]);
    let (_, json) = check_json(dir.path(), &[]);
    let h = &json["hazards"][0];
    assert_eq!(h["category"], "clinical");
    assert_eq!(h["raised_on"], "2026-05-12");
    assert_eq!(h["raised_by"], "Reception lead");
    assert_eq!(h["closed_on"], "2026-10-01");
    assert_eq!(h["closed_by"], "Dr Jane Example");
    assert_eq!(h["source"], "PM-H03");
}

#[test]
fn the_schema_takes_the_new_keys_and_rejects_misspelt_ones() {
    let v = schema();
    let ok: serde_json::Value = serde_saphyr::from_str(CLOSED).unwrap();
    assert!(v.is_valid(&ok), "{:?}", v.iter_errors(&ok).map(|e| e.to_string()).collect::<Vec<_>>());
    let ok = serde_json::json!({ "manufacturer": { "ref": "PM-CSCR-4.2", "version": "4.2", "reviewed_on": "2026-10-10" },
        "controls": [{ "id": "C", "title": "x", "type": "test", "status": "planned", "transferred_from": "TC-02",
            "evidence": [{ "ref": "r", "date": "2026-01-01", "valid_until": "2027-01-01" }] }] });
    assert!(v.is_valid(&ok), "{:?}", v.iter_errors(&ok).map(|e| e.to_string()).collect::<Vec<_>>());
    for bad in [
        serde_json::json!({ "hazards": [{ "id": "H", "title": "x", "closed_onn": "2026-01-01" }] }),
        serde_json::json!({ "controls": [{ "id": "C", "title": "x", "type": "test", "status": "verified",
            "evidence": [{ "ref": "r", "valid_untill": "2027-01-01" }] }] }),
        serde_json::json!({ "metrics": [{ "id": "M", "title": "x", "better": "neutrl" }] }),
        serde_json::json!({ "manufacturer": { "ref": "R", "reviewd_by": "A" } }),
        serde_json::json!({ "controls": [{ "id": "C", "title": "x", "type": "test", "status": "planned", "transfered_from": "TC-1" }] }),
    ] {
        assert!(!v.is_valid(&bad), "{bad}");
    }
}

/// `metric-warning` fires past `warn` but not yet past the threshold: a warning
/// level on the far side of the threshold could never fire, so it is refused
/// where it is written.
#[test]
fn a_warning_level_past_the_threshold_is_refused() {
    let err = load_error(&[(
        "m.yaml",
        "metrics:\n  - { id: M, title: Response hours, better: lower, threshold: 24, warn: 30 }\n  - { id: N, title: Uptime, better: higher, threshold: 99, warn: 98 }\n  - { id: O, title: Fine, better: lower, threshold: 24, warn: 24 }\n",
    )]);
    assert!(
        err.contains("`warn` (30) is above `threshold` (24), past it for a `better: lower` metric"),
        "{err}"
    );
    assert!(err.contains("m.yaml:2:"), "located at the warn value: {err}");
    assert!(err.contains("`warn` (98) is below `threshold` (99)"), "{err}");
    assert!(!err.contains("(24) is"), "a warning level at the threshold is not past it: {err}");
}

#[test]
fn a_neutral_metric_with_a_threshold_is_refused() {
    let err = load_error(&[(
        "m.yaml",
        "metrics:\n  - { id: M, title: Messages received, better: neutral, threshold: 100 }\n",
    )]);
    assert!(err.contains("`threshold` on a `better: neutral` metric"), "{err}");
}
