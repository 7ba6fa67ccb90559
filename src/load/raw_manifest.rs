//! What serde reads from `clinsafe.yaml`'s manifest keys (split from `raw.rs` to keep each
//! file short; the same rules apply: doc comments become the JSON Schema's descriptions).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::model::date::Date;
use crate::model::status::*;
use crate::span::Located;

/// The manifest keys of `clinsafe.yaml` (the items are read one by one).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawManifest {
    pub clinsafe: Option<Located<u32>>,
    pub system: Option<RawSystem>,
    pub organisation: Option<RawOrganisation>,
    pub document: Option<RawDocument>,
    pub clinical_safety_officer: Option<RawPerson>,
    #[serde(default)]
    pub approvals: Vec<RawApproval>,
    pub acceptance: Option<RawAcceptance>,
    pub manufacturer: Option<RawManufacturer>,
    pub hazard_log: Option<RawDocumentControl>,
    pub safety_statement: Option<String>,
    #[serde(default)]
    pub go_live_conditions: Vec<Located<String>>,
    pub crm: Option<RawCrm>,
    #[serde(default)]
    pub rules: BTreeMap<String, Located<RuleSetting>>,
}

/// The supplier's DCB0129 clinical safety case report this deployment relies on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawManufacturer {
    /// The report's document id, e.g. PM-CSCR-4.2 (not blank).
    #[serde(rename = "ref")]
    #[schemars(schema_with = "super::required::schema")]
    pub reference: Located<String>,
    pub version: Option<String>,
    pub date: Option<Located<Date>>,
    /// Who reviewed it for the deploying organisation, and when.
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<Located<Date>>,
}

/// The organisation's clinical risk management system (CRMS) and plan (CRMP), as referenced.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCrm {
    /// The CRMS document's reference and version, e.g. "CRMS-001 v2".
    pub system: Option<String>,
    /// This project's CRMP's reference and version, e.g. "CRMP-PM-001 v1".
    pub plan: Option<String>,
}

/// The top-level keys that hold items, in any file.
pub const ITEM_KEYS: [&str; 6] = ["hazards", "controls", "metrics", "actions", "incidents", "dpia"];

/// The health IT system being deployed.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSystem {
    #[serde(deserialize_with = "super::required::name")]
    #[schemars(schema_with = "super::required::schema")]
    pub name: String,
    pub version: Option<String>,
    pub supplier: Option<String>,
    /// (Markdown) intended use, scope, users.
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    #[serde(deserialize_with = "super::required::name")]
    #[schemars(schema_with = "super::required::schema")]
    pub name: String,
    pub ods_code: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDocument {
    #[serde(deserialize_with = "super::required::document_id")]
    #[schemars(schema_with = "super::required::schema")]
    pub id: String,
    #[serde(deserialize_with = "super::required::version")]
    #[schemars(schema_with = "super::required::schema")]
    pub version: String,
    #[serde(default)]
    pub status: Option<Located<DocumentStatus>>,
    pub date: Option<Located<Date>>,
    pub review_by: Option<Located<Date>>,
    /// Who wrote this version (names, or "name, role").
    #[serde(default)]
    pub authors: Vec<String>,
    /// Who receives the issued document.
    #[serde(default)]
    pub distribution: Vec<String>,
    /// Who reviewed this version before approval (extension).
    #[serde(default)]
    pub reviewers: Vec<String>,
    /// Who owns the document (extension; a spreadsheet cover sheet's "Owner").
    pub owner: Option<String>,
    /// The version table, oldest first.
    #[serde(default)]
    pub history: Vec<Located<RawHistoryEntry>>,
    /// Text with no other home (extension; e.g. an imported cover sheet's other cells).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// A document's own id, version and status (the hazard log's, the DPIA's).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDocumentControl {
    #[serde(deserialize_with = "super::required::document_id")]
    #[schemars(schema_with = "super::required::schema")]
    pub id: String,
    #[serde(deserialize_with = "super::required::version")]
    #[schemars(schema_with = "super::required::schema")]
    pub version: String,
    /// Default: the safety case's status.
    pub status: Option<DocumentStatus>,
    pub review_by: Option<Date>,
}

/// One row of the document's version table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHistoryEntry {
    pub version: String,
    pub date: Option<Located<Date>>,
    pub author: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    #[serde(deserialize_with = "super::required::name")]
    #[schemars(schema_with = "super::required::schema")]
    pub name: String,
    /// Professional registration, e.g. "GMC 7654321".
    pub registration: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawApproval {
    #[serde(deserialize_with = "super::required::name")]
    #[schemars(schema_with = "super::required::schema")]
    pub name: String,
    pub role: Option<String>,
    pub date: Option<Located<Date>>,
    /// The document version this approval signs.
    pub version: Option<String>,
    /// The content digest it covers (`clinsafe digest`), `sha256:<hex>`.
    pub digest: Option<Located<String>>,
    /// What was decided, e.g. "approved with conditions" (extension; default "approved").
    pub decision: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAcceptance {
    /// Highest residual rating accepted without justification (default 2).
    #[schemars(range(min = 1, max = 3))]
    pub max_residual_rating: Option<Located<u8>>,
}
