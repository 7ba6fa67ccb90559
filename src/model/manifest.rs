//! The manifest's content: the system, the organisation, document control, people and
//! approvals (split from `model/mod.rs` to keep each file short).

use super::*;

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
    // Keys added after approvals began recording digests are left out when
    // absent, so a project that uses none of them keeps its content digest.
    /// (Markdown) the clinical safety officer's own conclusion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_statement: Option<String>,
    /// Planned controls accepted as conditions of go-live (ids, where written).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub go_live_conditions: Vec<Located<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm: Option<Crm>,
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

/// The organisation's clinical risk management system and plan, as referenced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Crm {
    pub system: Option<String>,
    pub plan: Option<String>,
}

/// The manufacturer's DCB0129 clinical safety case report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Manufacturer {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: Option<String>,
    pub date: Option<Located<Date>>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Located<Date>>,
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
    pub date: Option<Located<Date>>,
    pub review_by: Option<Located<Date>>,
    pub authors: Vec<String>,
    pub distribution: Vec<String>,
    /// Left out of the digest when empty, as the keys above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<String>,
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
    pub date: Option<Located<Date>>,
    pub author: Option<String>,
    pub summary: Option<String>,
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
    /// What was decided; "approved" when not stated. Left out of the DPIA
    /// sign-off's digest when absent (a DPIA sign-off is an `Approval`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Where the approval is written (for findings about it).
    #[serde(skip)]
    pub span: Option<crate::span::Span>,
}
