//! Rules about the incident log: incidents that should reopen a hazard's
//! review, and incidents on hazards already closed. The facts decide which
//! (`facts::records::incidents_on_hazards`); only counted incidents appear.

use super::{finding, Context};
use crate::check::Finding;
use crate::facts::records::{IncidentKind, ReviewMark};
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for x in &cx.facts.incidents_on_hazards {
        let (i, h) = (&cx.project.incidents[x.incident], &cx.project.hazards[x.hazard]);
        let about = format!("incident `{}` ({}) is linked to hazard `{}`", i.id, i.date.value, h.id);
        out.push(match x.kind {
            IncidentKind::AfterClosure(closed) => finding(
                &rules::INCIDENT_ON_CLOSED_HAZARD,
                &i.id,
                format!("{about}, which was closed on {closed}: the hazard is happening again"),
                i.date.span,
            )
            .with_note(format!("reopen `{}` (status: open) and review its controls and ratings", h.id)),
            IncidentKind::OnWithdrawn => finding(
                &rules::INCIDENT_ON_WITHDRAWN_HAZARD,
                &i.id,
                format!("{about}, which is withdrawn: an incident says the hazard applies after all"),
                i.date.span,
            )
            .with_note(format!(
                "reinstate `{}` (status: open) and assess it, or link the incident to the hazard it belongs to",
                h.id
            )),
            IncidentKind::ReviewDue(mark) => {
                let since = match mark {
                    ReviewMark::LastReviewed(d) => format!("hazard `{}` was last reviewed on {d}", h.id),
                    ReviewMark::Raised(d) => {
                        format!("hazard `{}` was raised on {d} and not reviewed since", h.id)
                    }
                    ReviewMark::Never => format!("hazard `{}` has no review recorded", h.id),
                };
                finding(
                    &rules::INCIDENT_REVIEW_DUE,
                    &i.id,
                    format!("{about}, but {since}: review the hazard in its light"),
                    i.date.span,
                )
                .with_note(format!(
                    "record the review under `reviews:` of `{}` (date, by, outcome, ratings)",
                    h.id
                ))
            }
        });
    }
}
