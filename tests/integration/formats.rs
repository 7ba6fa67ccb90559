//! Machine formats: JSON (SPEC shape), SARIF 2.1.0 (schema-valid), JUnit (parses).

use super::{check_json, clinsafe, project, AS_OF};

const FIXTURE: &[(&str, &str)] = &[(
    "hazards/h.yaml",
    "hazards:\n  - id: HAZ-1\n    title: Wrong patient\n    initial_risk: { severity: major, likelihood: medium }\n  - id: HAZ-2\n    title: Late reply\n    controls: [CTL-1]\n    initial_risk: { severity: minor, likelihood: low }\ncontrols:\n  - { id: CTL-1, title: c, type: design, status: implemented }\n  - { id: CTL-2, title: orphan, type: design, status: implemented }\n",
)];

fn output(format: &str, dir: &std::path::Path) -> (i32, String) {
    let out = clinsafe().args(["check", "--as-of", AS_OF, "--format", format]).arg(dir).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn json_has_the_spec_shape() {
    let dir = project(FIXTURE);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(json["clinsafe"], 1);
    assert_eq!(json["as_of"], AS_OF);
    assert_eq!(
        json["summary"],
        serde_json::json!({ "hazards": 2, "controls": 2, "metrics": 0, "errors": 1, "warnings": 1 })
    );
    assert_eq!(
        json["hazards"][0],
        serde_json::json!({ "id": "HAZ-1", "title": "Wrong patient", "status": "open",
            "initial": { "severity": "major", "likelihood": "medium", "rating": 3 },
            "residual": null, "controls": [] })
    );
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "uncovered-hazard");
    assert_eq!(f["level"], "error");
    assert_eq!(f["subject"], "HAZ-1");
    assert_eq!(
        (f["file"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
        (Some("hazards/h.yaml"), Some(2), Some(9))
    );
}

#[test]
fn json_is_still_valid_when_the_project_cannot_be_read() {
    let dir = project(&[("h.yaml", "hazards: [\n")]);
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(json["findings"][0]["rule"], "invalid-input");
    assert_eq!(json["findings"][0]["file"], "h.yaml");
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema_and_located() {
    let dir = project(FIXTURE);
    let (code, text) = output("sarif", dir.path());
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/sarif-2.1.0.json")).unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "uncovered-hazard");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"].as_str().unwrap().ends_with("hazards/h.yaml"));
    assert_eq!(loc["region"]["startLine"], 2);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "uncovered-hazard");
}

#[test]
fn sarif_uris_are_relative_to_the_working_directory() {
    let dir = project(FIXTURE);
    let out = clinsafe()
        .current_dir(dir.path().parent().unwrap())
        .args(["check", "--as-of", AS_OF, "--format", "sarif"])
        .arg(dir.path().file_name().unwrap())
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    let name = dir.path().file_name().unwrap().to_string_lossy();
    assert_eq!(uri, format!("{name}/hazards/h.yaml"));
}

#[test]
fn junit_parses_with_a_case_per_hazard_and_failures_for_errors() {
    let dir = project(FIXTURE);
    let (code, xml) = output("junit", dir.path());
    assert_eq!(code, 1);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut cases = Vec::new();
    let mut failures = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    "testcase" => {
                        let name = e.try_get_attribute("name").unwrap().unwrap();
                        cases.push(name.value.to_string());
                    }
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(cases.contains(&"HAZ-1: Wrong patient".to_string()), "{cases:?}");
    assert!(cases.contains(&"HAZ-2: Late reply".to_string()));
    assert!(cases.contains(&"uncovered-hazard: HAZ-1".to_string()));
    assert!(cases.contains(&"orphan-control: CTL-2".to_string()));
    // HAZ-1 fails in the hazard suite and in the rule suite; the orphan is a warning.
    assert_eq!(failures, 2, "{xml}");
}

#[test]
fn schema_is_json_schema_and_validates_the_example() {
    let out = clinsafe().arg("schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/patient-messaging"));
    let mut checked = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
                let errors: Vec<String> =
                    validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path())).collect();
                assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 5);
    // Misspelt keys are flagged by the schema too (editors show them).
    let bad = serde_json::json!({ "hazards": [{ "id": "H", "titel": "x" }] });
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_and_junit_carry_load_errors_too() {
    let dir = project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: t, status: shut }\n")]);
    let (code, text) = output("sarif", dir.path());
    assert_eq!(code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/sarif-2.1.0.json")).unwrap();
    assert!(jsonschema::draft7::new(&schema).unwrap().is_valid(&sarif));
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "invalid-input");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    let (code, xml) = output("junit", dir.path());
    assert_eq!(code, 2);
    assert!(xml.contains("invalid-input") && xml.contains("<failure"), "{xml}");
}

