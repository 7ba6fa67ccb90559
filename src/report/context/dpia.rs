//! The DPIA view, step by step as the ICO template has it: the written
//! sections, each risk on the ICO grid, its measures with their state (from
//! the controls: a planned control is not yet an approved measure), and the
//! step 7 sign-off lines.

use super::*;
use crate::model::risk::{self, DpiaLikelihood, DpiaSeverity};
use crate::model::{DpiaSections, DpiaSignature};

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
    /// eliminated | reduced | accepted, as the DPIA states it.
    pub effect: Option<&'static str>,
    pub measures: Vec<Shared>,
    /// Measures whose control is only planned: not in place, so not approved measures yet.
    pub planned_measures: Vec<String>,
}

/// One line of step 7: the template's wording, and who signed it (if anyone).
#[derive(Serialize)]
pub struct OutcomeLine {
    pub item: &'static str,
    pub by: Option<DpiaSignature>,
    pub decision: Option<&'static str>,
}

#[derive(Serialize)]
pub struct DpiaView {
    #[serde(flatten)]
    pub sections: DpiaSections,
    // The template items one by one, null when not stated (the model leaves them out).
    pub need: Option<String>,
    pub controller: Option<String>,
    pub dpo: Option<String>,
    pub processors: Vec<String>,
    pub international_transfers: Option<String>,
    pub individuals_rights: Option<String>,
    pub risks: Vec<DpiaRiskView>,
    pub sign_off: Option<Approval>,
    pub outcomes: Vec<OutcomeLine>,
    pub findings: Vec<Shared>,
    pub prior_consultation_needed: bool,
}

pub(super) fn dpia_view(
    a: &Analysis,
    by_subject: &BTreeMap<&str, Vec<Shared>>,
    linker: &Linker,
) -> Option<DpiaView> {
    let d = a.project.dpia.as_ref()?;
    let risks: Vec<DpiaRiskView> = d
        .risks
        .iter()
        .map(|r| {
            let measures = a.graph.controls_of(&r.id);
            DpiaRiskView {
                id: r.id.clone(),
                title: r.title.clone(),
                likelihood: r.likelihood.map(DpiaLikelihood::as_str),
                severity: r.severity.map(DpiaSeverity::as_str),
                level: r.level().map(|l| l.as_str()),
                residual_likelihood: r.residual_likelihood.map(DpiaLikelihood::as_str),
                residual_severity: r.residual_severity.map(DpiaSeverity::as_str),
                residual_level: r.residual_level().map(|l| l.as_str()),
                approved: r.approved,
                effect: r.effect.map(|e| e.as_str()),
                planned_measures: measures
                    .iter()
                    .filter(|m| linker.link(m).status == Some("planned"))
                    .map(|m| m.to_string())
                    .collect(),
                measures: linker.links(measures),
            }
        })
        .collect();
    let mut findings: Vec<Shared> = by_subject.get("dpia").cloned().unwrap_or_default();
    for r in &d.risks {
        findings.extend(by_subject.get(r.id.as_str()).cloned().unwrap_or_default());
    }
    let s = &d.items;
    Some(DpiaView {
        need: s.need.clone(),
        controller: s.controller.clone(),
        dpo: s.dpo.clone(),
        processors: s.processors.clone(),
        international_transfers: s.international_transfers.clone(),
        individuals_rights: s.individuals_rights.clone(),
        sections: d.sections.clone(),
        prior_consultation_needed: a.project.manifest.raises(&rules::DPIA_HIGH_RESIDUAL)
            && d.risks.iter().any(|r| r.residual_level() == Some(risk::DpiaLevel::High)),
        risks,
        sign_off: d.sign_off.clone(),
        outcomes: outcome_lines(d.outcomes.clone().unwrap_or_default()),
        findings,
    })
}

/// Step 7's lines in the template's order and words.
fn outcome_lines(o: crate::model::DpiaOutcomes) -> Vec<OutcomeLine> {
    let line = |item, by: Option<DpiaSignature>| OutcomeLine {
        item,
        decision: by.as_ref().and_then(|b| b.decision).map(|d| d.as_str()),
        by,
    };
    vec![
        line("Measures approved by", o.measures_approved_by),
        line("Residual risks approved by", o.residual_risks_approved_by),
        line("DPO advice provided by", o.dpo_advice_provided),
        line("DPO advice accepted or overruled by", o.dpo_advice_decision),
        line("Consultation responses reviewed by", o.consultation_reviewed_by),
        line("This DPIA will be kept under review by", o.kept_under_review_by),
    ]
}
