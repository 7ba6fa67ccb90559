//! Rules about the DPIA: completeness against the ICO template, and high
//! residual risks that need prior consultation with the ICO (Article 36).

use super::{finding, Context};
use crate::check::Finding;
use crate::model::risk::DpiaLevel;
use crate::model::status::DocumentStatus;
use crate::model::AdviceDecision;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let Some(d) = &cx.project.dpia else { return };
    let sec = &d.sections;
    let text = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let sections = [
        ("title", text(&sec.title), "the DPIA's title"),
        ("processing.nature", text(&sec.nature), "the nature of the processing"),
        ("processing.scope", text(&sec.scope), "the scope of the processing"),
        ("processing.context", text(&sec.context), "the context of the processing"),
        ("processing.purposes", text(&sec.purposes), "the purposes of the processing"),
        ("lawful_basis.article_6", text(&sec.article_6), "the Article 6 lawful basis"),
        (
            "lawful_basis.article_9",
            text(&sec.article_9),
            "an Article 9 condition (health data always needs one)",
        ),
        ("necessity", text(&sec.necessity), "the necessity and proportionality assessment"),
    ];
    for (key, present, what) in sections {
        if !present {
            out.push(finding(
                &rules::DPIA_INCOMPLETE,
                "dpia",
                format!("the DPIA lacks `{key}`: {what}"),
                d.span,
            ));
        }
    }
    if d.risks.is_empty() {
        out.push(finding(
            &rules::DPIA_INCOMPLETE,
            "dpia",
            "the DPIA lists no risks to individuals".into(),
            d.span,
        ));
    }
    // A DPIA with its own document control is issued or not by its own status;
    // without one (or without a status in it) it goes with the safety case.
    let status = d.document.as_ref().and_then(|c| c.status).unwrap_or(cx.project.manifest.document.status);
    if status == DocumentStatus::Issued && d.sign_off.is_none() {
        let what = if d.document.as_ref().is_some_and(|c| c.status.is_some()) { "DPIA" } else { "document" };
        out.push(finding(
            &rules::DPIA_INCOMPLETE,
            "dpia",
            format!("the {what} is issued but the DPIA has no `sign_off`"),
            d.span,
        ));
    }
    let decision = d.outcomes.as_ref().and_then(|o| o.dpo_advice_decision.as_ref());
    if let Some(s) = decision.filter(|s| s.decision == Some(AdviceDecision::Overruled)) {
        if s.comments.as_deref().is_none_or(|c| c.trim().is_empty()) {
            out.push(
                finding(
                    &rules::DPIA_INCOMPLETE,
                    "dpia",
                    "the DPO's advice was overruled without the reasons".into(),
                    s.span,
                )
                .with_note(
                    "give the reasons in `comments`: the ICO template asks for them when advice is overruled",
                ),
            );
        }
    }
    for r in &d.risks {
        if cx.graph.controls_of(&r.id).is_empty() {
            out.push(
                finding(
                    &rules::DPIA_INCOMPLETE,
                    &r.id,
                    format!("DPIA risk `{}` has no measure", r.id),
                    r.id_span,
                )
                .with_note(
                    "link a control: `controls: [CTL-…]` on the risk, or `mitigates: [".to_string()
                        + &r.id
                        + "]` on the control",
                ),
            );
        }
        if r.likelihood.is_none() || r.severity.is_none() {
            out.push(finding(
                &rules::DPIA_INCOMPLETE,
                &r.id,
                format!("DPIA risk `{}` needs both `likelihood` and `severity`", r.id),
                r.id_span,
            ));
        }
        if r.residual_level().is_none() {
            out.push(finding(
                &rules::DPIA_INCOMPLETE,
                &r.id,
                format!(
                    "DPIA risk `{}` needs a `residual: {{ likelihood, severity }}` after its measures",
                    r.id
                ),
                r.residual_span.unwrap_or(r.id_span),
            ));
        }
        if r.residual_level() == Some(DpiaLevel::High) {
            out.push(
                finding(
                    &rules::DPIA_HIGH_RESIDUAL,
                    &r.id,
                    format!("DPIA risk `{}` stays high after its measures", r.id),
                    r.residual_span.unwrap_or(r.id_span),
                )
                .with_note("a high residual risk needs prior consultation with the ICO (UK GDPR Article 36)"),
            );
        }
    }
}
