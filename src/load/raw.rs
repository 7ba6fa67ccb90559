//! What serde reads: the YAML format v1 as Rust types (`Raw*`), before validation.
//!
//! These same types generate the JSON Schema (`clinsafe schema`), so the
//! schema cannot drift from what the loader accepts. Doc comments become the
//! schema's descriptions, which editors show on hover.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::stated::Stated;
use crate::model::date::{Date, Period};
use crate::model::risk::{DpiaLikelihood, DpiaSeverity, Likelihood, Severity};
use crate::model::status::{
    ActionStatus, Better, ControlStatus, ControlType, Harm, HazardStatus, IncidentStatus, MetricFrom,
    RuleSetting,
};
use crate::model::{AdviceDecision, DpiaEffect};
use crate::span::Located;

pub use super::raw_manifest::*;

type Id = Located<String>;
type Links = Vec<Located<String>>;

/// Any project file. `clinsafe.yaml` holds the manifest keys (and may hold
/// items too); every other file holds items only.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "clinsafe project file (format v1)")]
pub struct RawFile {
    /// Format version; must be 1 (manifest only, required there).
    #[schemars(range(min = 1, max = 1))]
    pub clinsafe: Option<u32>,
    pub system: Option<RawSystem>,
    pub organisation: Option<RawOrganisation>,
    pub document: Option<RawDocument>,
    pub clinical_safety_officer: Option<RawPerson>,
    #[serde(default)]
    pub approvals: Vec<RawApproval>,
    pub acceptance: Option<RawAcceptance>,
    /// The manufacturer's DCB0129 clinical safety case report.
    pub manufacturer: Option<RawManufacturer>,
    /// The hazard log's own document control (default: the safety case's).
    pub hazard_log: Option<RawDocumentControl>,
    /// (Markdown) the clinical safety officer's own conclusion; required once issued.
    pub safety_statement: Option<String>,
    /// Planned controls the residual risks rely on, accepted as conditions of go-live.
    #[serde(default)]
    pub go_live_conditions: Vec<String>,
    /// The organisation's clinical risk management system and plan.
    pub crm: Option<RawCrm>,
    /// Per-rule level overrides: error | warning | off.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    #[serde(default)]
    pub hazards: Vec<RawHazard>,
    #[serde(default)]
    pub controls: Vec<RawControl>,
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    #[serde(default)]
    pub actions: Vec<RawAction>,
    /// Patient safety incidents, linked to hazards and controls.
    #[serde(default)]
    pub incidents: Vec<RawIncident>,
    pub dpia: Option<RawDpia>,
}

/// A risk before or after controls: DCB0160 severity and likelihood.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRisk {
    /// `TBC` while it is to be confirmed (the hazard then counts as unassessed).
    pub severity: Option<Stated<Severity>>,
    /// `TBC` while it is to be confirmed (the hazard then counts as unassessed).
    pub likelihood: Option<Stated<Likelihood>>,
    /// Optional; if given it must equal the matrix rating (1–5).
    #[schemars(range(min = 1, max = 5))]
    pub rating: Option<Located<i64>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHazard {
    /// Unique across the project, no whitespace.
    pub id: Id,
    #[serde(deserialize_with = "super::required::title")]
    #[schemars(schema_with = "super::required::schema")]
    pub title: String,
    /// (Markdown)
    pub description: Option<String>,
    /// Plain text, or `{ id, text, controls }` items.
    #[serde(default)]
    pub causes: Vec<RawCause>,
    #[serde(default)]
    pub effects: Vec<String>,
    /// (Markdown) the potential harm to patients.
    pub harm: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub initial_risk: Option<Located<RawRisk>>,
    pub residual_risk: Option<Located<RawRisk>>,
    /// Controls that mitigate this hazard.
    #[serde(default)]
    pub controls: Links,
    /// Other hazards (shown both ways in the log).
    #[serde(default)]
    pub related: Links,
    /// (Markdown) why the residual risk is acceptable.
    pub justification: Option<String>,
    pub owner: Option<String>,
    /// Default: open.
    pub status: Option<Located<HazardStatus>>,
    /// Required when status is transferred.
    pub transferred_to: Option<String>,
    /// Why the hazard no longer applies; required when status is withdrawn.
    pub withdrawn_reason: Option<String>,
    pub review_by: Option<Located<Date>>,
    #[serde(default)]
    pub references: Vec<String>,
    /// Text with no other home (extension; e.g. an imported sheet's extra columns).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Free text: the log's hazard category (e.g. clinical, technical).
    pub category: Option<String>,
    /// When the hazard was identified.
    pub raised_on: Option<Located<Date>>,
    pub raised_by: Option<String>,
    /// With status closed: when it was closed.
    pub closed_on: Option<Located<Date>>,
    pub closed_by: Option<String>,
    /// The manufacturer's hazard this one localises (its id in their log).
    #[serde(default)]
    #[schemars(schema_with = "super::required::optional_schema")]
    pub source: Option<Located<String>>,
    /// Incidents linked to this hazard (either side may declare the link).
    #[serde(default)]
    pub incidents: Links,
    /// How often the hazard is reviewed, e.g. "6 months": with `reviews`, the
    /// next review is the last one plus this (unless `review_by` is given).
    pub review_every: Option<Located<Period>>,
    /// The hazard's review history.
    #[serde(default)]
    pub reviews: Vec<RawReview>,
}

