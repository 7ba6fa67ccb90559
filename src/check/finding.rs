//! A finding: one thing wrong with the project, as a rule raised it.

use serde::Serialize;

use crate::rules::{Level, Rule};
use crate::span::{Sources, Span};

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
    /// The subject as printed beside the message: a short prefix of a long id.
    pub fn subject_quoted(&self) -> std::borrow::Cow<'_, str> {
        crate::excerpt::excerpt(&self.subject)
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Cuts what every finding quotes to a short prefix ([`crate::excerpt`]):
/// called wherever findings are made, so no printer repeats a huge input.
/// The subject stays whole: it is how a finding is matched to its item (the
/// hazard log's findings under each hazard, JUnit's test case per hazard), and
/// a cut id matches no item; printers that show it cut it ([`Finding::subject_quoted`]).
pub fn bound(findings: &mut [Finding]) {
    use crate::excerpt::bound_message;
    use std::borrow::Cow;
    let cut = |s: &mut String, f: fn(&str) -> Cow<'_, str>| {
        if let Cow::Owned(short) = f(s) {
            *s = short;
        }
    };
    for f in findings {
        cut(&mut f.message, bound_message);
        for note in &mut f.notes {
            cut(note, bound_message);
        }
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

/// A finding of `rule`, at its default level (project overrides come later,
/// in one place: `check::apply_overrides`).
pub fn finding(rule: &'static Rule, subject: &str, message: String, span: Span) -> Finding {
    Finding {
        rule: rule.id,
        level: rule.level,
        subject: subject.to_string(),
        message,
        span: Some(span),
        notes: Vec::new(),
    }
}
