//! Holes a case could pass with "0 errors": an empty hazard log, a hazard
//! related to itself, and links into a manufacturer's report the case does
//! not name. Each is located where the user would fix it.

use std::path::Path;

use super::{check_json, findings_of, project, rendered, AS_OF};

/// (file, line, column) of a JSON finding.
fn place(f: &serde_json::Value) -> (&str, u64, u64) {
    (f["file"].as_str().unwrap(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
}

/// A copy of `from` (without its rendered `out/`) in a new temporary folder.
fn copy_of(from: &Path) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                if e.file_name() != "out" {
                    copy(&e.path(), &target);
                }
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(from, dir.path());
    dir
}

fn example() -> tempfile::TempDir {
    copy_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/patient-messaging"))
}

fn edit(dir: &Path, file: &str, old: &str, new: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(old).count(), 1, "{file}: {old}");
    std::fs::write(path, text.replace(old, new)).unwrap();
}

#[test]
fn a_case_with_no_hazard_fails_and_says_so_in_the_report() {
    // Controls and a metric, but nothing under `hazards:`: every hazard rule passed on nothing.
    let dir = project(&[
        ("c.yaml", "controls:\n  - { id: CTL-1, title: c, type: design, status: implemented, monitored_by: [MET-1] }\n"),
        ("m.yaml", "metrics:\n  - { id: MET-1, title: m, better: lower, observations: [{ date: 2026-11-01, value: 1 }] }\n"),
        ("h.yaml", "hazards: []\n"),
    ]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1, "{json}");
    let f = findings_of(&json, "empty-hazard-log");
    assert_eq!(f.len(), 1, "{json}");
    assert_eq!((f[0]["subject"].as_str(), f[0]["level"].as_str()), (Some("document"), Some("error")));
    assert_eq!(place(f[0]), ("clinsafe.yaml", 1, 1));
    assert!(f[0]["message"].as_str().unwrap().starts_with("the hazard log is empty"), "{}", f[0]);
    let html = rendered(dir.path(), AS_OF, &[], "safety-case.html");
    assert!(html.contains("The hazard log holds no hazard, so the case assesses nothing"), "{html}");
}

#[test]
fn a_log_of_withdrawn_hazards_only_is_empty_and_names_them() {
    // Named in the order people read ids, not the files'.
    let withdrawn = "hazards:\n  - { id: HAZ-10, title: a, status: withdrawn, withdrawn_reason: Feature removed }\n  - { id: HAZ-2, title: b, status: withdrawn, withdrawn_reason: Duplicate of HAZ-10 }\n";
    let dir = project(&[("h.yaml", withdrawn)]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let f = findings_of(&json, "empty-hazard-log");
    assert_eq!(f.len(), 1, "{json}");
    assert_eq!(
        f[0]["message"],
        "every hazard in the hazard log is withdrawn (HAZ-2, HAZ-10), so the safety case assesses no hazard"
    );
    // One hazard standing is a hazard log.
    let dir = project(&[("h.yaml", &format!("{withdrawn}  - {{ id: HAZ-3, title: c, initial_risk: {{ severity: minor, likelihood: very-low }}, justification: j }}\n"))]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!((code, findings_of(&json, "empty-hazard-log").len()), (0, 0), "{json}");
}

#[test]
fn a_hazard_related_to_itself_is_located_at_its_own_id() {
    let dir = project(&[(
        "h.yaml",
        "hazards:\n  - id: HAZ-1\n    title: a\n    related:\n      - HAZ-2\n      - HAZ-1\n  - { id: HAZ-2, title: b, related: [HAZ-1] }\n",
    )]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let f = findings_of(&json, "self-link");
    assert_eq!(f.len(), 1, "{json}");
    assert_eq!(place(f[0]), ("h.yaml", 6, 9));
    assert_eq!((f[0]["subject"].as_str(), f[0]["level"].as_str()), (Some("HAZ-1"), Some("error")));
    assert_eq!(f[0]["message"], "hazard `HAZ-1` lists itself under `related`");
}

#[test]
fn the_example_without_its_manufacturer_points_at_each_link_into_that_report() {
    let dir = example();
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!((code, findings_of(&json, "missing-manufacturer").len()), (0, 0), "{json}");
    edit(
        dir.path(),
        "clinsafe.yaml",
        "manufacturer:\n  ref: PM-CSCR-4.2\n  version: \"4.2\"\n  reviewed_by: Dr Amira Hassan\n  reviewed_on: 2026-09-02\n",
        "",
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let found: Vec<(&str, (&str, u64, u64))> = findings_of(&json, "missing-manufacturer")
        .into_iter()
        .map(|f| (f["subject"].as_str().unwrap(), place(f)))
        .collect();
    assert_eq!(
        found,
        [
            ("CTL-018", ("controls/platform.yaml", 37, 23)),
            ("CTL-019", ("controls/platform.yaml", 42, 23)),
            ("HAZ-001", ("hazards/clinical.yaml", 36, 13)),
        ],
        "{json}"
    );
    let ctl = findings_of(&json, "missing-manufacturer")[0];
    assert_eq!(
        ctl["message"],
        "control `CTL-018` is transferred from the manufacturer's report as `TC-05`, but clinsafe.yaml does not name that report (no `manufacturer: { ref: … }`)"
    );
}

/// A blank `transferred_from` or `source` named nothing, yet the safety case
/// listed the control as transferred from the manufacturer ("()" in the
/// warning). Refused where it is written, like a blank evidence `ref`.
#[test]
fn a_blank_id_in_the_manufacturers_report_is_a_load_error_at_its_place() {
    let items = "hazards:\n  - { id: HAZ-1, title: a, source: \"\u{200B}\" }\ncontrols:\n  - id: CTL-1\n    title: c\n    type: design\n    status: planned\n    transferred_from: \"  \"\n";
    let dir = project(&[
        (
            "clinsafe.yaml",
            "clinsafe: 1\nsystem: { name: S }\ndocument: { id: D, version: \"1\" }\nmanufacturer: { ref: PM-CSCR-4.2 }\n",
        ),
        ("h.yaml", items),
    ]);
    let (code, err) = super::check_human(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`source` names the manufacturer's hazard") && err.contains("h.yaml:2:36"), "{err}");
    assert!(
        err.contains("`transferred_from` names the control's id in the manufacturer's report")
            && err.contains("h.yaml:8:23"),
        "{err}"
    );
    assert!(err.contains("\n2 errors, 0 warnings\n"), "{err}");
    // The schema refuses them too, so an editor agrees with `check`.
    let validator = super::hunt4::schema();
    let yaml = |text: &str| -> serde_json::Value { serde_saphyr::from_str(text).unwrap() };
    assert!(!validator.is_valid(&yaml(items)), "the schema takes blank ids in the manufacturer's report");
    let written = items.replace("\u{200B}", "PM-H03").replace("\"  \"", "TC-02");
    assert!(validator.is_valid(&yaml(&written)), "{written}");
    assert!(validator.is_valid(&yaml(
        "controls: [{ id: CTL-1, title: c, type: design, status: planned, transferred_from: }]\n"
    )));
}
