//! The DPIA as validated types (UK GDPR Article 35; the ICO template's sections).

use super::*;

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