/// The project in a `case/` subfolder, run from its parent as CI would from
/// the repository root; returns (exit code, stdout).
fn output_from_parent(format: &str, files: &[(&str, &str)]) -> (i32, String) {
    let root = tempfile::tempdir().unwrap();
    let case = project(files);
    std::fs::rename(case.path(), root.path().join("case")).unwrap();
    let out = clinsafe()
        .current_dir(root.path())
        .args(["check", "--as-of", AS_OF, "--format", format, "case"])
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn github_annotations_snapshot() {
    let (code, text) = output_from_parent("github", FIXTURE);
    assert_eq!(code, 1);
    insta::assert_snapshot!(text);
}

/// Every line is a workflow command in the documented form: `::error` or
/// `::warning`, comma-separated `key=value` properties, `::`, the message;
/// nothing unescaped that would end a property or the line early.
#[test]
fn github_annotations_have_the_documented_form_and_escape_their_text() {
    let hazards = "hazards:\n  - id: \"HAZ-1\"\n    title: \"Wrong patient: 100%, twice\"\n    initial_risk: { severity: major, likelihood: medium }\n";
    let (code, text) = output_from_parent("github", &[("hazards/a,b:c.yaml", hazards)]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let rest = line.strip_prefix("::error ").or_else(|| line.strip_prefix("::warning ")).expect(line);
        let (props, message) = rest.split_once("::").expect(line);
        let keys: Vec<&str> = props.split(',').map(|p| p.split_once('=').expect(line).0).collect();
        assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
        assert!(!message.is_empty() && !message.contains('\n'), "{line}");
    }
    assert!(lines[0]
        .starts_with("::error file=case/hazards/a%2Cb%3Ac.yaml,line=2,col=9,title=uncovered-hazard::"));
    // A load error is an annotation too, and a finding's notes follow its message on new lines.
    let (code, text) =
        output_from_parent("github", &[("h.yaml", "hazards:\n  - { id: HAZ-1, title: t, status: shut }\n")]);
    assert_eq!(code, 2);
    assert!(text.starts_with("::error file=case/h.yaml,line=2,"), "{text}");
    assert!(text.contains(",title=invalid-input::"), "{text}");
}

fn validate_codequality(text: &str) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_str(text).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/gitlab-codequality.json")).unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&report).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    report
}

#[test]
fn codequality_snapshot_is_valid_against_gitlabs_documented_format() {
    let (code, text) = output_from_parent("codequality", FIXTURE);
    assert_eq!(code, 1);
    let report = validate_codequality(&text);
    assert_eq!(report[0]["check_name"], "uncovered-hazard");
    assert_eq!(report[0]["severity"], "major");
    assert_eq!(report[0]["location"]["path"], "case/hazards/h.yaml");
    assert_eq!(report[0]["location"]["lines"]["begin"], 2);
    assert_eq!(report[1]["severity"], "minor");
    insta::assert_snapshot!(text);
}

#[test]
fn codequality_fingerprints_are_stable_unique_and_ignore_line_moves() {
    let fingerprints = |files: &[(&str, &str)]| -> Vec<String> {
        let (_, text) = output_from_parent("codequality", files);
        let report = validate_codequality(&text);
        report.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap().to_string()).collect()
    };
    let first = fingerprints(FIXTURE);
    assert_eq!(first, fingerprints(FIXTURE), "same input, same fingerprints");
    let moved = format!("# a comment that moves every line down\n\n{}", FIXTURE[0].1);
    assert_eq!(first, fingerprints(&[("hazards/h.yaml", &moved)]), "lines moved, same findings");
    // Two findings alike in rule, subject, file and message still get two fingerprints.
    let twice = "hazards:\n  - { id: HAZ-1, title: a, controls: [NOPE] }\n  - { id: HAZ-1, title: b, controls: [NOPE] }\n";
    let all = fingerprints(&[("h.yaml", twice)]);
    let unique: std::collections::BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{all:?}");
    // Load errors are reported too, under `invalid-input`.
    let (code, text) = output_from_parent("codequality", &[("h.yaml", "hazards: [\n")]);
    assert_eq!(code, 2);
    let report = validate_codequality(&text);
    assert_eq!(report[0]["check_name"], "invalid-input");
    assert_eq!(report[0]["location"]["path"], "case/h.yaml");
}
