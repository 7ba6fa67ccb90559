//! The validated domain: a safety case project as types (built by `load`,
//! read by every later stage). Imports no stage.

pub mod date;
pub mod digest;
pub mod risk;
pub mod status;

use std::collections::BTreeMap;

use crate::rules::Rule;
use crate::span::{Located, Sources, Span};
use date::{Date, Period};
use risk::{DpiaLevel, DpiaLikelihood, DpiaSeverity, Likelihood, Severity};
pub use status::{
    ActionStatus, Better, ControlStatus, ControlType, DocumentStatus, HazardStatus, RuleSetting,
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
    pub dpia: Option<Dpia>,
}

#[derive(Debug, serde::Serialize)]
pub struct Manifest {
    /// Where `clinsafe.yaml` starts (for findings about the document as a whole).
    #[serde(skip)]
    pub span: Span,
    pub system: System,
    pub organisation: Option<Organisation>,
    pub document: Document,
    pub clinical_safety_officer: Option<Person>,
    /// Sign-off records what it approved: not part of the content digest.
    #[serde(skip)]
    pub approvals: Vec<Approval>,
    pub manufacturer: Option<Manufacturer>,
    /// The hazard log's own document control, when it has one.
    pub hazard_log: Option<DocumentControl>,
    pub max_residual_rating: u8,
    /// Rule id → override, as validated names.
    pub rules: BTreeMap<String, RuleSetting>,
}

impl Manifest {
    /// Whether `rule` raises anything in this project (a finding, or a flag
    /// in the reports): false when `rules:` sets it `off`.
    pub fn raises(&self, rule: &Rule) -> bool {
        self.rules.get(rule.id) != Some(&RuleSetting::Off)
    }

    /// Every `rules:` setting that differs from the rule's default, in the
    /// registry's order: what a reader must know to trust a verdict.
    pub fn rules_changed(&self) -> Vec<RuleChange> {
        crate::rules::RULES
            .iter()
            .filter_map(|r| {
                let setting = *self.rules.get(r.id)?;
                (setting.as_str() != r.level.as_str()).then_some(RuleChange {
                    rule: r.id,
                    setting,
                    default: r.level,
                })
            })
            .collect()
    }
}

/// A rule whose level `rules:` changes from its default.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct RuleChange {
    pub rule: &'static str,
    #[serde(rename = "level", serialize_with = "setting_str")]
    pub setting: RuleSetting,
    pub default: crate::rules::Level,
}

impl RuleChange {
    /// Switched off, or lowered from error to warning: fewer findings than the
    /// defaults would raise, so every stated conclusion names it.
    pub fn weakens(&self) -> bool {
        match self.setting {
            RuleSetting::Off => true,
            RuleSetting::Warning => self.default == crate::rules::Level::Error,
            RuleSetting::Error => false,
        }
    }
}

fn setting_str<S: serde::Serializer>(s: &RuleSetting, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct System {
    pub name: String,
    pub version: Option<String>,
    pub supplier: Option<String>,
    pub description: Option<String>,
}

/// The manufacturer's DCB0129 clinical safety case report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Manufacturer {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: Option<String>,
    pub date: Option<Date>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Date>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Organisation {
    pub name: String,
    pub ods_code: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct Document {
    pub id: String,
    pub version: String,
    pub status: DocumentStatus,
    pub date: Option<Date>,
    pub review_by: Option<Located<Date>>,
    pub authors: Vec<String>,
    pub distribution: Vec<String>,
    pub owner: Option<String>,
    /// The version table, oldest first (not part of the content digest).
    #[serde(skip)]
    pub history: Vec<HistoryEntry>,
    pub notes: Vec<String>,
}

/// A document's own id, version and status (`hazard_log:`, `dpia.document`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentControl {
    pub id: String,
    pub version: String,
    pub status: Option<DocumentStatus>,
    pub review_by: Option<Date>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    pub version: String,
    pub date: Option<Date>,
    pub author: Option<String>,
    pub summary: Option<String>,
}

/// A hazard's cause: text, optionally with an id and the controls acting on it
/// (each of which also covers the hazard).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cause {
    pub id: Option<String>,
    pub text: String,
    pub controls: Vec<Located<String>>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub name: String,
    pub registration: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Approval {
    pub name: String,
    pub role: Option<String>,
    pub date: Option<Date>,
    /// The document version approved.
    pub version: Option<String>,
    /// The content digest approved, `sha256:<hex>`.
    pub digest: Option<String>,
    /// Where the approval is written (for findings about it).
    #[serde(skip)]
    pub span: Option<crate::span::Span>,
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
    pub source: Option<String>,
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
    pub date: Option<Date>,
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
    pub transferred_from: Option<String>,
    pub references: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Observation {
    pub date: Date,
    pub value: f64,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, serde::Serialize)]
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
    /// Inline and CSV observations together, oldest first.
    pub observations: Vec<Observation>,
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
    pub done_on: Option<Date>,
    pub every: Option<Located<Period>>,
    pub last_done: Option<Located<Date>>,
    pub relates_to: Vec<Located<String>>,
}

#[derive(Debug, serde::Serialize)]
pub struct Dpia {
    #[serde(skip)]
    pub span: Span,
    pub sections: DpiaSections,
    pub risks: Vec<DpiaRisk>,
    pub sign_off: Option<Approval>,
    pub document: Option<DocumentControl>,
}

/// The DPIA's written sections (the ICO template's), as the reports show them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DpiaSections {
    pub title: Option<String>,
    pub nature: Option<String>,
    pub scope: Option<String>,
    pub context: Option<String>,
    pub purposes: Option<String>,
    pub article_6: Option<String>,
    pub article_9: Option<String>,
    pub data_categories: Vec<String>,
    pub data_subjects: Vec<String>,
    pub recipients: Vec<String>,
    pub retention: Option<String>,
    pub consultation: Option<String>,
    pub necessity: Option<String>,
    pub dpo_advice: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub struct DpiaRisk {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub id_span: Span,
    pub title: String,
    pub likelihood: Option<DpiaLikelihood>,
    pub severity: Option<DpiaSeverity>,
    pub controls: Vec<Located<String>>,
    pub residual_likelihood: Option<DpiaLikelihood>,
    pub residual_severity: Option<DpiaSeverity>,
    #[serde(skip)]
    pub residual_span: Option<Span>,
    pub approved: Option<bool>,
}

impl DpiaRisk {
    pub fn level(&self) -> Option<DpiaLevel> {
        Some(risk::dpia_level(self.likelihood?, self.severity?))
    }
    pub fn residual_level(&self) -> Option<DpiaLevel> {
        Some(risk::dpia_level(self.residual_likelihood?, self.residual_severity?))
    }
}
