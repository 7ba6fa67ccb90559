//! The DPIA view: the written sections, each risk on the ICO grid with its measures.

use super::*;
use crate::model::risk::{self, DpiaLikelihood, DpiaSeverity};
use crate::model::DpiaSections;

#[derive(Serialize)]
pub struct DpiaRiskView {
    pub id: String,
    pub title: String,
    pub likelihood: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub level: Option<&'static str>,
    pub residual_likelihood: Option<&'static str>,
    pub residual_severity: Option<&'static str>,
    pub residual_level: Option<&'static str>,
    pub approved: Option<bool>,
    pub measures: Vec<Link>,
}

#[derive(Serialize)]
pub struct DpiaView {
    #[serde(flatten)]
    pub sections: DpiaSections,
    pub risks: Vec<DpiaRiskView>,
    pub sign_off: Option<Approval>,
    pub findings: Vec<FindingView>,
    pub prior_consultation_needed: bool,
}

pub(super) fn dpia_view(
    a: &Analysis,
    by_subject: &BTreeMap<&str, Vec<FindingView>>,
    linker: &Linker,
) -> Option<DpiaView> {
    let d = a.project.dpia.as_ref()?;
    let risks: Vec<DpiaRiskView> = d
        .risks
        .iter()
        .map(|r| DpiaRiskView {
            id: r.id.clone(),
            title: r.title.clone(),
            likelihood: r.likelihood.map(DpiaLikelihood::as_str),
            severity: r.severity.map(DpiaSeverity::as_str),
            level: r.level().map(|l| l.as_str()),
            residual_likelihood: r.residual_likelihood.map(DpiaLikelihood::as_str),
            residual_severity: r.residual_severity.map(DpiaSeverity::as_str),
            residual_level: r.residual_level().map(|l| l.as_str()),
            approved: r.approved,
            measures: linker.links(a.graph.controls_of(&r.id)),
        })
        .collect();
    let mut findings: Vec<FindingView> = by_subject.get("dpia").cloned().unwrap_or_default();
    for r in &d.risks {
        findings.extend(by_subject.get(r.id.as_str()).cloned().unwrap_or_default());
    }
    Some(DpiaView {
        sections: d.sections.clone(),
        prior_consultation_needed: a.project.manifest.raises(&rules::DPIA_HIGH_RESIDUAL)
            && d.risks.iter().any(|r| r.residual_level() == Some(risk::DpiaLevel::High)),
        risks,
        sign_off: d.sign_off.clone(),
        findings,
    })
}
