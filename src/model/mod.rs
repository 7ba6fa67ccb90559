//! The validated domain: a safety case project as types (built by `load`,
//! read by every later stage). Imports no stage.

pub mod date;
pub mod digest;
pub mod dpia;
pub mod manifest;
pub mod order;
pub mod risk;
pub mod status;

use std::collections::BTreeMap;

use crate::rules::Rule;
use crate::span::{Located, Sources, Span};
use date::{Date, Period};
pub use dpia::{
    AdviceDecision, Dpia, DpiaEffect, DpiaOutcomes, DpiaRisk, DpiaSections, DpiaSignature, DpiaTemplateItems,
};
pub use manifest::*;
use risk::{DpiaLevel, DpiaLikelihood, DpiaSeverity, Likelihood, Severity};
pub use status::{
    ActionStatus, Better, ControlStatus, ControlType, DocumentStatus, Harm, HazardStatus, IncidentStatus,
    MetricFrom, RuleSetting,
};

/// A whole safety case project, validated.
#[derive(Debug)]
pub struct Project {
    pub sources: Sources,
    pub manifest: Manifest,
    pub hazards: Vec<Hazard>,
    pub controls: Vec<Control>,
    pub metrics: Vec<Metric>,
    pub actions: Vec<Action>,
    pub incidents: Vec<Incident>,
    pub dpia: Option<Dpia>,
}

/// A hazard's cause: text, optionally with an id and the controls acting on it
/// (each of which also covers the hazard).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cause {
    pub id: Option<Located<String>>,
    pub text: String,
    pub controls: Vec<Located<String>>,
}

/// A hazard's risk before or after controls. Either half may be missing
/// while the log is being drafted ("TBC").
#[derive(Debug, Clone, serde::Serialize)]
pub struct Risk {
    pub severity: Option<Severity>,
    pub likelihood: Option<Likelihood>,
    pub stated_rating: Option<Located<u8>>,
    #[serde(skip)]
    pub span: Span,
}

impl Risk {
    /// The matrix rating, when both halves are stated.
    pub fn rating(&self) -> Option<u8> {
        Some(risk::rating(self.severity?, self.likelihood?))
    }
}

#[derive(Debug, serde::Serialize)]
pub struct Hazard {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub id_span: Span,
    pub title: String,
    pub description: Option<String>,
    pub causes: Vec<Cause>,
    pub effects: Vec<String>,
    pub harm: Option<String>,
    pub tags: Vec<String>,
    pub initial: Option<Risk>,
    pub residual: Option<Risk>,
    pub controls: Vec<Located<String>>,
    pub related: Vec<Located<String>>,
    pub justification: Option<String>,
    pub owner: Option<String>,
    pub status: HazardStatus,
    pub transferred_to: Option<String>,
    pub withdrawn_reason: Option<String>,
    pub review_by: Option<Located<Date>>,
    pub references: Vec<String>,
    pub notes: Vec<String>,
    /// The hazard log's own fields.
    pub record: HazardRecord,
    /// Incidents declared from the hazard's side (left out of the content
    /// digest when empty, so a project without incidents keeps its digest).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incidents: Vec<Located<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_every: Option<Located<Period>>,
    /// The review history, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<Review>,
}

/// One review of a hazard, with the ratings it set (where it set them).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Review {
    pub date: Located<Date>,
    pub by: Option<String>,
    pub outcome: Option<String>,
    pub initial: Option<Risk>,
    pub residual: Option<Risk>,
}

/// Who raised and closed a hazard, when, and where it came from.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HazardRecord {
    pub category: Option<String>,
    pub raised_on: Option<Located<Date>>,
    pub raised_by: Option<String>,
    pub closed_on: Option<Located<Date>>,
    pub closed_by: Option<String>,
    /// The manufacturer's hazard this one localises.
    pub source: Option<Located<String>>,
}

impl Hazard {
    /// Withdrawn hazards stay in the log but no longer count as risks.
    pub fn is_withdrawn(&self) -> bool {
        self.status == HazardStatus::Withdrawn
    }
    pub fn initial_rating(&self) -> Option<u8> {
        self.initial.as_ref()?.rating()
    }
    pub fn residual_rating(&self) -> Option<u8> {
        self.residual.as_ref()?.rating()
    }
}

