//! `clinsafe check A B C …`: several projects in one run, each reported on
//! its own, a total, and the worst exit code.

use std::path::Path;

use super::{clinsafe, project, AS_OF};

/// A clean project, one with an error-level finding (exit 1 alone), and one
/// that cannot be read (exit 2 alone).
fn three() -> [tempfile::TempDir; 3] {
    let clean = project(&[super::HAZARD]);
    let failing =
        project(&[("h.yaml", "hazards:\n  - { id: HAZ-1, title: a }\n  - { id: HAZ-1, title: b }\n")]);
    let broken = project(&[("h.yaml", "hazards: [\n")]);
    [clean, failing, broken]
}

fn check(dirs: &[&Path], extra: &[&str]) -> (i32, String, String) {
    let out = clinsafe().args(["check", "--as-of", AS_OF]).args(extra).args(dirs).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

#[test]
fn exit_code_is_the_worst_projects() {
    let [clean, failing, broken] = three();
    let (c, f, b) = (clean.path(), failing.path(), broken.path());
    assert_eq!(check(&[c, c], &[]).0, 0);
    assert_eq!(check(&[c, f], &[]).0, 1);
    assert_eq!(check(&[f, c], &[]).0, 1);
    assert_eq!(check(&[c, b, f], &[]).0, 2);
    assert_eq!(check(&[b, c], &["--format", "json"]).0, 2);
}

#[test]
fn human_output_names_each_project_and_a_bad_one_hides_none() {
    let [clean, failing, broken] = three();
    let (code, stdout, stderr) = check(&[broken.path(), failing.path(), clean.path()], &[]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    let header = |d: &tempfile::TempDir| format!("==> {} <==\n", d.path().display());
    let at =
        |d: &tempfile::TempDir| stderr.find(&header(d)).unwrap_or_else(|| panic!("no header in {stderr}"));
    // In the order given, each with its own findings and summary.
    assert!(at(&broken) < at(&failing) && at(&failing) < at(&clean), "{stderr}");
    let broken_part = &stderr[at(&broken)..at(&failing)];
    assert!(broken_part.contains("error[invalid-input]"), "{broken_part}");
    assert!(broken_part.contains("the project could not be read"), "{broken_part}");
    let failing_part = &stderr[at(&failing)..at(&clean)];
    assert!(failing_part.contains("error[duplicate-id]"), "{failing_part}");
    assert!(failing_part.contains("\n5 errors, 0 warnings\n"), "{failing_part}");
    assert!(stderr[at(&clean)..].contains("0 errors, 0 warnings"), "{stderr}");
    assert!(
        stderr.ends_with("total: 3 projects; 1 failing, 1 could not be read; 6 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn json_is_an_array_of_the_single_project_reports_each_naming_its_project() {
    let [clean, failing, broken] = three();
    let dirs = [clean.path(), failing.path(), broken.path()];
    let (code, stdout, _) = check(&dirs, &["--format", "json"]);
    assert_eq!(code, 2);
    let all: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 3);
    for (report, dir) in all.iter().zip(dirs) {
        assert_eq!(report["project"], dir.display().to_string());
        // The rest is exactly what `check --format json DIR` prints alone.
        let (_, alone, _) = check(&[dir], &["--format", "json"]);
        let mut alone: serde_json::Value = serde_json::from_str(&alone).unwrap();
        alone["project"] = report["project"].clone();
        assert_eq!(report, &alone);
    }
    assert!(super::rules_of(&all[1]).contains(&"duplicate-id".to_string()));
    assert_eq!(super::rules_of(&all[2]), ["invalid-input"]);
}

#[test]
fn sarif_has_a_run_per_project_and_junit_is_refused() {
    let [clean, failing, _broken] = three();
    let (code, stdout, _) = check(&[clean.path(), failing.path()], &["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    assert_ne!(runs[0]["automationDetails"]["id"], runs[1]["automationDetails"]["id"]);
    assert_eq!(runs[0]["results"].as_array().unwrap().len(), 0);
    assert!(runs[1]["results"].as_array().unwrap().iter().any(|r| r["ruleId"] == "duplicate-id"));

    let (code, stdout, stderr) = check(&[clean.path(), failing.path()], &["--format", "junit"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("`--format junit` takes one project"), "{stderr}");
}

#[test]
fn codequality_and_github_hold_every_projects_findings() {
    let [_clean, failing, broken] = three();
    let (_, stdout, _) = check(&[failing.path(), broken.path()], &["--format", "codequality"]);
    let issues: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules: Vec<&str> =
        issues.as_array().unwrap().iter().map(|i| i["check_name"].as_str().unwrap()).collect();
    assert_eq!(rules.len(), 6, "{rules:?}");
    assert!(rules.contains(&"duplicate-id") && rules.last() == Some(&"invalid-input"), "{rules:?}");
    let (_, stdout, _) = check(&[failing.path(), broken.path()], &["--format", "github"]);
    assert_eq!(stdout.lines().filter(|l| l.starts_with("::error ")).count(), 6, "{stdout}");
}
