//! Where the loader, the JSON Schema and the rules must agree: a blank `ref`,
//! an optional section left empty, an id listed twice.

use super::{check_human, project};

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
