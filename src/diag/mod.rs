//! Findings out: one list of findings, several printers, one exit code.

pub mod codequality;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use serde::Serialize;

use crate::span::{Sources, Span};

/// How much a finding matters. (Never "severity": that is a DCB risk term.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

/// One thing wrong with the project.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub level: Level,
    /// Id of the item the finding is about; `document` or `dpia` for the whole.
    pub subject: String,
    pub message: String,
    pub span: Option<Span>,
    /// Extra lines shown under the message (what the finding touches, how to fix it).
    pub notes: Vec<String>,
}

impl Finding {
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Stable order: by file, position, rule and subject, so output never depends
/// on discovery or hashing order.
pub fn sort(findings: &mut [Finding], sources: &Sources) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.span.map(|s| sources.name(s.file).to_string()),
                f.span.map(|s| (s.line, s.column)),
                f.rule,
                f.subject.clone(),
                f.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Counts of errors and warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub fn count(findings: &[Finding]) -> Counts {
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    Counts { errors, warnings: findings.len() - errors }
}

/// SPEC exit codes: 0 fine; 1 an error-level finding stands (warnings too
/// under `--deny-warnings`); 2 the project could not be read.
pub fn exit_code(counts: Counts, deny_warnings: bool) -> u8 {
    if counts.errors > 0 || (deny_warnings && counts.warnings > 0) {
        1
    } else {
        0
    }
}
