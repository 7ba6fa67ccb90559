//! The domain's small vocabularies: statuses, control types, which way a
//! metric is good, and a rule's per-project setting. Each has its YAML word
//! (serde) and one `as_str` for the reports' wording, written here only.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentStatus {
    Draft,
    Issued,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum HazardStatus {
    Open,
    Closed,
    Transferred,
    /// No longer applies (kept, with its reason: a hazard is never deleted).
    Withdrawn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ControlType {
    Design,
    Test,
    Training,
    BusinessProcess,
    Information,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    Planned,
    Implemented,
    Verified,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Better {
    Lower,
    Higher,
    /// A context metric (volume): no breach direction, trend shown as up/down.
    Neutral,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    Done,
}

/// An incident's harm, as the NHS LFPSE grades it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Harm {
    None,
    Low,
    Moderate,
    Severe,
    Death,
}

impl Harm {
    pub const ALL: [Harm; 5] = [Harm::None, Harm::Low, Harm::Moderate, Harm::Severe, Harm::Death];

    pub fn as_str(self) -> &'static str {
        match self {
            Harm::None => "none",
            Harm::Low => "low",
            Harm::Moderate => "moderate",
            Harm::Severe => "severe",
            Harm::Death => "death",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IncidentStatus {
    Open,
    Closed,
}

impl IncidentStatus {
    pub const ALL: [IncidentStatus; 2] = [IncidentStatus::Open, IncidentStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Closed => "closed",
        }
    }
}

/// Where a metric's values come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MetricFrom {
    /// Its own `observations` and `data` (the default).
    Observations,
    /// The incident log, counted per month.
    Incidents,
}

/// A project's override of one rule's level (`rules:` in clinsafe.yaml).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "RuleLevelSetting")]
pub enum RuleSetting {
    Error,
    Warning,
    Off,
}

impl RuleSetting {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSetting::Error => "error",
            RuleSetting::Warning => "warning",
            RuleSetting::Off => "off",
        }
    }
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Draft => "draft",
            DocumentStatus::Issued => "issued",
        }
    }
}

impl HazardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HazardStatus::Open => "open",
            HazardStatus::Closed => "closed",
            HazardStatus::Transferred => "transferred",
            HazardStatus::Withdrawn => "withdrawn",
        }
    }
}

impl ControlType {
    /// As the reports print it (the YAML word without its hyphen).
    pub fn as_str(self) -> &'static str {
        match self {
            ControlType::Design => "design",
            ControlType::Test => "test",
            ControlType::Training => "training",
            ControlType::BusinessProcess => "business process",
            ControlType::Information => "information",
        }
    }
}

impl ControlStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Planned => "planned",
            ControlStatus::Implemented => "implemented",
            ControlStatus::Verified => "verified",
        }
    }
}

impl Better {
    pub fn as_str(self) -> &'static str {
        match self {
            Better::Lower => "lower",
            Better::Higher => "higher",
            Better::Neutral => "neutral",
        }
    }
}
