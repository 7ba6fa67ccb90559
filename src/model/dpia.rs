//! The DPIA as validated types (UK GDPR Article 35; the ICO template's sections).

use super::*;

#[derive(Debug, serde::Serialize)]
pub struct Dpia {
    #[serde(skip)]
    pub span: Span,
    pub sections: DpiaSections,
    #[serde(flatten)]
    pub items: DpiaTemplateItems,
    pub risks: Vec<DpiaRisk>,
    pub sign_off: Option<Approval>,
    pub document: Option<DocumentControl>,
    /// The ICO template's step 7 (absent from the content digest when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<DpiaOutcomes>,
}

/// What a measure does to a risk (the ICO template's step 6 "effect on risk").
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DpiaEffect {
    Eliminated,
    Reduced,
    Accepted,
}

impl DpiaEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            DpiaEffect::Eliminated => "eliminated",
            DpiaEffect::Reduced => "reduced",
            DpiaEffect::Accepted => "accepted",
        }
    }
}

/// Whether the DPO's advice was followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AdviceDecision {
    Accepted,
    Overruled,
}

impl AdviceDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            AdviceDecision::Accepted => "accepted",
            AdviceDecision::Overruled => "overruled",
        }
    }
}

/// One line of step 7: who, in what role, when, with their comments.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DpiaSignature {
    pub name: String,
    pub role: Option<String>,
    pub date: Option<Date>,
    pub comments: Option<String>,
    /// Only on the DPO advice line: accepted or overruled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<AdviceDecision>,
    #[serde(skip)]
    pub span: Span,
}

/// The ICO template's step 7, "sign off and outcomes", line by line.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DpiaOutcomes {
    pub measures_approved_by: Option<DpiaSignature>,
    pub residual_risks_approved_by: Option<DpiaSignature>,
    pub dpo_advice_provided: Option<DpiaSignature>,
    pub dpo_advice_decision: Option<DpiaSignature>,
    pub consultation_reviewed_by: Option<DpiaSignature>,
    pub kept_under_review_by: Option<DpiaSignature>,
}

impl DpiaOutcomes {
    /// The lines that are filled in, with the YAML key each is written under.
    pub fn lines(&self) -> impl Iterator<Item = (&'static str, &DpiaSignature)> {
        [
            ("measures_approved_by", &self.measures_approved_by),
            ("residual_risks_approved_by", &self.residual_risks_approved_by),
            ("dpo_advice_provided", &self.dpo_advice_provided),
            ("dpo_advice_decision", &self.dpo_advice_decision),
            ("consultation_reviewed_by", &self.consultation_reviewed_by),
            ("kept_under_review_by", &self.kept_under_review_by),
        ]
        .into_iter()
        .filter_map(|(key, line)| line.as_ref().map(|l| (key, l)))
    }
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

/// The ICO template's items beyond the sections above (README: DPIA). Each is
/// left out of the content digest when not given, so adding these fields to
/// clinsafe did not outdate any approval.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DpiaTemplateItems {
    /// Step 1: why a DPIA is needed (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dpo: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub processors: Vec<String>,
    /// Transfers outside the UK and their safeguards (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub international_transfers: Option<String>,
    /// How individuals' rights are supported (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub individuals_rights: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<DpiaEffect>,
}

impl DpiaRisk {
    pub fn level(&self) -> Option<DpiaLevel> {
        Some(risk::dpia_level(self.likelihood?, self.severity?))
    }
    pub fn residual_level(&self) -> Option<DpiaLevel> {
        Some(risk::dpia_level(self.residual_likelihood?, self.residual_severity?))
    }
}
