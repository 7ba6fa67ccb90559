//! Rules about the incident log: incidents that should reopen a hazard's
//! review, and incidents on hazards already closed. Only incidents counted
//! as of the day (see `facts::point_in_time`) are judged.

use super::{finding, Context};
use crate::check::Finding;
use crate::model::{HazardStatus, Incident};
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let p = cx.project;
    for (i, _) in p.incidents.iter().zip(&cx.facts.incidents_counted).filter(|(_, counted)| **counted) {
        for id in cx.graph.hazards_of_incident(&i.id) {
            let Some(index) = p.hazards.iter().position(|h| h.id == id) else { continue };
            let h = &p.hazards[index];
            if h.is_withdrawn() {
                continue;
            }
            let closed_before = h.record.closed_on.as_ref().filter(|c| c.value < i.date.value);
            if let (HazardStatus::Closed, Some(closed)) = (h.status, closed_before) {
                out.push(
                    finding(
                        &rules::INCIDENT_ON_CLOSED_HAZARD,
                        &i.id,
                        format!(
                            "incident `{}` ({}) is linked to hazard `{id}`, which was closed on {}: the hazard is happening again",
                            i.id, i.date.value, closed.value
                        ),
                        i.date.span,
                    )
                    .with_note(format!("reopen `{id}` (status: open) and review its controls and ratings")),
                );
                continue;
            }
            review_due(cx, i, index, out);
        }
    }
}

/// incident-review-due: the hazard's last review (never reviewed: the day it
/// was raised) came before the incident, so no review has weighed it yet.
fn review_due(cx: &Context, i: &Incident, hazard: usize, out: &mut Vec<Finding>) {
    let h = &cx.project.hazards[hazard];
    let reviewed = cx.facts.hazard_reviews[hazard].last.as_ref().map(|d| ("last reviewed", d.value));
    let raised = h.record.raised_on.as_ref().map(|d| ("raised", d.value));
    let since = match reviewed.or(raised) {
        Some((_, day)) if day >= i.date.value => return,
        Some((what, day)) => format!("hazard `{}` was {what} on {day}", h.id),
        None => format!("hazard `{}` has no review recorded", h.id),
    };
    out.push(
        finding(
            &rules::INCIDENT_REVIEW_DUE,
            &i.id,
            format!(
                "incident `{}` ({}) is linked to hazard `{}`, but {since}: review the hazard in its light",
                i.id, i.date.value, h.id
            ),
            i.date.span,
        )
        .with_note(format!("record the review under `reviews:` of `{}` (date, by, outcome, ratings)", h.id)),
    );
}
