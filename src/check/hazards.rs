//! Rules about each hazard's assessment: coverage, ratings, residual risk,
//! justification, closure and review.

use super::{finding, Context};
use crate::check::Finding;
use crate::facts::records::ReviewBasis;
use crate::model::status::HazardStatus;
use crate::model::{risk, Hazard, Risk};
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    empty_log(cx, out);
    for ((h, &review_overdue), reviews) in
        cx.project.hazards.iter().zip(&cx.facts.hazard_review_overdue).zip(&cx.facts.hazard_reviews)
    {
        if h.is_withdrawn() {
            // It no longer counts as a risk: only its record is checked.
            withdrawn(h, out);
            continue;
        }
        assessment(h, out);
        coverage(cx, h, out);
        residual(cx, h, out);
        closure(cx, h, out);
        if let (true, Some(next)) = (review_overdue, &reviews.next) {
            let why = match next.basis {
                ReviewBasis::ReviewBy => String::new(),
                ReviewBasis::LastReview(last, every) => format!(": last reviewed {last}, every {every}"),
                ReviewBasis::Raised(raised, every) => {
                    format!(": never reviewed, raised {raised}, every {every}")
                }
            };
            out.push(finding(
                &rules::REVIEW_OVERDUE,
                &h.id,
                format!("hazard `{}` was due for review by {} (as of {}){why}", h.id, next.date, cx.as_of),
                next.span,
            ));
        }
    }
}

/// empty-hazard-log: DCB0160 rests a safety case on its hazard log. With no
/// hazard standing, every hazard rule passes on nothing and the case would
/// read "0 errors" while it assesses nothing at all.
fn empty_log(cx: &Context, out: &mut Vec<Finding>) {
    let hazards = &cx.project.hazards;
    if hazards.iter().any(|h| !h.is_withdrawn()) {
        return;
    }
    let message = if hazards.is_empty() {
        "the hazard log is empty: no project file lists a hazard under `hazards:`, so the safety case assesses nothing"
            .to_string()
    } else {
        let mut ids: Vec<&str> = hazards.iter().map(|h| h.id.as_str()).collect();
        ids.sort_by_cached_key(|id| crate::model::order::natural_key(id));
        format!(
            "every hazard in the hazard log is withdrawn ({}), so the safety case assesses no hazard",
            super::list(&ids)
        )
    };
    out.push(finding(&rules::EMPTY_HAZARD_LOG, "document", message, cx.project.manifest.span).with_note(
        "record what could go wrong in this deployment under `hazards:` in any .yaml file of the project \
             (`clinsafe library` lists reviewed starting points)",
    ));
}

/// missing-withdrawn-reason: a withdrawal must say why, for whoever reads the log later.
fn withdrawn(h: &Hazard, out: &mut Vec<Finding>) {
    if h.withdrawn_reason.is_none() {
        out.push(
            finding(
                &rules::MISSING_WITHDRAWN_REASON,
                &h.id,
                format!("hazard `{}` is withdrawn but has no `withdrawn_reason`", h.id),
                h.id_span,
            )
            .with_note("say why it no longer applies (e.g. the feature was removed, or it duplicates another hazard)"),
        );
    }
}

fn missing_half(r: &Risk) -> Option<&'static str> {
    match (r.severity, r.likelihood) {
        (None, None) => Some("both severity and likelihood"),
        (None, Some(_)) => Some("severity"),
        (Some(_), None) => Some("likelihood"),
        _ => None,
    }
}

