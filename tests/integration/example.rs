//! The bundled example is the main fixture: it must check clean as of the README's date.

use std::path::Path;

use super::{check_json, AS_OF};

fn example() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/patient-messaging"))
}

#[test]
fn the_example_checks_with_exit_0_as_of_the_readme_date() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains(&format!("check examples/patient-messaging --as-of {AS_OF}")));
    let (code, json) = check_json(example(), &[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(json["summary"]["hazards"], 8);
    // The two warnings the example is built to show (README, "A tour of the example"): an
    // incident after its hazard's last review, and a worsening trend.
    let rules: Vec<&str> =
        json["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["incident-review-due", "metric-worsening"]);
    assert_eq!(json["findings"][0]["subject"], "INC-003");
    assert_eq!(json["incidents"].as_array().unwrap().len(), 3);
}

#[test]
fn the_example_reports_ratings_in_json() {
    let (_, json) = check_json(example(), &[]);
    let h = &json["hazards"][0];
    assert_eq!(h["id"], "HAZ-001");
    assert!(h["initial"]["rating"].as_u64().unwrap() >= h["residual"]["rating"].as_u64().unwrap());
    assert!(!h["controls"].as_array().unwrap().is_empty());
}