/// One review of a hazard: when, by whom, what it found, and the ratings it set.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReview {
    pub date: Located<Date>,
    pub by: Option<String>,
    /// (Markdown) what the review found or decided.
    pub outcome: Option<String>,
    /// The initial risk as the review rated it.
    pub initial: Option<Located<RawRisk>>,
    /// The residual risk as the review rated it.
    pub residual: Option<Located<RawRisk>>,
}

/// A cause: plain text, or an item with an id and the controls that act on it.
#[derive(Debug, JsonSchema)]
#[schemars(untagged)]
pub enum RawCause {
    Text(String),
    Item(RawCauseItem),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCauseItem {
    pub id: Id,
    pub text: String,
    /// Controls acting on this cause; each also covers the hazard.
    #[serde(default)]
    pub controls: Links,
}

impl<'de> Deserialize<'de> for RawCause {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CauseVisitor;
        impl<'de> serde::de::Visitor<'de> for CauseVisitor {
            type Value = RawCause;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text, or a mapping with `id`, `text` and `controls`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawCause, E> {
                Ok(RawCause::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawCause, A::Error> {
                RawCauseItem::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawCause::Item)
            }
        }
        d.deserialize_struct(super::de::TEXT_OR_STRUCT, CAUSE_ITEM_FIELDS, CauseVisitor)
    }
}

const CAUSE_ITEM_FIELDS: &[&str] = &["id", "text", "controls"];

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEvidence {
    #[serde(rename = "ref")]
    pub reference: Located<String>,
    pub date: Option<Located<Date>>,
    pub description: Option<String>,
    /// The evidence no longer holds after this date (a certificate, an audit).
    pub valid_until: Option<Located<Date>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    pub id: Id,
    #[serde(deserialize_with = "super::required::title")]
    #[schemars(schema_with = "super::required::schema")]
    pub title: String,
    /// (Markdown)
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub control_type: ControlType,
    /// Hazards and/or DPIA risks this control mitigates.
    #[serde(default)]
    pub mitigates: Links,
    pub owner: Option<String>,
    pub status: Located<ControlStatus>,
    /// What shows the control works; required when verified.
    #[serde(default)]
    pub evidence: Vec<RawEvidence>,
    /// For planned controls: the action checklist date.
    pub due: Option<Located<Date>>,
    /// Recurrence, e.g. "3 months".
    pub every: Option<Located<Period>>,
    /// With `every`: when it was last performed.
    pub last_done: Option<Located<Date>>,
    #[serde(default)]
    pub monitored_by: Links,
    /// A control another party must put in place (we hand it on).
    pub transferred_to: Option<String>,
    /// A control the manufacturer's report transfers to us (its id there),
    /// adopted here with local status and evidence.
    #[serde(default)]
    #[schemars(schema_with = "super::required::optional_schema")]
    pub transferred_from: Option<Located<String>>,
    #[serde(default)]
    pub references: Vec<String>,
    /// Text with no other home (extension; e.g. an imported sheet's "Action" column).
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawObservation {
    pub date: Date,
    pub value: f64,
    /// What the governance meeting should know about this value (shown in the monthly pack).
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    pub id: Id,
    #[serde(deserialize_with = "super::required::title")]
    #[schemars(schema_with = "super::required::schema")]
    pub title: String,
    pub unit: Option<String>,
    /// Which direction is good.
    pub better: Better,
    /// A value past this (per `better`) is a breach.
    pub threshold: Option<Located<f64>>,
    /// Optional earlier warning level.
    pub warn: Option<Located<f64>>,
    /// Controls and/or hazards this metric tells about.
    #[serde(default)]
    pub monitors: Links,
    /// An observation older than this is stale, e.g. "45 days".
    pub stale_after: Option<Period>,
    /// Consecutive moves the wrong way that make a trend worth a look (default 3).
    #[schemars(range(min = 1))]
    pub worsening_after: Option<Located<u32>>,
    #[serde(default)]
    pub observations: Vec<Located<RawObservation>>,
    /// A CSV file (relative to the project) with `date,value` columns (and optionally `note`).
    pub data: Option<Located<String>>,
    /// `incidents`: count the incident log per month instead of observations.
    pub from: Option<Located<MetricFrom>>,
    /// With `from: incidents`: which incidents count (each stated part must match).
    pub filter: Option<Located<RawIncidentFilter>>,
}

/// Which incidents an incident-count metric counts: those matching every part stated.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIncidentFilter {
    /// Any of these harm grades.
    #[serde(default)]
    pub harm: Vec<Harm>,
    /// Linked to any of these hazards (from either side).
    #[serde(default)]
    pub hazards: Links,
    /// Linked to any of these controls.
    #[serde(default)]
    pub controls: Links,
}

/// A patient safety incident (local or national reporting, e.g. LFPSE).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIncident {
    pub id: Id,
    /// When it happened.
    pub date: Located<Date>,
    #[serde(deserialize_with = "super::required::title")]
    #[schemars(schema_with = "super::required::schema")]
    pub title: String,
    /// The national or local incident reference.
    pub reference: Option<String>,
    /// none | low | moderate | severe | death (LFPSE grading).
    pub harm: Option<Harm>,
    /// Hazards it shows (either side may declare the link).
    #[serde(default)]
    pub hazards: Links,
    /// Controls involved (that failed, or that caught it).
    #[serde(default)]
    pub controls: Links,
    /// Default: open.
    pub status: Option<IncidentStatus>,
    /// (Markdown) what was learnt.
    pub learning: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub id: Id,
    #[serde(deserialize_with = "super::required::title")]
    #[schemars(schema_with = "super::required::schema")]
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<Located<Date>>,
    /// Default: open.
    pub status: Option<ActionStatus>,
    pub done_on: Option<Located<Date>>,
    pub every: Option<Located<Period>>,
    pub last_done: Option<Located<Date>>,
    /// Hazards, controls and DPIA risks this action concerns.
    #[serde(default)]
    pub relates_to: Links,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProcessing {
    pub nature: Option<String>,
    pub scope: Option<String>,
    pub context: Option<String>,
    pub purposes: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLawfulBasis {
    pub article_6: Option<String>,
    pub article_9: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDpiaResidual {
    pub likelihood: Option<DpiaLikelihood>,
    pub severity: Option<DpiaSeverity>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDpiaRisk {
    pub id: Id,
    #[serde(deserialize_with = "super::required::title")]
    #[schemars(schema_with = "super::required::schema")]
    pub title: String,
    pub likelihood: Option<DpiaLikelihood>,
    pub severity: Option<DpiaSeverity>,
    /// The measures, as controls (shared with hazards).
    #[serde(default)]
    pub controls: Links,
    pub residual: Option<Located<RawDpiaResidual>>,
    /// Whether the residual risk was approved (the template's "measure approved").
    pub approved: Option<bool>,
    /// What the measures do to the risk: eliminated | reduced | accepted.
    pub effect: Option<DpiaEffect>,
}

/// One line of the DPIA's sign-off and outcomes (the ICO template's step 7).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDpiaSignature {
    pub name: String,
    /// Position, as the template asks.
    pub role: Option<String>,
    pub date: Option<Date>,
    /// Notes: reasons, conditions, what was integrated into the plan.
    pub comments: Option<String>,
}

/// Who accepted or overruled the DPO's advice.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDpiaDecision {
    pub name: String,
    pub role: Option<String>,
    pub date: Option<Date>,
    /// accepted | overruled
    pub decision: AdviceDecision,
    /// Required in effect when overruled: the template asks for the reasons.
    pub comments: Option<String>,
}

/// The ICO template's step 7, "sign off and outcomes".
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDpiaOutcomes {
    pub measures_approved_by: Option<Located<RawDpiaSignature>>,
    pub residual_risks_approved_by: Option<Located<RawDpiaSignature>>,
    /// The DPO who gave the advice (its summary is `dpo_advice`).
    pub dpo_advice_provided: Option<Located<RawDpiaSignature>>,
    pub dpo_advice_decision: Option<Located<RawDpiaDecision>>,
    pub consultation_reviewed_by: Option<Located<RawDpiaSignature>>,
    pub kept_under_review_by: Option<Located<RawDpiaSignature>>,
}

/// Data protection impact assessment (UK GDPR Article 35, ICO template).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDpia {
    pub title: Option<String>,
    pub processing: Option<RawProcessing>,
    pub lawful_basis: Option<RawLawfulBasis>,
    #[serde(default)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub data_subjects: Vec<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    pub retention: Option<String>,
    /// (Markdown)
    pub consultation: Option<String>,
    /// (Markdown) necessity and proportionality.
    pub necessity: Option<String>,
    #[serde(default)]
    pub risks: Vec<Located<RawDpiaRisk>>,
    /// (Markdown)
    pub dpo_advice: Option<String>,
    /// The DPIA's sign-off: who, in what role, when (as an approval).
    pub sign_off: Option<RawApproval>,
    /// The DPIA's own document control (default: the safety case's id and version).
    pub document: Option<RawDocumentControl>,
    /// (Markdown) step 1: why a DPIA is needed.
    pub need: Option<String>,
    /// The controller (name and contact).
    pub controller: Option<String>,
    /// The data protection officer (name and contact).
    pub dpo: Option<String>,
    /// Processors acting for the controller, each with what it does.
    #[serde(default)]
    pub processors: Vec<String>,
    /// (Markdown) transfers outside the UK and how they are safeguarded.
    pub international_transfers: Option<String>,
    /// (Markdown) how individuals' rights are supported.
    pub individuals_rights: Option<String>,
    /// Step 7: who approved the measures and residual risks, the DPO's advice and its outcome, review.
    pub outcomes: Option<RawDpiaOutcomes>,
}
