//! Rules about the document as a whole: sign-off and review date.

use super::{finding, Context};
use crate::diag::Finding;
use crate::load::raw::DocumentStatus;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = &cx.project.manifest;
    if m.document.status == DocumentStatus::Issued {
        let mut missing = Vec::new();
        if m.clinical_safety_officer.is_none() {
            missing.push("a `clinical_safety_officer`");
        }
        if m.approvals.is_empty() {
            missing.push("`approvals`");
        }
        if !missing.is_empty() {
            out.push(
                finding(
                    "missing-sign-off",
                    "document",
                    format!("document {} is issued but has no {}", m.document.id, missing.join(" and no ")),
                    m.span,
                )
                .with_note("an issued clinical safety case report must be signed off by the CSO; keep `status: draft` until it is"),
            );
        }
    }
    if let Some(review) = &m.document.review_by {
        if review.value < cx.as_of {
            out.push(finding(
                "review-overdue",
                "document",
                format!(
                    "document {} was due for review by {} (as of {})",
                    m.document.id, review.value, cx.as_of
                ),
                review.span,
            ));
        }
    }
}