/// unassessed-hazard and rating-mismatch.
fn assessment(h: &Hazard, out: &mut Vec<Finding>) {
    match &h.initial {
        None => out.push(
            finding(&rules::UNASSESSED_HAZARD, &h.id, format!("hazard `{}` has no initial_risk", h.id), h.id_span)
                .with_note("add `initial_risk: { severity: ..., likelihood: ... }` (the risk before the controls under assessment)"),
        ),
        Some(r) => {
            if let Some(half) = missing_half(r) {
                out.push(finding(
                    &rules::UNASSESSED_HAZARD,
                    &h.id,
                    format!("hazard `{}`'s initial_risk lacks {half}, so it has no rating", h.id),
                    r.span,
                ));
            }
        }
    }
    if let Some(r) = &h.residual {
        if let Some(half) = missing_half(r) {
            out.push(finding(
                &rules::UNASSESSED_HAZARD,
                &h.id,
                format!("hazard `{}`'s residual_risk lacks {half}, so it has no rating", h.id),
                r.span,
            ));
        }
    }
    for (name, r) in [("initial_risk", &h.initial), ("residual_risk", &h.residual)] {
        let Some(r) = r else { continue };
        if let (Some(stated), Some(actual), Some(s), Some(l)) =
            (&r.stated_rating, r.rating(), r.severity, r.likelihood)
        {
            if stated.value != actual {
                out.push(
                    finding(
                        &rules::RATING_MISMATCH,
                        &h.id,
                        format!(
                            "{name} of `{}` states rating {}, but {} severity with {} likelihood is rating {actual} in the DCB0160 matrix",
                            h.id,
                            stated.value,
                            s.as_str(),
                            l.words()
                        ),
                        stated.span,
                    )
                    .with_note("the rating is a lookup in the matrix, not a product; remove `rating` to let clinsafe work it out"),
                );
            }
        }
    }
}

/// uncovered-hazard.
fn coverage(cx: &Context, h: &Hazard, out: &mut Vec<Finding>) {
    if h.status == HazardStatus::Transferred || !cx.graph.controls_of(&h.id).is_empty() {
        return;
    }
    let max = cx.project.manifest.max_residual_rating;
    let acceptable_as_is = h.initial_rating().is_some_and(|r| r <= max) && h.justification.is_some();
    if !acceptable_as_is {
        out.push(
            finding(&rules::UNCOVERED_HAZARD, &h.id, format!("hazard `{}` has no control", h.id), h.id_span).with_note(format!(
                "link a control (`controls: [CTL-…]` on the hazard or `mitigates: [{}]` on the control), or, if its initial rating is {max} or less, give a `justification`",
                h.id
            )),
        );
    }
}

/// residual-above-initial, residual-unacceptable, missing-justification.
fn residual(cx: &Context, h: &Hazard, out: &mut Vec<Finding>) {
    let Some(r) = &h.residual else { return };
    let Some(rating) = r.rating() else { return };
    if let Some(initial) = h.initial_rating() {
        if rating > initial {
            out.push(finding(
                &rules::RESIDUAL_ABOVE_INITIAL,
                &h.id,
                format!("hazard `{}`'s residual rating {rating} is higher than its initial rating {initial}: controls cannot raise a risk", h.id),
                r.span,
            ));
        }
    }
    let max = cx.project.manifest.max_residual_rating;
    if rating >= 4 {
        out.push(finding(
            &rules::RESIDUAL_UNACCEPTABLE,
            &h.id,
            format!("hazard `{}`'s residual rating is {rating}: {}", h.id, risk::rating_meaning(rating)),
            r.span,
        ));
    } else if rating > max && h.justification.is_none() {
        out.push(
            finding(
                &rules::MISSING_JUSTIFICATION,
                &h.id,
                format!(
                    "hazard `{}`'s residual rating {rating} is above the accepted {max} and there is no `justification`",
                    h.id
                ),
                r.span,
            )
            .with_note("record why further reduction is impractical (`justification:`), or add controls"),
        );
    }
}

/// missing-residual, closed-with-planned-control.
fn closure(cx: &Context, h: &Hazard, out: &mut Vec<Finding>) {
    if h.status != HazardStatus::Closed {
        return;
    }
    if h.residual.is_none() {
        out.push(finding(
            &rules::MISSING_RESIDUAL,
            &h.id,
            format!("hazard `{}` is closed but has no residual_risk", h.id),
            h.id_span,
        ));
    }
    let planned = cx.planned_controls_of(&h.id);
    if !planned.is_empty() {
        out.push(finding(
            &rules::CLOSED_WITH_PLANNED_CONTROL,
            &h.id,
            format!("hazard `{}` is closed but relies on {}", h.id, super::only_planned(&planned)),
            h.id_span,
        ));
    }
}
