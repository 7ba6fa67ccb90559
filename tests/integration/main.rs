//! Integration tests: the real `clinsafe` binary on fixture projects.

mod a11y;
mod anchors;
mod bad_input;
mod bidi;
mod browser;
mod causes_history;
mod cli;
mod config_control;
mod confine;
mod consumers;
mod dpia;
mod example;
mod formats;
mod hazard_log;
mod hunt;
mod hunt2;
mod hunt2_config;
mod hunt2_fields;
mod hunt3;
mod hunt4;
mod hunt4_reports;
mod import;
mod incidents;
mod init;
mod pack;
mod pdf;
mod point_in_time;
mod portfolio;
mod records;
mod render;
mod rule_levels;
mod rules;
mod rules_gaps;
mod safety_case;
mod serve;
mod since;
mod since_folder;
mod tools;

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

pub const AS_OF: &str = "2026-11-25";

pub const MANIFEST: &str =
    "clinsafe: 1\nsystem: { name: Test system }\ndocument: { id: DOC-1, version: \"1\" }\n";

/// A hazard file that raises nothing (initial rating 1, justified), for tests
/// about something else: a project without a hazard is an `empty-hazard-log`.
pub const HAZARD: (&str, &str) = (
    "hazard.yaml",
    "hazards:\n  - { id: HAZ-0, title: Held, initial_risk: { severity: minor, likelihood: very-low }, justification: Negligible. }\n",
);

/// The binary, with the environment pinned (no colour, no inherited epoch).
pub fn clinsafe() -> Command {
    let mut cmd = Command::cargo_bin("clinsafe").expect("binary builds");
    cmd.env_remove("SOURCE_DATE_EPOCH").env("NO_COLOR", "1");
    cmd
}

/// A temporary project: the given files, plus the minimal manifest unless one is given.
pub fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if !files.iter().any(|(name, _)| *name == "clinsafe.yaml") {
        std::fs::write(dir.path().join("clinsafe.yaml"), MANIFEST).unwrap();
    }
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    dir
}

pub fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Runs `check --format json` and returns the exit code and the parsed output.
pub fn check_json(dir: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let out = clinsafe()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().expect("exit code"), json)
}

/// Rule ids of the findings in a JSON report.
pub fn rules_of(json: &serde_json::Value) -> Vec<String> {
    json["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

/// The findings of one rule in a JSON report.
pub fn findings_of<'a>(json: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == rule).collect()
}

/// Runs `check` (human) and returns exit code and stderr.
pub fn check_human(dir: &Path) -> (i32, String) {
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Renders the HTML reports of `dir` as of `as_of` (exit 0 or 1) and returns document `doc`.
pub fn rendered(dir: &Path, as_of: &str, extra: &[&str], doc: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let o = clinsafe()
        .args(["render", "--as-of", as_of, "--format", "html", "--out"])
        .arg(out.path())
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.code().unwrap() <= 1, "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read_to_string(out.path().join(doc)).unwrap()
}

/// The `<section id="ID">` of a rendered document, up to its end.
pub fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// Replaces 64-hex-digit SHA-256 digests with a marker, so snapshots of
/// reports change with what they show, not with every byte of the example.
pub fn mask_digests(text: &str) -> String {
    let text = &join_wrapped_digests(text);
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        if matches!(c, '0'..='9' | 'a'..='f') {
            run.push(c);
            continue;
        }
        if run.len() == 64 {
            out.push_str("[sha-256]");
        } else {
            out.push_str(&run);
        }
        run.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// A digest that a PDF table cell wrapped over two lines, joined again (the
/// hex runs either side of the line break make 64 digits together).
fn join_wrapped_digests(text: &str) -> String {
    let hex = |c: &char| matches!(c, '0'..='9' | 'a'..='f');
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        let before = out.chars().rev().take_while(hex).count();
        let after = line.chars().take_while(hex).count();
        if i > 0 && !(before > 0 && after > 0 && before + after == 64) {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}
