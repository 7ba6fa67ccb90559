//! `check --format json`: the SPEC's shape, for scripts and dashboards.

use serde::Serialize;

use super::{Counts, Finding, Level};
use crate::graph::Graph;
use crate::model::date::Date;
use crate::model::{Project, Risk, RuleChange};
use crate::span::Sources;

#[derive(Serialize)]
struct Output<'a> {
    clinsafe: u32,
    as_of: String,
    summary: Summary,
    /// `rules:` settings that differ from the defaults (SPEC extension).
    rules_changed: Vec<RuleChange>,
    hazards: Vec<HazardOut<'a>>,
    /// The incident log (SPEC §3), left out when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    incidents: Vec<IncidentOut<'a>>,
    findings: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
struct IncidentOut<'a> {
    id: &'a str,
    date: String,
    title: &'a str,
    reference: Option<&'a str>,
    harm: Option<&'static str>,
    status: &'static str,
    /// Linked from either side.
    hazards: Vec<&'a str>,
    controls: Vec<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    /// Hazards that count as risks (withdrawn ones are counted apart).
    hazards: usize,
    withdrawn: usize,
    controls: usize,
    metrics: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct HazardOut<'a> {
    id: &'a str,
    title: &'a str,
    status: &'static str,
    initial: Option<RiskOut>,
    residual: Option<RiskOut>,
    controls: Vec<&'a str>,
    // The hazard log's own fields (SPEC §3), left out when absent so the
    // SPEC §2 shape is unchanged for projects that do not use them.
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raised_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raised_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    closed_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    /// Causes, left out when none: `{ id, text, controls }` (`id` null and
    /// `controls` empty for a plain-text cause).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    causes: Vec<CauseOut<'a>>,
    /// Incidents linked from either side, left out when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    incidents: Vec<&'a str>,
}

#[derive(Serialize)]
struct CauseOut<'a> {
    id: Option<&'a str>,
    text: &'a str,
    controls: Vec<&'a str>,
}

#[derive(Serialize)]
struct RiskOut {
    severity: &'static str,
    likelihood: &'static str,
    rating: u8,
}

#[derive(Serialize)]
pub struct FindingOut<'a> {
    pub rule: &'static str,
    pub level: Level,
    pub subject: std::borrow::Cow<'a, str>,
    pub message: &'a str,
    pub file: Option<&'a str>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub notes: &'a [String],
}

/// A finding with its location resolved against the sources.
pub fn finding_out<'a>(f: &'a Finding, sources: &'a Sources) -> FindingOut<'a> {
    FindingOut {
        rule: f.rule,
        level: f.level,
        subject: f.subject_quoted(),
        message: &f.message,
        file: f.span.map(|s| sources.name(s.file)),
        line: f.span.map(|s| s.line),
        column: f.span.map(|s| s.column),
        notes: &f.notes,
    }
}

fn risk(r: &Option<Risk>) -> Option<RiskOut> {
    let r = r.as_ref()?;
    Some(RiskOut { severity: r.severity?.as_str(), likelihood: r.likelihood?.as_str(), rating: r.rating()? })
}

/// `project` and `graph` are `None` when the project could not be read.
pub fn render(
    project: Option<(&Project, &Graph)>,
    sources: &Sources,
    findings: &[Finding],
    counts: Counts,
    as_of: Date,
) -> String {
    let hazards = project.map_or_else(Vec::new, |(p, g)| {
        p.hazards
            .iter()
            .map(|h| HazardOut {
                id: &h.id,
                title: &h.title,
                status: h.status.as_str(),
                initial: risk(&h.initial),
                residual: risk(&h.residual),
                controls: g.controls_of(&h.id),
                category: h.record.category.as_deref(),
                raised_on: h.record.raised_on.as_ref().map(|d| d.value.to_string()),
                raised_by: h.record.raised_by.as_deref(),
                closed_on: h.record.closed_on.as_ref().map(|d| d.value.to_string()),
                closed_by: h.record.closed_by.as_deref(),
                source: h.record.source.as_ref().map(|s| s.value.as_str()),
                causes: h
                    .causes
                    .iter()
                    .map(|c| CauseOut {
                        id: c.id.as_ref().map(|i| i.value.as_str()),
                        text: &c.text,
                        controls: c.controls.iter().map(|l| l.value.as_str()).collect(),
                    })
                    .collect(),
                incidents: g.incidents_of(&h.id),
            })
            .collect()
    });
    let incidents = project.map_or_else(Vec::new, |(p, g)| {
        p.incidents
            .iter()
            .map(|i| IncidentOut {
                id: &i.id,
                date: i.date.value.to_string(),
                title: &i.title,
                reference: i.reference.as_deref(),
                harm: i.harm.map(|h| h.as_str()),
                status: i.status.as_str(),
                hazards: g.hazards_of_incident(&i.id),
                controls: g.controls_of_incident(&i.id),
            })
            .collect()
    });
    let output = Output {
        clinsafe: 1,
        as_of: as_of.to_string(),
        summary: Summary {
            hazards: project.map_or(0, |(p, _)| p.hazards.iter().filter(|h| !h.is_withdrawn()).count()),
            withdrawn: project.map_or(0, |(p, _)| p.hazards.iter().filter(|h| h.is_withdrawn()).count()),
            controls: project.map_or(0, |(p, _)| p.controls.len()),
            metrics: project.map_or(0, |(p, _)| p.metrics.len()),
            errors: counts.errors,
            warnings: counts.warnings,
        },
        rules_changed: project.map_or_else(Vec::new, |(p, _)| p.manifest.rules_changed()),
        hazards,
        incidents,
        findings: findings.iter().map(|f| finding_out(f, sources)).collect(),
    };
    serde_json::to_string_pretty(&output).expect("findings serialize") + "\n"
}
