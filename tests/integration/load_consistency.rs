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

/// An id listed twice in one list is a copy-paste slip: one load error at the
/// second listing (not two `self-link` findings for `related: [HAZ-1, HAZ-1]`,
/// nor a control counted twice), in every list of links.
#[test]
fn an_id_listed_twice_in_one_list_is_one_error_at_the_second() {
    let items = "\
hazards:
  - id: HAZ-1
    title: a
    related: [HAZ-1, HAZ-1]
    controls: [CTL-1, CTL-1]
    causes:
      - { id: HAZ-1-C1, text: c, controls: [CTL-1, CTL-1] }
    initial_risk: { severity: minor, likelihood: very-low }
    justification: ok
controls:
  - { id: CTL-1, title: c, type: design, status: implemented, monitored_by: [MET-1, MET-1], mitigates: [HAZ-1, HAZ-1] }
metrics:
  - { id: MET-1, title: m, better: lower, monitors: [CTL-1, CTL-1], observations: [{ date: 2026-11-01, value: 1 }] }
  - { id: MET-2, title: n, better: lower, from: incidents, filter: { hazards: [HAZ-1, HAZ-1] } }
incidents:
  - { id: INC-1, date: 2026-10-01, title: i, hazards: [HAZ-1, HAZ-1], controls: [CTL-1, CTL-1] }
actions:
  - { id: ACT-1, title: a, relates_to: [HAZ-1, CTL-1, HAZ-1] }
";
    let dir = project(&[("h.yaml", items)]);
    let (code, err) = check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    let said: Vec<&str> = err.lines().filter(|l| l.starts_with("error[")).collect();
    assert_eq!(
        said,
        [
            "error[invalid-input]: HAZ-1 is listed twice in `related`; list each hazard once",
            "error[invalid-input]: CTL-1 is listed twice in `controls`; list each control once",
            "error[invalid-input]: CTL-1 is listed twice in `controls`; list each control once",
            "error[invalid-input]: MET-1 is listed twice in `monitored_by`; list each metric once",
            "error[invalid-input]: HAZ-1 is listed twice in `mitigates`; list each hazard once",
            "error[invalid-input]: CTL-1 is listed twice in `monitors`; list each control once",
            "error[invalid-input]: HAZ-1 is listed twice in `hazards`; list each hazard once",
            "error[invalid-input]: HAZ-1 is listed twice in `hazards`; list each hazard once",
            "error[invalid-input]: CTL-1 is listed twice in `controls`; list each control once",
            "error[invalid-input]: HAZ-1 is listed twice in `relates_to`; list each item once",
        ],
        "{err}"
    );
    // Each at the second listing.
    for at in ["h.yaml:4:22", "h.yaml:5:23", "h.yaml:7:52", "h.yaml:11:85", "h.yaml:18:55"] {
        assert!(err.contains(&format!(" --> {at}\n")), "{at}: {err}");
    }
    assert!(!err.contains("self-link"), "{err}");
}
