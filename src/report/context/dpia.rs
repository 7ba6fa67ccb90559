//! The DPIA view: the written sections, each risk on the ICO grid with its measures.

use super::*;

pub(super) fn dpia_view(
    a: &Analysis,
    by_subject: &BTreeMap<&str, Vec<FindingView>>,
    links: &dyn Fn(Vec<&str>) -> Vec<Link>,
) -> Option<DpiaView> {
    let d = a.project.dpia.as_ref()?;
    let risks: Vec<DpiaRiskView> = d
        .risks
        .iter()
        .map(|r| DpiaRiskView {
            id: r.id.clone(),
            title: r.title.clone(),
            likelihood: r.likelihood.map(dpia_likelihood),
            severity: r.severity.map(dpia_severity),
            level: r.level().map(|l| l.as_str()),
            residual_likelihood: r.residual_likelihood.map(dpia_likelihood),
            residual_severity: r.residual_severity.map(dpia_severity),
            residual_level: r.residual_level().map(|l| l.as_str()),
            approved: r.approved,
            measures: links(a.graph.controls_of(&r.id)),
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

fn dpia_likelihood(l: risk::DpiaLikelihood) -> &'static str {
    match l {
        risk::DpiaLikelihood::Remote => "remote",
        risk::DpiaLikelihood::Possible => "possible",
        risk::DpiaLikelihood::Probable => "probable",
    }
}

fn dpia_severity(s: risk::DpiaSeverity) -> &'static str {
    match s {
        risk::DpiaSeverity::Minimal => "minimal",
        risk::DpiaSeverity::Significant => "significant",
        risk::DpiaSeverity::Severe => "severe",
    }
}