#[derive(Debug, serde::Serialize)]
pub struct Evidence {
    pub reference: String,
    pub date: Option<Located<Date>>,
    pub description: Option<String>,
    pub valid_until: Option<Located<Date>>,
}

#[derive(Debug, serde::Serialize)]
pub struct Control {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub id_span: Span,
    pub title: String,
    pub description: Option<String>,
    pub control_type: ControlType,
    pub mitigates: Vec<Located<String>>,
    pub owner: Option<String>,
    pub status: ControlStatus,
    #[serde(skip)]
    pub status_span: Span,
    pub evidence: Vec<Evidence>,
    pub due: Option<Located<Date>>,
    pub every: Option<Located<Period>>,
    pub last_done: Option<Located<Date>>,
    pub monitored_by: Vec<Located<String>>,
    pub transferred_to: Option<String>,
    pub transferred_from: Option<Located<String>>,
    pub references: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Observation {
    pub date: Date,
    pub value: f64,
    /// The CSV `note` column or an inline `note` (left out of the content digest when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Metric {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub id_span: Span,
    pub title: String,
    pub unit: Option<String>,
    pub better: Better,
    pub threshold: Option<f64>,
    pub warn: Option<f64>,
    pub monitors: Vec<Located<String>>,
    pub stale_after: Option<Period>,
    pub worsening_after: u32,
    /// Inline and CSV observations together, oldest first (none for a
    /// metric counted from the incident log: see `facts`).
    pub observations: Vec<Observation>,
    /// `from: incidents`: the metric counts the incident log per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents: Option<IncidentFilter>,
}

/// Which incidents an incident-count metric counts: an incident counts when it
/// matches every part stated (an empty part matches all).
#[derive(Debug, Clone, serde::Serialize)]
pub struct IncidentFilter {
    pub harm: Vec<Harm>,
    pub hazards: Vec<Located<String>>,
    pub controls: Vec<Located<String>>,
    /// Where `from: incidents` is written (the counts' location in findings).
    #[serde(skip)]
    pub span: Span,
}

/// A patient safety incident.
#[derive(Debug, serde::Serialize)]
pub struct Incident {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub id_span: Span,
    pub date: Located<Date>,
    pub title: String,
    pub reference: Option<String>,
    pub harm: Option<Harm>,
    pub hazards: Vec<Located<String>>,
    pub controls: Vec<Located<String>>,
    pub status: IncidentStatus,
    pub learning: Option<String>,
}

/// Where a metric's value stands against its own limits (`threshold`, `warn`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Position {
    /// There is no value (no observations).
    NoData,
    Ok,
    /// Past `warn` but not `threshold`.
    Warning {
        limit: f64,
    },
    /// Past `threshold`.
    Breach {
        limit: f64,
    },
}

impl Position {
    pub fn as_str(self) -> &'static str {
        match self {
            Position::NoData => "no data",
            Position::Ok => "ok",
            Position::Warning { .. } => "warning",
            Position::Breach { .. } => "breach",
        }
    }
}

impl Metric {
    /// Where `value` stands: past the threshold, else past warn, else ok.
    pub fn position(&self, value: f64) -> Position {
        let past = |limit: Option<f64>| limit.filter(|l| self.is_past(value, *l));
        match (past(self.threshold), past(self.warn)) {
            (Some(limit), _) => Position::Breach { limit },
            (None, Some(limit)) => Position::Warning { limit },
            _ => Position::Ok,
        }
    }

    /// True when `value` is past `limit` in the bad direction (never, for a
    /// `neutral` metric: it has no bad direction).
    pub fn is_past(&self, value: f64, limit: f64) -> bool {
        match self.better {
            Better::Lower => value > limit,
            Better::Higher => value < limit,
            Better::Neutral => false,
        }
    }

    /// True when `later` is worse than `earlier`.
    pub fn is_worse(&self, earlier: f64, later: f64) -> bool {
        self.is_past(later, earlier)
    }

    pub fn latest(&self) -> Option<&Observation> {
        self.observations.last()
    }
}

#[derive(Debug, serde::Serialize)]
pub struct Action {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub id_span: Span,
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<Located<Date>>,
    pub status: ActionStatus,
    pub done_on: Option<Located<Date>>,
    pub every: Option<Located<Period>>,
    pub last_done: Option<Located<Date>>,
    pub relates_to: Vec<Located<String>>,
}
