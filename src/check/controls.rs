//! Rules about controls and actions: evidence, orphans, monitoring, and dates
//! on the action checklist.

use std::collections::BTreeMap;

use super::{finding, list, Context};
use crate::check::Finding;
use crate::facts::Upkeep;
use crate::model::date::Date;
use crate::model::status::ControlStatus;
use crate::rules;
use crate::span::Located;

pub fn check(cx: &Context, out: &mut Vec<Finding>) {
    for ((c, upkeep), expired) in
        cx.project.controls.iter().zip(&cx.facts.controls).zip(&cx.facts.evidence_expired)
    {
        if let Some(until) = expired {
            out.push(
                finding(
                    &rules::EVIDENCE_EXPIRED,
                    &c.id,
                    format!(
                        "control `{}`'s newest evidence was valid until {} (as of {})",
                        c.id, until.value, cx.as_of
                    ),
                    until.span,
                )
                .with_note("add newer evidence (e.g. the renewed certificate or the latest audit)"),
            );
        }
        if let (Some(from), ControlStatus::Planned) = (&c.transferred_from, c.status) {
            out.push(
                finding(
                    &rules::MANUFACTURER_CONTROL_OPEN,
                    &c.id,
                    format!("control `{}`, transferred from the manufacturer ({}), is still planned", c.id, from.value),
                    c.status_span,
                )
                .with_note("the manufacturer's safety case relies on it: put it in place, or record why it does not apply"),
            );
        }
        if c.status == ControlStatus::Verified && cx.facts.evidence(c).next().is_none() {
            let message = if c.evidence.is_empty() {
                format!("control `{}` is marked verified but lists no evidence", c.id)
            } else {
                format!(
                    "control `{}` is marked verified but all its evidence is dated after {}",
                    c.id, cx.as_of
                )
            };
            out.push(
                finding(&rules::UNVERIFIED_EVIDENCE, &c.id, message, c.status_span)
                    .with_note("add `evidence: [{ ref: ..., date: ... }]`, or set `status: implemented` until it is verified"),
            );
        }
        if cx.graph.hazards_of_control(&c.id).is_empty() && cx.graph.dpia_risks_of_control(&c.id).is_empty() {
            out.push(finding(
                &rules::ORPHAN_CONTROL,
                &c.id,
                format!("control `{}` mitigates no hazard or DPIA risk", c.id),
                c.id_span,
            ));
        }
        overdue(cx, (&c.id, c.last_done.as_ref()), "planned control", "control", upkeep, out);
    }
    for (a, upkeep) in cx.project.actions.iter().zip(&cx.facts.actions) {
        overdue(cx, (&a.id, a.last_done.as_ref()), "action", "action", upkeep, out);
    }
    unmonitored(cx, out);
}

/// action-overdue: a one-off due date past, or a recurrence late.
/// With the id, the `last_done` as written (one after `--as-of` is not
/// counted, but the message must not say there is none).
fn overdue(
    cx: &Context,
    (id, written): (&str, Option<&Located<Date>>),
    one_off: &str,
    what: &str,
    upkeep: &Upkeep,
    out: &mut Vec<Finding>,
) {
    if let (true, Some(due)) = (upkeep.due_past, &upkeep.due) {
        let days = due.value.days_until(cx.as_of);
        out.push(finding(
            &rules::ACTION_OVERDUE,
            id,
            format!(
                "{one_off} `{id}` was due on {} ({} overdue as of {})",
                due.value,
                crate::words::count(days as u64, "day"),
                cx.as_of
            ),
            due.span,
        ));
    }
    let Some(r) = upkeep.recurrence.as_ref().filter(|r| r.late) else { return };
    let every = r.every.value;
    out.push(match (&r.last_done, r.next) {
        (Some(last), Some(next)) => finding(
            &rules::ACTION_OVERDUE,
            id,
            format!(
                "recurring {what} `{id}` (every {every}) was next due on {next}; last done {}",
                last.value
            ),
            last.span,
        ),
        _ => match written {
            Some(later) => finding(
                &rules::ACTION_OVERDUE,
                id,
                format!(
                    "recurring {what} `{id}` (every {every}) has not been done as of {}: its `last_done`, {}, is after that day",
                    cx.as_of, later.value
                ),
                later.span,
            ),
            None => finding(
                &rules::ACTION_OVERDUE,
                id,
                format!("recurring {what} `{id}` (every {every}) has never been done: no `last_done`"),
                r.every.span,
            ),
        },
    });
}

/// unmonitored-control: one finding per control, naming every hazard with a
/// residual rating of 3 or more that relies on it.
fn unmonitored(cx: &Context, out: &mut Vec<Finding>) {
    let mut reliant: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for h in &cx.project.hazards {
        if !h.is_withdrawn() && h.residual_rating().is_some_and(|r| r >= 3) {
            for c in cx.graph.controls_of(&h.id) {
                if cx.graph.metrics_of(c).is_empty() {
                    reliant.entry(c).or_default().push(&h.id);
                }
            }
        }
    }
    for (c, hazards) in reliant {
        let Some(control) = cx.control(c) else { continue };
        out.push(
            finding(
                &rules::UNMONITORED_CONTROL,
                c,
                format!(
                    "control `{c}` is relied on by {} with residual rating 3 or more, but no metric monitors it",
                    list(&hazards)
                ),
                control.id_span,
            )
            .with_note("add a metric with `monitors: [".to_string() + c + "]` so a failing control would show"),
        );
    }
}
