//! `check --format codequality`: GitLab's Code Quality report (a subset of
//! Code Climate's JSON), which merge requests show on every GitLab tier.
//!
//! Severity: an error-level finding is `major`, a warning `minor`. GitLab's
//! scale runs info < minor < major < critical < blocker; `critical` and
//! `blocker` are left alone because clinsafe judges structure, not clinical
//! harm, and must not look as if it ranked the hazard itself.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Finding, Level};
use crate::span::Sources;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// `path_prefix` is the project folder relative to where CI runs, so paths
/// resolve from the repository root as GitLab expects. A finding without a
/// file is placed on the manifest's first line: GitLab requires a path.
pub fn render(findings: &[Finding], sources: &Sources, path_prefix: &str) -> String {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue> = findings
        .iter()
        .map(|f| {
            let file = f.span.map_or("clinsafe.yaml", |s| sources.name(s.file));
            let path = format!("{path_prefix}{file}");
            let mut description = f.message.clone();
            for note in &f.notes {
                description.push('\n');
                description.push_str(note);
            }
            Issue {
                kind: "issue",
                description,
                check_name: f.rule,
                fingerprint: fingerprint(f, &path, &mut seen),
                severity: match f.level {
                    Level::Error => "major",
                    Level::Warning => "minor",
                },
                location: Location { path, lines: Lines { begin: f.span.map_or(1, |s| s.line.max(1)) } },
            }
        })
        .collect();
    serde_json::to_string_pretty(&issues).expect("Code Quality serializes") + "\n"
}

/// What GitLab uses to tell a finding that stays from one that is new or
/// fixed: rule, subject, file and message, not the line, so editing lines
/// above a finding does not make it look new. Findings identical in all four
/// get an occurrence number, since GitLab shows only one per fingerprint.
fn fingerprint(f: &Finding, path: &str, seen: &mut HashMap<String, usize>) -> String {
    let key = [f.rule, &f.subject, path, &f.message].join("\0");
    let n = seen.entry(key.clone()).or_insert(0);
    let mut hasher = Sha256::new();
    hasher.update(key.as_bytes());
    if *n > 0 {
        hasher.update(format!("\0{n}").as_bytes());
    }
    *n += 1;
    hasher.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_without_a_place_goes_on_the_manifests_first_line() {
        let f = Finding {
            rule: "missing-sign-off",
            level: Level::Error,
            subject: "document".into(),
            message: "no approvals".into(),
            span: None,
            notes: Vec::new(),
        };
        let report: serde_json::Value =
            serde_json::from_str(&render(&[f], &Sources::default(), "case/")).unwrap();
        assert_eq!(
            report[0]["location"],
            serde_json::json!({ "path": "case/clinsafe.yaml", "lines": { "begin": 1 } })
        );
        assert_eq!(report[0]["severity"], "major");
    }
}
