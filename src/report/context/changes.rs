//! What `render --since` adds: the safety case's "Changes since version X"
//! section and the hazard log's marks, worded as `diff` words them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diff::text::{details, label, summary};
use crate::diff::{Changes, FindingOut, ItemChange, Kind};

#[derive(Serialize)]
pub struct ChangesView {
    /// What `--since` named (a revision or a folder).
    pub since: String,
    /// The old side's document version: the X of "Changes since version X".
    pub version: String,
    pub document: String,
    pub content_digest: String,
    pub summary: String,
    pub hazards: Vec<ChangeRow>,
    pub controls: Vec<ChangeRow>,
    pub metrics: Vec<ChangeRow>,
    /// Hazards missing now (each also a `removed-hazard` finding).
    pub removed: Vec<ChangeRow>,
    /// The comparison's own findings, then `check`'s new and gone ones,
    /// in words as the body of the safety case says findings (rule ids stay
    /// in its appendix and in `diff`'s own output).
    pub raised: Vec<ChangeFinding>,
    pub findings_new: Vec<ChangeFinding>,
    pub findings_gone: Vec<ChangeFinding>,
}

#[derive(Serialize, Clone)]
pub struct ChangeFinding {
    pub level: &'static str,
    pub subject: String,
    /// What the rule means, in plain words.
    pub words: &'static str,
    /// The message without YAML quoting.
    pub body: String,
}

fn in_words(findings: &[FindingOut]) -> Vec<ChangeFinding> {
    findings
        .iter()
        .map(|f| ChangeFinding {
            level: f.level,
            subject: f.subject.clone(),
            words: super::in_words(f.rule).unwrap_or("A finding of clinsafe check"),
            body: super::conclusion::body_text(&f.message),
        })
        .collect()
}

#[derive(Serialize, Clone)]
pub struct ChangeRow {
    pub id: String,
    pub title: String,
    /// added, removed, withdrawn, re-rated or changed.
    pub label: &'static str,
    /// What changed, in words ("residual 2 (…) → 3 (…); changed: description").
    pub details: String,
}

fn row(c: &ItemChange) -> ChangeRow {
    ChangeRow { id: c.id.clone(), title: c.title.clone(), label: label(c), details: details(c).join("; ") }
}

pub fn view(c: &Changes) -> ChangesView {
    ChangesView {
        since: c.since.clone(),
        version: c.old.version.clone(),
        document: c.old.document.clone(),
        content_digest: c.old.content_digest.clone(),
        summary: summary(c),
        hazards: c.hazards.iter().map(row).collect(),
        controls: c.controls.iter().map(row).collect(),
        metrics: c.metrics.iter().map(row).collect(),
        removed: c.hazards.iter().filter(|h| h.change == Kind::Removed).map(row).collect(),
        raised: in_words(&c.findings),
        findings_new: in_words(&c.findings_new),
        findings_gone: in_words(&c.findings_gone),
    }
}

/// The hazard log's marks: id → its row, for hazards and controls there now
/// (ids are unique across kinds: `duplicate-id`).
pub fn marks(c: &Changes) -> BTreeMap<String, ChangeRow> {
    c.hazards
        .iter()
        .chain(&c.controls)
        .filter(|x| x.change != Kind::Removed)
        .map(|x| (x.id.clone(), row(x)))
        .collect()
}
