//! Integration tests: the real `clinsafe` binary on fixture projects.

mod bad_input;
mod bidi;
mod browser;
mod causes_history;
mod cli;
mod config_control;
mod confine;
mod consumers;
mod example;
mod formats;
mod import;
mod init;
mod pdf;
mod portfolio;
mod records;
mod render;
mod rule_levels;
mod rules;
mod serve;
mod tools;

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

pub const AS_OF: &str = "2026-11-25";

pub const MANIFEST: &str =
    "clinsafe: 1\nsystem: { name: Test system }\ndocument: { id: DOC-1, version: \"1\" }\n";

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

/// Runs `check` (human) and returns exit code and stderr.
pub fn check_human(dir: &Path) -> (i32, String) {
    let out = clinsafe().args(["check", "--as-of", AS_OF]).arg(dir).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Replaces 64-hex-digit SHA-256 digests with a marker, so snapshots of
/// reports change with what they show, not with every byte of the example.
pub fn mask_digests(text: &str) -> String {
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
