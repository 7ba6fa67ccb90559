//! Go-live conditions: residual-relies-on-planned, and `go_live_conditions`
//! ids that name no control (dangling-reference).

use super::{finding, Context};
use crate::check::Finding;
use crate::model::status::HazardStatus;
use crate::rules;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    let m = &cx.project.manifest;
    for id in &m.go_live_conditions {
        if cx.control(&id.value).is_none() {
            let ids = cx.project.controls.iter().map(|c| c.id.as_str());
            let mut f = finding(
                &rules::DANGLING_REFERENCE,
                "document",
                format!("`go_live_conditions` lists `{}`, but no control has that id", id.value),
                id.span,
            );
            if let Some(s) = crate::suggest::did_you_mean(&id.value, ids) {
                f = f.with_note(format!("did you mean `{s}`?"));
            }
            out.push(f);
        }
    }
    // Looked up once per planned control of every open hazard: a set, not a search of the list.
    let accepted: std::collections::HashSet<&str> =
        m.go_live_conditions.iter().map(|g| g.value.as_str()).collect();
    let accepted = |c: &str| accepted.contains(c);
    for h in cx.project.hazards.iter().filter(|h| h.status == HazardStatus::Open) {
        let Some(residual) = h.residual.as_ref().filter(|r| r.rating().is_some()) else { continue };
        let planned: Vec<&str> = cx.planned_controls_of(&h.id).into_iter().filter(|c| !accepted(c)).collect();
        if planned.is_empty() {
            continue;
        }
        out.push(
            finding(
                &rules::RESIDUAL_RELIES_ON_PLANNED,
                &h.id,
                format!("hazard `{}`'s residual rating relies on {}", h.id, super::only_planned(&planned)),
                residual.span,
            )
            .with_note("put the control in place, or, if the clinical safety officer accepts it as a condition of go-live, list it under `go_live_conditions` in clinsafe.yaml"),
        );
    }
}
