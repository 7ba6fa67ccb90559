//! What CI consumers accept: JUnit valid against Jenkins xUnit's junit-10 format (tests/schemas/junit-jenkins.xsd)
//! (xmllint), and a JSON Schema that Ajv's strict mode compiles. The tests
//! that need those tools are ignored by plain `cargo test` and run by
//! `.ci/run`, which installs them; there a missing tool fails them.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{clinsafe, project, AS_OF};

/// Titles holding characters XML 1.0 does not allow, and markup.
const HOSTILE: &str = "hazards:
  - { id: HAZ-1, title: \"nonchars \\uFFFE \\uFFFF controls \\x01 \\x1F \\x7F and <b>&amp;</b>\" }
  - { id: HAZ-2, title: \"bell \\a escape \\e\", controls: [CTL-9] }
";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// JUnit for the hostile project, a project that cannot be read, one with rules
/// switched off or lowered, and the example.
fn junit_outputs() -> Vec<String> {
    let hostile = project(&[("h.yaml", HOSTILE)]);
    let broken = project(&[("h.yaml", "hazards:\n  - { id: \"X\\u0001\", title: t, status: shut }\n")]);
    let weakened = super::rule_levels::weakened_project(); // properties and a skipped case
    let example = manifest_dir().join("examples/patient-messaging");
    [hostile.path(), broken.path(), weakened.path(), example.as_path()]
        .iter()
        .map(|dir| {
            let out =
                clinsafe().args(["check", "--as-of", AS_OF, "--format", "junit"]).arg(dir).output().unwrap();
            String::from_utf8(out.stdout).unwrap()
        })
        .collect()
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn junit_holds_only_xml_1_0_characters_and_testsuites_attributes() {
    for xml in junit_outputs() {
        assert!(xml.contains("<testcase"), "{xml}");
        let bad: Vec<char> = xml.chars().filter(|c| !xml_char(*c)).collect();
        assert!(bad.is_empty(), "characters XML 1.0 forbids: {bad:?}");
        let suites = &xml[xml.find("<testsuites").unwrap()..];
        let tag = &suites[..suites.find('>').unwrap()];
        assert!(!tag.contains("skipped"), "{tag}");
    }
}

#[test]
#[ignore = "needs xmllint (libxml2-utils); run by .ci/run"]
fn junit_is_valid_against_jenkins_xunit_junit_10_schema() {
    let xsd = manifest_dir().join("tests/schemas/junit-jenkins.xsd");
    let dir = tempfile::tempdir().unwrap();
    for (i, xml) in junit_outputs().into_iter().enumerate() {
        let file = dir.path().join(format!("junit-{i}.xml"));
        std::fs::write(&file, &xml).unwrap();
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()
            .unwrap_or_else(|e| panic!("xmllint is not installed ({e}); .ci/run installs libxml2-utils"));
        assert!(out.status.success(), "{xml}\n{}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn schema_uses_only_standard_formats_and_keeps_ranges() {
    let out = clinsafe().arg("schema").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for rust in ["uint8", "uint32", "uint64", "int64", "int32", "double", "float"] {
        assert!(!text.contains(&format!("\"format\": \"{rust}\"")), "format {rust} in the schema");
    }
    // max_residual_rating (a u8) keeps the range the loader allows, not u8's.
    assert!(text.contains("\"maximum\": 3"), "u8 keeps its range");
}

/// Where .ci/run installs npm tools (`npm install --prefix`).
pub fn ci_tools() -> PathBuf {
    std::env::var_os("CLINSAFE_CI_TOOLS")
        .map_or_else(|| manifest_dir().join("target/ci-tools"), PathBuf::from)
}

#[test]
#[ignore = "needs ajv-cli and ajv-formats (npm); run by .ci/run"]
fn schema_compiles_in_ajv_strict_mode_and_validates_the_example() {
    let tools = ci_tools();
    let ajv = tools.join("node_modules/.bin/ajv");
    assert!(ajv.is_file(), "{} is missing: .ci/run installs ajv-cli and ajv-formats with npm", ajv.display());
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.json");
    std::fs::write(&schema, clinsafe().arg("schema").output().unwrap().stdout).unwrap();
    let mut args: Vec<std::ffi::OsString> =
        ["validate", "--spec=draft2020", "--strict=true", "-c", "ajv-formats", "-s"]
            .iter()
            .map(Into::into)
            .collect();
    args.push(schema.into());
    let example = manifest_dir().join("examples/patient-messaging");
    let mut stack = vec![example];
    let mut files = 0;
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let value: serde_json::Value =
                    serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                files += 1;
                let data = dir.path().join(format!("data-{files}.json"));
                std::fs::write(&data, serde_json::to_vec(&value).unwrap()).unwrap();
                args.push("-d".into());
                args.push(data.into());
            }
        }
    }
    assert!(files >= 5);
    // Run from the tools folder so `-c ajv-formats` resolves there.
    let out = Command::new(&ajv).args(&args).current_dir(&tools).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(!said.contains("unknown format"), "{said}");
}
