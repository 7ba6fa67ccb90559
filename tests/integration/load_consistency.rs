//! Where the loader, the JSON Schema and the rules must agree: a blank `ref`,
//! an optional section left empty, an id listed twice.

use super::{check_human, check_json, findings_of, project};

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap()
}

const CONTROL: &str = "controls:\n  - id: CTL-1\n    title: c\n    type: design\n    status: implemented\n";

/// A blank evidence `ref` or `manufacturer.ref` is a load error; the schema
/// refuses it too, so an editor flags what `check` will refuse.
#[test]
fn a_blank_ref_is_refused_by_the_schema_as_by_check() {
    let evidence = format!("{CONTROL}    evidence:\n      - {{ ref: \"\u{200B} \", date: 2026-10-01 }}\n");
    let manufacturer = "manufacturer: { ref: \"  \", version: \"4.2\" }\n";
    let validator = super::hunt4::schema();
    for blank in [evidence.as_str(), manufacturer] {
        assert!(!validator.is_valid(&yaml(blank)), "the schema takes a blank ref:\n{blank}");
        let written = blank.replace("\u{200B} ", "TR-1").replace("\"  \"", "PM-CSCR-4.2");
        assert!(validator.is_valid(&yaml(&written)), "{written}");
    }
    // Still required: no `ref` at all is refused by both.
    assert!(!validator.is_valid(&yaml("manufacturer: { version: \"4.2\" }\n")));
    let dir = project(&[
        (
            "clinsafe.yaml",
            &format!(
                "clinsafe: 1\nsystem: {{ name: S }}\ndocument: {{ id: D, version: \"1\" }}\n{manufacturer}"
            ),
        ),
        ("c.yaml", &evidence),
    ]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("clinsafe.yaml:4:") && err.contains("c.yaml:7:"), "{err}");
}

/// An optional section written with no value is not written, as for
/// `organisation:`, `clinical_safety_officer:` and `hazard_log:` (and the
/// schema takes it as null); written as `{}` it is a section, and one without
/// its required `ref` is a load error at the `{}`, saying what to write.
#[test]
fn manufacturer_with_no_value_is_absent_and_an_empty_mapping_lacks_its_ref() {
    let manifest = |section: &str| {
        format!("clinsafe: 1\nsystem: {{ name: S }}\ndocument: {{ id: D, version: \"1\" }}\nmanufacturer:{section}\n")
    };
    let hazard = "hazards:\n  - { id: HAZ-1, title: a, source: PM-H03, initial_risk: { severity: minor, likelihood: very-low }, justification: ok }\n";
    let validator = super::hunt4::schema();

    let absent = project(&[("clinsafe.yaml", &manifest("")), ("h.yaml", hazard)]);
    let (code, json) = check_json(absent.path(), &[]);
    assert_eq!(code, 1, "{json}");
    let missing = findings_of(&json, "missing-manufacturer");
    assert_eq!(missing.len(), 1, "{json}");
    assert_eq!((&missing[0]["file"], &missing[0]["line"]), (&"h.yaml".into(), &2.into()), "{json}");
    assert!(validator.is_valid(&yaml(&manifest(""))));

    let empty = project(&[("clinsafe.yaml", &manifest(" {}")), ("h.yaml", hazard)]);
    let (code, err) = check_human(empty.path());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error[invalid-input]: missing required key `ref`: `manufacturer:` names the supplier's DCB0129 clinical safety case report by its id (`ref: PM-CSCR-4.2`)"),
        "{err}"
    );
    assert!(err.contains(" --> clinsafe.yaml:4:15\n"), "{err}");
    assert!(err.contains("\n1 error, 0 warnings\n"), "{err}");
    assert!(!validator.is_valid(&yaml(&manifest(" {}"))));
}
