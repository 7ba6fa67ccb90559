//! Bug hunt 3: hostile projects and third-party consumers (CI report
//! readers, schema validators) — each test failed before its fix.

use super::{clinsafe, project, rendered, AS_OF};

/// A hazard whose id is longer than a message quotes (60 characters): its
/// findings must still be its own. The subject was cut where findings are
/// made, so the JUnit test case of the hazard passed and the hazard log listed
/// no findings under it while both errors stood.
#[test]
fn a_hazard_with_a_long_id_keeps_its_findings() {
    let id = format!("HAZ-{}", "x".repeat(80));
    let items = format!("hazards:\n  - {{ id: {id}, title: Long hazard title }}\n");
    let dir = project(&[("h.yaml", &items)]);
    let junit =
        clinsafe().args(["check", "--format", "junit", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    assert_eq!(junit.status.code(), Some(1));
    let xml = String::from_utf8(junit.stdout).unwrap();
    let case =
        &xml[xml.find(&format!("<testcase name=\"{id}: Long hazard title\"")).expect("the hazard's case")..];
    let open_tag = &case[..=case.find('>').unwrap()];
    let case = if open_tag.ends_with("/>") { open_tag } else { &case[..case.find("</testcase>").unwrap()] };
    assert!(case.contains("<failure"), "the hazard's test case passes while its errors stand: {case}");

    let log = rendered(dir.path(), AS_OF, &[], "hazard-log.html");
    let listed_under_it = log.match_indices("Long hazard title</h2>").any(|(at, _)| {
        let section = &log[at..at + log[at..].find("</section>").unwrap()];
        section.contains("<h3>Findings</h3>") && section.contains("has no initial_risk")
    });
    assert!(listed_under_it, "{log}");

    let json =
        clinsafe().args(["check", "--format", "json", "--as-of", AS_OF]).arg(dir.path()).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let subject = json["findings"][0]["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("HAZ-xxx") && subject.contains("more characters"),
        "still quoted short: {subject}"
    );
}
