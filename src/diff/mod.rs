//! What changed between two analyses of one project (`diff --since`,
//! `render --since`): the old side (a git revision or another folder) and the
//! new. Compares the validated model, the graph's links and `check`'s
//! findings; never text or bytes, so reformatting is no change. Beside `diag`
//! and `report` in the pipeline: both sides are analysed first, the printers
//! (`text.rs`) and the reports only read the [`Changes`].

mod items;
pub mod text;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::check::Finding;
use crate::rules::{Level, REMOVED_HAZARD};
use crate::Analysis;
use items::{control_change, hazard_change, incident_change, items, metric_change};

/// Everything that changed, in id order within each list.
#[derive(Debug, Serialize)]
pub struct Changes {
    /// The format's version, as in `check --format json`.
    pub clinsafe: u32,
    /// "Today" for both sides' checks.
    pub as_of: crate::model::date::Date,
    /// What `--since` named: a revision or a folder.
    pub since: String,
    pub old: Side,
    pub new: Side,
    pub summary: Summary,
    pub hazards: Vec<ItemChange>,
    pub controls: Vec<ItemChange>,
    /// Metrics added, removed or changed (definition or observations).
    pub metrics: Vec<ItemChange>,
    /// Incidents added, removed or changed (status, learning, links, any field).
    pub incidents: Vec<ItemChange>,
    /// The other parts of the case whose content changed, by their YAML names
    /// (`system`, `document`, `safety_statement`, `actions`, `dpia`, …): not
    /// listed item by item, but never passed over as "no changes".
    pub other_changed: Vec<String>,
    /// The comparison's own findings (`removed-hazard`).
    pub findings: Vec<FindingOut>,
    /// The same as `check` findings, for diagnostics and exit codes.
    #[serde(skip)]
    pub raised: Vec<Finding>,
    /// `check` findings on the new side that the old side did not have.
    pub findings_new: Vec<FindingOut>,
    /// `check` findings on the old side that the new side no longer has.
    pub findings_gone: Vec<FindingOut>,
}

