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
    /// The comparison's own findings, then `check`'s new and gone ones.
    pub raised: Vec<FindingOut>,
    pub findings_new: Vec<FindingOut>,
    pub findings_gone: Vec<FindingOut>,
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
        raised: c.findings.clone(),
        findings_new: c.findings_new.clone(),
        findings_gone: c.findings_gone.clone(),
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
