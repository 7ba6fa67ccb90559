//! The DCB0129/DCB0160 risk matrix and the ICO grid for DPIA risks.
//! Both tables live here and only here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Consequence of a hazard (DCB0129/DCB0160), mildest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Minor,
    Significant,
    Considerable,
    Major,
    Catastrophic,
}

/// Likelihood of a hazard's harm (DCB0129/DCB0160), least likely first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Likelihood {
    VeryLow,
    Low,
    Medium,
    High,
    VeryHigh,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Minor,
        Severity::Significant,
        Severity::Considerable,
        Severity::Major,
        Severity::Catastrophic,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Significant => "significant",
            Severity::Considerable => "considerable",
            Severity::Major => "major",
            Severity::Catastrophic => "catastrophic",
        }
    }

    /// The DCB0160 template's word for a heading: "Considerable".
    pub fn label(self) -> &'static str {
        match self {
            Severity::Minor => "Minor",
            Severity::Significant => "Significant",
            Severity::Considerable => "Considerable",
            Severity::Major => "Major",
            Severity::Catastrophic => "Catastrophic",
        }
    }

    /// What the severity means for one patient, and for several (the NHS
    /// template's definitions table; the harm decides it with how many it reaches).
    pub fn definition(self) -> (&'static str, &'static str) {
        match self {
            Severity::Minor => (
                "Minor injury from which recovery is expected in the short term; minor psychological upset; inconvenience; any negligible severity",
                "rated Significant",
            ),
            Severity::Significant => (
                "Minor injury or injuries from which recovery is not expected in the short term; significant psychological trauma",
                "Minor injury from which recovery is expected in the short term; minor psychological upset; inconvenience",
            ),
            Severity::Considerable => (
                "Severe injury or severe incapacity from which recovery is expected in the short term; severe psychological trauma",
                "Minor injury or injuries from which recovery is not expected in the short term; significant psychological trauma",
            ),
            Severity::Major => (
                "Death; permanent life-changing incapacity, or any condition for which the prognosis is death or permanent life-changing incapacity; severe injury or severe incapacity from which recovery is not expected in the short term",
                "Severe injury or severe incapacity from which recovery is expected in the short term; severe psychological trauma",
            ),
            Severity::Catastrophic => (
                "rated Major",
                "Deaths; permanent life-changing incapacity, or any condition for which the prognosis is death or permanent life-changing incapacity; severe injury or severe incapacity from which recovery is not expected in the short term",
            ),
        }
    }
}

impl Likelihood {
    pub const ALL: [Likelihood; 5] =
        [Likelihood::VeryLow, Likelihood::Low, Likelihood::Medium, Likelihood::High, Likelihood::VeryHigh];
    pub fn as_str(self) -> &'static str {
        match self {
            Likelihood::VeryLow => "very-low",
            Likelihood::Low => "low",
            Likelihood::Medium => "medium",
            Likelihood::High => "high",
            Likelihood::VeryHigh => "very-high",
        }
    }

    /// The DCB0160 template's word for a heading: "Very high".
    pub fn label(self) -> &'static str {
        match self {
            Likelihood::VeryLow => "Very low",
            Likelihood::Low => "Low",
            Likelihood::Medium => "Medium",
            Likelihood::High => "High",
            Likelihood::VeryHigh => "Very high",
        }
    }

    /// The likelihood in running text: "very low".
    pub fn words(self) -> &'static str {
        match self {
            Likelihood::VeryLow => "very low",
            Likelihood::VeryHigh => "very high",
            other => other.as_str(),
        }
    }

    /// The NHS template's definition of the likelihood.
    pub fn definition(self) -> &'static str {
        match self {
            Likelihood::VeryLow => "Negligible or nearly negligible possibility of occurring",
            Likelihood::Low => "Could occur but in the great majority of occasions will not",
            Likelihood::Medium => "Possible",
            Likelihood::High => {
                "Not certain but very possible; reasonably expected to occur in the majority of cases"
            }
            Likelihood::VeryHigh => "Certain or almost certain; highly likely to occur",
        }
    }
}

/// Rows: likelihood very-low → very-high; columns: severity minor → catastrophic.
const MATRIX: [[u8; 5]; 5] = [
    [1, 1, 2, 2, 3], // very-low
    [1, 2, 2, 3, 4], // low
    [2, 2, 3, 3, 4], // medium
    [2, 3, 3, 4, 5], // high
    [3, 4, 4, 5, 5], // very-high
];

/// The DCB risk rating, 1 (acceptable) to 5 (unacceptable): a lookup in the
/// matrix, not likelihood × severity.
pub fn rating(severity: Severity, likelihood: Likelihood) -> u8 {
    MATRIX[likelihood as usize][severity as usize]
}

/// What a rating means (DCB0160 acceptability).
pub fn rating_meaning(rating: u8) -> &'static str {
    match rating {
        1 => "acceptable, no further action",
        2 => "acceptable where further reduction is impractical or its cost outweighs the benefit",
        3 => "undesirable: acceptable only where further reduction is impractical (justification needed)",
        4 => "mandatory elimination or additional controls",
        _ => "unacceptable",
    }
}

/// DPIA likelihood of harm on the ICO template's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DpiaLikelihood {
    Remote,
    Possible,
    Probable,
}

/// DPIA severity of harm on the ICO template's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DpiaSeverity {
    Minimal,
    Significant,
    Severe,
}

impl DpiaLikelihood {
    pub fn as_str(self) -> &'static str {
        match self {
            DpiaLikelihood::Remote => "remote",
            DpiaLikelihood::Possible => "possible",
            DpiaLikelihood::Probable => "probable",
        }
    }
}

impl DpiaSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            DpiaSeverity::Minimal => "minimal",
            DpiaSeverity::Significant => "significant",
            DpiaSeverity::Severe => "severe",
        }
    }
}

/// Overall DPIA risk on the ICO grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DpiaLevel {
    Low,
    Medium,
    High,
}

impl DpiaLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            DpiaLevel::Low => "low",
            DpiaLevel::Medium => "medium",
            DpiaLevel::High => "high",
        }
    }
}

/// ICO grid: likelihood remote=0, possible=1, probable=2 plus severity
/// minimal=0, significant=1, severe=2; 0–1 low, 2 medium, 3–4 high.
pub fn dpia_level(likelihood: DpiaLikelihood, severity: DpiaSeverity) -> DpiaLevel {
    match likelihood as u8 + severity as u8 {
        0 | 1 => DpiaLevel::Low,
        2 => DpiaLevel::Medium,
        _ => DpiaLevel::High,
    }
}

#[cfg(test)]
#[path = "risk_tests.rs"]
mod tests;