/// One side's document control and content digest.
#[derive(Debug, Serialize)]
pub struct Side {
    pub document: String,
    pub version: String,
    pub status: &'static str,
    pub content_digest: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub hazards_added: usize,
    pub hazards_withdrawn: usize,
    pub hazards_removed: usize,
    pub hazards_re_rated: usize,
    /// Hazards whose other fields (text, links, dates) changed.
    pub hazards_changed: usize,
    pub controls_added: usize,
    pub controls_removed: usize,
    pub controls_changed: usize,
    /// Metrics added, removed or changed.
    pub metrics_changed: usize,
    /// Incidents added, removed or changed.
    pub incidents_changed: usize,
    pub findings_new: usize,
    pub findings_gone: usize,
    /// Error-level findings among `findings` and `findings_new`: the exit code's basis.
    pub errors: usize,
    /// Warning-level findings among them (`--deny-warnings` exits 1 on these too).
    pub warnings: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

/// How one hazard or control changed. Fields that do not apply are null or empty.
#[derive(Debug, Serialize)]
pub struct ItemChange {
    pub id: String,
    /// The new title (the old one for a removed item).
    pub title: String,
    pub change: Kind,
    pub status: Option<Pair<&'static str>>,
    /// Hazards only: the initial and residual risk, where either changed (an added
    /// hazard's, with `old` null).
    pub initial: Option<Pair<Option<RiskOut>>>,
    pub residual: Option<Pair<Option<RiskOut>>>,
    /// Controls only: evidence (`ref (date)`) added and removed.
    pub evidence: Option<Delta>,
    /// Controls only: hazards, DPIA risks and metrics linked, added and removed.
    pub links: Option<Delta>,
    /// Metrics only: observations added and removed (`date: value`), inline and CSV alike.
    pub observations: Option<Delta>,
    /// Other fields whose content changed, by their YAML names.
    pub fields: Vec<String>,
    /// Hazards only: the withdrawn reason, when the hazard is withdrawn now.
    pub withdrawn_reason: Option<String>,
    /// A removed item: what that means for its kind, in words.
    #[serde(skip)]
    pub removed_note: Option<&'static str>,
}

impl ItemChange {
    /// Withdrawn by this change (it was not withdrawn before).
    pub fn withdrawn(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.new == "withdrawn")
    }
    /// Re-rated by this change (an added hazard shows its ratings too, but was not re-rated).
    pub fn re_rated(&self) -> bool {
        self.change == Kind::Changed && (self.initial.is_some() || self.residual.is_some())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair<T> {
    pub old: T,
    pub new: T,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskOut {
    pub severity: Option<&'static str>,
    pub likelihood: Option<&'static str>,
    pub rating: Option<u8>,
}

#[derive(Debug, Default, Serialize)]
pub struct Delta {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// A finding as `check --format json` shows it; `file` is relative to its
/// side's project folder (the old side's for a gone finding), null when none.
#[derive(Debug, Clone, Serialize)]
pub struct FindingOut {
    pub rule: &'static str,
    pub level: &'static str,
    pub subject: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl FindingOut {
    fn of(f: &Finding, a: &Analysis) -> FindingOut {
        FindingOut {
            rule: f.rule,
            level: f.level.as_str(),
            subject: f.subject_quoted().into_owned(),
            message: f.message.clone(),
            file: f.span.map(|s| a.project.sources.name(s.file).to_string()),
            line: f.span.map(|s| s.line),
            column: f.span.map(|s| s.column),
        }
    }
}

/// Compares `old` (what `since` named) with `new`.
pub fn compare(since: &str, old: &Analysis, new: &Analysis) -> Changes {
    let hazards = items(&old.project.hazards, &new.project.hazards, |h| &h.id, hazard_change);
    let controls =
        items(&old.project.controls, &new.project.controls, |c| &c.id, |o, n| control_change(o, n, old, new));
    let metrics = items(&old.project.metrics, &new.project.metrics, |m| &m.id, metric_change);
    let incidents = items(&old.project.incidents, &new.project.incidents, |i| &i.id, incident_change);
    let mut raised: Vec<Finding> = hazards
        .iter()
        .filter(|h| h.change == Kind::Removed)
        .map(|h| Finding {
            rule: REMOVED_HAZARD.id,
            level: REMOVED_HAZARD.level,
            subject: h.id.clone(),
            message: format!(
                "{} ({}) was in the hazard log at `{since}` and is missing now: a hazard is never deleted; \
                 put it back with `status: withdrawn` and a `withdrawn_reason`",
                h.id, h.title
            ),
            span: None,
            notes: Vec::new(),
        })
        .collect();
    crate::check::bound(&mut raised); // titles and ids are quoted: keep each short
    let findings: Vec<FindingOut> = raised.iter().map(|f| FindingOut::of(f, new)).collect();
    let key = |f: &Finding| (f.rule, f.level, f.subject.clone(), f.message.clone());
    let old_keys: BTreeSet<_> = old.findings.iter().map(key).collect();
    let new_keys: BTreeSet<_> = new.findings.iter().map(key).collect();
    let findings_new: Vec<FindingOut> =
        new.findings.iter().filter(|f| !old_keys.contains(&key(f))).map(|f| FindingOut::of(f, new)).collect();
    let findings_gone: Vec<FindingOut> =
        old.findings.iter().filter(|f| !new_keys.contains(&key(f))).map(|f| FindingOut::of(f, old)).collect();
    let count = |list: &[ItemChange], k: Kind| list.iter().filter(|c| c.change == k).count();
    let summary = Summary {
        hazards_added: count(&hazards, Kind::Added),
        hazards_withdrawn: hazards.iter().filter(|h| h.withdrawn()).count(),
        hazards_removed: count(&hazards, Kind::Removed),
        hazards_re_rated: hazards.iter().filter(|h| h.re_rated()).count(),
        hazards_changed: hazards.iter().filter(|h| h.change == Kind::Changed && !h.fields.is_empty()).count(),
        controls_added: count(&controls, Kind::Added),
        controls_removed: count(&controls, Kind::Removed),
        controls_changed: count(&controls, Kind::Changed),
        metrics_changed: metrics.len(),
        incidents_changed: incidents.len(),
        findings_new: findings_new.len(),
        findings_gone: findings_gone.len(),
        errors: findings.iter().chain(&findings_new).filter(|f| f.level == Level::Error.as_str()).count(),
        warnings: findings.iter().chain(&findings_new).filter(|f| f.level == Level::Warning.as_str()).count(),
    };
    Changes {
        clinsafe: 1,
        as_of: new.as_of(),
        since: since.to_string(),
        old: side(old),
        new: side(new),
        summary,
        hazards,
        controls,
        metrics,
        incidents,
        other_changed: other_changed(&old.project, &new.project),
        findings,
        raised,
        findings_new,
        findings_gone,
    }
}

/// The parts of the content (as the digest reads it) outside hazards,
/// controls, metrics and incidents that differ between the sides.
fn other_changed(old: &crate::model::Project, new: &crate::model::Project) -> Vec<String> {
    let value = |v: serde_json::Result<serde_json::Value>| v.unwrap_or_default();
    let mut parts = Vec::new();
    let (old_m, new_m) =
        (value(serde_json::to_value(&old.manifest)), value(serde_json::to_value(&new.manifest)));
    let keys: BTreeSet<&String> =
        old_m.as_object().into_iter().chain(new_m.as_object()).flat_map(|m| m.keys()).collect();
    for key in keys {
        if old_m.get(key) != new_m.get(key) {
            // The YAML name: the limit is written under `acceptance:`.
            parts.push(if key == "max_residual_rating" { "acceptance".to_string() } else { key.clone() });
        }
    }
    let actions = |p: &crate::model::Project| {
        let mut list: Vec<(String, serde_json::Value)> =
            p.actions.iter().map(|a| (a.id.clone(), value(serde_json::to_value(a)))).collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list
    };
    if actions(old) != actions(new) {
        parts.push("actions".to_string());
    }
    if value(serde_json::to_value(&old.dpia)) != value(serde_json::to_value(&new.dpia)) {
        parts.push("dpia".to_string());
    }
    parts
}

fn side(a: &Analysis) -> Side {
    let d = &a.project.manifest.document;
    Side {
        document: d.id.clone(),
        version: d.version.clone(),
        status: match d.status {
            crate::model::DocumentStatus::Draft => "draft",
            crate::model::DocumentStatus::Issued => "issued",
        },
        content_digest: crate::model::digest::content_digest(&a.project),
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
